import type { Platform } from '../../domain/platforms.js';
import type { OrderType } from '../../domain/order.js';
import { CATALOGUE, type CatalogueSku } from './catalogue.js';
import type { SimOrder, SimOrderItem, SimReceiver, SimRefund } from './model.js';
import { CHINESE_REMARKS, FOREIGN_REMARKS, GIVEN_NAMES, SELLER_MEMOS, SURNAMES } from './people.js';
import { createRng, type Rng } from './prng.js';
import { CHINA_REGIONS, FOREIGN_ADDRESSES, MARKET_ADDRESSES } from './regions.js';

/**
 * Deterministic, realistic order streams for the simulators. The same options always produce the
 * same orders (ids, buyers, times, amounts), so a test or a demo names a seed instead of a fixture.
 *
 * Orders are returned as they look when placed; each carries its planned future (`plan`: pay,
 * cancel, refund…) which `applyLifecycle` plays forward to a given time.
 */
export const SCENARIOS = [
  /** A day of trading: a diurnal curve, most orders paid within minutes, a few abandoned or refunded. */
  'normal_day',
  /** A livestream burst: thousands of orders within a minute on a few SKUs, paid within seconds. */
  'livestream_burst',
  /** Orders cancelled before payment (buyer cancels or the unpaid timeout closes them). */
  'cancellations',
  /** Paid orders that go on to refunds: refund only before shipping, some refused or withdrawn. */
  'refunds',
  /** Presale: deposit paid now, balance paid when the balance window opens (some forfeit). */
  'presale',
  /** Cross-border: foreign receivers, local currencies, remarks in the buyers' languages. */
  'cross_border',
  /** Group-buy (拼团) orders. */
  'group_buy',
] as const;
export type Scenario = (typeof SCENARIOS)[number];

export type LifecycleAction =
  | 'pay'
  | 'pay_balance'
  | 'cancel'
  | 'request_refund'
  | 'agree_refund'
  | 'refuse_refund'
  | 'complete_refund'
  | 'withdraw_refund';

export interface PlannedStep {
  at: Date;
  action: LifecycleAction;
}

export interface GeneratedOrder extends SimOrder {
  /** What will happen to the order, in time order; `applyLifecycle` consumes it. */
  plan: PlannedStep[];
}

export interface GenerateOptions {
  seed: string | number;
  platform: Platform;
  /** The platform's shop identity that owns the orders (Taobao nick, PDD mall id, …). */
  shopKey: string;
  scenario: Scenario;
  count: number;
  /** When the stream starts. */
  start: Date;
  /** For presale: when the balance window opens (default: start + 1 day). */
  balanceStartsAt?: Date;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Hourly order share over a China-time day: quiet at night, peaks late morning and evening. */
const DIURNAL = [2, 1, 1, 0.5, 0.5, 0.5, 1, 2, 4, 6, 8, 8, 7, 6, 6, 6, 6, 6, 7, 9, 11, 12, 10, 5];

/** Fen → a currency's minor units at a fixed demo rate (VND and JPY have no minor unit). */
const FX_PER_CNY_FEN: Record<string, number> = {
  CNY: 1,
  USD: 0.14,
  GBP: 0.11,
  EUR: 0.13,
  JPY: 0.21,
  SGD: 0.19,
  MYR: 0.65,
  VND: 34,
  THB: 5,
  PHP: 8,
  BRL: 0.78,
};

export function generateOrders(options: GenerateOptions): GeneratedOrder[] {
  const rng = createRng(`${options.seed}|${options.platform}|${options.shopKey}|${options.scenario}`);
  const ids = new Set<string>();
  const orders: GeneratedOrder[] = [];
  const livestreamSkus = pickLivestreamSkus(rng);
  for (let i = 0; i < options.count; i++) {
    const createdAt = placementTime(rng, options, i);
    let id = orderId(rng, options.platform, createdAt);
    while (ids.has(id)) id = orderId(rng, options.platform, createdAt);
    ids.add(id);
    orders.push(buildOrder(rng, options, id, createdAt, livestreamSkus));
  }
  return orders.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id));
}

