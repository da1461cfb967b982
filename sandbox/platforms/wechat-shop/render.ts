import { createHash } from 'node:crypto';
import type { SimOrder } from '../../orders/model.js';

/**
 * SimOrder → a WeChat Channels shop `/order/get` order (MORE-CHANNELS §3.3, the SDK's sample
 * shape): `order_id` a string of 19 digits, ids as strings, money in fen, times in seconds, one
 * `product_infos` entry per line (its `sku_id` is the line), the receiver masked, shipments in
 * `delivery_product_info`.
 */
const seconds = (d: Date | undefined) => (d ? Math.floor(d.getTime() / 1000) : 0);

const shipmentsOf = (order: SimOrder) =>
  [order.shipment, ...(order.extraShipments ?? [])].filter((s) => s !== undefined);

export function wechatShippedSkus(order: SimOrder): Set<string> {
  return new Set(shipmentsOf(order).flatMap((s) => s.lineIds ?? order.items.map((i) => i.platformSkuId)));
}

/** The product a SKU belongs to (the simulator's own numbering). */
export const wechatProductId = (skuId: string) => `10000${skuId.slice(-8)}`;

export function wechatStatus(order: SimOrder): number {
  switch (order.status) {
    case 'unpaid':
    case 'deposit_paid':
      return 10;
    case 'paid':
      if (order.groupStatus === 'forming') return 13;
      return wechatShippedSkus(order).size > 0 ? 21 : 20;
    case 'shipped':
      return 30;
    case 'completed':
      return 100;
    case 'cancelled':
      return order.paidAt ? 200 : 250;
  }
}

export function wechatHashCode(order: SimOrder): string {
  const r = order.receiver;
  return createHash('sha1')
    .update(`${r.name}|${r.phone}|${r.province}${r.city}${r.district}${r.detail}`)
    .digest('hex');
}

export function renderWechatAddress(order: SimOrder, plain: boolean) {
  const r = order.receiver;
  return {
    user_name: plain ? r.name : `${[...r.name][0] ?? ''}**`,
    postal_code: r.postalCode ?? '',
    province_name: r.province,
    city_name: r.city,
    county_name: r.district,
    detail_info: plain ? r.detail : `${[...r.detail].slice(0, 4).join('')}****`,
    tel_number: plain ? r.phone : `${r.phone.slice(0, 3)}****${r.phone.slice(-4)}`,
    national_code: '',
    house_number: '',
    ...(plain ? {} : { virtual_order_tel_number: `170${r.phone.slice(-8)}` }),
    hash_code: wechatHashCode(order),
  };
}

export function renderWechatOrder(order: SimOrder) {
  const shipments = shipmentsOf(order);
  const refund = order.refund;
  let goods = 0;
  let discounts = 0;
  const products = order.items.map((item, index) => {
    const discount = item.discountMinor + (index === 0 ? order.discountMinor : 0);
    goods += item.unitPriceMinor * item.quantity;
    discounts += discount;
    const covered = refund && (!refund.lineIds || refund.lineIds.includes(item.lineId));
    const open = covered && ['requested', 'agreed', 'returning'].includes(refund.status);
    const done = covered && refund.status === 'refunded';
    return {
      product_id: wechatProductId(item.platformSkuId),
      sku_id: item.platformSkuId,
      sku_cnt: item.quantity,
      title: item.title,
      thumb_img: '',
      sale_price: item.unitPriceMinor,
      market_price: item.unitPriceMinor,
      real_price: item.unitPriceMinor * item.quantity - discount,
      sku_code: item.skuCode,
      out_product_id: '',
      out_sku_id: '',
      sku_attrs: item.spec ? [{ attr_key: '规格', attr_value: item.spec }] : [],
      on_aftersale_sku_cnt: open ? item.quantity : 0,
      finish_aftersale_sku_cnt: done ? item.quantity : 0,
      is_free_gift: false,
    };
  });
  return {
    order_id: order.id,
    status: wechatStatus(order),
    create_time: seconds(order.createdAt),
    update_time: seconds(order.modifiedAt),
    openid: `o${createHash('md5').update(order.buyer.id).digest('base64url').slice(0, 27)}`,
    order_detail: {
      product_infos: products,
      price_info: {
        product_price: goods,
        order_price: goods - discounts + order.shippingMinor,
        freight: order.shippingMinor,
        discounted_price: discounts,
        is_discounted: discounts > 0,
      },
      pay_info: { pay_time: seconds(order.paidAt), payment_method: 1 },
      delivery_info: {
        address_info: renderWechatAddress(order, false),
        delivery_product_info: shipments.map((s) => ({
          waybill_id: s.trackingNumber,
          delivery_id: s.carrierCode,
          delivery_time: seconds(s.shippedAt),
          deliver_type: 1,
          product_infos: order.items
            .filter((i) => !s.lineIds || s.lineIds.includes(i.platformSkuId))
            .map((i) => ({
              product_id: wechatProductId(i.platformSkuId),
              sku_id: i.platformSkuId,
              product_cnt: i.quantity,
            })),
        })),
        deliver_method: 0,
      },
      ext_info: {
        customer_notes: order.buyerRemark ?? '',
        merchant_notes: order.sellerMemo ?? '',
        order_scene: 2,
      },
    },
    aftersale_detail: {
      on_aftersale_order_cnt: refund && ['requested', 'agreed', 'returning'].includes(refund.status) ? 1 : 0,
      aftersale_order_list: refund ? [{ aftersale_order_id: `4${order.id.slice(1)}`, status: 1 }] : [],
    },
  };
}
