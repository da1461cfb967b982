import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import type { Db } from '../../db/connect.js';
import type { AfterSalePush } from '../../domain/after-sales.js';
import type { OrderPush } from '../../domain/order.js';
import { orderWorkflowId } from '../../domain/ids.js';
import { renderOwnPush, signOwnPush } from '../../integrations/platforms/own/index.js';
import { startSandbox, type Sandbox } from '../../sandbox/stack.js';
import type { SimOrder } from '../../sandbox/orders/model.js';
import { freePort } from '../support/free-port.js';
import type { MarketWorld } from '../support/market-cases.js';
import { PATIENCE_MS } from '../support/waits.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { registerShop } from '../capture/support.js';
import { orderPush, seedCatalog, TEST_SKU, uniqueId } from '../support/fixtures.js';
import {
  handOver,
  labelledParcel,
  packParcel,
  setupCarrierAccounts,
  setupWarehouse,
  waitForShipments,
  workWave,
} from '../support/fulfilment.js';
import { createHarness, type Harness, type RunningWorker } from '../support/harness.js';
import { waitForOrderStatus, waitForStage, waitForState } from '../support/waits.js';

export const SKU_B = { ...TEST_SKU, code: 'TEA-003-250G', name: '龙井茶 250g' };
/** The T-shirt of line 1 one size up: what a buyer exchanges for when M is too small. */
export const SKU_L = { ...TEST_SKU, code: 'SKU-001-RED-L', name: '纯棉T恤 红色 L' };
export const MINUTES = 5 * 60_000;

/** A paid two-line own-store order: line 1 two T-shirts (¥178 after ¥20 off), line 2 one tea (¥168). */
export function twoLineOrderPush() {
  return orderPush({
    amounts: { goodsFen: 36_600, discountFen: 2_000, shippingFen: 0, paidFen: 34_600 },
    lines: [
      {
        lineId: '1',
        platformSkuId: '',
        skuCode: TEST_SKU.code,
        title: '纯棉T恤',
        quantity: 2,
        unitPriceFen: 9_900,
        discountFen: 2_000,
      },
      {
        lineId: '2',
        platformSkuId: '',
        skuCode: SKU_B.code,
        title: '龙井茶',
        quantity: 1,
        unitPriceFen: 16_800,
        discountFen: 0,
      },
    ],
  });
}

/**
 * An own store whose buyers pay with Alipay, a stocked warehouse shipping through the simulated
 * carriers, a worker: everything an after-sales case after shipment needs, on the dev server.
 */
export interface ShippedOrder {
  platformOrderId: string;
  orderId: string;
  outTradeNo: string;
}

export interface OwnStoreWorld {
  h: Harness;
  /** The worker (a test may stop it and start another in its place). */
  worker: RunningWorker;
  api: FastifyInstance;
  sandbox: Sandbox;
  storeId: string;
  warehouse: string;
  wh: { authorization: string };
  cs: { authorization: string };
  /** Works an order's parcels through the warehouse until the order is shipped. */
  ship(orderId: string): Promise<void>;
  /** The store pushes `push` (signed, as it does): the order's id once accepted. */
  placeOrder(push: OrderPush): Promise<string>;
  /** A paid two-line order (two T-shirts ¥178 after ¥20 off; one tea ¥168), shipped, its trade open at Alipay. */
  shippedOrder(): Promise<ShippedOrder>;
  pushCase(body: AfterSalePush): Promise<Awaited<ReturnType<FastifyInstance['inject']>>>;
  /**
   * The buyer asks to return both T-shirts of a shipped order (尺码不合适, ¥178 back to Alipay);
   * `extra` adds to the case (a waybill the buyer already has). Answers the case's id once accepted.
   */
  returnBothShirts(order: ShippedOrder, prefix: string, extra?: Partial<AfterSalePush>): Promise<string>;
  /** Customer service agrees to what the buyer asked, through the API. */
  agree(caseId: string): Promise<void>;
  stock(sku: string): Promise<{ on_hand: number; reserved: number }>;
  close(): Promise<void>;
}

/**
 * `settings` override the world's configuration; `port` makes the API listen there (for pushes
 * from the simulated carriers and payment channels).
 */
