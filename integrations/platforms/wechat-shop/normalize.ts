import {
  NormalizedOrderSchema,
  type GroupStatus,
  type NormalizedOrder,
  type PlatformOrderStatus,
  type Receiver,
  type RefundStatus,
} from '../../../domain/order.js';
import type { WechatOrder, WechatProduct } from './wire.js';

/**
 * WeChat Channels shop order → our order. Pure.
 *
 * - `status` (§3.3, secondary): 10 待付款 and 12 礼物待收下 (a gift the recipient has not accepted:
 *   no address yet) → awaiting_payment; 13 凑单买凑团中/一起买待成团 → paid with a forming group
 *   (never ships until it forms); 20 待发货 → paid; 21 部分发货 → partially_shipped; 30 待收货 →
 *   shipped; 100 完成 → completed; 200 (every item refunded) and 250 (unpaid, cancelled) →
 *   cancelled.
 * - One line per `product_infos` entry (line id = `sku_id`), money in fen: unit price =
 *   `sale_price`, the line's discount = `sale_price` × count − `real_price` (UNCONFIRMED: read as the
 *   line's total after discounts); goods = `product_price`, shipping = `freight`, paid =
 *   `order_price`, the discount what is left between them.
 * - After-sales: a line with `on_aftersale_sku_cnt` > 0 → requested, all its units in
 *   `finish_aftersale_sku_cnt` → refunded; the order: open cases (`on_aftersale_order_cnt`) →
 *   requested, status 200 → refunded.
 * - The receiver is masked (virtual phone numbers, masked name and address): kept with
 *   `protected: true` and `hash_code` as its handle; `/order/sensitiveinfo/decode` gives the
 *   plaintext only when a waybill needs it.
 */
export function normalizeWechatOrder(order: WechatOrder, shopId: string): NormalizedOrder {
  const detail = order.order_detail;
  const products = detail.product_infos;
  if (products.length === 0) throw new RangeError(`wechat_shop order ${order.order_id} has no product_infos`);
  const status = orderStatus(order.status);
  const price = detail.price_info;
  const lineDiscount = (p: WechatProduct) =>
    p.real_price > 0 ? Math.max(0, p.sale_price * p.sku_cnt - p.real_price) : 0;
  const groupStatus: GroupStatus | undefined = order.status === 13 ? 'forming' : undefined;
  const paidAt = detail.pay_info?.pay_time ?? 0;
  return NormalizedOrderSchema.parse({
    platform: 'wechat_shop',
    shopId,
    platformOrderId: order.order_id,
    status,
    refundStatus: orderRefund(order),
    type: groupStatus ? 'group_buy' : 'normal',
    ...(groupStatus ? { groupStatus } : {}),
    createdAt: iso(order.create_time),
    ...(paidAt > 0 ? { paidAt: iso(paidAt) } : {}),
    modifiedAt: iso(order.update_time),
    currency: 'CNY',
    amounts: {
      goodsFen: price.product_price,
      discountFen: Math.max(0, price.product_price + price.freight - price.order_price),
      shippingFen: price.freight,
      paidFen: status === 'awaiting_payment' ? 0 : price.order_price,
    },
    buyer: { id: order.openid || `wechat-order-${order.order_id}` },
    receiver: wechatReceiver(order),
    lines: products.map((p) => {
      const refund = lineRefund(p);
      return {
        lineId: p.sku_id,
        platformSkuId: p.sku_id,
        skuCode: p.sku_code || p.out_sku_id || p.sku_id,
        title: [p.title, ...p.sku_attrs.map((a) => a.attr_value)].filter(Boolean).join(' '),
        quantity: p.sku_cnt,
        unitPriceFen: p.sale_price,
        discountFen: lineDiscount(p),
        ...(refund ? { refundStatus: refund } : {}),
      };
    }),
    ...(detail.ext_info?.customer_notes ? { buyerRemark: detail.ext_info.customer_notes } : {}),
    ...(detail.ext_info?.merchant_notes ? { sellerMemo: detail.ext_info.merchant_notes } : {}),
  });
}

function wechatReceiver(order: WechatOrder): Receiver {
  const a = order.order_detail.delivery_info?.address_info;
  return {
    name: a?.user_name || '-',
    phone: a?.virtual_order_tel_number || a?.tel_number || '-',
    country: 'CN',
    province: a?.province_name || '-',
    city: a?.city_name ?? '',
    district: a?.county_name ?? '',
    detail: [a?.detail_info, a?.house_number].filter(Boolean).join(' ') || '-',
    ...(a?.postal_code ? { postalCode: a.postal_code } : {}),
    protected: true,
    ...(a?.hash_code ? { addressHandle: a.hash_code } : {}),
  };
}

function orderStatus(status: number): PlatformOrderStatus {
  switch (status) {
    case 10:
    case 12:
      return 'awaiting_payment';
    case 13:
    case 20:
      return 'paid';
    case 21:
      return 'partially_shipped';
    case 30:
      return 'shipped';
    case 100:
      return 'completed';
    case 200:
    case 250:
      return 'cancelled';
    default:
      throw new RangeError(`unknown WeChat Channels shop order status ${status}`);
  }
}

function lineRefund(p: WechatProduct): RefundStatus | undefined {
  if (p.finish_aftersale_sku_cnt >= p.sku_cnt) return 'refunded';
  if (p.on_aftersale_sku_cnt > 0) return 'requested';
  return undefined;
}

function orderRefund(order: WechatOrder): RefundStatus {
  if ((order.aftersale_detail?.on_aftersale_order_cnt ?? 0) > 0) return 'requested';
  if (order.status === 200) return 'refunded';
  return 'none';
}

function iso(seconds: number): string {
  return new Date(seconds * 1000).toISOString();
}
