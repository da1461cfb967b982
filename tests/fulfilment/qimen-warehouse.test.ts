import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedQimenQuery } from '../../integrations/wms/qimen/client.js';
import { receiveStock, verifyLedger } from '../../db/queries/stock.js';
import { createQimenWmsSandbox, type QimenWmsSandbox } from '../../sandbox/wms/qimen.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { createShop, seedCatalog, uniqueId } from '../support/fixtures.js';
import {
  setupCarrierAccounts,
  setupWarehouse,
  startCarrierSandbox,
  waitForShipments,
  type CarrierSandboxServer,
} from '../support/fulfilment.js';
import { createHarness, type Harness } from '../support/harness.js';
import { waitForOrderStatus, waitForStage, waitForState } from '../support/waits.js';
import { enterOrder, newSku, orderLine, paidOrder, stockOf } from '../wms/orders.js';

/**
 * A warehouse run by an external WMS over Qimen: the same order flow as the built-in WMS, with the
 * delivery orders, the warehouse's reports and its shipping confirmation going over the Qimen wire
 * to a simulated WMS that checks every signature.
 */
let h: Harness;
let api: FastifyInstance;
let apiUrl: string;
let carriers: CarrierSandboxServer;
let wmsServer: FastifyInstance;
let wms: QimenWmsSandbox;
let ops: { authorization: string };
let crew: { authorization: string };

beforeAll(async () => {
  carriers = await startCarrierSandbox();
  wms = createQimenWmsSandbox();
  wmsServer = Fastify();
  await wms.register(wmsServer);
  await wmsServer.listen({ port: 0, host: '127.0.0.1' });
  const wmsUrl = `http://127.0.0.1:${(wmsServer.server.address() as { port: number }).port}`;
  h = await createHarness({
    ...carriers.env,
    WAVE_WINDOW_SECONDS: '1',
    TRACKING_POLL_SECONDS: '1',
    QIMEN_BASE_URL: wmsUrl,
    QIMEN_APP_KEY: wms.account.appKey,
    QIMEN_APP_SECRET: wms.account.secret,
  });
  api = await h.api();
  await api.listen({ port: 0, host: '127.0.0.1' });
  apiUrl = `http://127.0.0.1:${(api.server.address() as { port: number }).port}`;
  wms.callbackUrl = `${apiUrl}/webhooks/wms/qimen`;
  await seedCatalog(h.db);
  ops = bearer(await apiKeyFor(h.db, ['ops']));
  crew = bearer(await apiKeyFor(h.db, ['warehouse']));
  await h.startWorker();
});
afterAll(async () => {
  await h.teardown();
  await wmsServer.close();
  await carriers.close();
});

let qimenCode: string | undefined;

/** The file's one warehouse run by the simulated WMS (one customerId names one warehouse), stocked. */
async function qimenWarehouse(stock: Record<string, number>): Promise<string> {
  if (qimenCode) {
    await receiveStock(h.db, {
      key: uniqueId('receipt'),
      warehouse: qimenCode,
      kind: 'purchase',
      lines: Object.entries(stock).map(([sku, qty]) => ({ sku, qty })),
      actor: 'test',
    });
    return qimenCode;
  }
  const code = await setupWarehouse(h.db, { stock });
  const res = await api.inject({
    method: 'PUT',
    url: `/wms/warehouses/${code}/system`,
    headers: ops,
    payload: {
      kind: 'qimen',
      settings: {
        customerId: wms.account.customerId,
        ownerCode: wms.account.ownerCode,
        warehouseCode: wms.account.warehouseCode,
      },
    },
  });
  expect(res.statusCode, res.body).toBe(200);
  qimenCode = code;
  return code;
}

async function shipmentRow(id: string) {
  return h.db.selectFrom('shipments').selectAll().where('id', '=', id).executeTakeFirst();
}