export async function startOwnStoreWorld(
  prefix: string,
  options: { settings?: Record<string, string>; port?: number } = {},
): Promise<OwnStoreWorld> {
  const storeId = uniqueId(prefix);
  const sandbox = await startSandbox({ shopIds: { own: storeId } });
  const { alipay } = sandbox.payments.accounts;
  const { accounts, baseUrls } = sandbox.carriers;
  const h = await createHarness({
    ALIPAY_BASE_URL: sandbox.payments.baseUrls.alipay,
    ALIPAY_APP_ID: alipay.appId,
    ALIPAY_APP_PRIVATE_KEY: alipay.appPrivateKey,
    ALIPAY_PUBLIC_KEY: alipay.alipayPublicKey,
    SF_BASE_URL: baseUrls.sf,
    SF_PARTNER_ID: accounts.sf.partnerId,
    SF_CHECKWORD: accounts.sf.checkword,
    CAINIAO_BASE_URL: baseUrls.cainiao,
    CAINIAO_APP_KEY: accounts.cainiao.appKey,
    CAINIAO_APP_SECRET: accounts.cainiao.appSecret,
    CAINIAO_SESSION: accounts.cainiao.sessions[0]!,
    KUAIDI100_BASE_URL: baseUrls.kuaidi100,
    KUAIDI100_CUSTOMER: accounts.kuaidi100.customer,
    KUAIDI100_KEY: accounts.kuaidi100.key,
    KUAIDI100_SALT: randomBytes(18).toString('base64url'),
    WAVE_WINDOW_SECONDS: '2',
    TRACKING_POLL_SECONDS: '1',
    ...options.settings,
  });
  const api = await h.api();
  if (options.port) await api.listen({ port: options.port, host: '127.0.0.1' });
  await seedCatalog(h.db);
  await h.db
    .insertInto('skus')
    .values([SKU_B, SKU_L])
    .onConflict((oc) => oc.column('code').doNothing())
    .execute();
  const warehouse = await setupWarehouse(h.db, {
    stock: { [TEST_SKU.code]: 20, [SKU_B.code]: 20, [SKU_L.code]: 20 },
  });
  const ops = bearer(await apiKeyFor(h.db, ['ops']));
  const wh = bearer(await apiKeyFor(h.db, ['warehouse']));
  const cs = bearer(await apiKeyFor(h.db, ['customer-service']));
  await registerShop(api, ops, sandbox.shop('own'));
  await setupCarrierAccounts(h.db, storeId);
  const worker = await h.startWorker();

  /** The warehouse picks, packs and hands over every parcel of the order. */
  async function ship(orderId: string) {
    await waitForStage(h.db, orderId, 'allocated', MINUTES);
    const state = await waitForState(
      h.client,
      orderId,
      (s) => s.parcels.length > 0 && s.awaitingWave.length === 0,
      MINUTES,
    );
    const parcelIds = state.parcels.map((p) => p.parcelId);
    await waitForShipments(h.db, parcelIds);
    const waves = await h.db.selectFrom('shipments').select('wave_id').where('id', 'in', parcelIds).execute();
    for (const waveId of new Set(waves.map((w) => w.wave_id))) await workWave(api, wh, waveId);
    for (const parcelId of parcelIds) await packParcel(api, wh, parcelId);
    await waitForState(h.client, orderId, (s) => s.parcels.every((p) => p.trackingNumber != null), MINUTES);
    for (const parcelId of parcelIds) await handOver(api, wh, parcelId);
    await waitForOrderStatus(h.db, orderId, 'shipped', MINUTES);
  }

  const pushCase = (body: AfterSalePush) => pushOwnCase(api, storeId, sandbox.own.webhookSecret, body);
  async function placeOrder(push: OrderPush) {
    const rendered = renderOwnPush(sandbox.own.webhookSecret, push);
    const res = await api.inject({
      method: 'POST',
      url: `/webhooks/own/${storeId}`,
      headers: rendered.headers,
      payload: rendered.body,
    });
    expect(res.statusCode, res.body).toBe(202);
    return orderWorkflowId('own', storeId, push.platformOrderId);
  }

  return {
    h,
    worker,
    api,
    sandbox,
    storeId,
    warehouse,
    wh,
    cs,
    ship,
    placeOrder,
    async shippedOrder() {
      const push = twoLineOrderPush();
      const orderId = await placeOrder(push);
      await ship(orderId);
      const outTradeNo = uniqueId('PAY').replace(/[^A-Za-z0-9_-]/g, '');
      sandbox.payments.alipay.book.openTrade({ outTradeNo, totalFen: 34_600 });
      return { platformOrderId: push.platformOrderId, orderId, outTradeNo };
    },
    pushCase,
    async returnBothShirts(order, prefix, extra = {}) {
      const res = await pushCase({
        caseId: uniqueId(prefix).replace(/[^A-Za-z0-9_.-]/g, ''),
        platformOrderId: order.platformOrderId,
        kind: 'return_refund',
        reason: '尺码不合适',
        createdAt: new Date().toISOString(),
        lines: [{ lineId: '1', quantity: 2, refundFen: 17_800 }],
        payment: { channel: 'alipay', outTradeNo: order.outTradeNo },
        ...extra,
      });
      expect(res.statusCode, res.body).toBe(202);
      return (res.json() as { caseId: string }).caseId;
    },
    async agree(caseId) {
      const res = await api.inject({
        method: 'POST',
        url: `/after-sales/${encodeURIComponent(caseId)}/decisions`,
        headers: { ...cs, 'idempotency-key': uniqueId('decide') },
        payload: { decision: 'agree' },
      });
      expect(res.statusCode, res.body).toBe(200);
    },
    async stock(sku) {
      return h.db
        .selectFrom('stock')
        .select(['on_hand', 'reserved'])
        .where('warehouse_code', '=', warehouse)
        .where('sku_code', '=', sku)
        .executeTakeFirstOrThrow();
    },
    async close() {
      await h.teardown();
      await sandbox.stop();
    },
  };
}

