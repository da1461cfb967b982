import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyLedger } from '../../db/queries/stock.js';
import { afterSaleWorkflowId } from '../../domain/after-sales.js';
import { orderWorkflowId } from '../../domain/ids.js';
import { fetchRequestsOf } from '../../activities/capture/channels/dispatch.js';
import { tmcMessageToEvents } from '../../integrations/platforms/taobao/webhook.js';
import type { SimExchange, SimOrder } from '../../sandbox/orders/model.js';
import { requestOrderFetch } from '../../services/capture/sync-control.js';
import { afterSaleStateQuery } from '../../workflows/messages.js';
import { handOver, labelledParcel } from '../support/fulfilment.js';
import { recordHistory } from '../support/histories.js';
import { caseWaitsForDecision, decideAsCustomerService, reservedStock } from '../support/market-cases.js';
import { paidTrade, startTopWorld, type TopWorld } from '../support/top.js';
import { TEST_SKU } from '../support/fixtures.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { caseStages, receiveResaleable } from './world.js';
import { PATIENCE_MS, waitForStage } from '../support/waits.js';

// A Tmall exchange after shipment, end to end on the real dev server with the simulated Tmall
// gateway and carriers: the buyer asks to exchange the shirt (TMC taobao_dispute_* names the
// dispute; the case reads it with tmall.exchange.get), a person agrees and Tmall takes the
// agreement with the shop's return address; the buyer sends the shirt back and Tmall reports the
// waybill; the case follows that parcel by tracking, the warehouse scans its number and finds the
// shirt resaleable (back on the shelf through the ledger); the case confirms the receipt on Tmall,
// the replacement goes out as an order of its own through the warehouse like any parcel (no trade
// upload: it is no Tmall trade), and Tmall is told its tracking number (tmall.exchange.consigngoods).

const SKU = 'TS-001-RED-M';
/** The same shirt one size up (what a buyer exchanging for L gets). */
const SKU_L = 'TS-001-RED-L';
const MINUTES = 5 * 60_000;

let world: TopWorld;

beforeAll(async () => {
  world = await startTopWorld(
    'tm-exchange',
    { [SKU]: 20, [SKU_L]: 20 },
    { WAVE_WINDOW_SECONDS: '1', TRACKING_POLL_SECONDS: '1' },
    'tmall',
  );
});
afterAll(() => world?.close());

const caseRow = (caseId: string) =>
  world.h.db.selectFrom('after_sale_cases').selectAll().where('id', '=', caseId).executeTakeFirst();
const stages = (caseId: string) => caseStages(world.h.db, caseId);
const exchangeOf = (trade: SimOrder) => world.top.store.get(trade.shopKey, trade.id)!.exchange!;

/** TMC names the exchange the way TOP does (a dispute topic, ids only), parsed by the adapter's own code. */
async function tmcSays(shopId: string, trade: SimOrder, exchange: SimExchange, topic: string) {
  const events = tmcMessageToEvents({
    topic,
    content: JSON.stringify({
      tid: trade.id,
      oid: exchange.lineId,
      refund_id: exchange.id,
      seller_open_uid: 'AAH',
      modified: '2026-12-05 12:00:00',
      buyer_refund_fee: 0,
      biz_claim_type: 4,
      dispute_type: 2,
    }),
  });
  await requestOrderFetch(
    world.h.client,
    world.h.config.TASK_QUEUE_ORDERS,
    { id: shopId, platform: 'tmall' },
    fetchRequestsOf(events),
  );
}

/** The buyer changes the exchange on Tmall (a newer modified time), and TMC says so. */
async function onTmall(shopId: string, trade: SimOrder, change: (e: SimExchange) => void, topic: string) {
  const at = new Date(Math.max(Date.now(), exchangeOf(trade).modifiedAt.getTime() + 1000));
  world.top.store.update(
    trade.shopKey,
    trade.id,
    (o) => {
      change(o.exchange!);
      o.exchange!.modifiedAt = at;
    },
    at,
  );
  await tmcSays(shopId, trade, exchangeOf(trade), topic);
}