function placementTime(rng: Rng, options: GenerateOptions, index: number): Date {
  const start = options.start.getTime();
  switch (options.scenario) {
    case 'livestream_burst':
      // Everyone taps "buy" within the minute the host announces the deal.
      return new Date(start + Math.floor(rng.next() * MINUTE));
    case 'normal_day': {
      const chinaHourAtStart = new Date(start + 8 * HOUR).getUTCHours();
      const hour = rng.weighted(DIURNAL.map((weight, h) => [h, weight] as const));
      const offsetHours = (hour - chinaHourAtStart + 24) % 24;
      return new Date(start + offsetHours * HOUR + Math.floor(rng.next() * HOUR));
    }
    default:
      // Spread over a few hours, in order.
      return new Date(start + index * rng.int(20_000, 120_000) + rng.int(0, 10_000));
  }
}

/** Platforms whose demo shop sells in one foreign market, by country. */
const SINGLE_MARKET: Partial<Record<Platform, string>> = {
  lazada: 'SG',
  tiktok: 'MY',
  ebay: 'US',
  walmart: 'US',
  mercadolibre: 'BR',
  aliexpress: 'US',
  temu: 'US',
};

/** Platforms whose orders have exactly one SKU line. */
const ONE_LINE_PLATFORMS: readonly Platform[] = ['kuaishou', 'dewu'];

function pickLivestreamSkus(rng: Rng): CatalogueSku[] {
  const stars = CATALOGUE.filter((s) => s.livestream);
  const first = rng.pick(stars);
  return rng.chance(0.5) ? [first] : [first, rng.pick(stars.filter((s) => s !== first))];
}

function buildOrder(
  rng: Rng,
  options: GenerateOptions,
  id: string,
  createdAt: Date,
  livestreamSkus: CatalogueSku[],
): GeneratedOrder {
  const { scenario, platform } = options;
  // A Lazada or TikTok Shop shop sells in one market (the demos': Singapore, Malaysia): every
  // order is cross-border.
  const market = SINGLE_MARKET[platform];
  const crossBorder = scenario === 'cross_border' || market !== undefined;
  const foreign = market
    ? [...FOREIGN_ADDRESSES, ...MARKET_ADDRESSES].find((a) => a.country === market)
    : crossBorder
      ? rng.pick(FOREIGN_ADDRESSES)
      : undefined;
  const currency = foreign?.currency ?? 'CNY';
  const convert = (fen: number) => Math.max(1, Math.round(fen * (FX_PER_CNY_FEN[currency] ?? 1)));

  const drawn =
    scenario === 'livestream_burst'
      ? [rng.pick(livestreamSkus)]
      : distinct(
          rng,
          CATALOGUE,
          rng.weighted([
            [1, 6],
            [2, 3],
            [3, 1],
          ] as const),
        );
  // Kuaishou orders carry one SKU line each (its `orderItemInfo` is a single object).
  const skus = ONE_LINE_PLATFORMS.includes(platform) ? drawn.slice(0, 1) : drawn;
  const items: SimOrderItem[] = skus.map((sku, index) => {
    const quantity =
      scenario === 'livestream_burst'
        ? rng.int(1, 3)
        : rng.weighted([
            [1, 7],
            [2, 2],
            [3, 1],
          ] as const);
    const unitPriceMinor = convert(sku.priceFen);
    const discountMinor = rng.chance(0.25) ? Math.round(unitPriceMinor * quantity * 0.1) : 0;
    return {
      lineId: lineId(rng, platform, id, index, skus.length, sku),
      platformSkuId: platformSkuId(platform, sku.code),
      skuCode: sku.code,
      title: sku.title,
      spec: sku.spec,
      quantity,
      unitPriceMinor,
      discountMinor,
    };
  });
  const goods = items.reduce((sum, i) => sum + i.unitPriceMinor * i.quantity - i.discountMinor, 0);
  const discountMinor =
    goods > convert(5_000) && rng.chance(0.3) ? convert(rng.pick([500, 1_000, 2_000])) : 0;
  const shippingMinor = crossBorder
    ? convert(rng.pick([3_000, 4_500, 6_000]))
    : rng.chance(0.15)
      ? rng.pick([800, 1_000, 1_200])
      : 0;
  const due = goods - discountMinor + shippingMinor;

  const type: OrderType =
    scenario === 'livestream_burst'
      ? 'livestream'
      : scenario === 'presale'
        ? 'presale'
        : scenario === 'group_buy'
          ? 'group_buy'
          : 'normal';
  const buyerRemark = crossBorder
    ? rng.chance(0.7)
      ? rng.pick(FOREIGN_REMARKS)
      : undefined
    : rng.chance(scenario === 'livestream_burst' ? 0.05 : 0.3)
      ? rng.pick(CHINESE_REMARKS)
      : undefined;
  const sellerMemo = rng.chance(0.1) ? rng.pick(SELLER_MEMOS) : undefined;

  const order: GeneratedOrder = {
    id,
    shopKey: options.shopKey,
    status: 'unpaid',
    type,
    createdAt,
    modifiedAt: createdAt,
    currency,
    items,
    shippingMinor,
    discountMinor,
    paidMinor: 0,
    buyer: buyerOf(rng, platform),
    receiver: foreign ? foreignReceiver(rng, foreign) : chineseReceiver(rng),
    ...(buyerRemark ? { buyerRemark } : {}),
    ...(sellerMemo ? { sellerMemo } : {}),
    // One live room per burst (Douyin renders it as the sku orders' room_id).
    ...(type === 'livestream' ? { liveRoomId: liveRoomOf(String(options.seed)) } : {}),
    plan: [],
  };
  planLifecycle(rng, options, order, due);
  return order;
}