describe('a warehouse run by a Qimen WMS', () => {
  it('ships an order end to end: delivery order out, picked, packed and shipped reports in, stock follows', async () => {
    const sku = await newSku(h.db, { weightG: 400 });
    const warehouse = await qimenWarehouse({ [sku]: 5 });
    const shopId = await createShop(h.db, 'taobao');
    await setupCarrierAccounts(h.db, shopId);
    const order = paidOrder([orderLine(sku, 2)]);
    const orderId = await enterOrder(api, ops, shopId, order);

    const state = await waitForState(h.client, orderId, (s) => s.parcels.length === 1);
    const parcelId = state.parcels[0]!.parcelId;
    await expect.poll(() => wms.orders.get(parcelId)?.status).toBe('ACCEPT');
    const sent = wms.orders.get(parcelId)!;
    expect(sent.lines).toEqual([
      { lineNo: '1', itemCode: sku, planQty: 2, sourceOrderCode: order.platformOrderId },
    ]);
    expect(sent.receiver).toMatchObject({ name: order.receiver.name, province: order.receiver.province });
    await waitForShipments(h.db, [parcelId]);
    const { wave_id: waveId } = (await shipmentRow(parcelId))!;

    // Our handhelds do not confirm for a warehouse its own WMS runs.
    const handheld = await api.inject({
      method: 'POST',
      url: '/wms/pick-confirmations',
      headers: crew,
      payload: { waveId, line: 1, outcome: 'picked', qty: 2 },
    });
    expect(handheld.statusCode).toBe(409);
    expect(handheld.json().code).toBe('EXTERNAL_WMS');
    const wave = await api.inject({ method: 'GET', url: `/wms/waves/${waveId}`, headers: crew });
    expect(wave.json()).toMatchObject({
      wms: 'qimen',
      pickList: [],
      packTasks: [{ parcelId, status: 'picking' }],
    });

    expect(await wms.pick(parcelId)).toMatchObject({ flag: 'success' });
    await waitForStage(h.db, orderId, 'picked');
    expect(await stockOf(h.db, warehouse, sku)).toEqual({ on_hand: 5, reserved: 2 });

    expect(
      await wms.pack(parcelId, { weightKg: 0.95, lengthCm: 32, widthCm: 22, heightCm: 12 }),
    ).toMatchObject({
      flag: 'success',
    });
    const labelled = await waitForState(h.client, orderId, (s) => s.parcels[0]?.trackingNumber != null);
    const trackingNumber = labelled.parcels[0]!.trackingNumber!;
    expect(await shipmentRow(parcelId)).toMatchObject({
      weight_g: 950,
      length_mm: 320,
      width_mm: 220,
      height_mm: 120,
    });

    // A confirmation under a number we never issued is refused and shown to ops; the parcel waits.
    const wrong = await wms.ship(parcelId, { logisticsCode: 'ZTO', expressCode: 'ZTO-NOT-OURS' });
    expect(wrong).toMatchObject({ flag: 'failure', code: 'conflict' });
    expect(wrong.message).toContain(trackingNumber);
    const alerts = await api.inject({ method: 'GET', url: '/alerts?kind=wms_report_rejected', headers: ops });
    expect(alerts.json().alerts[0].message).toContain('ZTO-NOT-OURS');

    expect(await wms.ship(parcelId, { logisticsCode: 'ZTO', expressCode: trackingNumber })).toMatchObject({
      flag: 'success',
    });
    await waitForOrderStatus(h.db, orderId, 'shipped');
    const shippedRow = await shipmentRow(parcelId);
    expect(shippedRow?.stage).not.toBe('labelled');
    expect(await stockOf(h.db, warehouse, sku)).toEqual({ on_hand: 3, reserved: 0 });
    const events = await h.db
      .selectFrom('shipment_events')
      .select(['stage', 'detail'])
      .where('shipment_id', '=', parcelId)
      .where('stage', '=', 'shipped')
      .executeTakeFirstOrThrow();
    expect(events.detail).toMatchObject({ trackingNumber, by: 'qimen:发货员小张' });
    // The WMS resending its confirmation is answered success once more and changes nothing.
    expect((await wms.ship(parcelId, { logisticsCode: 'ZTO', expressCode: trackingNumber })).flag).toBe(
      'success',
    );
    expect(await stockOf(h.db, warehouse, sku)).toEqual({ on_hand: 3, reserved: 0 });
    expect((await verifyLedger(h.db)).mismatches).toEqual([]);
  });

  it('units the WMS reports missing are written off, alerted, and the order is allocated again', async () => {
    const sku = await newSku(h.db);
    const warehouse = await qimenWarehouse({ [sku]: 3 });
    const shopId = await createShop(h.db, 'taobao');
    const orderId = await enterOrder(api, ops, shopId, paidOrder([orderLine(sku, 2)]));
    const first = await waitForState(h.client, orderId, (s) => s.parcels.length === 1);
    const parcelId = first.parcels[0]!.parcelId;
    await expect.poll(() => wms.orders.get(parcelId)?.status).toBe('ACCEPT');
    await waitForShipments(h.db, [parcelId]);

    expect(await wms.reportLack(parcelId, [{ itemCode: sku, lackQty: 1 }])).toMatchObject({
      flag: 'success',
    });
    // The shipment takes the parcel apart: the WMS is told to stop it, the order reserves again.
    await expect.poll(() => wms.orders.get(parcelId)?.status).toBe('CANCELED');
    const again = await waitForState(h.client, orderId, (s) =>
      s.parcels.some((p) => p.parcelId !== parcelId),
    );
    const second = again.parcels.find((p) => p.parcelId !== parcelId)!.parcelId;
    await expect.poll(() => wms.orders.get(second)?.status).toBe('ACCEPT');
    expect(await stockOf(h.db, warehouse, sku)).toEqual({ on_hand: 2, reserved: 2 });

    const exceptions = await api.inject({
      method: 'GET',
      url: `/wms/exceptions?orderId=${encodeURIComponent(orderId)}`,
      headers: ops,
    });
    const [exception] = exceptions.json().exceptions;
    expect(exception).toMatchObject({ kind: 'short_picked', parcelId, sku, qty: 1, status: 'open' });
    expect(exception.replenishmentRequestId).toEqual(expect.any(Number));
    const alert = await api.inject({ method: 'GET', url: '/alerts?kind=pick_exception', headers: ops });
    expect(alert.json().alerts[0].message).toContain(`${warehouse} ${sku} ×1 missing`);
    expect((await verifyLedger(h.db)).mismatches).toEqual([]);
  });

  it('refuses reports that are not signed with the app secret, or are stale', async () => {
    const body =
      '<?xml version="1.0" encoding="utf-8"?><request><order><orderCode>P-1</orderCode></order>' +
      '<process><processStatus>PICK</processStatus></process></request>';
    const post = (query: URLSearchParams) =>
      fetch(`${apiUrl}/webhooks/wms/qimen?${query}`, {
        method: 'POST',
        headers: { 'content-type': 'text/xml;charset=UTF-8' },
        body,
      }).then((r) => r.text());
    const forged = signedQimenQuery(
      { appKey: wms.account.appKey, secret: 'not-the-secret' },
      { method: 'taobao.qimen.orderprocess.report', customerId: wms.account.customerId, body },
    );
    expect(await post(forged)).toContain('<code>sign-check-failure</code>');
    const stale = signedQimenQuery(wms.account, {
      method: 'taobao.qimen.orderprocess.report',
      customerId: wms.account.customerId,
      body,
      now: new Date(Date.now() - 30 * 60_000),
    });
    expect(await post(stale)).toContain('<code>invalid-timestamp</code>');
    const unknown = signedQimenQuery(wms.account, {
      method: 'taobao.qimen.orderprocess.report',
      customerId: wms.account.customerId,
      body,
    });
    expect(await post(unknown)).toContain('<code>unknown-order</code>');
  });
});