describe('Tmall exchange after shipment', () => {
  it(
    'agrees on Tmall, follows the buyer’s parcel back, restocks it, ships the replacement like any parcel and tells Tmall its number',
    async () => {
      const shopId = await world.connectedShop({ returnAddressId: '600001' });
      const tid = `39${Date.now()}`;
      const trade = paidTrade(world.top, tid, [{ code: SKU, priceFen: 9_900 }]);
      world.top.store.upsert(trade);
      await requestOrderFetch(
        world.h.client,
        world.h.config.TASK_QUEUE_ORDERS,
        { id: shopId, platform: 'tmall' },
        [{ platformOrderId: tid }],
      );
      const orderId = orderWorkflowId('tmall', shopId, tid);
      await waitForStage(world.h.db, orderId, 'allocated', MINUTES);
      const { parcelId } = await labelledParcel(world.h, world.api, world.wh, orderId, MINUTES);
      await handOver(world.api, world.wh, parcelId);
      await expect
        .poll(() => world.top.store.get(trade.shopKey, trade.id)?.shipment, { timeout: PATIENCE_MS })
        .toBeDefined();
      const onHand = async () =>
        (
          await world.h.db
            .selectFrom('stock')
            .select('on_hand')
            .where('warehouse_code', '=', world.warehouse)
            .where('sku_code', '=', SKU)
            .executeTakeFirstOrThrow()
        ).on_hand;
      const before = await onHand();

      // The buyer asks for an exchange on Tmall.
      const at = new Date();
      const exchange: SimExchange = {
        id: `81${Date.now()}`,
        status: 1,
        lineId: `${tid}1`,
        num: 1,
        reason: '尺码不合适',
        createdAt: at,
        modifiedAt: at,
        boughtSku: '1',
        exchangeSku: '1',
        timeOut: new Date(Date.now() + 72 * 3600_000),
      };
      world.top.store.update(trade.shopKey, trade.id, (o) => (o.exchange = exchange), at);
      await tmcSays(shopId, trade, exchange, 'taobao_dispute_ExchangeModified');
      await tmcSays(shopId, trade, exchange, 'taobao_dispute_ExchangeModified');
      const caseId = afterSaleWorkflowId('tmall', shopId, `exchange-${exchange.id}`);
      const handle = await caseWaitsForDecision(world.h.client, caseId);
      expect((await handle.query(afterSaleStateQuery)).kind).toBe('exchange');

      await decideAsCustomerService(world.h, caseId, { decision: 'agree' });
      await expect.poll(() => exchangeOf(trade).status, { timeout: PATIENCE_MS }).toBe(2);
      expect(exchangeOf(trade).addressId).toBe('600001');
      await expect
        .poll(async () => (await handle.query(afterSaleStateQuery)).waitingFor, { timeout: PATIENCE_MS })
        .toBe('the buyer to send the goods back');

      // The buyer sends the shirt back with ZTO; Tmall reports the waybill.
      const back = world.carriers.sandbox.network.register({
        carrier: 'ZTO',
        origin: { province: '浙江省', city: '杭州市', district: '西湖区' },
        destination: { province: '浙江省', city: '杭州市', district: '余杭区' },
      });
      await onTmall(
        shopId,
        trade,
        (e) => {
          e.status = 3;
          e.buyerLogistic = { name: '中通快递', no: back.trackingNumber };
        },
        'taobao_dispute_ExchangeModified',
      );
      await expect
        .poll(async () => (await handle.query(afterSaleStateQuery)).waitingFor, { timeout: PATIENCE_MS })
        .toBe(`the return parcel ZTO ${back.trackingNumber} at the warehouse`);
      world.carriers.sandbox.network.finish(back.trackingNumber);
      await expect.poll(() => stages(caseId), { timeout: PATIENCE_MS }).toContain('return_delivered');

      // The warehouse scans the buyer's number: the shirt is back on the shelf.
      await receiveResaleable(world, back.trackingNumber, [{ lineId: `${tid}1`, qty: 1 }]);
      await expect.poll(() => exchangeOf(trade).status, { timeout: PATIENCE_MS }).toBe(12);
      expect(await onHand()).toBe(before + 1);

      // The replacement is an order of its own, worked by the warehouse like any other.
      await expect
        .poll(async () => (await handle.query(afterSaleStateQuery)).exchange?.orderId ?? null, {
          timeout: PATIENCE_MS,
        })
        .toBe(orderWorkflowId('tmall', shopId, `${tid}-EX-exchange-${exchange.id}`));
      const replacementId = (await handle.query(afterSaleStateQuery)).exchange!.orderId;
      await waitForStage(world.h.db, replacementId, 'allocated', MINUTES);
      const replacement = await labelledParcel(world.h, world.api, world.wh, replacementId, MINUTES);
      await handOver(world.api, world.wh, replacement.parcelId);

      await expect
        .poll(async () => (await caseRow(caseId))?.status, { timeout: PATIENCE_MS })
        .toBe('exchanged');
      expect(exchangeOf(trade)).toMatchObject({
        status: 13,
        sellerLogistic: { no: replacement.waybill, type: '200' },
      });
      // The replacement is no Tmall trade: its tracking number went to Tmall through the exchange only.
      const upload = await world.h.db
        .selectFrom('shipment_orders')
        .select(['upload_skipped', 'tracking_uploaded_at'])
        .where('order_id', '=', replacementId)
        .executeTakeFirstOrThrow();
      expect(upload.tracking_uploaded_at).toBeNull();
      expect(upload.upload_skipped).toContain('exchange replacement');
      expect(await reservedStock(world.h.db, world.warehouse, SKU)).toBe(0);
      expect((await verifyLedger(world.h.db)).mismatches).toEqual([]);
      expect(await stages(caseId)).toEqual(
        expect.arrayContaining([
          'exchange_requested',
          'exchange_agreed',
          'platform_exchange_agree',
          'exchange_returned_by_buyer',
          'return_delivered',
          'return_inspected',
          'platform_exchange_confirm_returned',
          'exchange_order_started',
          'platform_exchange_consign',
          'exchange_shipped',
        ]),
      );
      await recordHistory(world.h.client, caseId, 'aftersale-tmall-exchange');
    },
    8 * MINUTES,
  );

  it(
    'an exchange for the next size: agreeing names the replacement SKU, and the replacement order ships it',
    async () => {
      await world.h.db
        .insertInto('skus')
        .values([
          { ...TEST_SKU, code: SKU, name: '纯棉T恤 红色 M' },
          { ...TEST_SKU, code: SKU_L, name: '纯棉T恤 红色 L' },
        ])
        .onConflict((oc) => oc.column('code').doNothing())
        .execute();
      const cs = bearer(await apiKeyFor(world.h.db, ['customer-service']));
      const shopId = await world.connectedShop({ returnAddressId: '600001' });
      const tid = `38${Date.now()}`;
      const trade = paidTrade(world.top, tid, [{ code: SKU, priceFen: 9_900 }]);
      world.top.store.upsert(trade);
      await requestOrderFetch(
        world.h.client,
        world.h.config.TASK_QUEUE_ORDERS,
        { id: shopId, platform: 'tmall' },
        [{ platformOrderId: tid }],
      );
      const orderId = orderWorkflowId('tmall', shopId, tid);
      await waitForStage(world.h.db, orderId, 'allocated', MINUTES);
      const { parcelId } = await labelledParcel(world.h, world.api, world.wh, orderId, MINUTES);
      await handOver(world.api, world.wh, parcelId);

      const at = new Date();
      const exchange: SimExchange = {
        id: `82${Date.now()}`,
        status: 1,
        lineId: `${tid}1`,
        num: 1,
        reason: '尺码偏小',
        createdAt: at,
        modifiedAt: at,
        boughtSku: '颜色分类:红色;尺码:M',
        exchangeSku: '颜色分类:红色;尺码:L',
        timeOut: new Date(Date.now() + 72 * 3600_000),
      };
      world.top.store.update(trade.shopKey, trade.id, (o) => (o.exchange = exchange), at);
      await tmcSays(shopId, trade, exchange, 'taobao_dispute_ExchangeModified');
      const caseId = afterSaleWorkflowId('tmall', shopId, `exchange-${exchange.id}`);
      const handle = await caseWaitsForDecision(world.h.client, caseId);
      const url = `/after-sales/${encodeURIComponent(caseId)}`;
      const shown = await world.api.inject({ method: 'GET', url, headers: cs });
      expect(shown.json()).toMatchObject({
        state: { skuSwap: { bought: '颜色分类:红色;尺码:M', wanted: '颜色分类:红色;尺码:L' } },
      });

      const decide = (payload: object) =>
        world.api.inject({ method: 'POST', url: `${url}/decisions`, headers: cs, payload });
      // Agreeing without naming the replacement would ship the M again: refused, nothing sent.
      const unnamed = await decide({ decision: 'agree' });
      expect(unnamed.statusCode, unnamed.body).toBe(422);
      expect(unnamed.body).toContain('尺码:L');
      const unknown = await decide({
        decision: 'agree',
        replacements: [{ lineId: `${tid}1`, skuCode: 'TS-001-RED-XXXL' }],
      });
      expect(unknown.statusCode, unknown.body).toBe(422);
      expect(unknown.body).toContain('body.replacements.0.skuCode');
      expect(exchangeOf(trade).status).toBe(1);
      const agreed = await decide({
        decision: 'agree',
        replacements: [{ lineId: `${tid}1`, skuCode: SKU_L }],
      });
      expect(agreed.statusCode, agreed.body).toBe(200);
      await expect.poll(() => exchangeOf(trade).status, { timeout: PATIENCE_MS }).toBe(2);

      const back = world.carriers.sandbox.network.register({
        carrier: 'ZTO',
        origin: { province: '浙江省', city: '杭州市', district: '西湖区' },
        destination: { province: '浙江省', city: '杭州市', district: '余杭区' },
      });
      await onTmall(
        shopId,
        trade,
        (e) => {
          e.status = 3;
          e.buyerLogistic = { name: '中通快递', no: back.trackingNumber };
        },
        'taobao_dispute_ExchangeModified',
      );
      await expect
        .poll(async () => (await handle.query(afterSaleStateQuery)).waitingFor, { timeout: PATIENCE_MS })
        .toBe(`the return parcel ZTO ${back.trackingNumber} at the warehouse`);
      await receiveResaleable(world, back.trackingNumber, [{ lineId: `${tid}1`, qty: 1 }]);
      await expect.poll(() => exchangeOf(trade).status, { timeout: PATIENCE_MS }).toBe(12);

      // The replacement order is the L, at no charge.
      const replacementId = orderWorkflowId('tmall', shopId, `${tid}-EX-exchange-${exchange.id}`);
      await expect
        .poll(
          () =>
            world.h.db
              .selectFrom('order_lines')
              .select(['sku_code', 'quantity', 'unit_price_fen'])
              .where('order_id', '=', replacementId)
              .execute(),
          { timeout: PATIENCE_MS },
        )
        .toEqual([{ sku_code: SKU_L, quantity: 1, unit_price_fen: 0 }]);
      await waitForStage(world.h.db, replacementId, 'allocated', MINUTES);
      expect(await reservedStock(world.h.db, world.warehouse, SKU_L)).toBe(1);
      expect(await reservedStock(world.h.db, world.warehouse, SKU)).toBe(0);
      await recordHistory(world.h.client, caseId, 'aftersale-tmall-exchange-sku');
    },
    8 * MINUTES,
  );
});
