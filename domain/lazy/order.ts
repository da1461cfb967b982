import { z } from 'zod';
import { CarrierCodeSchema } from '../carriers/codes.js';
import { PlatformOrderIdSchema, ShopIdSchema } from '../ids.js';
import { PlatformSchema } from '../platforms.js';
import { builtOnce } from './built-once.js';
import { currencySchema, fenSchema } from './money.js';

/**
 * The unified order model every channel is normalized into. It is also the documented body of
 * our own order push (`POST /webhooks/own/:shopId`), so field names and messages are public API.
 */

/** The order's status as the platform reports it, mapped to one vocabulary across platforms. */
export const PLATFORM_ORDER_STATUSES = [
  'awaiting_payment',
  'deposit_paid',
  'paid',
  'partially_shipped',
  'shipped',
  'completed',
  'cancelled',
] as const;
export const platformOrderStatusSchema = builtOnce(() => z.enum(PLATFORM_ORDER_STATUSES));
export type PlatformOrderStatus = (typeof PLATFORM_ORDER_STATUSES)[number];

/**
 * `refused`: the seller refused the request (TOP `SELLER_REFUSE_BUYER`, PDD 驳回退款): the line ships
 * again, although the buyer may still change the request or escalate. `closed`: the case ended
 * without a refund (withdrawn, expired).
 */
export const REFUND_STATUSES = ['none', 'requested', 'refused', 'refunded', 'closed'] as const;
export const refundStatusSchema = builtOnce(() => z.enum(REFUND_STATUSES));
export type RefundStatus = (typeof REFUND_STATUSES)[number];

export const ORDER_TYPES = ['normal', 'presale', 'group_buy', 'livestream'] as const;
export const orderTypeSchema = builtOnce(() => z.enum(ORDER_TYPES));
export type OrderType = (typeof ORDER_TYPES)[number];

/**
 * A group-buy's group as the platform reports it: `forming` (PDD `group_status` 0 拼团中, TOP
 * `PAID_FORBID_CONSIGN`) is paid money the platform will not let ship yet; `failed` (PDD 2 团失败)
 * ends the order. Absent: the platform says nothing of a group (docs/order-semantics.md).
 */
export const GROUP_STATUSES = ['forming', 'formed', 'failed'] as const;
export const groupStatusSchema = builtOnce(() => z.enum(GROUP_STATUSES));
export type GroupStatus = (typeof GROUP_STATUSES)[number];

const isoDateTime = builtOnce(() =>
  z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time with offset' }),
);

const text = (max: number) => z.string().trim().max(max, `must be at most ${max} characters`);
const required = (max: number) => text(max).min(1, 'must not be empty');

/**
 * Protected receivers carry the platform's ciphertext in name/phone/detail (Douyin's run to 200+
 * characters), so those fields allow far more than any plaintext needs.
 */
export const receiverSchema = builtOnce(() =>
  z.object({
    name: required(512),
    phone: required(512),
    /** ISO 3166-1 alpha-2. */
    country: z
      .string()
      .regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as CN')
      .default('CN'),
    province: required(50),
    city: text(50).default(''),
    district: text(50).default(''),
    town: text(50).optional(),
    detail: required(1024),
    postalCode: text(20).optional(),
    /**
     * True when name/phone/detail are the platform's ciphertext or mask (Taobao OAID, PDD, Douyin);
     * the plaintext is only fetched through the platform's decrypt step when a waybill needs it.
     */
    protected: z.boolean().default(false),
    /**
     * Platform handle for protected receivers, stable for one receiver at one address (Taobao `oaid`,
     * Douyin and PDD `open_address_id`): merging compares it instead of the ciphertext.
     */
    addressHandle: text(512).optional(),
  }),
);
export type Receiver = z.infer<ReturnType<typeof receiverSchema>>;

export const orderLineSchema = builtOnce(() =>
  z.object({
    lineId: required(64),
    platformSkuId: text(64).default(''),
    /** The seller's outer SKU code, mapped to an internal SKU. */
    skuCode: required(64),
    title: text(200).default(''),
    quantity: z.number().int('must be a whole number').min(1, 'must be at least 1').max(100_000),
    unitPriceFen: fenSchema(),
    discountFen: fenSchema().default(0),
    /**
     * This line's refund, where the platform reports refunds per line (TOP sub-order `refund_status`,
     * a refund case naming its `oid`/SKU). Absent on every line: the order's `refundStatus` applies to
     * all of them (see domain/line-refunds.ts).
     */
    refundStatus: refundStatusSchema().optional(),
    /** Tax the platform charged on this line (VAT, GST, US sales tax), kept per line for reports. */
    taxFen: fenSchema().optional(),
  }),
);
export type OrderLine = z.infer<ReturnType<typeof orderLineSchema>>;

export const amountsSchema = builtOnce(() =>
  z.object({
    goodsFen: fenSchema(),
    discountFen: fenSchema().default(0),
    shippingFen: fenSchema().default(0),
    /** Tax the buyer pays on top (cross-border: Shopify, WooCommerce, Amazon); part of what is due. */
    taxFen: fenSchema().optional(),
    paidFen: fenSchema().default(0),
  }),
);
export type Amounts = z.infer<ReturnType<typeof amountsSchema>>;