/** A numeric live-room id, the same for every order of one seed. */
function liveRoomOf(seed: string): string {
  let hash = 7;
  for (const ch of seed) hash = (hash * 31 + ch.charCodeAt(0)) % 1_000_000_007;
  return `73${String(hash).padStart(17, '0')}`;
}

/** Sets the state at placement and the planned steps after it. */
function planLifecycle(rng: Rng, options: GenerateOptions, order: GeneratedOrder, due: number): void {
  const t0 = order.createdAt.getTime();
  const at = (ms: number) => new Date(t0 + ms);
  const payNow = (delayMs: number) => {
    order.status = 'paid';
    order.paidAt = at(delayMs);
    order.modifiedAt = order.paidAt;
    order.paidMinor = due;
  };
  const refundPlan = (from: number) => {
    const requested = from + rng.int(10, 180) * MINUTE;
    order.plan.push({ at: at(requested), action: 'request_refund' });
    const outcome = rng.weighted([
      ['complete', 75],
      ['refuse', 15],
      ['withdraw', 10],
    ] as const);
    if (outcome === 'complete') {
      const agreed = requested + rng.int(5, 120) * MINUTE;
      order.plan.push({ at: at(agreed), action: 'agree_refund' });
      order.plan.push({ at: at(agreed + rng.int(1, 30) * MINUTE), action: 'complete_refund' });
    } else {
      order.plan.push({
        at: at(requested + rng.int(30, 240) * MINUTE),
        action: outcome === 'refuse' ? 'refuse_refund' : 'withdraw_refund',
      });
    }
  };

  switch (options.scenario) {
    case 'livestream_burst':
      order.plan.push({ at: at(rng.int(2_000, 45_000)), action: 'pay' });
      break;
    case 'cancellations':
      // Buyers change their minds, or the 30-minute unpaid timeout closes the order.
      order.plan.push({ at: at(rng.chance(0.6) ? rng.int(1, 25) * MINUTE : 30 * MINUTE), action: 'cancel' });
      break;
    case 'refunds':
      payNow(rng.int(10_000, 120_000));
      refundPlan(order.paidAt!.getTime() - t0);
      break;
    case 'presale': {
      const deposit = Math.max(1, Math.round(due * 0.2));
      const depositPaidAt = at(rng.int(10_000, 120_000));
      const balanceStartsAt = options.balanceStartsAt ?? new Date(options.start.getTime() + 24 * HOUR);
      order.status = 'deposit_paid';
      order.modifiedAt = depositPaidAt;
      order.paidMinor = deposit;
      order.presale = { depositMinor: deposit, balanceMinor: due - deposit, depositPaidAt };
      const opensIn = Math.max(balanceStartsAt.getTime() - t0, depositPaidAt.getTime() - t0 + 1_000);
      if (rng.chance(0.85))
        order.plan.push({ at: at(opensIn + rng.int(1, 360) * MINUTE), action: 'pay_balance' });
      else order.plan.push({ at: at(opensIn + 72 * HOUR), action: 'cancel' });
      break;
    }
    case 'cross_border':
    case 'group_buy':
      payNow(rng.int(15_000, 300_000));
      if (rng.chance(0.05)) refundPlan(order.paidAt!.getTime() - t0);
      break;
    case 'normal_day': {
      const fate = rng.weighted([
        ['pay', 85],
        ['abandon', 10],
        ['pay_then_refund', 5],
      ] as const);
      if (fate === 'abandon') {
        order.plan.push({ at: at(30 * MINUTE), action: 'cancel' });
        break;
      }
      const paid = rng.int(20, 20 * 60) * 1000;
      order.plan.push({ at: at(paid), action: 'pay' });
      if (fate === 'pay_then_refund') refundPlan(paid);
      break;
    }
  }
  order.plan.sort((a, b) => a.at.getTime() - b.at.getTime());
}

