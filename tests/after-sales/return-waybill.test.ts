import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyLedger } from '../../db/queries/stock.js';
import { createCainiaoWaybillProvider } from '../../integrations/carriers/cainiao/waybill.js';
import { createSfWaybillProvider } from '../../integrations/carriers/sf/waybill.js';
import type { ReturnWaybillRequest } from '../../integrations/carriers/types.js';
import { AuthError, RequestRejectedError } from '../../integrations/platforms/errors.js';
import { afterSaleStateQuery } from '../../workflows/messages.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { uniqueId } from '../support/fixtures.js';
import { SENDER } from '../support/fulfilment.js';
import { recordHistory } from '../support/histories.js';
import { PATIENCE_MS } from '../support/waits.js';
import { MINUTES, startOwnStoreWorld, type OwnStoreWorld, caseStages, returnRowOf } from './world.js';

// Return waybills we issue, on the real dev server with the sandbox's SF and Cainiao: when the
// shop's rule says the seller provides the return label, an agreed return (or exchange) gets a
// waybill from the carrier's return service — SF's return order, a Cainiao e-waybill with door
// pick-up — from the buyer to the return address on the shop's account. The case stores its
// tracking number, follows the parcel by tracking (the carrier's scans on its timeline), and the
// warehouse's scan of that number receives it.

let w: OwnStoreWorld;
let ops: { authorization: string };

beforeAll(async () => {
  w = await startOwnStoreWorld('own-rw');
  ops = bearer(await apiKeyFor(w.h.db, ['ops']));
});
afterAll(() => w?.close());

const caseNo = () => uniqueId('RW').replace(/[^A-Za-z0-9_.-]/g, '');

async function setReturnLabel(value: unknown) {
  return w.api.inject({
    method: 'PATCH',
    url: `/shops/${w.storeId}`,
    headers: ops,
    payload: { settings: { returnLabel: value } },
  });
}

const returnRow = (caseId: string) => returnRowOf(w.h.db, caseId);

const stages = (caseId: string) => caseStages(w.h.db, caseId);

const caseStatus = async (caseId: string) =>
  (await w.h.db.selectFrom('after_sale_cases').select('status').where('id', '=', caseId).executeTakeFirst())
    ?.status;

async function receive(scan: string, lines: Array<{ lineId: string; qty: number; condition: string }>) {
  const res = await w.api.inject({
    method: 'POST',
    url: '/wms/returns/receipts',
    headers: { ...w.wh, 'idempotency-key': uniqueId('scan') },
    payload: { warehouse: w.warehouse, scan, lines },
  });
  expect(res.statusCode, res.body).toBe(202);
  return res.json() as { caseId: string; duplicate: boolean };
}

