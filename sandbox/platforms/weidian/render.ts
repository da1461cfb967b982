import { stringify } from 'lossless-json';
import type { SimOrder } from '../../orders/model.js';

/**
 * SimOrder → a Weidian order as the simulator serves it (MORE-CHANNELS §5 gives no fields: this
 * shape is the simulator's own, UNCONFIRMED like the adapter's reading of it): ids as digit strings,
 * money in yuan strings, times `yyyy-MM-dd HH:mm:ss` in Beijing time, one item per line with its
 * sub-order id, the parcels sent in `express`.
 */
const yuan = (fen: number) => (fen / 100).toFixed(2);

export function weidianSimTime(at: Date | undefined): string {
  if (!at) return '';
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
}

/** The item a SKU belongs to (the simulator's own numbering). */
export const weidianItemId = (skuId: string) => `2${skuId.slice(-9).padStart(9, '0')}`;

const shipmentsOf = (order: SimOrder) =>
  [order.shipment, ...(order.extraShipments ?? [])].filter((s) => s !== undefined);

export function weidianShippedSubOrders(order: SimOrder): Set<string> {
  return new Set(shipmentsOf(order).flatMap((s) => s.lineIds ?? order.items.map((i) => i.lineId)));
}

function status(order: SimOrder): string {
  switch (order.status) {
    case 'unpaid':
    case 'deposit_paid':
      return 'unpay';
    case 'paid':
      return 'pay';
    case 'shipped':
      return 'ship';
    case 'completed':
      return 'finish';
    case 'cancelled':
      return 'close';
  }
}

export function weidianOrderBody(order: SimOrder) {
  const r = order.receiver;
  const refund = order.refund;
  const goods = order.items.reduce((t, i) => t + i.unitPriceMinor * i.quantity, 0);
  const discount = order.items.reduce((t, i) => t + i.discountMinor, 0) + order.discountMinor;
  return {
    order_id: order.id,
    status: status(order),
    add_time: weidianSimTime(order.createdAt),
    update_time: weidianSimTime(order.modifiedAt),
    pay_time: weidianSimTime(order.paidAt),
    total: yuan(goods - discount + order.shippingMinor),
    express_fee: yuan(order.shippingMinor),
    discount_fee: yuan(discount),
    buyer_note: order.buyerRemark ?? '',
    seller_note: order.sellerMemo ?? '',
    buyer_info: {
      buyer_id: order.buyer.id,
      name: r.name,
      phone: r.phone,
      province: r.province,
      city: r.city,
      region: r.district,
      address: r.detail,
      post: r.postalCode ?? '',
    },
    items: order.items.map((i) => {
      const covered = refund && (!refund.lineIds || refund.lineIds.includes(i.lineId));
      return {
        sub_order_id: i.lineId,
        item_id: weidianItemId(i.platformSkuId),
        sku_id: i.platformSkuId,
        merchant_code: i.skuCode,
        item_name: i.title,
        sku_title: i.spec,
        price: yuan(i.unitPriceMinor),
        quantity: i.quantity,
        total_price: yuan(i.unitPriceMinor * i.quantity - i.discountMinor),
        refund_status: !covered
          ? ''
          : refund.status === 'refunded'
            ? 'refunded'
            : ['requested', 'agreed', 'returning'].includes(refund.status)
              ? 'refunding'
              : '',
      };
    }),
    express: shipmentsOf(order).map((s) => ({
      express_type: s.carrierCode,
      express_no: s.trackingNumber,
      sub_order_ids: s.lineIds ?? order.items.map((i) => i.lineId),
    })),
  };
}

export function renderWeidianOrder(order: SimOrder): string {
  return stringify(weidianOrderBody(order))!;
}
