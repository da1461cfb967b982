import type { AfterSalePush } from '../domain/after-sales.js';
import type { Platform } from '../domain/platforms.js';
import { bodyHmacBase64 } from './kit/body-hmac.js';
import type { GeneratedOrder, LifecycleAction } from './orders/generator.js';
import { amount as amazonAmount } from './platforms/amazon/render.js';
import { ownStorePayment } from './platforms/own.js';
import type { Sandbox } from './stack.js';

/**
 * After-sales cases for the demo (`npm run dev`), so the 售后 queue has real cases from the first
 * minute, on every demo shop whose platform has after-sales here (docs/after-sales.md): one order
 * each, placed on the platform as it is when first shown, whose buyer (or merchant) acts about
 * `delaySeconds` after it was placed; nothing else happens on the platform. Each reaches the ERP
 * the platform's own way:
 *
 * - waiting for a decision: a paid order whose buyer asks for a refund of it — Taobao's and Tmall's
 *   through TMC (the case reads `taobao.refund.get`), JD's refund apply, PDD's, Douyin's and Temu's
 *   after-sales lists, Shopee's return poll; on the channels whose orders show an open refund
 *   (Kuaishou, Xiaohongshu, WeChat Channels, Weidian, 1688, Youzan, AliExpress) the order sweep; the
 *   own store's as its signed case push (`POST /webhooks/own/{shop}/after-sales`, once the ERP has
 *   the order), refunded through the payment simulator its order was paid with once agreed;
 *   Shopify's an order fulfilled three days before the demo started (history to the ERP: captured,
 *   never worked) whose buyer asks to return it (`returns/request`);
 * - recorded refunded, nothing to decide: WooCommerce's paid order the merchant refunds in full in
 *   the store (`order.updated` naming the refund); on TikTok Shop, Lazada, eBay and Walmart (their
 *   orders show only finished refunds) a paid two-line order whose first line is refunded on the
 *   platform;
 * - followed from Amazon's returns report: an MFN order shipped before the demo started whose buyer
 *   asked to return it a while ago (one row of the report; the case waits for the parcel).
 *
 * Not here, as they have no after-sales: Mercado Libre (no claims or returns call in the facts),
 * Dewu and VIP (after-sales not built: docs/platforms/dewu.md, vip.md). The live stream's own
 * refunds add more as the demo runs.
 */
export interface DemoCase {
  platform: Platform;
  shopId: string;
  platformOrderId: string;
}

/** Demo shops whose cases come through the platform's after-sales API. */
const CASE_API_DEMOS = ['taobao', 'tmall', 'jd', 'pdd', 'douyin', 'shopee', 'temu'] as const;
/**
 * The channels whose cases come with the order (no case API in the facts), as their simulated
 * orders show a refund: while it is open (the order sweep brings an open case) …
 */
export const SHOWS_OPEN_REFUNDS = [
  'kuaishou',
  'xiaohongshu',
  'wechat_shop',
  'weidian',
  'alibaba_1688',
  'youzan',
  'aliexpress',
] as const;
/**
 * … or only once it is done, as a line refunded on a live order (a whole order refunded reads as
 * cancelled there): the demo order has two lines, the first refunded.
 */
export const SHOWS_REFUNDED_ONLY = ['tiktok', 'lazada', 'ebay', 'walmart'] as const;
type RefundedOnly = (typeof SHOWS_REFUNDED_ONLY)[number];
/**
 * The demo shops that get a case: every platform with after-sales here (above), and the own store.
 * Mercado Libre, Dewu and VIP have none (docs/demo.md).
 */
export const DEMO_CASE_PLATFORMS = [
  ...CASE_API_DEMOS,
  ...SHOWS_OPEN_REFUNDS,
  ...SHOWS_REFUNDED_ONLY,
  'amazon',
  'shopify',
  'woocommerce',
  'own',
] as const;
type DemoCasePlatform = (typeof DEMO_CASE_PLATFORMS)[number];

const DAY_MS = 24 * 3_600_000;
const MINUTE_MS = 60_000;

const isRefundedOnly = (platform: Platform): platform is RefundedOnly =>
  (SHOWS_REFUNDED_ONLY as readonly string[]).includes(platform);

