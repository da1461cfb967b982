import type { AfterSalePush } from '../domain/after-sales.js';
import type { Platform } from '../domain/platforms.js';
import { bodyHmacBase64 } from './kit/body-hmac.js';
import type { GeneratedOrder, LifecycleAction } from './orders/generator.js';
import { ownStorePayment } from './platforms/own.js';
import type { Sandbox } from './stack.js';

/**
 * After-sales cases for the demo (`npm run dev`), so the 售后 queue has real cases from the first
 * minute: on the own store, Taobao, Tmall, JD, PDD, Douyin, Shopee, Kuaishou and the WeChat
 * Channels shop, one paid order each whose
 * buyer asks for a refund of the first line about `delaySeconds` after it was placed, and nothing
 * else happens on the platform. Each reaches the ERP the platform's own way: Taobao's and Tmall's
 * refunds through TMC (the case reads `taobao.refund.get`), JD's refund apply, PDD's and Douyin's
 * after-sales lists, Shopee's through the return poll, Kuaishou's and WeChat's on the order (the
 * order sweep), the own store's as its signed case push
 * (`POST /webhooks/own/{shop}/after-sales`, once the ERP has the order). On Shopify, an order
 * fulfilled three days before the demo started (history to the ERP: captured, never worked) whose
 * buyer asks to return it (`returns/request`: a case waiting for a decision); on WooCommerce, a paid
 * order the merchant refunds in full in the store (`order.updated` naming the refund: a case
 * recorded refunded, nothing to decide). The live stream's own refunds add more as the demo runs.
 */
export interface DemoCase {
  platform: Platform;
  shopId: string;
  platformOrderId: string;
}

/** Demo shops whose cases come through the platform's after-sales API. */
const CASE_API_DEMOS = ['taobao', 'tmall', 'jd', 'pdd', 'douyin', 'shopee'] as const;
/**
 * The demo shops that get a case: the own store, the marketplaces whose simulated buyers ask for
 * refunds through the platform's own after-sales calls (TMC, the PMC or the poll, the apply or case
 * list), two newer channels whose orders show the refund (Kuaishou, WeChat Channels: the order
 * sweep), Shopify (a return request, by webhook) and WooCommerce (the merchant's refund, on the
 * order). Not yet: the other newer channels (the stream's refunds bring theirs).
 */
export const DEMO_CASE_PLATFORMS = [
  ...CASE_API_DEMOS,
  'kuaishou',
  'wechat_shop',
  'shopify',
  'woocommerce',
  'own',
] as const;
type DemoCasePlatform = (typeof DEMO_CASE_PLATFORMS)[number];

const DAY_MS = 24 * 3_600_000;

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
  }
  // Refunds on the platforms are played by the stream; the own store pushes its case itself.
  const own = cases.find((c) => c.platform === 'own');
  const settled = own ? pushOwnCase(sandbox, own, { ...options, delayMs, log }) : Promise.resolve();
  return { cases, settled };
}

/** The demo order's state when placed, and what its buyer (or merchant) does at `askAt`. */
function prepareDemoOrder(platform: DemoCasePlatform, order: GeneratedOrder, now: Date, askAt: Date) {
  order.paidMinor =
    order.items.reduce((s, i) => s + i.unitPriceMinor * i.quantity - i.discountMinor, 0) +
    order.shippingMinor -
    order.discountMinor;
  const at = (action: LifecycleAction) => ({ at: askAt, action });
  if (platform === 'shopify') {
    // Fulfilled before go-live: the ERP captures it as history (shipped on the platform, no work),
    // and the buyer's return request still becomes a case.
    const placed = new Date(now.getTime() - 3 * DAY_MS);
    order.status = 'shipped';
    order.createdAt = placed;
    order.paidAt = new Date(placed.getTime() + 60_000);
    order.shipment = {
      carrierCode: 'SF Express',
      trackingNumber: `SF${String(placed.getTime()).slice(-12)}`,
      shippedAt: new Date(placed.getTime() + DAY_MS),
    };
    order.modifiedAt = order.shipment.shippedAt;
    order.plan = [at('request_refund')];
    return;
  }
  // Paid now; the buyer asks soon after, and nobody on the platform answers.
  order.status = 'paid';
  order.paidAt = now;
  order.modifiedAt = now;
  order.plan =
    platform === 'own'
      ? []
      : platform === 'woocommerce'
        ? // WooCommerce has no buyer requests: the merchant refunds the whole order at once.
          [at('request_refund'), at('agree_refund'), at('complete_refund')]
        : [at('request_refund')];
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