/** Goods − discounts + shipping: what the buyer owes. */
function amountDue(order: SimOrder): number {
  const goods = order.items.reduce((sum, i) => sum + i.unitPriceMinor * i.quantity - i.discountMinor, 0);
  return goods - order.discountMinor + order.shippingMinor;
}

export interface LifecycleChange {
  orderId: string;
  action: LifecycleAction;
  at: Date;
}

/**
 * Plays each order's plan forward to `now`: every step due by then is applied (in time order) and
 * removed from the plan, and `modifiedAt` moves to the step's time. Steps whose moment has passed
 * the order by (paying a cancelled order, a pre-shipment refund on a shipped one) are dropped.
 * Returns what changed, so a simulator can upsert those orders and emit pushes for them.
 */
export function applyLifecycle(orders: GeneratedOrder | GeneratedOrder[], now: Date): LifecycleChange[] {
  const changes: LifecycleChange[] = [];
  for (const order of Array.isArray(orders) ? orders : [orders]) {
    while (order.plan.length > 0 && order.plan[0]!.at <= now) {
      const step = order.plan.shift()!;
      if (applyStep(order, step)) {
        order.modifiedAt = step.at;
        changes.push({ orderId: order.id, action: step.action, at: step.at });
      }
    }
  }
  return changes.sort((a, b) => a.at.getTime() - b.at.getTime());
}