export function placeDemoCases(
  sandbox: Sandbox,
  options: { apiUrl: string; delaySeconds?: number; log?: (line: string) => void },
): { cases: DemoCase[]; settled: Promise<void> } {
  const delayMs = (options.delaySeconds ?? 20) * 1000;
  const log = options.log ?? (() => {});
  const cases: DemoCase[] = [];
  const now = new Date();
  const askAt = new Date(now.getTime() + delayMs);
  for (const platform of DEMO_CASE_PLATFORMS) {
    // Set up before the platform first shows the order: the ERP sees it as it is from the start.
    const [order] = sandbox.placeOrders(platform, {
      count: 1,
      scenario: 'refunds',
      seed: `demo-case-${now.getTime()}`,
      prepare: (o) => prepareDemoOrder(platform, o, now, askAt),
    });
    if (!order) continue;
    cases.push({ platform, shopId: sandbox.shop(platform).id, platformOrderId: order.id });
    if (platform === 'amazon') addAmazonReturn(sandbox, order, now);
  }
  // Refunds on the platforms are played by the stream; the own store pushes its case itself, and
  // the line refunds the stream cannot play are set on the platform when due.
  const settled = Promise.all(
    cases.map(async (demo) => {
      if (demo.platform === 'own') await pushOwnCase(sandbox, demo, { ...options, delayMs, log });
      else if (isRefundedOnly(demo.platform)) {
        await new Promise((r) => setTimeout(r, delayMs));
        refundFirstLine(sandbox, demo.platform, demo.platformOrderId);
      }
    }),
  ).then(() => undefined);
  return { cases, settled };
}

/** The demo order's state when placed, and what its buyer (or merchant) does at `askAt`. */
function prepareDemoOrder(platform: DemoCasePlatform, order: GeneratedOrder, now: Date, askAt: Date) {
  if (isRefundedOnly(platform) && order.items.length < 2) {
    // A second line that stays: only the first is refunded.
    const first = order.items[0]!;
    order.items.push({ ...first, lineId: anotherLineId(first.lineId) });
  }
  order.paidMinor =
    order.items.reduce((s, i) => s + i.unitPriceMinor * i.quantity - i.discountMinor, 0) +
    order.shippingMinor -
    order.discountMinor;
  const at = (action: LifecycleAction) => ({ at: askAt, action });
  if (platform === 'shopify' || platform === 'amazon') {
    // Fulfilled before go-live: the ERP captures it as history (shipped on the platform, no work),
    // and the buyer's return still becomes a case. Amazon's order list is read by the last update,
    // up to 150 s before now: two minutes ago is after every cursor a sync already passed (its
    // windows end 150 s before their rounds, a later start's too) and read within a minute.
    const placed = new Date(now.getTime() - 3 * DAY_MS);
    order.status = 'shipped';
    order.createdAt = placed;
    order.paidAt = new Date(placed.getTime() + 60_000);
    order.shipment = {
      carrierCode: 'SF Express',
      trackingNumber: `SF${String(placed.getTime()).slice(-12)}`,
      shippedAt: new Date(placed.getTime() + DAY_MS),
    };
    order.modifiedAt =
      platform === 'amazon' ? new Date(now.getTime() - 2 * MINUTE_MS) : order.shipment.shippedAt;
    order.plan = platform === 'amazon' ? [] : [at('request_refund')];
    return;
  }
  // Paid now; the buyer asks soon after, and nobody on the platform answers.
  order.status = 'paid';
  order.paidAt = now;
  order.modifiedAt = now;
  order.plan =
    platform === 'own' || isRefundedOnly(platform)
      ? []
      : platform === 'woocommerce'
        ? // WooCommerce has no buyer requests: the merchant refunds the whole order at once.
          [at('request_refund'), at('agree_refund'), at('complete_refund')]
        : [at('request_refund')];
}

/** Another line id of the platform's shape (the last digit changed). */
const anotherLineId = (lineId: string) =>
  /^\d+$/.test(lineId) ? `${lineId.slice(0, -1)}${(Number(lineId.at(-1)) + 1) % 10}` : `${lineId}2`;

