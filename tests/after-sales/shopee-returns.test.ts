import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlatformAfterSaleActivities } from '../../activities/after-sale/platform.js';
import { verifyLedger } from '../../db/queries/stock.js';
import { afterSaleWorkflowId } from '../../domain/after-sales.js';
import { orderWorkflowId } from '../../domain/ids.js';
import {
  createShopeeAfterSales,
  shopeeReturnToCase,
} from '../../integrations/platforms/shopee/after-sales.js';
import { ShopeeReturnSchema } from '../../integrations/platforms/shopee/wire.js';
import type { SimOrder } from '../../sandbox/orders/model.js';
import { startSandbox, type Sandbox } from '../../sandbox/stack.js';
import { seedDemoData } from '../../scripts/stack/demo-data.js';
import { alertMessageZh, type AlertWords } from '../../ui/src/i18n/alerts.js';
import { afterSaleDecisionUpdate, afterSaleStateQuery } from '../../workflows/messages.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { registerShop, waitForCaptured } from '../capture/support.js';
import { clockDigits, uniqueId } from '../support/fixtures.js';
import { setupWarehouse } from '../support/fulfilment.js';
import { createHarness, QUICK_SYNC, type Harness } from '../support/harness.js';
import { recordHistory } from '../support/histories.js';
import { caseWaitsForDecision, changeRefundOnPlatform } from '../support/market-cases.js';
import { firstLineReturn } from '../support/sim-orders.js';
import { vouched } from '../support/vouched.js';
import { PATIENCE_MS } from '../support/waits.js';
import { caseRowOf, caseStages, returnCaseDetail, returnRowOf } from './world.js';

// Shopee returns received here (docs/after-sales.md, "Returns received here"), on the real dev
// server, PostgreSQL and the sandbox's Shopee simulator, which checks our signatures with its own
// code: on a shop whose `returnReceipt` rule is `platform`, a return the seller validates is agreed
// here without a call to Shopee (its `confirm` refunds the buyer), the buyer's parcel back read from
// the return's `tracking_number`, the goods scanned at the warehouse by that number and back on the
// shelf, and only then Shopee confirmed once (`v2.returns.confirm`), after which Shopee refunds.
// Shopee's return parcel names no carrier, so nothing can follow it by tracking: the case waits for
// the warehouse with one "not arrived" reminder after RETURN_UNTRACKED_SECONDS, never the no-scan
// alarm (RETURN_NO_SCAN_SECONDS, short here so that it would have fired long before).

const shopId = uniqueId('sp');
const customerService = { id: 'cs-amy', roles: ['customer-service' as const] };
/** Customer service with finance: who agrees a refund above AFTER_SALE_FINANCE_ABOVE_FEN. */
const withFinance = { id: 'cs-amy', roles: ['customer-service' as const, 'finance' as const] };
let h: Harness;
let api: FastifyInstance;
let sandbox: Sandbox;
let ops: { authorization: string };
let wh: { authorization: string };
/** Short enough to wait for; the no-scan rule's 2 seconds would fire long before it. */
const UNTRACKED_SECONDS = 20;

beforeAll(async () => {
  h = await createHarness({
    ...QUICK_SYNC,
    RETURN_NO_SCAN_SECONDS: '2',
    RETURN_UNTRACKED_SECONDS: String(UNTRACKED_SECONDS),
  });
  api = await h.api();
  await seedDemoData(h.db);
  sandbox = await startSandbox({ shopIds: { shopee: shopId } });
  ops = bearer(await apiKeyFor(h.db, ['ops']));
  wh = bearer(await apiKeyFor(h.db, ['warehouse']));
  // Shopee returns come only from the poll.
  await registerShop(api, ops, sandbox.shop('shopee'), {
    pollIntervalSeconds: 2,
    settings: { returnReceipt: 'platform' },
  });
  await h.startWorker();
});
afterAll(async () => {
  await h?.teardown();
  await sandbox?.stop();
});