function applyStep(order: GeneratedOrder, step: PlannedStep): boolean {
  const due = amountDue(order);
  switch (step.action) {
    case 'pay':
      if (order.status !== 'unpaid') return false;
      order.status = 'paid';
      order.paidAt = step.at;
      order.paidMinor = due;
      return true;
    case 'pay_balance':
      if (order.status !== 'deposit_paid' || !order.presale) return false;
      order.status = 'paid';
      order.paidAt = step.at;
      order.paidMinor = due;
      order.presale.balancePaidAt = step.at;
      return true;
    case 'cancel':
      if (order.status !== 'unpaid' && order.status !== 'deposit_paid') return false;
      order.status = 'cancelled';
      return true;
    case 'request_refund': {
      if (order.status !== 'paid' && order.status !== 'shipped' && order.status !== 'completed') return false;
      const afterShipping = order.status !== 'paid';
      const refund: SimRefund = {
        id: `2${order.id.replace(/\D/g, '').slice(-9).padStart(9, '0')}${String(step.at.getTime()).slice(-6)}`,
        status: 'requested',
        kind: afterShipping ? 'return_and_refund' : 'refund_only',
        amountMinor: order.paidMinor,
        reason: afterShipping ? '商品与描述不符' : '拍错了/不想要了',
        createdAt: step.at,
        modifiedAt: step.at,
      };
      order.refund = refund;
      return true;
    }
    case 'agree_refund':
      return moveRefund(
        order,
        step.at,
        ['requested'],
        order.refund?.kind === 'return_and_refund' ? 'agreed' : 'agreed',
      );
    case 'refuse_refund':
      return moveRefund(order, step.at, ['requested'], 'refused');
    case 'withdraw_refund':
      return moveRefund(order, step.at, ['requested', 'refused'], 'closed');
    case 'complete_refund': {
      if (!moveRefund(order, step.at, ['agreed', 'returning'], 'refunded')) return false;
      // A full refund before shipping closes the order.
      if (order.status === 'paid' && order.refund!.kind === 'refund_only') order.status = 'cancelled';
      return true;
    }
  }
}

function moveRefund(
  order: SimOrder,
  at: Date,
  from: SimRefund['status'][],
  to: SimRefund['status'],
): boolean {
  if (!order.refund || !from.includes(order.refund.status)) return false;
  order.refund.status = to;
  order.refund.modifiedAt = at;
  return true;
}