/**
 * An own store whose API listens on a port of its own, SF pushing its routes there and polls an hour
 * apart: whatever moves a return parcel comes in through a webhook. A parcel goes to a person after
 * `quietSeconds` without a scan, or delivered that long without the warehouse's receipt.
 */
export async function startReturnFollowingWorld(
  prefix: string,
  sfPushToken: string,
  quietSeconds: number,
): Promise<{ w: OwnStoreWorld; apiUrl: string }> {
  const port = await freePort();
  const apiUrl = `http://127.0.0.1:${port}`;
  const w = await startOwnStoreWorld(prefix, {
    port,
    settings: {
      API_PUBLIC_URL: apiUrl,
      SF_PUSH_TOKEN: sfPushToken,
      TRACKING_POLL_SECONDS: '3600',
      RETURN_NO_SCAN_SECONDS: String(quietSeconds),
      RETURN_UNRECEIVED_SECONDS: String(quietSeconds),
    },
  });
  // What the seller enters as the route-push URL in the 丰桥 console.
  w.sandbox.carriers.accounts.sf.pushUrl = `${apiUrl}/webhooks/tracking/sf?token=${sfPushToken}`;
  return { w, apiUrl };
}

/** An own store's signed after-sales push, as the store sends it. */
export function pushOwnCase(
  api: FastifyInstance,
  storeId: string,
  webhookSecret: string,
  body: AfterSalePush,
) {
  const raw = JSON.stringify(body);
  return api.inject({
    method: 'POST',
    url: `/webhooks/own/${storeId}/after-sales`,
    headers: {
      'content-type': 'application/json',
      'x-erp-hmac-sha256': signOwnPush(webhookSecret, raw),
    },
    payload: raw,
  });
}

/** The stages an after-sales case went through, in the order written. */
export async function caseStages(db: Db, caseId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('after_sale_events')
    .select('stage')
    .where('case_id', '=', caseId)
    .orderBy('id')
    .execute();
  return rows.map((e) => e.stage);
}

/** A case's row (its status and what it waits for). */
export const caseRowOf = (db: Db, caseId: string) =>
  db.selectFrom('after_sale_cases').selectAll().where('id', '=', caseId).executeTakeFirst();

/** A case's return parcel row (its waybill, tracking and receipt). */
export const returnRowOf = (db: Db, caseId: string) =>
  db.selectFrom('after_sale_returns').selectAll().where('case_id', '=', caseId).executeTakeFirst();

/** What `GET /after-sales/:id` answers about a case's return parcel (退货包裹) and its live state. */
export interface ReturnCaseDetail {
  case: { status: string };
  returnParcel: {
    source: string | null;
    carrierCode: string | null;
    carrierName: { zh: string; en: string } | null;
    trackingNo: string | null;
    trackingStatus: string | null;
    scans: Array<{ at: string; status: string; description: string; source: string | null; via: string }>;
  } | null;
  state: {
    waiting: { code: string; params: Record<string, unknown> } | null;
    waitingFor: string | null;
    returnParcel: {
      trackingNo: string | null;
      tracking?: string;
      followedBy?: string;
      scannedAt?: string;
      attention?: { kind: string; since: string } | null;
    } | null;
  } | null;
}

