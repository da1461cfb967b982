import { amountToMinor } from '../../../domain/money.js';
import {
  NormalizedOrderSchema,
  type NormalizedOrder,
  type OrderLine,
  type PlatformOrderStatus,
  type Receiver,
  type RefundStatus,
} from '../../../domain/order.js';
import type { RefundCaseStatus, RefundInfo } from '../types.js';
import type { ShopeeEscrow, ShopeeItem, ShopeeOrder, ShopeeReturn } from './wire.js';

/**
 * Shopee order → our order. Pure.
 *
 * | Shopee `order_status` | ours             | refund    | meaning                                   |
 * |-----------------------|------------------|-----------|-------------------------------------------|
 * | UNPAID, PENDING       | awaiting_payment |           | not paid yet                              |
 * | READY_TO_SHIP         | paid             |           | paid, arrange shipment                    |
 * | PROCESSED, RETRY_SHIP | paid             |           | shipment arranged, not handed over yet    |
 * | INVOICE_PENDING       | paid             |           | paid, waiting for the seller's invoice (BR)|
 * | IN_CANCEL             | paid             | requested | buyer asked to cancel before shipping     |
 * | SHIPPED               | shipped          |           |                                           |
 * | TO_CONFIRM_RECEIVE    | shipped          |           | delivered, buyer has not confirmed        |
 * | TO_RETURN             | shipped          | requested | return in progress                        |
 * | COMPLETED             | completed        |           |                                           |
 * | CANCELLED             | cancelled        |           |                                           |
 *
 * Money: prices are floats in the order's own currency; each becomes minor units of that currency
 * (×100, or ×1 for zero-decimal currencies such as VND and IDR) from its exact text. Goods = Σ
 * original price × qty, line discount = (original − discounted) × qty, shipping =
 * `estimated_shipping_fee` (what the buyer was quoted), paid = `total_amount` once paid — cash on
 * delivery orders (`cod`) count as paid at READY_TO_SHIP, as Shopee lets them ship. Vouchers (the
 * shop's and Shopee's), coins, payment promotions and shipping subsidies are not in the order
 * detail: when `total_amount` differs from the discounted items and shipping, the adapter reads the
 * order's escrow detail and passes it here; its vouchers, coins and payment promotion count as
 * discount, `buyer_paid_shipping_fee` as shipping, `buyer_transaction_fee` and `cross_border_tax` as
 * tax. Due is never derived from `total_amount`: without the escrow a gap stays for the payment
 * audit ([docs/payments.md](../../../docs/payments.md)).
 * Receivers are masked per market (`N****n`, `******89`, `****`) and Shopee has no decrypt API, so
 * a masked receiver stays `protected` and ships only through Shopee's own logistics.
 * Shopee has no presale or group-buy order type in the order API: every order is `normal`.
 */
export function normalizeShopeeOrder(
  order: ShopeeOrder,
  shopId: string,
  escrow?: ShopeeEscrow,
): NormalizedOrder {
  const currency = order.currency.toUpperCase();
  const minor = (value: number | string) => amountToMinor(value, currency);
  const { status, refund } = shopeeStatus(order.order_status);
  const lines = order.item_list.map((item) => line(item, minor));
  const goodsFen = lines.reduce((s, l) => s + l.unitPriceFen * l.quantity, 0);
  const lineDiscountFen = lines.reduce((s, l) => s + l.discountFen, 0);
  const income = escrow?.order_income;
  const voucherFen = income
    ? minor(income.voucher_from_seller) +
      minor(income.voucher_from_shopee) +
      minor(income.coins) +
      minor(income.payment_promotion)
    : 0;
  const shippingFen =
    income?.buyer_paid_shipping_fee != null
      ? minor(income.buyer_paid_shipping_fee)
      : minor(order.estimated_shipping_fee);
  const taxFen = income ? minor(income.cross_border_tax) + minor(income.buyer_transaction_fee) : 0;
  const totalFen = order.total_amount == null ? undefined : minor(order.total_amount);
  return NormalizedOrderSchema.parse({
    platform: 'shopee',
    shopId,
    platformOrderId: order.order_sn,
    status,
    refundStatus: refund,
    type: 'normal',
    createdAt: iso(order.create_time),
    ...(order.pay_time ? { paidAt: iso(order.pay_time) } : {}),
    modifiedAt: iso(order.update_time),
    currency,
    amounts: {
      goodsFen,
      discountFen: lineDiscountFen + voucherFen,
      shippingFen,
      ...(taxFen ? { taxFen } : {}),
      paidFen: status === 'awaiting_payment' ? 0 : (totalFen ?? 0),
    },
    buyer: {
      id: order.buyer_user_id ?? `shopee-order-${order.order_sn}`,
      ...(order.buyer_username ? { nick: order.buyer_username } : {}),
    },
    receiver: shopeeReceiver(order),
    lines,
    ...(order.message_to_seller ? { buyerRemark: order.message_to_seller } : {}),
    ...(order.note ? { sellerMemo: order.note } : {}),
    ...(order.ship_by_date ? { shipBy: iso(order.ship_by_date) } : {}),
  });
}

