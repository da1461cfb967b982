import { createHash } from 'node:crypto';
import type { SimOrder } from '../../orders/model.js';

/**
 * SimOrder → a Xiaohongshu `order.getOrderDetail` answer (MORE-CHANNELS §2.3, field names from the
 * platform's Java SDK): `orderId` a string, times in ms, money in fen, one `skuList` entry per
 * line (its `skuId` is the line), the receiver masked with an `openAddressId` for it.
 */
const ms = (d: Date | undefined) => (d ? d.getTime() : 0);

const shipmentsOf = (order: SimOrder) =>
  [order.shipment, ...(order.extraShipments ?? [])].filter((s) => s !== undefined);

/** Lines already sent (a parcel without lines sent them all). */
export function xiaohongshuShippedSkus(order: SimOrder): Set<string> {
  return new Set(shipmentsOf(order).flatMap((s) => s.lineIds ?? order.items.map((i) => i.platformSkuId)));
}

export function xiaohongshuStatus(order: SimOrder): number {
  switch (order.status) {
    case 'unpaid':
    case 'deposit_paid':
      return 1;
    case 'paid':
      return xiaohongshuShippedSkus(order).size > 0 ? 5 : 4;
    case 'shipped':
      return 6;
    case 'completed':
      return 7;
    case 'cancelled':
      return 9;
  }
}

const AFTER_SALE: Record<NonNullable<SimOrder['refund']>['status'], number> = {
  requested: 2,
  agreed: 2,
  returning: 2,
  refunded: 3,
  refused: 4,
  closed: 4,
};

/** The handle of the order's receiver at its current address. */
export function xiaohongshuOpenAddressId(order: SimOrder): string {
  const r = order.receiver;
  return createHash('sha1').update(`${order.id}|${r.name}|${r.phone}|${r.detail}`).digest('hex').slice(0, 32);
}

const maskName = (name: string) => `${[...name][0] ?? ''}**`;
const maskPhone = (phone: string) => `${phone.slice(0, 3)}****${phone.slice(-4)}`;
const maskDetail = (detail: string) => `${[...detail].slice(0, 3).join('')}****`;

export function renderXiaohongshuOrder(order: SimOrder) {
  const shipments = shipmentsOf(order);
  const r = order.receiver;
  let goods = 0;
  let discounts = 0;
  const skuList = order.items.map((item, index) => {
    const merchant = item.discountMinor + (index === 0 ? order.discountMinor : 0);
    const gross = item.unitPriceMinor * item.quantity;
    goods += gross;
    discounts += merchant;
    const refund = order.refund;
    const lineRefund =
      refund && (!refund.lineIds || refund.lineIds.includes(item.lineId)) ? AFTER_SALE[refund.status] : 1;
    return {
      skuId: item.platformSkuId,
      skuName: item.title,
      erpcode: item.skuCode,
      skuSpec: item.spec,
      skuImage: '',
      skuQuantity: item.quantity,
      totalPaidAmount: gross - merchant,
      totalMerchantDiscount: merchant,
      totalRedDiscount: 0,
      totalTaxAmount: 0,
      skuAfterSaleStatus: lineRefund,
    };
  });
  return {
    orderId: order.id,
    orderType: order.presale ? 2 : 1,
    orderStatus: xiaohongshuStatus(order),
    orderAfterSalesStatus: order.refund ? AFTER_SALE[order.refund.status] : 1,
    cancelStatus: 0,
    createdTime: ms(order.createdAt),
    paidTime: ms(order.paidAt),
    updateTime: ms(order.modifiedAt),
    deliveryTime: ms(shipments[0]?.shippedAt),
    promiseLastDeliveryTime: order.paidAt ? ms(order.paidAt) + 48 * 3_600_000 : 0,
    receiverCountryId: 'null',
    receiverCountryName: '中国',
    receiverProvinceName: r.province,
    receiverCityName: r.city,
    receiverDistrictName: r.district,
    customerRemark: order.buyerRemark ?? '',
    sellerRemark: order.sellerMemo ?? '',
    sellerRemarkFlag: 0,
    skuList,
    totalPayAmount: goods - discounts + order.shippingMinor,
    totalShippingFree: order.shippingMinor,
    totalDepositAmount: order.presale?.depositMinor ?? 0,
    totalMerchantDiscount: discounts,
    totalRedDiscount: 0,
    merchantActualReceiveAmount: goods - discounts + order.shippingMinor,
    unpack: shipments.length > 1,
    expressTrackingNo: shipments[0]?.trackingNumber ?? '',
    expressCompanyCode: shipments[0]?.carrierCode ?? '',
    simpleDeliveryOrderList: shipments.map((s) => ({
      expressTrackingNo: s.trackingNumber,
      expressCompanyCode: s.carrierCode,
      skuIdList: s.lineIds ?? order.items.map((i) => i.platformSkuId),
    })),
    receiverName: maskName(r.name),
    receiverPhone: maskPhone(r.phone),
    receiverAddress: maskDetail(r.detail),
    openAddressId: xiaohongshuOpenAddressId(order),
    logistics: 'red_express',
    paymentType: 1,
    shopId: order.shopKey,
    userId: `5f${createHash('md5').update(order.buyer.id).digest('hex').slice(0, 22)}`,
    orderTagList: [],
  };
}