const store = () => sandbox.platforms.shopee.store;
const alertWords: AlertWords = { code: (v) => v, exception: (_kind, detail) => detail };
const refundOf = (order: SimOrder) => store().get(order.shopKey, order.id)!.refund!;

/** A paid Shopee order, captured here, then shipped from Shopee's back office (its workflow ends). */
async function shippedOnShopee(): Promise<{ order: SimOrder; orderId: string }> {
  const [placed] = sandbox.placeOrders('shopee', { count: 1, seed: uniqueId('seed') });
  const paid = store().update(placed!.shopKey, placed!.id, (o) => {
    o.status = 'paid';
    o.paidAt = o.createdAt;
    (o as { plan?: unknown[] }).plan = [];
  })!;
  const orderId = orderWorkflowId('shopee', shopId, paid.id);
  await waitForCaptured(h.db, shopId, [paid.id]);
  const at = new Date(Math.max(Date.now(), paid.modifiedAt.getTime() + 1000));
  const order = store().update(
    paid.shopKey,
    paid.id,
    (o) => {
      o.status = 'shipped';
      o.shipment ??= { carrierCode: 'SPX', trackingNumber: `SPX${clockDigits(12)}`, shippedAt: at };
    },
    at,
  )!;
  await expect
    .poll(async () => (await h.client.workflow.getHandle(orderId).describe()).status.name, {
      timeout: PATIENCE_MS,
    })
    .not.toBe('RUNNING');
  return { order, orderId };
}

/** Customer service agrees the return here (with finance when it is above the limit). */
async function agreeHere(caseId: string) {
  const handle = await caseWaitsForDecision(h.client, caseId);
  const { requestedFen, financeLimit } = await handle.query(afterSaleStateQuery);
  // The simulated order's price is random: above the finance limit customer service needs finance.
  const needsFinance = requestedFen > (financeLimit?.aboveMinor ?? h.config.AFTER_SALE_FINANCE_ABOVE_FEN);
  await handle.executeUpdate(afterSaleDecisionUpdate, {
    args: [
      {
        decision: 'agree',
        actor: vouched(h.config, needsFinance ? withFinance : customerService, {
          workflowId: caseId,
          update: afterSaleDecisionUpdate,
        }),
      },
    ],
  });
  return { handle, requestedFen };
}

/** Every alert of a kind the case raised, open or resolved. */
const caseAlerts = (kind: string, caseId: string) =>
  h.db
    .selectFrom('alerts')
    .select(['message', 'occurrences', 'resolved_at'])
    .where('kind', '=', kind)
    .where('subject', '=', caseId)
    .execute();

/** The warehouse scans `scan` and counts every line of the case resaleable. */
async function scanBack(caseId: string, warehouse: string, scan: string) {
  const lines = await h.db
    .selectFrom('after_sale_case_lines')
    .select(['line_id', 'quantity'])
    .where('case_id', '=', caseId)
    .execute();
  const taken = await api.inject({
    method: 'POST',
    url: '/wms/returns/receipts',
    headers: { ...wh, 'idempotency-key': uniqueId('scan') },
    payload: {
      warehouse,
      scan,
      lines: lines.map((l) => ({ lineId: l.line_id, qty: l.quantity, condition: 'resaleable' })),
    },
  });
  expect(taken.statusCode, taken.body).toBe(202);
  return lines;
}

/** The buyer asks Shopee to return the order's first line; the case's id. */
function buyerAsksReturn(order: SimOrder) {
  const at = new Date(Math.max(Date.now(), order.modifiedAt.getTime() + 1000));
  const refund = firstLineReturn(order, at, { sellerDeadline: new Date(Date.now() + 48 * 3600_000) });
  store().update(order.shopKey, order.id, (o) => (o.refund = refund), at);
  return { refund, caseId: afterSaleWorkflowId('shopee', shopId, refund.id) };
}