/** The case as `GET /after-sales/:id` answers it (someone with `headers` reading it). */
export async function returnCaseDetail(
  api: FastifyInstance,
  headers: { authorization: string },
  caseId: string,
): Promise<ReturnCaseDetail> {
  const res = await api.inject({
    method: 'GET',
    url: `/after-sales/${encodeURIComponent(caseId)}`,
    headers,
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as ReturnCaseDetail;
}

/**
 * The buyer of a marketplace return sends the goods back with ZTO and fills in company and number
 * on the platform; waits until the case follows that parcel like its own return waybills.
 */
export async function buyerSendsReturnByZto(world: MarketWorld, order: SimOrder, caseId: string) {
  const back = world.carriers.sandbox.network.register({
    carrier: 'ZTO',
    origin: { province: '浙江省', city: '杭州市', district: '西湖区' },
    destination: { province: '浙江省', city: '杭州市', district: '余杭区' },
  });
  world.onPlatform(order, (r) => {
    r.status = 'returning';
    r.buyerReturn = { company: '中通快递', trackingNo: back.trackingNumber };
  });
  await expect
    .poll(async () => (await returnCaseDetail(world.api, world.ops, caseId)).state?.waiting ?? null, {
      timeout: PATIENCE_MS,
    })
    .toEqual({ code: 'case_return_parcel', params: { carrier: 'ZTO', trackingNo: back.trackingNumber } });
  expect(await returnRowOf(world.h.db, caseId)).toMatchObject({
    waybill_source: 'buyer',
    carrier_code: 'ZTO',
    tracking_no: back.trackingNumber,
    status: 'in_transit',
  });
  return back;
}

/** The warehouse receives a return parcel by `scan` (a tracking number or the case id), every unit resaleable. */
export async function receiveResaleable(
  world: Pick<MarketWorld, 'api' | 'wh' | 'warehouse'>,
  scan: string,
  lines: Array<{ lineId: string; qty: number }>,
) {
  await receiveCounted(
    world,
    scan,
    lines.map((line) => ({ ...line, condition: 'resaleable' as const })),
  );
}

/** The warehouse scans a return parcel and counts its lines as it found them. */
export async function receiveCounted(
  world: Pick<MarketWorld, 'api' | 'wh' | 'warehouse'>,
  scan: string,
  lines: Array<{
    lineId: string;
    qty: number;
    condition: 'resaleable' | 'damaged' | 'wrong_item';
    reason?: string;
  }>,
) {
  const taken = await world.api.inject({
    method: 'POST',
    url: '/wms/returns/receipts',
    headers: { ...world.wh, 'idempotency-key': uniqueId('scan') },
    payload: { warehouse: world.warehouse, scan, lines },
  });
  expect(taken.statusCode, taken.body).toBe(202);
}

/** How a marketplace exchange's replacement order stands with its platform's upload (none: the case tells it). */
export async function replacementUpload(db: Db, replacementId: string) {
  return db
    .selectFrom('shipment_orders')
    .select(['upload_skipped', 'tracking_uploaded_at'])
    .where('order_id', '=', replacementId)
    .executeTakeFirstOrThrow();
}

/**
 * The stages a marketplace exchange answered the Douyin way passes, in order: asked, agreed on the
 * platform, the parcel awaited and inspected, the replacement started, the platform told its waybill.
 */
export const RECEIVED_HERE_EXCHANGE_STAGES = [
  'exchange_requested',
  'exchange_agreed',
  'platform_exchange_agree',
  'return_awaited',
  'return_inspected',
  'exchange_order_started',
  'platform_exchange_consign',
  'exchange_shipped',
];

/**
 * The warehouse works a marketplace exchange's replacement order like any parcel and hands it over;
 * waits until the case ends `exchanged`. The replacement's parcel (its waybill).
 */
export async function replacementShipped(
  world: Pick<MarketWorld, 'h' | 'api' | 'wh' | 'caseRow'>,
  replacementId: string,
  caseId: string,
) {
  await waitForStage(world.h.db, replacementId, 'allocated', PATIENCE_MS);
  const replacement = await labelledParcel(world.h, world.api, world.wh, replacementId, PATIENCE_MS);
  await handOver(world.api, world.wh, replacement.parcelId);
  await expect
    .poll(async () => (await world.caseRow(caseId))?.status, { timeout: PATIENCE_MS })
    .toBe('exchanged');
  return replacement;
}