/**
 * True when the order detail alone does not explain `total_amount` (a voucher, coins, a shipping
 * subsidy, or a payment that differs): only then is the escrow detail worth a call.
 */
export function shopeeNeedsEscrow(order: ShopeeOrder): boolean {
  if (order.total_amount == null || shopeeStatus(order.order_status).status === 'awaiting_payment') {
    return false;
  }
  const currency = order.currency.toUpperCase();
  const minor = (value: number | string) => amountToMinor(value, currency);
  const items = order.item_list.reduce(
    (s, i) => s + minor(i.model_discounted_price) * i.model_quantity_purchased,
    0,
  );
  return items + minor(order.estimated_shipping_fee) !== minor(order.total_amount);
}

export function shopeeStatus(status: string): { status: PlatformOrderStatus; refund: RefundStatus } {
  switch (status) {
    case 'UNPAID':
    case 'PENDING':
      return { status: 'awaiting_payment', refund: 'none' };
    case 'READY_TO_SHIP':
    case 'PROCESSED':
    case 'RETRY_SHIP':
    case 'INVOICE_PENDING':
      return { status: 'paid', refund: 'none' };
    case 'IN_CANCEL':
      return { status: 'paid', refund: 'requested' };
    case 'SHIPPED':
    case 'TO_CONFIRM_RECEIVE':
      return { status: 'shipped', refund: 'none' };
    case 'TO_RETURN':
      return { status: 'shipped', refund: 'requested' };
    case 'COMPLETED':
      return { status: 'completed', refund: 'none' };
    case 'CANCELLED':
      return { status: 'cancelled', refund: 'none' };
    default:
      throw new RangeError(`unknown Shopee order_status ${status}`);
  }
}

const MASK = '****';

export function shopeeReceiver(order: ShopeeOrder): Receiver {
  const a = order.recipient_address;
  const name = a?.name || MASK;
  const phone = a?.phone || MASK;
  const detail = a?.full_address || MASK;
  const country = (a?.region || order.region || '').toUpperCase();
  return {
    name,
    phone,
    country: /^[A-Z]{2}$/.test(country) ? country : 'CN',
    // Markets without states (SG) leave `state` empty; the city is the top level there.
    province: a?.state || a?.city || country || MASK,
    city: a?.city ?? '',
    district: a?.district ?? '',
    ...(a?.town ? { town: a.town } : {}),
    detail,
    ...(a?.zipcode ? { postalCode: a.zipcode } : {}),
    protected: [name, phone, detail].some((v) => v.includes('*')),
  };
}

/** Our line id for a Shopee item (item and model): the same in orders, packages and returns. */
export function shopeeLineId(item: { item_id: string; model_id?: string | null | undefined }): string {
  return `${item.item_id}-${item.model_id ?? '0'}`;
}

function line(item: ShopeeItem, minor: (v: number | string) => number): OrderLine {
  const platformSkuId = item.model_id && item.model_id !== '0' ? item.model_id : item.item_id;
  const quantity = item.model_quantity_purchased;
  const unit = minor(item.model_original_price);
  const paidUnit = minor(item.model_discounted_price);
  return {
    lineId: shopeeLineId(item),
    platformSkuId,
    skuCode: item.model_sku || item.item_sku || platformSkuId,
    title: [item.item_name, item.model_name].filter(Boolean).join(' '),
    quantity,
    unitPriceFen: unit,
    discountFen: Math.max(0, (unit - paidUnit) * quantity),
  };
}

function iso(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString();
}

/**
 * Return → refund case. REQUESTED/JUDGING → requested (JUDGING waits on Shopee); SELLER_DISPUTE →
 * refused (the seller contested it); ACCEPTED → agreed (or returning once the buyer shipped it
 * back: a tracking number is present); PROCESSING → returning; REFUND_PAID → refunded;
 * CANCELLED/CLOSED → closed.
 */
export function normalizeShopeeReturn(ret: ShopeeReturn): RefundInfo {
  const currency = ret.currency.toUpperCase();
  const reason = ret.text_reason || ret.reason;
  return {
    platformRefundId: ret.return_sn,
    platformOrderId: ret.order_sn,
    status: returnStatus(ret),
    kind: ret.needs_logistics === false ? 'refund_only' : 'return_and_refund',
    amountMinor: amountToMinor(ret.refund_amount, currency),
    currency,
    ...(reason ? { reason } : {}),
    ...(ret.item.length ? { lineIds: ret.item.map((i) => shopeeLineId(i)) } : {}),
    createdAt: iso(ret.create_time),
    modifiedAt: iso(ret.update_time),
  };
}

function returnStatus(ret: ShopeeReturn): RefundCaseStatus {
  switch (ret.status) {
    case 'ACCEPTED':
      return ret.tracking_number ? 'returning' : 'agreed';
    case 'PROCESSING':
      return 'returning';
    case 'SELLER_DISPUTE':
      return 'refused';
    case 'REFUND_PAID':
      return 'refunded';
    case 'CANCELLED':
    case 'CLOSED':
      return 'closed';
    default:
      return 'requested';
  }
}
