import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMapping } from '../../db/queries/catalog.js';
import { verifyLedger } from '../../db/queries/stock.js';
import { afterSaleWorkflowId } from '../../domain/after-sales.js';
import type { CarrierCode } from '../../domain/carriers/codes.js';
import { CARRIER_NAMES } from '../../domain/carriers/names.js';
import { orderWorkflowId } from '../../domain/ids.js';
import { PDD_LOGISTICS_IDS } from '../../integrations/platforms/pdd/carriers.js';
import { expectedPddSign } from '../../sandbox/platforms/pdd/index.js';
import { EXCHANGE } from '../../sandbox/platforms/pdd/after-sales.js';
import type { SimExchange, SimOrder } from '../../sandbox/orders/model.js';
import {
  afterSaleDecisionUpdate,
  afterSaleStateQuery,
  orderSnapshotQuery,
} from '../../workflows/messages.js';
import { clockDigits } from '../support/fixtures.js';
import { formWaveNow } from '../support/fulfilment.js';
import { recordHistory } from '../support/histories.js';
import * as market from '../support/market-cases.js';
import { pddCases } from '../support/pdd-cases.js';
import { vouched } from '../support/vouched.js';
import { PATIENCE_MS } from '../support/waits.js';
import {
  receiveResaleable,
  replacementShipped,
  replacementUpload,
  returnCaseDetail,
  returnRowOf,
} from './world.js';

// PDD exchanges (换货, the record's after_sales_type 3; docs/after-sales.md "PDD exchanges") on the
// real dev server, PostgreSQL, the simulated PDD gateway (which checks our signatures with its own
// code) and the simulated carriers. PDD takes no agreement of an exchange by API: the case says a
// person agrees it in the back office, waits for the buyer's waybill back the record shows
// (`exchange_shipping_detail.customer_send_back_*`), follows it, receives it at the warehouse by
// its number and restocks it through the ledger; the replacement is worked through our warehouse
// like any parcel, and PDD is told its waybill with `pdd.refund.exchange.shipping` exactly once,
// although the first answer was lost.

/** The shirt exchanged (line 1 of `shippedMarketOrder`'s order), and the tea beside it. */
const SHIRT = 'TS-001-RED-M';
/** The same shirt one size up: what the buyer exchanging for another SKU gets where it is mapped. */
const SHIRT_L = 'TS-001-RED-L';
const STOCK = { [SHIRT]: 50, 'TEA-003-250G': 50, [SHIRT_L]: 50 };
const SHIPPING = 'pdd.refund.exchange.shipping';

/** Every PDD exchange-shipping call that reached the gateway, by the case it named. */
const shippingCalls: string[] = [];
const base = pddCases();
const sim: market.CaseSimulator = {
  ...base,
  register(server) {
    server.addHook('preHandler', async (request) => {
      if (market.formParam(request, 'type') === SHIPPING) {
        shippingCalls.push(market.formParam(request, 'after_sales_id') ?? '');
      }
    });
    return base.register(server);
  },
  // The answer lost once is the replacement's waybill.
  isAgree: (request) => market.formParam(request, 'type') === SHIPPING,
};

let world: market.MarketWorld;
beforeAll(async () => {
  // The production wave window: each order's wave is formed at once when the test works it.
  world = await market.startMarketWorld(sim, STOCK, { TRACKING_POLL_SECONDS: '1' });
});
afterAll(() => world?.close());

const exchangeOf = (order: SimOrder) => sim.store.get(order.shopKey, order.id)!.exchange!;
const detail = (caseId: string) => returnCaseDetail(world.api, world.ops, caseId);
const waitingCode = async (caseId: string) => (await detail(caseId)).state?.waiting?.code ?? null;

/** The buyer asks PDD to exchange line 1 (the simulator's 14: waiting for the merchant). */
function buyerAsksExchange(order: SimOrder, more: Partial<SimExchange> = {}): SimExchange {
  const at = new Date(
    Math.max(Date.now(), sim.store.get(order.shopKey, order.id)!.modifiedAt.getTime() + 1000),
  );
  const exchange: SimExchange = {
    id: `${clockDigits(12)}`,
    status: EXCHANGE.requested,
    lineId: order.items[0]!.lineId,
    num: 1,
    reason: '尺码不合适',
    createdAt: at,
    modifiedAt: at,
    timeOut: new Date(Date.now() + 48 * 3600_000),
    ...more,
  };
  sim.store.update(order.shopKey, order.id, (o) => (o.exchange = exchange), at);
  return exchange;
}