function distinct<T>(rng: Rng, items: readonly T[], count: number): T[] {
  const pool = [...items];
  const out: T[] = [];
  while (out.length < count && pool.length > 0) out.push(pool.splice(rng.int(0, pool.length - 1), 1)[0]!);
  return out;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

function chinaDate(date: Date) {
  const t = new Date(date.getTime() + 8 * HOUR);
  return {
    yy: pad(t.getUTCFullYear() % 100),
    mm: pad(t.getUTCMonth() + 1),
    dd: pad(t.getUTCDate()),
    yyyy: String(t.getUTCFullYear()),
  };
}

/** Order ids in each platform's own shape; Taobao and Douyin ids are 19 digits, beyond 2^53. */
function orderId(rng: Rng, platform: Platform, createdAt: Date): string {
  const d = chinaDate(createdAt);
  switch (platform) {
    case 'taobao':
    case 'tmall':
      return `${rng.pick(['3', '4'])}${rng.digits(18)}`;
    case 'douyin':
      return `69${rng.digits(17)}`;
    case 'pdd':
      return `${d.yy}${d.mm}${d.dd}-${rng.digits(15)}`;
    case 'jd':
      return `${rng.pick(['2', '3'])}${rng.digits(11)}`;
    case 'shopee':
      return `${d.yy}${d.mm}${d.dd}${Array.from({ length: 8 }, () => rng.pick([...'0123456789ABCDEFGHJKMNPQRSTUVWXYZ'])).join('')}`;
    case 'amazon':
      return `${rng.int(111, 114)}-${rng.digits(7)}-${rng.digits(7)}`;
    case 'shopify':
      return rng.digits(13);
    case 'woocommerce':
      return String(rng.int(1_000, 99_999));
    case 'kuaishou':
      // Kuaishou oids are 16-digit JSON numbers (2607602240240301 in a captured message).
      return `2${rng.digits(15)}`;
    case 'lazada':
      // Lazada order ids are 15–16-digit JSON numbers (MORE-CHANNELS §8.3).
      return `${rng.int(1, 9)}${rng.digits(14)}`;
    case 'tiktok':
      // TikTok Shop order ids are 18-digit strings (580193230867958565, MORE-CHANNELS §7.3).
      return `57${rng.digits(16)}`;
    case 'xiaohongshu':
      // Xiaohongshu order ids are strings such as P718870545250225361.
      return `P7${rng.digits(17)}`;
    case 'wechat_shop':
      // WeChat Channels shop order ids are strings of 19 digits (3705115058471208928, §3.3).
      return `37${rng.digits(17)}`;
    case 'ebay':
      // eBay order ids: `NN-NNNNN-NNNNN` strings (the legacy `item!transaction` form is §10's example).
      return `${rng.digits(2)}-${rng.digits(5)}-${rng.digits(5)}`;
    case 'walmart':
      // Walmart purchaseOrderIds are numeric strings (13 digits in Walmart's samples).
      return `${rng.int(1, 9)}${rng.digits(12)}`;
    case 'mercadolibre':
      // 16-digit JSON numbers (2000003508419013 in the official sample, §13).
      return `2000${rng.digits(12)}`;
    case 'weidian':
      // Digit strings (the simulator's own: Weidian's ids are not in the facts).
      return `79${rng.digits(13)}`;
    case 'alibaba_1688':
      // 18-digit Longs beyond 2^53 (193441303243969811 in the doc's example; sent with idOfStr).
      return `19${rng.digits(16)}`;
    case 'vip':
      // Order ids are strings (the SDK's `order_id`); their form is not in our sources: 14 digits of our own.
      return `${d.yyyy.slice(2)}${d.mm}${d.dd}${rng.digits(8)}`;
    case 'temu':
      // Parent order numbers `PO-211-` + 17 digits (PO-211-21905452099192792 in the partner docs).
      return `PO-211-${rng.digits(17)}`;
    case 'dewu':
      // Digit strings past 2^53 (the simulator's own: Dewu's order numbers are not in the facts).
      return `110${rng.digits(16)}`;
    case 'aliexpress':
      // 16-digit numbers close to 2^53 (3031265788145237 in an ERP dump, §9).
      return `30${rng.digits(14)}`;
    case 'youzan': {
      // `E` + the time to the second + 9 digits (E20200828154641023700067, §4.3, secondary).
      const t = new Date(createdAt.getTime() + 8 * HOUR).toISOString().replace(/\D/g, '').slice(0, 14);
      return `E${t}${rng.digits(9)}`;
    }
    case 'own':
      return `OWN${d.yyyy}${d.mm}${d.dd}${rng.digits(6)}`;
  }
}

function lineId(
  rng: Rng,
  platform: Platform,
  id: string,
  index: number,
  lines: number,
  sku: CatalogueSku,
): string {
  switch (platform) {
    case 'taobao':
    case 'tmall':
      // A single-line trade's oid is its tid.
      return lines === 1 ? id : `${id.slice(0, 1)}${rng.digits(18)}`;
    case 'douyin':
      return `69${rng.digits(17)}`;
    case 'kuaishou':
      return `${id.slice(0, 1)}${rng.digits(15)}`;
    case 'lazada':
      // The seller's line; each unit of it gets its own order_item_id in the simulator.
      return `${rng.int(1, 9)}${rng.digits(12)}`;
    case 'tiktok':
      // The seller's line; each unit of it is its own line item (this id and the unit's digit).
      return `57${rng.digits(15)}`;
    case 'ebay':
      return `${rng.int(1, 9)}${rng.digits(13)}`;
    case 'weidian':
      // Sub-order ids (the simulator's own).
      return `88${rng.digits(11)}`;
    case 'alibaba_1688':
      // Sub-order ids: 18-digit Longs like the order's (subItemIDString).
      return `19${rng.digits(16)}`;
    case 'temu':
      // Sub-order numbers `211-` + 17 digits (211-21905473070712792 in the partner docs).
      return `211-${rng.digits(17)}`;
    case 'dewu':
      // A Dewu order is one SKU: its line is the order itself.
      return id;
    case 'aliexpress':
      // Child order ids: 16-digit numbers like the order's.
      return `30${rng.digits(14)}`;
    case 'youzan':
      // Line ids (oid) of 19 digits (the simulator sends them as bare JSON numbers).
      return `14${rng.digits(17)}`;
    case 'pdd':
    case 'jd':
    case 'xiaohongshu':
    case 'wechat_shop':
    case 'vip':
      // These platforms have no line ids; their lines are told apart by SKU.
      return platformSkuId(platform, sku.code);
    default:
      return String(index + 1);
  }
}

/** The platform's own SKU id for a catalogue code: stable, so listings and refunds agree. */
export function platformSkuId(platform: Platform, skuCode: string): string {
  let h = 2166136261;
  for (const ch of `${platform}|${skuCode}`) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  const digits = (n: number) =>
    (String(h) + String(Math.imul(h, 2654435761) >>> 0) + '0000000000').slice(0, n);
  switch (platform) {
    case 'taobao':
    case 'tmall':
      return `5${digits(12)}`;
    case 'pdd':
      return `1${digits(11)}`;
    case 'jd':
      return `10${digits(10)}`;
    case 'douyin':
      return `17${digits(14)}`;
    case 'kuaishou':
      return `8${digits(12)}`;
    case 'tiktok':
      return `17${digits(17)}`;
    case 'xiaohongshu':
      // Xiaohongshu SKU ids are 24 hex digits.
      return `64${[h, Math.imul(h, 2654435761) >>> 0, Math.imul(h, 40503) >>> 0]
        .map((n) => n.toString(16).padStart(8, '0'))
        .join('')
        .slice(0, 22)}`;
    case 'wechat_shop':
      // WeChat SKU ids are 64-bit numbers sent as strings.
      return `2${digits(18)}`;
    case 'vip':
      // Barcodes (条形码), 13 digits like an EAN-13.
      return `69${digits(11)}`;
    case 'amazon':
      return `B0${(h.toString(36).toUpperCase() + 'XXXXXXXX').slice(0, 8)}`;
    default:
      return digits(10);
  }
}

function buyerOf(rng: Rng, platform: Platform): { id: string; nick: string } {
  const raw = rng.digits(10);
  switch (platform) {
    case 'taobao':
    case 'tmall':
      return { id: `tb${raw}`, nick: `${rng.pick(['t', 'x', 'y', 'z', 'l'])}**${rng.int(1, 9)}` };
    case 'jd':
      return { id: `jd_${raw}`, nick: `jd_${raw.slice(0, 3)}***` };
    case 'pdd':
      return { id: `pdd${raw}`, nick: `拼多多用户${raw.slice(-4)}` };
    default:
      return { id: `${platform}-${raw}`, nick: `buyer${raw.slice(-4)}` };
  }
}

function chineseReceiver(rng: Rng): SimReceiver {
  const province = rng.weighted(CHINA_REGIONS.map((p) => [p, p.weight] as const));
  const city = rng.pick(province.cities);
  const district = rng.pick(city.districts);
  const street = rng.pick(district.streets);
  const building = rng.chance(0.6)
    ? `${rng.pick(['华星', '阳光', '金色', '绿城', '万科'])}${rng.pick(['花园', '大厦', '公寓', '小区'])}${rng.int(1, 30)}幢${rng.int(1, 30)}0${rng.int(1, 6)}室`
    : '';
  return {
    name: `${rng.pick(SURNAMES)}${rng.pick(GIVEN_NAMES)}`,
    phone: `1${rng.pick(['3', '5', '7', '8', '9'])}${rng.digits(9)}`,
    country: 'CN',
    province: province.province,
    city: city.city,
    district: district.name,
    town: rng.pick(district.towns),
    detail: `${street}${rng.int(1, 999)}号${building}`,
    postalCode: city.postalCode,
  };
}

function foreignReceiver(rng: Rng, address: (typeof FOREIGN_ADDRESSES)[number]): SimReceiver {
  return {
    name: rng.pick(address.names),
    phone: address.phone,
    country: address.country,
    province: address.province,
    city: address.city,
    district: '',
    detail: address.detail,
    postalCode: address.postalCode,
  };
}