/** The buyer sends the goods back with Shopee's logistics (PROCESSING, its `tracking_number`). */
function buyerSendsBack(order: SimOrder): string {
  const trackingNo = `SPXRT${clockDigits(10)}`;
  changeRefundOnPlatform(store(), order, (r) => {
    r.status = 'returning';
    r.buyerReturn = { company: 'Shopee', trackingNo };
  });
  return trackingNo;
}

describe('Shopee returns received at the warehouse', () => {
  it('agrees the return without a call, follows the buyer’s parcel, restocks the goods scanned back and confirms them on Shopee once', async () => {
    const { order } = await shippedOnShopee();
    const sku = order.items[0]!.skuCode;
    const warehouse = await setupWarehouse(h.db, { stock: { [sku]: 5 } });
    const onHand = async () =>
      (
        await h.db
          .selectFrom('stock')
          .select('on_hand')
          .where('warehouse_code', '=', warehouse)
          .where('sku_code', '=', sku)
          .executeTakeFirstOrThrow()
      ).on_hand;
    const before = await onHand();

    const { refund, caseId } = buyerAsksReturn(order);
    const { handle, requestedFen } = await agreeHere(caseId);
    expect(requestedFen).toBe(refund.amountMinor);

    // Agreed here; nothing reaches Shopee, whose confirm would refund the buyer before the goods are back.
    await expect
      .poll(async () => (await handle.query(afterSaleStateQuery)).waitingFor, { timeout: PATIENCE_MS })
      .toBe('the return parcel at the warehouse');
    expect(refundOf(order)).toMatchObject({ status: 'requested' });
    expect(refundOf(order).sellerAnswer).toBeUndefined();
    expect((await handle.query(afterSaleStateQuery)).platform?.lastAnswer).toMatchObject({
      action: 'agree',
      outcome: 'done',
      code: 'receive_first',
    });
    expect(await returnRowOf(h.db, caseId)).toMatchObject({ tracking_no: null, status: 'awaiting_parcel' });

    // The buyer sends the goods back (PROCESSING, its `tracking_number`): the case writes the number
    // on the return, where the warehouse's scan finds it, and waits for the warehouse (no carrier
    // named: nothing follows it by tracking).
    const trackingNo = buyerSendsBack(order);
    await expect
      .poll(async () => (await returnCaseDetail(api, ops, caseId)).state?.waiting ?? null, {
        timeout: PATIENCE_MS,
      })
      .toEqual({ code: 'case_return_untracked', params: { carrier: 'OTHER', trackingNo } });
    expect(await returnRowOf(h.db, caseId)).toMatchObject({
      waybill_source: 'buyer',
      tracking_no: trackingNo,
    });
    expect(refundOf(order).sellerAnswer).toBeUndefined();

    // The warehouse scans the number: the unit back on the shelf, then Shopee confirmed once.
    const lines = await scanBack(caseId, warehouse, trackingNo);
    await expect
      .poll(async () => (await caseRowOf(h.db, caseId))?.status, { timeout: PATIENCE_MS })
      .toBe('refunded');
    expect(refundOf(order)).toMatchObject({
      status: 'refunded',
      sellerAnswer: { action: 'agree' },
      received: { call: 'v2.returns.confirm' },
    });
    const units = lines.reduce((sum, l) => sum + l.quantity, 0);
    expect(await onHand()).toBe(before + units);
    expect((await verifyLedger(h.db)).mismatches).toEqual([]);
    const stages = await caseStages(h.db, caseId);
    const at = (stage: string) => stages.indexOf(stage);
    expect(at('platform_agree')).toBeGreaterThan(-1);
    expect(at('platform_agree')).toBeLessThan(at('return_awaited'));
    expect(at('return_awaited')).toBeLessThan(at('return_waybill_reported'));
    expect(at('return_waybill_reported')).toBeLessThan(at('return_inspected'));
    expect(stages.slice(-3)).toEqual(['return_inspected', 'platform_return_received', 'refunded']);

    // Told again (a retried activity): Shopee is read first and nothing is sent.
    const receivedAt = refundOf(order).received!.at;
    const again = await createPlatformAfterSaleActivities({
      db: h.db,
      config: h.config,
      client: h.client,
    }).confirmReturnOnPlatform({
      caseId,
      shopId,
      ref: { platformCaseId: refund.id, platformOrderId: order.id },
      units,
    });
    expect(again).toMatchObject({ mode: 'platform', result: { outcome: 'already', status: 'refunded' } });
    expect(refundOf(order).received!.at).toEqual(receivedAt);
    await recordHistory(h.client, caseId, 'aftersale-shopee-return-received');
  });

  it('waits for a parcel nothing can track with one “not arrived” reminder, never the no-scan alarm, resolved by the receipt', async () => {
    const { order } = await shippedOnShopee();
    const warehouse = await setupWarehouse(h.db, { stock: { [order.items[0]!.skuCode]: 5 } });
    const { caseId } = buyerAsksReturn(order);
    const { handle } = await agreeHere(caseId);
    await expect
      .poll(async () => (await handle.query(afterSaleStateQuery)).waitingFor, { timeout: PATIENCE_MS })
      .toBe('the return parcel at the warehouse');
    const trackingNo = buyerSendsBack(order);

    // The seller sees that the parcel is not followed by tracking and that the warehouse is awaited.
    await expect
      .poll(async () => (await returnCaseDetail(api, ops, caseId)).state?.waiting?.code ?? null, {
        timeout: PATIENCE_MS,
      })
      .toBe('case_return_untracked');
    const awaited = await returnCaseDetail(api, ops, caseId);
    expect(awaited.state?.returnParcel).toMatchObject({ trackingNo, followedBy: 'none', attention: null });
    expect(awaited.state?.waitingFor).toBe(
      `the return parcel OTHER ${trackingNo} at the warehouse (not followed by tracking: no tracking service follows it)`,
    );
    expect(await caseStages(h.db, caseId)).toContain('return_untracked');

    // Not at the warehouse RETURN_UNTRACKED_SECONDS after it was sent: one reminder, worded as such.
    await expect
      .poll(async () => (await returnCaseDetail(api, ops, caseId)).state?.waiting?.code ?? null, {
        timeout: PATIENCE_MS,
      })
      .toBe('case_return_overdue');
    await expect
      .poll(async () => (await caseAlerts('return_parcel_overdue', caseId)).length, { timeout: PATIENCE_MS })
      .toBe(1);
    const overdue = await returnCaseDetail(api, ops, caseId);
    expect(overdue.case.status).toBe('returning');
    expect(overdue.state?.returnParcel?.attention).toMatchObject({ kind: 'overdue' });
    const [reminder] = await caseAlerts('return_parcel_overdue', caseId);
    expect(reminder).toMatchObject({ occurrences: 1, resolved_at: null });
    expect(reminder!.message).toMatch(
      new RegExp(
        `^return parcel OTHER ${trackingNo} of after-sales case \\S+ was sent back ${UNTRACKED_SECONDS} seconds ago and has not reached the warehouse; no tracking service follows it`,
      ),
    );
    // What the seller reads in the alert list (店铺 › 告警).
    const listed = await api.inject({
      method: 'GET',
      url: '/alerts',
      headers: ops,
      query: { shopId, kind: 'return_parcel_overdue' },
    });
    expect(listed.statusCode, listed.body).toBe(200);
    expect((listed.json() as { alerts: Array<{ subject: string }> }).alerts.map((a) => a.subject)).toEqual([
      caseId,
    ]);
    expect(alertMessageZh('return_parcel_overdue', reminder!.message, alertWords)).toMatch(
      new RegExp(
        `^售后单 \\S+ 的退货包裹 OTHER ${trackingNo} 寄出已 ${UNTRACKED_SECONDS} 秒，仍未到仓（无法跟踪物流）`,
      ),
    );
    // No scan will ever come: no stalled alarm, though its 2 seconds passed long ago.
    expect(await caseAlerts('return_parcel_stalled', caseId)).toEqual([]);
    const stages = await caseStages(h.db, caseId);
    expect(stages).not.toContain('return_stalled');
    expect(stages.filter((stage) => stage === 'return_overdue')).toHaveLength(1);

    // The warehouse scans it: received, restocked, confirmed on Shopee, and the reminder resolved.
    await scanBack(caseId, warehouse, trackingNo);
    await expect
      .poll(async () => (await caseRowOf(h.db, caseId))?.status, { timeout: PATIENCE_MS })
      .toBe('refunded');
    expect(refundOf(order)).toMatchObject({ status: 'refunded', received: { call: 'v2.returns.confirm' } });
    const after = await caseAlerts('return_parcel_overdue', caseId);
    expect(after).toHaveLength(1);
    expect(after[0]!.resolved_at).not.toBeNull();
    expect(await caseAlerts('return_parcel_stalled', caseId)).toEqual([]);
    expect((await verifyLedger(h.db)).mismatches).toEqual([]);
    await recordHistory(h.client, caseId, 'aftersale-shopee-return-untracked');
  });

  it('Shopee takes the confirm only signed with the partner key; returns its own warehouse validates are answered on Shopee', async () => {
    const { order } = await shippedOnShopee();
    const { refund } = buyerAsksReturn(order);
    const ref = { platformCaseId: refund.id, platformOrderId: order.id };
    const shop = sandbox.shop('shopee');
    const shopee = (partnerKey: string) =>
      createShopeeAfterSales(
        {
          shopId,
          platformShopId: shop.platformShopId,
          baseUrl: shop.baseUrl,
          credentials: { ...shop.credentials, appSecret: partnerKey },
        },
        { receiveHere: true },
      );
    const asked = await shopee(shop.credentials.appSecret).getCase(ref);
    expect(asked).toMatchObject({ kind: 'return_refund', status: 'open', receivedByApi: true });
    expect(asked.buyerReturn).toBeUndefined();
    // A lower amount is for Seller Centre: nothing reaches Shopee.
    expect(await shopee(shop.credentials.appSecret).agree(asked, 1)).toMatchObject({
      outcome: 'not_offered',
    });
    // Signed with another partner key: refused by Shopee's own check, the return unchanged.
    await expect(shopee('not-the-partner-key').returnReceived!(asked, { units: 1 })).rejects.toThrow();
    expect(refundOf(order)).toMatchObject({ status: 'requested' });
    expect(refundOf(order).received).toBeUndefined();

    // Validated by a warehouse of Shopee's, or a shop that answers returns on Shopee: confirmed at once.
    const wire = ShopeeReturnSchema.parse({
      return_sn: refund.id,
      order_sn: order.id,
      status: 'REQUESTED',
      currency: 'SGD',
      refund_amount: 12.5,
      create_time: 1_700_000_000,
      update_time: 1_700_000_000,
      needs_logistics: true,
      tracking_number: 'SPXRT1',
      validation_type: 'warehouse_validation',
      item: [{ item_id: 1, model_id: 2 }],
    });
    expect(shopeeReturnToCase(wire, { receiveHere: true }).receivedByApi).toBeUndefined();
    const bySeller = { ...wire, validation_type: 'seller_validation' };
    expect(shopeeReturnToCase(bySeller, {})).not.toHaveProperty('receivedByApi');
    expect(shopeeReturnToCase(bySeller, { receiveHere: true })).toMatchObject({
      receivedByApi: true,
      buyerReturn: { company: 'Shopee', trackingNo: 'SPXRT1' },
    });
  });
});