export const presaleSchema = builtOnce(() =>
  z.object({
    depositFen: fenSchema(),
    balanceFen: fenSchema(),
    depositPaidAt: isoDateTime().optional(),
    balancePaidAt: isoDateTime().optional(),
    /** When the balance payment window opens (platforms announce it with the presale). */
    balanceStartsAt: isoDateTime().optional(),
    /** When it closes, when the platform says: the balance deadline (else the shop's window). */
    balanceEndsAt: isoDateTime().optional(),
  }),
);
export type Presale = z.infer<ReturnType<typeof presaleSchema>>;

/** The payment channels an own store or mini-program takes money through (refunds go back the same way). */
export const PAYMENT_CHANNEL_NAMES = ['alipay', 'wechatpay'] as const;

/**
 * How the buyer paid an own-store order: the channel and the store's trade number there
 * (`out_trade_no`). With it the ERP refunds through the channel by itself (a lost parcel refunded,
 * docs/order-semantics.md); the after-sales case push names it the same way.
 */
export const paymentRefSchema = builtOnce(() =>
  z.object({
    channel: z.enum(PAYMENT_CHANNEL_NAMES, { message: `must be one of ${PAYMENT_CHANNEL_NAMES.join(', ')}` }),
    /** The trade number the store paid under (`out_trade_no`). */
    outTradeNo: z.string().regex(/^[A-Za-z0-9_*|@-]{1,64}$/, 'must be 1–64 of 0-9 A-Z a-z _ - | * @'),
  }),
);
export type PaymentRef = z.infer<ReturnType<typeof paymentRefSchema>>;

/** An order as a channel pushes it, without the platform and shop (those come from the URL). */
export const orderPushSchema = builtOnce(() =>
  z.object({
    platformOrderId: PlatformOrderIdSchema,
    status: platformOrderStatusSchema(),
    refundStatus: refundStatusSchema().default('none'),
    type: orderTypeSchema().default('normal'),
    /** Group-buys: whether the group has formed; a forming group never ships. */
    groupStatus: groupStatusSchema().optional(),
    createdAt: isoDateTime(),
    paidAt: isoDateTime().optional(),
    /** The platform's last-modified time; older snapshots never overwrite newer ones. */
    modifiedAt: isoDateTime(),
    currency: currencySchema().default('CNY'),
    amounts: amountsSchema(),
    presale: presaleSchema().optional(),
    buyer: z.object({ id: required(128), nick: text(128).optional() }),
    receiver: receiverSchema(),
    lines: z
      .array(orderLineSchema())
      .min(1, 'must contain at least one line')
      .max(500, 'must contain at most 500 lines'),
    buyerRemark: text(1000).optional(),
    sellerMemo: text(1000).optional(),
    /** Promised ship-by time from the platform, when it states one. */
    shipBy: isoDateTime().optional(),
    /** Own store, mini-program: the channel and trade the buyer paid with (absent: refunds are the store's). */
    payment: paymentRefSchema().optional(),
  }),
);
export type OrderPush = z.infer<ReturnType<typeof orderPushSchema>>;

/**
 * How a foreign-currency order was converted to CNY at intake: the rate used (CNY per one unit of
 * the original currency, as recorded in the rate table), the date that rate took effect, and the
 * order's amounts in the original currency's minor unit.
 */
export const fxSchema = builtOnce(() =>
  z.object({
    originalCurrency: currencySchema(),
    rate: z.string().regex(/^\d+(\.\d+)?$/, 'must be a decimal such as 7.1234'),
    rateDate: isoDateTime(),
    originalAmounts: amountsSchema(),
  }),
);
export type Fx = z.infer<ReturnType<typeof fxSchema>>;

export const normalizedOrderSchema = builtOnce(() =>
  orderPushSchema().extend({
    platform: PlatformSchema,
    shopId: ShopIdSchema,
    /** Set by intake when the order was converted from another currency; amounts are then CNY. */
    fx: fxSchema().optional(),
    /** Chinese operator instructions read from the buyer remark (which is kept as written). */
    instructions: z.array(z.string()).optional(),
    /**
     * A carrier the platform promised the buyer (PDD `free_sf` → SF, Taobao `shipping_type` ems →
     * EMS, JD 京配 → JD), in our registry's codes, and which platform field said so.
     */
    platformCarrier: z.object({ carrier: CarrierCodeSchema, source: z.string().max(200) }).optional(),
  }),
);
export type NormalizedOrder = z.infer<ReturnType<typeof normalizedOrderSchema>>;

/**
 * Goods − discounts + shipping + tax: what the buyer owes, in fen. Tax counts: where a platform
 * charges it on top (Shopify `total_tax`, WooCommerce `total_tax`, Amazon `ItemTax`) the payment
 * includes it. Snapshots recorded before tax was kept have none.
 */
export function amountDue(amounts: Amounts): number {
  return amounts.goodsFen - amounts.discountFen + amounts.shippingFen + (amounts.taxFen ?? 0);
}

export function totalQuantity(order: Pick<NormalizedOrder, 'lines'>): number {
  return order.lines.reduce((sum, line) => sum + line.quantity, 0);
}

export function isPaidStatus(status: PlatformOrderStatus): boolean {
  return (
    status === 'paid' || status === 'partially_shipped' || status === 'shipped' || status === 'completed'
  );
}