/** The exchange moves on PDD (the back office, the buyer): a newer updated time. */
function onPdd(order: SimOrder, change: (exchange: SimExchange) => void) {
  const was = exchangeOf(order);
  const at = new Date(Math.max(Date.now(), was.modifiedAt.getTime() + 1000));
  sim.store.update(
    order.shopKey,
    order.id,
    (o) => {
      change(o.exchange!);
      o.exchange!.modifiedAt = at;
    },
    at,
  );
}

/** Agreed in the back office (15), then the buyer sends the shirt back with ZTO (16): its parcel. */
function agreedAndSentBack(order: SimOrder) {
  onPdd(order, (x) => (x.status = EXCHANGE.agreed));
  const back = world.carriers.sandbox.network.register({
    carrier: 'ZTO',
    origin: { province: '浙江省', city: '杭州市', district: '西湖区' },
    destination: { province: '浙江省', city: '杭州市', district: '余杭区' },
  });
  onPdd(order, (x) => {
    x.status = EXCHANGE.sentBack;
    x.buyerLogistic = { name: PDD_LOGISTICS_IDS.ZTO!, no: back.trackingNumber };
  });
  return back;
}

describe('PDD exchanges', () => {
  it('waits for the back office’s agreement, receives the goods by the buyer’s waybill, ships the replacement and tells PDD its waybill once', async () => {
    const { shop, order } = await market.shippedMarketOrder(world);
    const before = await world.onHand(SHIRT);

    const exchange = buyerAsksExchange(order);
    const caseId = afterSaleWorkflowId('pdd', shop.shopId, exchange.id);
    // Captured by the shop's poll; nothing to decide here: PDD takes no agreement by API.
    await expect.poll(() => waitingCode(caseId), { timeout: PATIENCE_MS }).toBe('case_exchange_back_office');
    await expect
      .poll(async () => (await world.caseRow(caseId))?.status, { timeout: PATIENCE_MS })
      .toBe('open');
    expect(await world.caseRow(caseId)).toMatchObject({ kind: 'exchange' });
    const handle = world.h.client.workflow.getHandle(caseId);
    expect((await handle.query(afterSaleStateQuery)).waitingFor).toBe(
      "a person to agree the exchange in pdd's back office (it takes no answer by API); then the buyer's parcel back (or the warehouse to receive it)",
    );
    // The timeline is written after the live state: waited for.
    await expect
      .poll(() => world.stages(caseId), { timeout: PATIENCE_MS })
      .toEqual(expect.arrayContaining(['exchange_requested', 'exchange_agree_in_back_office']));
    // A decision here would change nothing on PDD: the case takes none.
    await expect(
      handle.executeUpdate(afterSaleDecisionUpdate, {
        args: [
          {
            decision: 'agree',
            actor: vouched(
              world.h.config,
              { id: 'cs-amy', roles: ['customer-service' as const] },
              { workflowId: caseId, update: afterSaleDecisionUpdate },
            ),
          },
        ],
      }),
    ).rejects.toThrow();
    // The return is open at once: the warehouse could receive it by the case id.
    expect(await returnRowOf(world.h.db, caseId)).toMatchObject({
      status: 'awaiting_parcel',
      tracking_no: null,
    });

    // Agreed in the back office (15), then the buyer sends the shirt back with ZTO (16): the record
    // names PDD's logistics id and the waybill; the case writes it on the return and follows it.
    const back = agreedAndSentBack(order);
    await expect
      .poll(async () => (await detail(caseId)).state?.waiting ?? null, { timeout: PATIENCE_MS })
      .toEqual({ code: 'case_return_parcel', params: { carrier: 'ZTO', trackingNo: back.trackingNumber } });
    expect(await returnRowOf(world.h.db, caseId)).toMatchObject({
      waybill_source: 'buyer',
      carrier_code: 'ZTO',
      tracking_no: back.trackingNumber,
    });
    await expect
      .poll(async () => (await world.caseRow(caseId))?.status, { timeout: PATIENCE_MS })
      .toBe('returning');

    // The warehouse scans the buyer's waybill: the shirt back on the shelf.
    const lines = await world.h.db
      .selectFrom('after_sale_case_lines')
      .select(['line_id', 'quantity'])
      .where('case_id', '=', caseId)
      .execute();
    expect(lines).toHaveLength(1);
    await receiveResaleable(
      world,
      back.trackingNumber,
      lines.map((l) => ({ lineId: l.line_id, qty: l.quantity })),
    );
    const replacementId = orderWorkflowId('pdd', shop.shopId, `${order.id}-EX-${exchange.id}`);
    await expect
      .poll(async () => (await handle.query(afterSaleStateQuery)).exchange?.orderId ?? null, {
        timeout: PATIENCE_MS,
      })
      .toBe(replacementId);
    expect(await world.onHand(SHIRT)).toBe(before + 1);
    // It goes to the address the exchange names (PDD no longer decrypts a shipped order's receiver).
    const snapshot = await world.h.client.workflow.getHandle(replacementId).query(orderSnapshotQuery);
    expect(snapshot.receiver).toMatchObject({
      protected: false,
      name: order.receiver.name,
      province: order.receiver.province,
      detail: order.receiver.detail,
    });
    // Nothing goes to PDD before the replacement's waybill is known.
    expect(shippingCalls.filter((id) => id === exchange.id)).toEqual([]);

    // The replacement is worked by the warehouse like any parcel; PDD's answer to its waybill is
    // lost once: the retry reads the record, finds the waybill there, and sends nothing again.
    world.loseNextAgreeAnswer = true;
    await formWaveNow(world.h.client, world.api, world.wh, world.warehouse, replacementId);
    const replacement = await replacementShipped(world, replacementId, caseId);
    expect(world.loseNextAgreeAnswer).toBe(false);
    expect(shippingCalls.filter((id) => id === exchange.id)).toHaveLength(1);
    const carrier = (await handle.query(afterSaleStateQuery)).exchange!.carrier as CarrierCode;
    expect(exchangeOf(order)).toMatchObject({
      status: EXCHANGE.shipped,
      sellerLogistic: {
        no: replacement.waybill,
        type: PDD_LOGISTICS_IDS[carrier],
        name: CARRIER_NAMES[carrier].zh,
      },
    });
    expect(exchangeOf(order).calls?.map((c) => c.call)).toEqual([SHIPPING]);
    // The replacement is no PDD order: its waybill went to PDD through the exchange only.
    const upload = await replacementUpload(world.h.db, replacementId);
    expect(upload.tracking_uploaded_at).toBeNull();
    expect(upload.upload_skipped).toContain('exchange replacement');
    expect(await market.reservedStock(world.h.db, world.warehouse, SHIRT)).toBe(0);
    expect((await verifyLedger(world.h.db)).mismatches).toEqual([]);
    const stages = await world.stages(caseId);
    expect(stages).toEqual(
      expect.arrayContaining([
        'exchange_requested',
        'exchange_agree_in_back_office',
        'return_waybill_reported',
        'return_inspected',
        'exchange_order_started',
        'platform_exchange_consign',
        'exchange_shipped',
      ]),
    );
    expect(stages).not.toContain('platform_exchange_agree');
    expect(stages).not.toContain('platform_exchange_confirm_returned');
    await recordHistory(world.h.client, caseId, 'aftersale-pdd-exchange');
  });

  /**
   * An exchange for another PDD SKU id, agreed in the back office and sent back with ZTO; the shirt
   * received at the warehouse by the buyer's waybill. Answers the case and its exchange.
   */
  async function swapSentBack(wanted: string, map: boolean) {
    const { shop, order } = await market.shippedMarketOrder(world);
    if (map) {
      await createMapping(world.h.db, {
        platform: 'pdd',
        shopId: shop.shopId,
        platformSkuId: wanted,
        skuCode: SHIRT_L,
      });
    }
    const exchange = buyerAsksExchange(order, { exchangeSku: wanted });
    const caseId = afterSaleWorkflowId('pdd', shop.shopId, exchange.id);
    await expect.poll(() => waitingCode(caseId), { timeout: PATIENCE_MS }).toBe('case_exchange_back_office');
    const back = agreedAndSentBack(order);
    await expect.poll(() => waitingCode(caseId), { timeout: PATIENCE_MS }).toBe('case_return_parcel');
    const lines = await world.h.db
      .selectFrom('after_sale_case_lines')
      .select(['line_id', 'quantity'])
      .where('case_id', '=', caseId)
      .execute();
    await receiveResaleable(
      world,
      back.trackingNumber,
      lines.map((l) => ({ lineId: l.line_id, qty: l.quantity })),
    );
    return { shop, order, exchange, caseId };
  }

  it('ships the SKU the shop’s mapping names for the PDD SKU id the buyer wants, and tells PDD its waybill once', async () => {
    const wanted = `9${clockDigits(10)}`;
    const beforeL = await world.onHand(SHIRT_L);
    const { shop, order, exchange, caseId } = await swapSentBack(wanted, true);
    const replacementId = orderWorkflowId('pdd', shop.shopId, `${order.id}-EX-${exchange.id}`);
    const handle = world.h.client.workflow.getHandle(caseId);
    await expect
      .poll(async () => (await handle.query(afterSaleStateQuery)).exchange?.orderId ?? null, {
        timeout: PATIENCE_MS,
      })
      .toBe(replacementId);
    // The replacement is the mapped SKU, as many as the exchange names (exchange_goods_number).
    const snapshot = await world.h.client.workflow.getHandle(replacementId).query(orderSnapshotQuery);
    expect(snapshot.lines.map((l) => [l.skuCode, l.quantity])).toEqual([[SHIRT_L, 1]]);
    await formWaveNow(world.h.client, world.api, world.wh, world.warehouse, replacementId);
    await replacementShipped(world, replacementId, caseId);
    expect(shippingCalls.filter((id) => id === exchange.id)).toHaveLength(1);
    expect(exchangeOf(order).status).toBe(EXCHANGE.shipped);
    expect(await world.onHand(SHIRT_L)).toBe(beforeL - 1);
    expect(await market.reservedStock(world.h.db, world.warehouse, SHIRT_L)).toBe(0);
    expect((await verifyLedger(world.h.db)).mismatches).toEqual([]);
    expect(await world.stages(caseId)).toEqual(
      expect.arrayContaining([
        'return_inspected',
        'exchange_sku_mapped',
        'exchange_order_started',
        'exchange_shipped',
      ]),
    );
    await recordHistory(world.h.client, caseId, 'aftersale-pdd-exchange-sku-mapped');
  });

  it('gives an exchange for an unmapped PDD SKU id to a person, naming the id, with nothing shipped', async () => {
    const wanted = `8${clockDigits(10)}`;
    const { exchange, caseId } = await swapSentBack(wanted, false);
    await expect
      .poll(async () => (await detail(caseId)).state?.waiting ?? null, { timeout: PATIENCE_MS })
      .toMatchObject({ code: 'case_person', params: { step: 'exchange-sku' } });
    const why = String((await detail(caseId)).state!.waiting!.params['why']);
    expect(why).toContain(`pdd SKU id ${wanted}`);
    const handle = world.h.client.workflow.getHandle(caseId);
    expect((await handle.query(afterSaleStateQuery)).exchange ?? null).toBeNull();
    expect(shippingCalls.filter((id) => id === exchange.id)).toEqual([]);
  });

  it('ends refused when the back office refuses, with nothing sent to PDD', async () => {
    const { shop, order } = await market.shippedMarketOrder(world);
    const exchange = buyerAsksExchange(order);
    const caseId = afterSaleWorkflowId('pdd', shop.shopId, exchange.id);
    await expect.poll(() => waitingCode(caseId), { timeout: PATIENCE_MS }).toBe('case_exchange_back_office');
    // 驳回 in the back office (6).
    onPdd(order, (x) => (x.status = 6));
    await expect
      .poll(async () => (await world.caseRow(caseId))?.status, { timeout: PATIENCE_MS })
      .toBe('refused');
    expect(exchangeOf(order).calls).toBeUndefined();
    expect(shippingCalls.filter((id) => id === exchange.id)).toEqual([]);
  });

  it('takes the replacement’s waybill only signed with the client secret, and only once the goods were sent back', async () => {
    const { order } = await market.shippedMarketOrder(world);
    const exchange = buyerAsksExchange(order);
    const send = async (secret: string) => {
      const params: Record<string, string> = {
        type: SHIPPING,
        client_id: 'pdd-as-client',
        access_token: `pdd-as-token-${order.shopKey}`,
        timestamp: String(Math.floor(Date.now() / 1000)),
        data_type: 'JSON',
        after_sales_id: exchange.id,
        order_sn: order.id,
        shipping_id: PDD_LOGISTICS_IDS.ZTO!,
        shipping_name: CARRIER_NAMES.ZTO.zh,
        tracking_number: `ZT${clockDigits(12)}`,
      };
      params['sign'] = expectedPddSign(params, secret);
      const res = await fetch(`${world.url}/api/router`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(params).toString(),
      });
      return (await res.json()) as Record<string, Record<string, unknown>>;
    };
    // Signed with another secret: refused by PDD's own check, the exchange unchanged.
    const forged = await send('not-the-client-secret');
    expect(forged['error_response']).toBeDefined();
    expect(exchangeOf(order).sellerLogistic).toBeUndefined();
    // Signed properly, but the buyer has not sent the goods back: refused, nothing changed.
    const early = await send('pdd-as-secret');
    expect(early['refund_exchange_shipping_response']).toMatchObject({ result: { succ: false } });
    expect(exchangeOf(order)).toMatchObject({ status: EXCHANGE.requested });
    expect(exchangeOf(order).sellerLogistic).toBeUndefined();
  });
});
