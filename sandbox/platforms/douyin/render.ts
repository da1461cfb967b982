import type { SimOrder, SimOrderItem, SimRefund } from '../../orders/model.js';
import type { DouyinSimCipher } from './cipher.js';

/**
 * SimOrder → Douyin wire objects. Big ids are BigInt so `lossless-json` writes them as bare JSON
 * numbers, exactly as Douyin does (`sku_id`, `product_id`, `p_id` in pushes); shop order and sku
 * order ids are strings, as in Douyin's own samples.
 */
const sec = (d: Date | undefined) => (d ? Math.floor(d.getTime() / 1000) : 0);

/** A digit string becomes a JSON number (however long); anything else stays a string. */
export function jsonId(id: string): bigint | string {
  return /^\d+$/.test(id) ? BigInt(id) : id;
}

export function douyinStatus(order: SimOrder): { order_status: number; main_status: number; desc: string } {
  const refunded = order.refund?.status === 'refunded';
  switch (order.status) {
    case 'unpaid':
      return { order_status: 1, main_status: 1, desc: '待支付' };
    case 'deposit_paid':
      return { order_status: 1, main_status: 103, desc: '部分支付' };
    case 'paid':
      return order.shipment
        ? { order_status: 101, main_status: 101, desc: '部分发货' }
        : { order_status: 2, main_status: 2, desc: '备货中' };
    case 'shipped':
      return { order_status: 3, main_status: 3, desc: '已发货' };
    case 'completed':
      return refunded
        ? { order_status: 4, main_status: 39, desc: '收货后退款完结' }
        : { order_status: 5, main_status: 5, desc: '已完成' };
    case 'cancelled':
      return refunded
        ? { order_status: 4, main_status: 21, desc: '发货前退款完结' }
        : { order_status: 4, main_status: 4, desc: '已取消' };
  }
}

function refundStatus(refund: SimRefund | undefined): number {
  switch (refund?.status) {
    case undefined:
    case 'closed':
      return 0;
    case 'requested':
      return 1;
    case 'agreed':
    case 'returning':
      return 2;
    case 'refunded':
      return 3;
    case 'refused':
      return 4;
  }
}

function skuOrder(order: SimOrder, item: SimOrderItem, status: number) {
  const sum = item.unitPriceMinor * item.quantity;
  return {
    order_id: item.lineId,
    parent_order_id: order.id,
    order_level: 3,
    order_status: status,
    sku_id: jsonId(item.platformSkuId),
    out_sku_id: item.skuCode,
    code: item.skuCode,
    product_name: item.title,
    spec: item.spec
      .split(';')
      .filter(Boolean)
      .map((pair) => {
        const [name = '', value = ''] = pair.split(':');
        return { name, value };
      }),
    item_num: item.quantity,
    origin_amount: item.unitPriceMinor,
    sum_amount: sum,
    pay_amount: sum - item.discountMinor,
    pre_sale_type: order.type === 'presale' ? 1 : 0,
    room_id: order.liveRoomId ? jsonId(order.liveRoomId) : 0,
    after_sale_info: afterSaleInfo(order, item),
  };
}

/**
 * A sku order's `after_sale_info`: Douyin's after-sales are per sku order, so only the sku orders
 * the case names carry its state (every one when it is for the whole order); the others say
 * 0 无售后.
 */
function afterSaleInfo(order: SimOrder, item: SimOrderItem) {
  const refund = order.refund;
  if (!refund || (refund.lineIds && !refund.lineIds.includes(item.lineId)))
    return { after_sale_status: 0, after_sale_type: 0, refund_status: 0 };
  return {
    after_sale_status: AFTER_SALE_STATUS[refund.status],
    after_sale_type: afterSaleType(order, refund),
    refund_status: refundStatus(refund),
  };
}

/** `aftersale_type`: 0 退货退款, 1 售后仅退款 (after shipment), 2 发货前退款. */
const afterSaleType = (order: SimOrder, refund: SimRefund) =>
  refund.kind === 'return_and_refund' ? 0 : order.shipment !== undefined ? 1 : 2;

