import { createHash } from 'node:crypto';
import { MUNICIPALITIES } from '../../orders/regions.js';
import type { SimOrder, SimRefund } from '../../orders/model.js';

/** JOS wire format (⚠️ API-FACTS §3.3, §17.3): strings for ids and yuan, short province names. */

export const jdTime = (date: Date | undefined) =>
  date
    ? new Date(date.getTime() + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ')
    : '0001-01-01 00:00:00';

const yuan = (minor: number) =>
  `${Math.trunc(minor / 100)}.${String(Math.abs(minor) % 100).padStart(2, '0')}`;
const hash = (text: string) => createHash('sha256').update(text).digest();
const numericText = (text: string, digits: number) =>
  (hash(text).readBigUInt64BE(0) % 10n ** BigInt(digits)).toString().padStart(digits, '1');

/** JD shows provinces without their suffix: "浙江", "北京", "内蒙古", "广西", "新疆". */
export const jdProvinceName = (province: string) =>
  province.replace(/(壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区|省|市)$/, '');

/** JD's four levels: municipalities put the district at city level (⚠️). */
export function jdRegion(r: SimOrder['receiver']) {
  if (MUNICIPALITIES.has(r.province)) {
    return {
      province: jdProvinceName(r.province),
      city: r.district || r.city,
      county: r.town ?? '',
      town: '',
    };
  }
  return {
    province: jdProvinceName(r.province),
    city: r.city,
    county: r.district || r.town || '',
    town: r.district ? (r.town ?? '') : '',
  };
}

export const maskName = (name: string) => `${[...name][0] ?? ''}*`;
export const maskPhone = (phone: string) =>
  phone.length >= 11 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '****';
const maskDetail = (detail: string) => `${[...detail].slice(0, 4).join('')}***`;

export const jdOaid = (order: SimOrder, secret: string) =>
  hash(`${secret}|${order.id}|${JSON.stringify(order.receiver)}`)
    .toString('base64url')
    .slice(0, 32);

export const visibleOnJd = (order: SimOrder) => Boolean(order.paidAt);

export function jdOrderState(order: SimOrder): string {
  switch (order.status) {
    case 'shipped':
      return 'WAIT_GOODS_RECEIVE_CONFIRM';
    case 'completed':
      return 'FINISHED_L';
    case 'cancelled':
      return 'TRADE_CANCELED';
    default:
      // A pending cancellation locks the order until JD or the seller decides.
      return order.refund && ['requested', 'agreed'].includes(order.refund.status)
        ? 'LOCKED'
        : 'WAIT_SELLER_STOCK_OUT';
  }
}

const STATE_REMARK: Record<string, string> = {
  WAIT_SELLER_STOCK_OUT: '等待出库',
  LOCKED: '已锁定',
  WAIT_GOODS_RECEIVE_CONFIRM: '等待确认收货',
  FINISHED_L: '完成',
  TRADE_CANCELED: '取消',
};

export function renderJdOrder(order: SimOrder, oaidSecret: string): Record<string, unknown> {
  const goods = order.items.reduce((sum, i) => sum + i.unitPriceMinor * i.quantity, 0);
  const discount = order.items.reduce((sum, i) => sum + i.discountMinor, 0) + order.discountMinor;
  const region = jdRegion(order.receiver);
  const state = jdOrderState(order);
  const finished = state === 'FINISHED_L' || state === 'TRADE_CANCELED';
  return {
    orderId: order.id,
    venderId: order.shopKey,
    orderType: '22',
    payType: '4',
    orderState: state,
    orderStateRemark: STATE_REMARK[state] ?? '',
    orderTotalPrice: yuan(goods),
    orderSellerPrice: yuan(goods - discount),
    sellerDiscount: yuan(discount),
    freightPrice: yuan(order.shippingMinor),
    // 应付: what the buyer paid once paid (a short payment shows), what is owed before.
    orderPayment: yuan(order.paidAt ? order.paidMinor : goods - discount + order.shippingMinor),
    balanceUsed: '0.00',
    orderRemark: order.buyerRemark ?? '',
    venderRemark: order.sellerMemo ?? '',
    orderStartTime: jdTime(order.createdAt),
    paymentConfirmTime: jdTime(order.paidAt),
    orderEndTime: finished ? jdTime(order.modifiedAt) : '0001-01-01 00:00:00',
    modified: jdTime(order.modifiedAt),
    pin: order.buyer.nick,
    open_id_buyer: hash(`buyer|${order.buyer.id}`).toString('base64url').slice(0, 24),
    oaid: jdOaid(order, oaidSecret),
    consigneeInfo: {
      fullname: maskName(order.receiver.name),
      mobile: maskPhone(order.receiver.phone),
      telephone: '',
      fullAddress: `${region.province}${region.city}${region.county}${region.town}${maskDetail(order.receiver.detail)}`,
      ...region,
      provinceId: numericText(`p|${region.province}`, 2),
      cityId: numericText(`c|${region.city}`, 4),
      countyId: numericText(`k|${region.county}`, 4),
      townId: region.town ? numericText(`t|${region.town}`, 5) : '0',
    },
    itemInfoList: order.items.map((item) => ({
      skuId: item.platformSkuId,
      outerSkuId: item.skuCode,
      skuName: `${item.title} ${item.spec
        .split(';')
        .map((p) => p.split(':').at(-1))
        .join(' ')}`,
      jdPrice: yuan(item.unitPriceMinor),
      itemTotal: String(item.quantity),
      wareId: `1000${numericText(`ware|${item.skuCode.split('-').slice(0, 2).join('-')}`, 7)}`,
    })),
    couponDetailList: [
      ...order.items
        .filter((i) => i.discountMinor > 0)
        .map((i) => ({
          skuId: i.platformSkuId,
          couponType: '30-单品促销',
          couponPrice: yuan(i.discountMinor),
        })),
      ...(order.discountMinor > 0
        ? [{ skuId: '', couponType: '100-店铺优惠', couponPrice: yuan(order.discountMinor) }]
        : []),
    ],
    waybill: order.shipment?.trackingNumber ?? '',
    logisticsId: order.shipment?.carrierCode ?? '',
    ...(order.promisedCarrier === 'JD' ? { idSopShipmenttype: '68' } : {}),
  };
}

const APPLY_STATUS: Record<SimRefund['status'], number> = {
  requested: 0,
  agreed: 1,
  returning: 1,
  refused: 2,
  refunded: 3,
  closed: 2,
};

export function renderJdRefundApply(order: SimOrder, refund: SimRefund): Record<string, unknown> {
  return {
    id: refund.id,
    orderId: order.id,
    buyerId: order.buyer.id,
    buyerName: order.buyer.nick,
    applyTime: jdTime(refund.createdAt),
    applyRefundSum: refund.amountMinor,
    status: APPLY_STATUS[refund.status],
    checkTime: refund.status === 'requested' ? '' : jdTime(refund.modifiedAt),
    checkUserName: refund.status === 'requested' ? '' : 'seller',
    reason: refund.reason,
  };
}