describe('return waybills we issue', () => {
  it('refuses a return-label rule that names no return service, naming the field', async () => {
    const bad = await setReturnLabel({ issuer: 'sf', carrier: 'ZTO' });
    expect(bad.statusCode, bad.body).toBe(400);
    expect(bad.body).toContain('settings.returnLabel.carrier');
    const unknown = await setReturnLabel({ issuer: 'jd', carrier: 'JD' });
    expect(unknown.statusCode, unknown.body).toBe(400);
    expect(unknown.body).toContain('settings.returnLabel.issuer');
  });

  it(
    'SF: an agreed return gets an SF return order from the buyer to the return address, is followed by SF routes, received by its number and refunded',
    async () => {
      const set = await setReturnLabel({ issuer: 'sf', carrier: 'SF' });
      expect(set.statusCode, set.body).toBe(200);
      const order = await w.shippedOrder();
      const caseId = await w.returnBothShirts(order, 'RW');
      const handle = w.h.client.workflow.getHandle(caseId);
      await expect
        .poll(async () => (await handle.query(afterSaleStateQuery)).waitingFor, { timeout: PATIENCE_MS })
        .toBe('a decision');
      await w.agree(caseId);

      await expect
        .poll(async () => (await returnRow(caseId))?.tracking_no ?? null, { timeout: PATIENCE_MS })
        .not.toBeNull();
      const row = (await returnRow(caseId))!;
      expect(row).toMatchObject({ waybill_source: 'sf', carrier_code: 'SF', status: 'in_transit' });
      const trackingNo = row.tracking_no!;
      expect(row.waybill).toMatchObject({ provider: 'sf', trackingNumber: trackingNo });
      await expect
        .poll(async () => (await handle.query(afterSaleStateQuery)).waitingFor, { timeout: PATIENCE_MS })
        .toBe(`the return parcel SF ${trackingNo} at the warehouse`);

      // SF took it as a parcel from the buyer (杭州市西湖区) to the shop's return address.
      const parcel = w.sandbox.carriers.network.get(trackingNo)!;
      expect(parcel).toBeDefined();
      expect(parcel.origin).toMatchObject({ province: '浙江省', city: '杭州市', district: '西湖区' });
      expect(parcel.destination).toMatchObject({
        province: SENDER.address.province,
        city: SENDER.address.city,
      });

      // The courier collects it; later it is delivered to the return address. Both reach the case.
      w.sandbox.carriers.network.advance(trackingNo);
      await expect.poll(() => stages(caseId), { timeout: PATIENCE_MS }).toContain('return_accepted');
      w.sandbox.carriers.network.finish(trackingNo);
      await expect.poll(() => stages(caseId), { timeout: PATIENCE_MS }).toContain('return_delivered');
      expect((await returnRow(caseId))?.tracking_status).toBe('delivered');
      expect((await handle.query(afterSaleStateQuery)).returnParcel).toMatchObject({
        source: 'sf',
        trackingNo,
        tracking: 'delivered',
      });

      // The warehouse scans the number on the label: the case is received, inspected and refunded.
      expect(await receive(trackingNo, [{ lineId: '1', qty: 2, condition: 'resaleable' }])).toEqual({
        caseId,
        duplicate: false,
      });
      await expect.poll(() => caseStatus(caseId), { timeout: PATIENCE_MS }).toBe('refunded');
      expect(w.sandbox.payments.alipay.book.moves.filter((m) => m.outTradeNo === order.outTradeNo)).toEqual([
        expect.objectContaining({ amountFen: 17_800 }),
      ]);
      expect((await verifyLedger(w.h.db)).mismatches).toEqual([]);
      const seen = await stages(caseId);
      expect(seen.slice(0, 4)).toEqual([
        'opened',
        'return_requested',
        'return_agreed',
        'return_waybill_issued',
      ]);
      expect(seen.indexOf('return_accepted')).toBeLessThan(seen.indexOf('return_delivered'));
      expect(seen.slice(-2)).toEqual(['return_inspected', 'refunded']);
      await recordHistory(w.h.client, caseId, 'aftersale-own-return-sf-waybill');
    },
    4 * MINUTES,
  );

  it(
    'Cainiao: an agreed exchange gets a ZTO e-waybill with door pick-up, followed through the tracking aggregator and received by its number',
    async () => {
      const set = await setReturnLabel({ issuer: 'cainiao', carrier: 'ZTO' });
      expect(set.statusCode, set.body).toBe(200);
      const order = await w.shippedOrder();
      const res = await w.pushCase({
        caseId: caseNo(),
        platformOrderId: order.platformOrderId,
        kind: 'exchange',
        reason: '换个颜色',
        createdAt: new Date().toISOString(),
        lines: [{ lineId: '2', quantity: 1, refundFen: 0 }],
        payment: { channel: 'alipay', outTradeNo: order.outTradeNo },
      });
      expect(res.statusCode, res.body).toBe(202);
      const { caseId } = res.json() as { caseId: string };
      const handle = w.h.client.workflow.getHandle(caseId);
      await expect
        .poll(async () => (await handle.query(afterSaleStateQuery)).waitingFor, { timeout: PATIENCE_MS })
        .toBe('a decision');
      await w.agree(caseId);
      await expect
        .poll(async () => (await returnRow(caseId))?.tracking_no ?? null, { timeout: PATIENCE_MS })
        .not.toBeNull();
      const row = (await returnRow(caseId))!;
      expect(row).toMatchObject({ waybill_source: 'cainiao', carrier_code: 'ZTO' });
      const trackingNo = row.tracking_no!;
      const parcel = w.sandbox.carriers.network.get(trackingNo)!;
      expect(parcel.origin).toMatchObject({ province: '浙江省', district: '西湖区' });

      w.sandbox.carriers.network.finish(trackingNo);
      await expect.poll(() => stages(caseId), { timeout: PATIENCE_MS }).toContain('return_delivered');
      await receive(trackingNo, [{ lineId: '2', qty: 1, condition: 'resaleable' }]);
      await expect
        .poll(async () => (await handle.query(afterSaleStateQuery)).exchange?.orderId ?? null, {
          timeout: PATIENCE_MS,
        })
        .toBe(`${order.orderId}-EX-${caseId.split(':').at(-1)}`);
      expect(await stages(caseId)).toEqual(
        expect.arrayContaining([
          'exchange_agreed',
          'return_waybill_issued',
          'return_delivered',
          'return_inspected',
        ]),
      );
    },
    4 * MINUTES,
  );

  it('the simulators take return orders in their own formats and refuse what they would refuse', async () => {
    const { accounts, baseUrls } = w.sandbox.carriers;
    const request: ReturnWaybillRequest = {
      requestId: uniqueId('RET').replace(/[^A-Za-z0-9_-]/g, '-'),
      carrier: 'SF',
      buyer: {
        name: '张三',
        phone: '13800001234',
        address: { province: '浙江省', city: '杭州市', district: '西湖区', detail: '文三路100号' },
      },
      returnTo: SENDER,
      parcel: { weightG: 800, items: [{ name: '纯棉T恤', quantity: 1 }] },
      orderIds: ['T1'],
      monthlyAccount: '7551234567',
    };
    const sf = createSfWaybillProvider({
      baseUrl: baseUrls.sf,
      partnerId: accounts.sf.partnerId,
      checkword: accounts.sf.checkword,
    });
    const first = await sf.createReturnWaybill!(request);
    expect(first.trackingNumber).toMatch(/^SF\d+/);
    // A retried request is the same return order.
    expect((await sf.createReturnWaybill!(request)).trackingNumber).toBe(first.trackingNumber);
    // SF checks our digest with its own copy of the checkword.
    const forged = createSfWaybillProvider({
      baseUrl: baseUrls.sf,
      partnerId: accounts.sf.partnerId,
      checkword: 'not-the-checkword',
    });
    await expect(
      forged.createReturnWaybill!({ ...request, requestId: `${request.requestId}-f` }),
    ).rejects.toThrow(AuthError);
    // A return order is billed to the seller's monthly card.
    const { monthlyAccount: _card, ...withoutCard } = request;
    await expect(
      sf.createReturnWaybill!({ ...withoutCard, requestId: `${request.requestId}-c` }),
    ).rejects.toThrow(RequestRejectedError);

    const cainiao = createCainiaoWaybillProvider({
      baseUrl: baseUrls.cainiao,
      appKey: accounts.cainiao.appKey,
      appSecret: accounts.cainiao.appSecret,
      session: accounts.cainiao.sessions[0]!,
    });
    const zto = await cainiao.createReturnWaybill!({ ...request, carrier: 'ZTO' });
    expect(w.sandbox.carriers.network.get(zto.trackingNumber)?.origin).toMatchObject({ district: '西湖区' });
    // Door pick-up needs a sender the courier can reach.
    await expect(
      cainiao.createReturnWaybill!({
        ...request,
        requestId: `${request.requestId}-p`,
        carrier: 'ZTO',
        buyer: { ...request.buyer, phone: '' },
      }),
    ).rejects.toThrow(RequestRejectedError);
    const forgedTop = createCainiaoWaybillProvider({
      baseUrl: baseUrls.cainiao,
      appKey: accounts.cainiao.appKey,
      appSecret: 'not-the-secret',
      session: accounts.cainiao.sessions[0]!,
    });
    await expect(
      forgedTop.createReturnWaybill!({ ...request, requestId: `${request.requestId}-t`, carrier: 'ZTO' }),
    ).rejects.toThrow();
  });
});
