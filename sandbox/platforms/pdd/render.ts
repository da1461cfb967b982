import { createHash } from 'node:crypto';
import { LosslessNumber } from 'lossless-json';
import type { SimExchange, SimOrder, SimRefund } from '../../orders/model.js';
import type { PddCipher } from './cipher.js';

/** PDD wire format: yuan as JSON floats, `yyyy-MM-dd HH:mm:ss` GMT+8, ciphertext + masks. */

export const pddTime = (date: Date | undefined) =>
  date ? new Date(date.getTime() + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ') : '';

/** Yuan as a JSON number with two decimals ("178.00"), exactly as written. */
export const yuanNumber = (minor: number) =>
  new LosslessNumber(`${Math.trunc(minor / 100)}.${String(Math.abs(minor) % 100).padStart(2, '0')}`);

const numericId = (text: string, digits: number) => {
  const h = createHash('sha256').update(text).digest().readBigUInt64BE(0) % 10n ** BigInt(digits - 1);
  return new LosslessNumber(`1${h.toString().padStart(digits - 1, '0')}`);
};

export const maskName = (name: string) =>
  `${[...name][0] ?? ''}${'*'.repeat(Math.max(1, [...name].length - 1))}`;
export const maskPhone = (phone: string) =>
  phone.length >= 11 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '****';
export const maskAddress = (detail: string) => {
  const chars = [...detail];
  return `${chars.slice(0, Math.min(4, chars.length)).join('')}***${chars.length > 6 ? chars.at(-1) : ''}`;
};

/** Orders PDD shows merchants: paid ones, and presales once the deposit is in. */
export function visibleOnPdd(order: SimOrder): boolean {
  return Boolean(order.paidAt || order.presale?.depositPaidAt);
}

const AFTER_SALES: Record<SimRefund['status'], (kind: SimRefund['kind']) => number> = {
  requested: (kind) => (kind === 'refund_only' ? 2 : 3),
  agreed: (kind) => (kind === 'refund_only' ? 4 : 7),
  returning: () => 3,
  refused: () => 6,
  refunded: () => 10,
  closed: () => 11,
};

export const afterSalesStatus = (refund: SimRefund) => AFTER_SALES[refund.status](refund.kind);

/** Order-level refund_status: 1 无售后或售后关闭, 2 售后处理中, 3 退款中, 4 退款成功. */
function refundStatus(refund: SimRefund | undefined): number {
  if (!refund || refund.status === 'closed') return 1;
  if (refund.status === 'refunded') return 4;
  if (refund.status === 'agreed' || refund.status === 'returning') return 3;
  return 2;
}

export function renderPddOrder(
  order: SimOrder,
  cipher: PddCipher,
  shipWithinHours = 48,
): Record<string, unknown> {
  const r = order.receiver;
  const goods = order.items.reduce((sum, i) => sum + i.unitPriceMinor * i.quantity, 0);
  const discount = order.items.reduce((sum, i) => sum + i.discountMinor, 0) + order.discountMinor;
  const pay = goods - discount + order.shippingMinor;
  const shipped = order.shipment !== undefined;
  const orderStatus = order.status === 'completed' ? 3 : shipped ? 2 : 1;
  const presale = order.type === 'presale';
  const depositOnly =
    order.status === 'deposit_paid' || (presale && !order.presale?.balancePaidAt && !order.paidAt);
  const group = order.type === 'group_buy';
  const neverPaid = !order.paidAt;
  const cancelled = order.status === 'cancelled';
  const confirmStatus = cancelled && (neverPaid || (group && !order.refund)) ? 2 : depositOnly ? 0 : 1;
  // Ciphertext only while the order waits for shipment and is not closed (API-FACTS §16).
  const showCipher = orderStatus === 1 && !cancelled && !depositOnly;
  const district = r.district || r.town || '';
  const paidAt = order.paidAt ?? order.presale?.depositPaidAt;
  return {
    order_sn: order.id,
    order_status: orderStatus,
    refund_status: refundStatus(order.refund),
    after_sales_status: order.refund ? afterSalesStatus(order.refund) : 0,
    confirm_status: confirmStatus,
    group_status: !group
      ? 1
      : order.groupStatus === 'forming'
        ? 0
        : order.groupStatus === 'failed' || (cancelled && !order.refund)
          ? 2
          : 1,
    group_order_id: group ? numericId(`group|${order.id}`, 12) : 0,
    trade_type: presale ? 1 : 0,
    is_pre_sale: presale ? 1 : 0,
    pre_sale_time: '',
    ...(presale && order.presale
      ? {
          step_order_info: {
            step_trade_status: order.presale.balancePaidAt ? 2 : order.presale.depositPaidAt ? 1 : 0,
            advanced_paid_fee: yuanNumber(order.presale.depositMinor),
            step_paid_fee: yuanNumber(order.presale.balanceMinor),
            step_discount_amount: yuanNumber(0),
          },
        }
      : {}),
    created_time: pddTime(order.createdAt),
    pay_time: pddTime(paidAt),
    confirm_time: pddTime(order.paidAt),
    updated_at: pddTime(order.modifiedAt),
    last_ship_time: order.paidAt
      ? pddTime(new Date(order.paidAt.getTime() + shipWithinHours * 3_600_000))
      : '',
    shipping_time: pddTime(order.shipment?.shippedAt),
    goods_amount: yuanNumber(goods),
    discount_amount: yuanNumber(discount),
    platform_discount: yuanNumber(0),
    seller_discount: yuanNumber(discount),
    capital_free_discount: yuanNumber(0),
    postage: yuanNumber(order.shippingMinor),
    pay_amount: yuanNumber(pay),
    pay_type: 'WEIXIN',
    buyer_memo: order.buyerRemark ?? '',
    remark: order.sellerMemo ?? '',
    receiver_name: showCipher ? cipher.encrypt(order.id, 'name', r.name) : '',
    receiver_phone: showCipher ? cipher.encrypt(order.id, 'phone', r.phone) : '',
    receiver_address: showCipher ? cipher.encrypt(order.id, 'address', r.detail) : '',
    address: showCipher
      ? cipher.encrypt(order.id, 'address', `${r.province}${r.city}${district}${r.detail}`)
      : '',
    receiver_name_mask: maskName(r.name),
    receiver_phone_mask: maskPhone(r.phone),
    receiver_address_mask: maskAddress(r.detail),
    address_mask: `${r.province}${r.city}${district}${maskAddress(r.detail)}`,
    open_address_id: cipher.openAddressId({
      name: r.name,
      phone: r.phone,
      address: `${r.province}${r.city}${district}${r.detail}`,
    }),
    country: '中国',
    province: r.province,
    province_id: numericId(`p|${r.province}`, 2),
    city: r.city,
    city_id: numericId(`c|${r.city}`, 3),
    town: district,
    town_id: numericId(`t|${district}`, 4),
    tracking_number: order.shipment?.trackingNumber ?? '',
    logistics_id: order.shipment ? new LosslessNumber(order.shipment.carrierCode) : 0,
    extra_delivery_list: (order.extraShipments ?? []).map((s) => ({
      logistics_id: new LosslessNumber(s.carrierCode),
      tracking_number: s.trackingNumber,
    })),
    item_list: order.items.map((item) => ({
      goods_id: numericId(`goods|${item.skuCode.split('-').slice(0, 2).join('-')}`, 12),
      goods_name: item.title,
      goods_spec: item.spec
        .split(';')
        .map((part) => part.split(':').at(-1))
        .join(','),
      sku_id: /^[1-9]\d*$/.test(item.platformSkuId)
        ? new LosslessNumber(item.platformSkuId)
        : item.platformSkuId,
      outer_id: item.skuCode,
      outer_goods_id: item.skuCode.split('-').slice(0, 2).join('-'),
      goods_count: item.quantity,
      goods_price: yuanNumber(item.unitPriceMinor),
      goods_img: `https://img.pddpic.com/sim/${item.skuCode}.jpg`,
    })),
    order_tag_list: [{ name: 'free_sf', value: order.promisedCarrier === 'SF' ? 1 : 0 }],
  };
}

/** The SKU of the line the case names (PDD after-sales are per goods), or 0 for the whole order. */
export function pddRefundSkuId(order: SimOrder, refund: SimRefund): LosslessNumber | number {
  const item = refund.lineIds
    ? order.items.find((i) => refund.lineIds!.includes(i.lineId))
    : order.items.length === 1
      ? order.items[0]
      : undefined;
  return item ? new LosslessNumber(item.platformSkuId) : 0;
}

/** The SKU of the line an exchange names. */
export function pddExchangeSkuId(order: SimOrder, exchange: SimExchange): LosslessNumber | number {
  const item = order.items.find((i) => i.lineId === exchange.lineId);
  return item ? new LosslessNumber(item.platformSkuId) : 0;
}

/** An exchange as the list shows it (the filter's coding: type 4 换货). */
export function renderPddExchange(order: SimOrder, exchange: SimExchange): Record<string, unknown> {
  const item = order.items.find((i) => i.lineId === exchange.lineId);
  return {
    id: new LosslessNumber(exchange.id),
    order_sn: order.id,
    after_sales_status: exchange.status,
    after_sales_type: 4,
    after_sale_reason: exchange.reason,
    refund_amount: 0,
    order_amount: order.paidMinor,
    discount_amount: 0,
    goods_id: item ? numericId(`goods|${item.skuCode.split('-').slice(0, 2).join('-')}`, 12) : 0,
    goods_name: item?.title ?? '',
    goods_number: exchange.num,
    sku_id: pddExchangeSkuId(order, exchange),
    outer_id: item?.skuCode ?? '',
    tracking_number: exchange.buyerLogistic?.no ?? '',
    user_shipping_status: 2,
    created_time: pddTime(exchange.createdAt),
    updated_time: pddTime(exchange.modifiedAt),
  };
}

export function renderPddRefund(order: SimOrder, refund: SimRefund): Record<string, unknown> {
  const first = order.items[0];
  return {
    id: new LosslessNumber(refund.id),
    order_sn: order.id,
    after_sales_status: afterSalesStatus(refund),
    after_sales_type: refund.kind === 'refund_only' ? 2 : 3,
    after_sale_reason: refund.reason,
    // Fen, like PDD's refund messages.
    refund_amount: refund.amountMinor,
    order_amount: order.paidMinor,
    discount_amount: 0,
    goods_id: first ? numericId(`goods|${first.skuCode.split('-').slice(0, 2).join('-')}`, 12) : 0,
    goods_name: first?.title ?? '',
    goods_number: first?.quantity ?? 0,
    sku_id: pddRefundSkuId(order, refund),
    outer_id: first?.skuCode ?? '',
    user_shipping_status: refund.status === 'returning' ? 1 : 0,
    created_time: pddTime(refund.createdAt),
    updated_time: pddTime(refund.modifiedAt),
  };
}