export function renderDouyinOrder(
  order: SimOrder,
  cipher: DouyinSimCipher,
  companyName: (code: string) => string,
) {
  const status = douyinStatus(order);
  const itemDiscount = order.items.reduce((s, i) => s + i.discountMinor, 0);
  const goods = order.items.reduce((s, i) => s + i.unitPriceMinor * i.quantity, 0);
  const due = goods - itemDiscount - order.discountMinor + order.shippingMinor;
  const presale = order.presale;
  return {
    order_id: order.id,
    order_level: 2,
    order_status: status.order_status,
    order_status_desc: status.desc,
    main_status: status.main_status,
    main_status_desc: status.desc,
    order_type: 0,
    trade_type: order.type === 'group_buy' ? 1 : presale ? 2 : 0,
    pay_type: 1,
    b_type: 2,
    create_time: sec(order.createdAt),
    pay_time: sec(order.paidAt),
    update_time: sec(order.modifiedAt),
    exp_ship_time: order.paidAt ? sec(order.paidAt) + 48 * 3600 : 0,
    order_amount: due,
    pay_amount: order.status === 'unpaid' ? due : order.paidMinor,
    post_amount: order.shippingMinor,
    promotion_amount: itemDiscount + order.discountMinor,
    buyer_words: order.buyerRemark ?? '',
    seller_words: order.sellerMemo ?? '',
    doudian_open_id: `1@#${Buffer.from(order.buyer.id).toString('base64')}`,
    encrypt_post_receiver: cipher.encrypt(order.receiver.name, 'text'),
    encrypt_post_tel: cipher.encrypt(order.receiver.phone, 'phone'),
    post_addr: {
      province: { name: order.receiver.province, id: '' },
      city: { name: order.receiver.city, id: '' },
      town: { name: order.receiver.district, id: '' },
      street: { name: order.receiver.town ?? '', id: '' },
      encrypt_detail: cipher.encrypt(order.receiver.detail, 'text'),
    },
    open_address_id: `#${Buffer.from(`${order.shopKey}|${order.buyer.id}|${order.receiver.detail}`).toString('base64')}`,
    sku_order_list: order.items.map((item) => skuOrder(order, item, status.order_status)),
    order_phase_list: presale
      ? [
          {
            phase_order_id: `${order.id}1`,
            total_phase: 2,
            current_phase: 1,
            pay_success: presale.depositPaidAt !== undefined,
            phase_order_amount: presale.depositMinor,
            phase_pay_amount: presale.depositPaidAt ? presale.depositMinor : 0,
            phase_pay_time: sec(presale.depositPaidAt),
          },
          {
            phase_order_id: `${order.id}2`,
            total_phase: 2,
            current_phase: 2,
            pay_success: presale.balancePaidAt !== undefined,
            phase_order_amount: presale.balanceMinor,
            phase_pay_amount: presale.balancePaidAt ? presale.balanceMinor : 0,
            phase_pay_time: sec(presale.balancePaidAt),
          },
        ]
      : [],
    logistics_info: [order.shipment, ...(order.extraShipments ?? [])]
      .filter((s) => s !== undefined)
      .map((s) => ({
        tracking_no: s.trackingNumber,
        company: s.carrierCode,
        company_name: companyName(s.carrierCode),
        ship_time: sec(s.shippedAt),
        product_info: (s.lineIds ?? order.items.map((i) => i.lineId)).map((id) => ({
          sku_order_id: jsonId(id),
        })),
      })),
  };
}

const AFTER_SALE_STATUS: Record<SimRefund['status'], number> = {
  requested: 6,
  agreed: 7,
  returning: 11,
  refunded: 12,
  refused: 27,
  closed: 28,
};

export function renderDouyinAfterSale(order: SimOrder, refund: SimRefund) {
  return {
    aftersale_info: {
      aftersale_id: refund.id,
      aftersale_order_type: 2,
      aftersale_type: afterSaleType(order, refund),
      aftersale_status: AFTER_SALE_STATUS[refund.status],
      related_id: order.id,
      apply_time: sec(refund.createdAt),
      update_time: sec(refund.modifiedAt),
      refund_amount: refund.amountMinor,
      refund_post_amount: 0,
      refund_status: refund.status === 'refunded' ? 3 : refund.status === 'refused' ? 4 : 1,
      reason: refund.reason,
    },
    order_info: {
      shop_order_id: order.id,
      // The sku orders the case names (every one when it is for the whole order).
      related_order_info: order.items
        .filter((i) => !refund.lineIds || refund.lineIds.includes(i.lineId))
        .map((i) => ({ sku_order_id: i.lineId })),
    },
    text_part: { reason_text: refund.reason },
  };
}
