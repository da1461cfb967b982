import { stringify } from 'lossless-json';
import type { SimOrder } from '../../orders/model.js';

/**
 * SimOrder → a 1688 `TradeInfo` as the simulator serves it, after the doc page of
 * `alibaba.trade.getSellerOrderList` (docs/platforms/1688.md): `baseInfo.id` a bare 18-digit JSON
 * number (beyond 2^53, as the doc's example) with `idOfStr` its exact string, money in yuan JSON
 * numbers, dates `yyyyMMddHHmmssSSS+0800`, one `productItems` entry per line with
 * `subItemID`/`subItemIDString`, `logisticsStatus`, `canSendGoods` and `refundStatus`, the
 * receiver and the parcels sent in `nativeLogistics`. Product and spec ids are the simulator's own.
 */
const yuan = (fen: number) => Number((fen / 100).toFixed(2));
/** A digit id as a bare JSON number however long. */
const big = (id: string): bigint | string => (/^\d+$/.test(id) ? BigInt(id) : id);

export function alibaba1688SimTime(at: Date | undefined): string | undefined {
  if (!at) return undefined;
  const t = new Date(at.getTime() + 8 * 3_600_000).toISOString();
  return `${t.slice(0, 19).replace(/\D/g, '')}${t.slice(20, 23)}+0800`;
}

/** The product a SKU belongs to (the simulator's own numbering). */
export const alibaba1688ProductId = (skuId: string) =>
  `6${skuId.replace(/\D/g, '').slice(-10).padStart(10, '0')}`;

const shipmentsOf = (order: SimOrder) =>
  [order.shipment, ...(order.extraShipments ?? [])].filter((s) => s !== undefined);

export function alibaba1688SentLines(order: SimOrder): Set<string> {
  return new Set(shipmentsOf(order).flatMap((s) => s.lineIds ?? order.items.map((i) => i.lineId)));
}

function status(order: SimOrder): string {
  switch (order.status) {
    case 'unpaid':
    case 'deposit_paid':
      return 'waitbuyerpay';
    case 'paid':
      return 'waitsellersend';
    case 'shipped':
      return 'waitbuyerreceive';
    case 'completed':
      return 'success';
    case 'cancelled':
      return 'cancel';
  }
}

const REFUND: Record<string, string> = {
  requested: 'WAIT_SELLER_AGREE',
  agreed: 'WAIT_BUYER_SEND',
  returning: 'WAIT_SELLER_RECEIVE',
  refunded: 'REFUND_SUCCESS',
  refused: 'REFUND_CLOSED',
  closed: 'REFUND_CLOSED',
};

export function alibaba1688OrderBody(order: SimOrder) {
  const r = order.receiver;
  const refund = order.refund;
  const sent = alibaba1688SentLines(order);
  const lineDiscount = order.items.reduce((t, i) => t + i.discountMinor, 0);
  const goods = order.items.reduce((t, i) => t + i.unitPriceMinor * i.quantity, 0);
  // The order-level discount is spread over the lines' itemAmount, the first line taking the rest.
  let orderDiscountLeft = order.discountMinor;
  const items = order.items.map((i, index) => {
    const lineGoods = i.unitPriceMinor * i.quantity - i.discountMinor;
    const share =
      index === order.items.length - 1
        ? orderDiscountLeft
        : Math.min(
            orderDiscountLeft,
            Math.floor((order.discountMinor * i.unitPriceMinor * i.quantity) / (goods || 1)),
          );
    orderDiscountLeft -= share;
    const covered = refund && (!refund.lineIds || refund.lineIds.includes(i.lineId));
    const lineSent = sent.has(i.lineId) || order.status === 'shipped' || order.status === 'completed';
    return {
      itemAmount: yuan(lineGoods - share),
      name: i.title,
      price: yuan(i.unitPriceMinor),
      productID: big(alibaba1688ProductId(i.platformSkuId)),
      quantity: i.quantity,
      refund: covered && refund.status === 'refunded' ? yuan(refund.amountMinor) : 0,
      status: lineSent ? 'waitbuyerreceive' : status(order),
      subItemID: big(i.lineId),
      subItemIDString: i.lineId,
      specId: i.platformSkuId,
      cargoNumber: i.skuCode,
      skuInfos: i.spec
        ? i.spec.split(';').map((kv) => ({ name: kv.split(':')[0] ?? '', value: kv.split(':')[1] ?? kv }))
        : [],
      logisticsStatus: order.status === 'completed' ? 3 : lineSent ? 2 : 1,
      canSendGoods: order.status === 'paid' && !sent.has(i.lineId),
      ...(covered && REFUND[refund.status] ? { refundStatus: REFUND[refund.status] } : {}),
      quantityFactor: 1,
      unit: '件',
    };
  });
  return {
    baseInfo: {
      id: big(order.id),
      idOfStr: order.id,
      businessType: 'cn',
      status: status(order),
      createTime: alibaba1688SimTime(order.createdAt),
      modifyTime: alibaba1688SimTime(order.modifiedAt),
      ...(order.paidAt ? { payTime: alibaba1688SimTime(order.paidAt) } : {}),
      totalAmount: yuan(goods - lineDiscount - order.discountMinor + order.shippingMinor),
      shippingFee: yuan(order.shippingMinor),
      sumProductPayment: yuan(goods - lineDiscount - order.discountMinor),
      buyerID: order.buyer.id,
      buyerLoginId: order.buyer.nick ?? order.buyer.id,
      tradeType: '50060',
      ...(order.buyerRemark ? { buyerFeedback: order.buyerRemark } : {}),
      ...(order.sellerMemo ? { sellerMemo: order.sellerMemo } : {}),
      receiverInfo: {
        toFullName: r.name,
        toMobile: r.phone,
        toPost: r.postalCode ?? '',
        toArea: [r.province, r.city, r.district, r.town, r.detail].filter(Boolean).join(' '),
      },
    },
    nativeLogistics: {
      contactPerson: r.name,
      mobile: r.phone,
      province: r.province,
      city: r.city,
      area: r.district,
      ...(r.town ? { town: r.town } : {}),
      address: r.detail,
      zip: r.postalCode ?? '',
      logisticsItems: shipmentsOf(order).map((s, n) => ({
        id: n + 1,
        logisticsBillNo: s.trackingNumber,
        logisticsCompanyNo: s.carrierCode,
        subItemIds: (s.lineIds ?? order.items.map((i) => i.lineId)).join(','),
        deliveredTime: alibaba1688SimTime(s.shippedAt),
        type: '0',
      })),
    },
    productItems: items,
  };
}

export function renderAlibaba1688Order(order: SimOrder): string {
  return stringify(alibaba1688OrderBody(order))!;
}