/** The first line refunded on the platform, the order still live (its other line ships). */
function refundFirstLine(sandbox: Sandbox, platform: RefundedOnly, platformOrderId: string): void {
  const store = sandbox.platforms[platform].store;
  const shopKey = sandbox.shop(platform).platformShopId;
  const at = new Date();
  store.update(
    shopKey,
    platformOrderId,
    (o) => {
      const line = o.items[0]!;
      o.refund = {
        id: `2${o.id.replace(/\D/g, '').slice(-9).padStart(9, '0')}${String(at.getTime()).slice(-6)}`,
        status: 'refunded',
        kind: 'refund_only',
        amountMinor: line.unitPriceMinor * line.quantity - line.discountMinor,
        reason: '拍错了/不想要了',
        createdAt: at,
        modifiedAt: at,
        lineIds: [line.lineId],
      };
    },
    at,
  );
}

/**
 * The buyer's return of the Amazon order's first line, as the seller's MFN returns report lists it
 * (requested half an hour ago: inside any report the shop sync asks for from now on).
 */
function addAmazonReturn(sandbox: Sandbox, order: GeneratedOrder, now: Date): void {
  const line = order.items[0]!;
  sandbox.amazonReturns.add(order.shopKey, {
    orderId: order.id,
    orderDate: order.createdAt,
    returnRequestDate: new Date(now.getTime() - 30 * MINUTE_MS),
    status: 'Approved',
    amazonRmaId: `D${order.id.replace(/\D/g, '').slice(-12)}`,
    asin: line.platformSkuId,
    merchantSku: line.skuCode,
    itemName: line.title,
    quantity: 1,
    reason: 'NOT_AS_DESCRIBED',
    currencyCode: order.currency,
    orderAmount: amazonAmount(order.paidMinor, order.currency),
    orderQuantity: order.items.reduce((s, i) => s + i.quantity, 0),
  });
}

async function pushOwnCase(
  sandbox: Sandbox,
  demo: DemoCase,
  options: { apiUrl: string; delayMs: number; log: (line: string) => void },
): Promise<void> {
  const order = sandbox.own.store.get(sandbox.shop('own').platformShopId, demo.platformOrderId);
  if (!order) return;
  const line = order.items[0]!;
  // The trade the store's order push named (the stack opened it), else one in Alipay.
  const payment = ownStorePayment(order) ?? {
    channel: 'alipay' as const,
    outTradeNo: `DEMO${order.id.replace(/[^A-Za-z0-9]/g, '').slice(-20)}`,
  };
  sandbox.payments[payment.channel].book.openTrade({
    outTradeNo: payment.outTradeNo,
    totalFen: order.paidMinor,
  });
  const push: AfterSalePush = {
    caseId: `AS-${order.id.replace(/[^A-Za-z0-9_.-]/g, '').slice(-40)}`,
    platformOrderId: order.id,
    kind: 'refund_only',
    reason: '拍错了/不想要了',
    createdAt: new Date().toISOString(),
    lines: [
      {
        lineId: line.lineId,
        quantity: line.quantity,
        refundFen: line.unitPriceMinor * line.quantity - line.discountMinor,
      },
    ],
    payment,
  };
  const body = JSON.stringify(push);
  const url = `${options.apiUrl.replace(/\/$/, '')}/webhooks/own/${encodeURIComponent(demo.shopId)}/after-sales`;
  // The ERP takes the case once it has the order (422 until then): the store tries again.
  const deadline = Date.now() + 10 * 60_000;
  await new Promise((r) => setTimeout(r, options.delayMs));
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-erp-hmac-sha256': bodyHmacBase64(sandbox.own.webhookSecret, body),
        },
        body,
      });
      await res.arrayBuffer();
      if (res.ok) return;
      if (res.status !== 422 && res.status < 500) {
        options.log(`own store case push answered ${res.status}`);
        return;
      }
    } catch {
      // The API is starting or gone: try again.
    }
    await new Promise((r) => setTimeout(r, 3_000));
  }
  options.log(`own store case push for ${order.id} gave up: the ERP never took the order`);
}
