import { amountToMinor } from '../../../domain/money.js';
import {
  NormalizedOrderSchema,
  type NormalizedOrder,
  type PlatformOrderStatus,
  type RefundStatus,
} from '../../../domain/order.js';
import { parse1688Time } from './time.js';
import type { Alibaba1688Item, Alibaba1688Trade } from './wire.js';

/**
 * 1688 trade → our order. Pure. Field meanings are the doc page's (docs/platforms/1688.md):
 *
 * - `baseInfo.status`: waitbuyerpay → awaiting_payment; waitsellersend → paid (partially shipped
 *   once a product item's `logisticsStatus` is 2 已发货 / 3 已收货); waitlogisticstakein,
 *   waitbuyerreceive, waitbuyersign, signinsuccess, confirm_goods → shipped; success → completed;
 *   cancel, terminated → cancelled.
 * - Money in yuan: goods = Σ item `price` × `quantity`, shipping = `shippingFee`, paid =
 *   `totalAmount` (= Σ `itemAmount` + `shippingFee`); a line's discount is its price × quantity
 *   less its `itemAmount`, and what the order takes off beyond that is the order's discount.
 * - A product item's `refundStatus` WAIT_SELLER_AGREE / WAIT_BUYER_MODIFY / WAIT_BUYER_SEND /
 *   WAIT_SELLER_RECEIVE → requested, REFUND_SUCCESS → refunded; the order's is requested while
 *   any line is, refunded when all are.
 * - The receiver from `nativeLogistics` (else `baseInfo.receiverInfo`), read as plain text
 *   (whether 1688 masks it for an app: UNCONFIRMED; orders of masked downstream platforms carry a
 *   `caid` we do not use).
 * - `quantity` is a BigDecimal (a unit may be a ton): a fractional quantity is refused.
 */
const OPEN_REFUND = new Set([
  'WAIT_SELLER_AGREE',
  'WAIT_BUYER_MODIFY',
  'WAIT_BUYER_SEND',
  'WAIT_SELLER_RECEIVE',
]);
const SHIPPED_LINE = new Set([2, 3]);

export function alibaba1688OrderId(trade: Alibaba1688Trade): string {
  return trade.baseInfo.idOfStr || trade.baseInfo.id || '';
}

export function alibaba1688LineId(item: Alibaba1688Item): string {
  return item.subItemIDString || item.subItemID || '';
}

/** The lines 1688 reports as sent (logisticsStatus 2 or 3). */
export function alibaba1688ShippedLines(trade: Alibaba1688Trade): Set<string> {
  return new Set(
    trade.productItems
      .filter(
        (i) =>
          i.logisticsStatus !== null &&
          i.logisticsStatus !== undefined &&
          SHIPPED_LINE.has(i.logisticsStatus),
      )
      .map(alibaba1688LineId),
  );
}

export function normalizeAlibaba1688Order(trade: Alibaba1688Trade, shopId: string): NormalizedOrder {
  const b = trade.baseInfo;
  const currency = b.currency && b.currency !== 'RMB' ? b.currency : 'CNY';
  const fen = (v: string) => Math.abs(amountToMinor(v, currency));
  const status = orderStatus(trade);
  const quantities = trade.productItems.map((i) => {
    if (!Number.isInteger(i.quantity) || i.quantity < 1)
      throw new RangeError(`1688 line ${alibaba1688LineId(i)} has a quantity we cannot take: ${i.quantity}`);
    return i.quantity;
  });
  const lineGoods = trade.productItems.map((i, n) => fen(i.price) * quantities[n]!);
  const lineDiscounts = trade.productItems.map((i, n) => Math.max(0, lineGoods[n]! - fen(i.itemAmount)));
  const goodsFen = lineGoods.reduce((t, v) => t + v, 0);
  const shippingFen = fen(b.shippingFee);
  const totalFen = fen(b.totalAmount);
  const lineRefunds = trade.productItems.map(lineRefund);
  const n = trade.nativeLogistics;
  const r = b.receiverInfo;
  return NormalizedOrderSchema.parse({
    platform: 'alibaba_1688',
    shopId,
    platformOrderId: alibaba1688OrderId(trade),
    status,
    refundStatus: lineRefunds.includes('requested')
      ? 'requested'
      : lineRefunds.every((x) => x === 'refunded')
        ? 'refunded'
        : 'none',
    type: 'normal',
    createdAt: time(b.createTime, 'createTime'),
    ...(b.payTime ? { paidAt: time(b.payTime, 'payTime') } : {}),
    modifiedAt: time(b.modifyTime || b.createTime, 'modifyTime'),
    currency,
    amounts: {
      goodsFen,
      discountFen: Math.max(0, goodsFen + shippingFen - totalFen),
      shippingFen,
      paidFen: status === 'awaiting_payment' ? 0 : totalFen,
    },
    buyer: { id: b.buyerOpenUid || b.buyerID || b.buyerLoginId || `1688-order-${alibaba1688OrderId(trade)}` },
    receiver: {
      name: n?.contactPerson || r?.toFullName || '-',
      phone: n?.mobile || n?.telephone || r?.toMobile || r?.toPhone || '-',
      country: 'CN',
      province: n?.province || '-',
      city: n?.city ?? '',
      district: n?.area ?? '',
      detail: [n?.town, n?.address].filter(Boolean).join(' ') || r?.toArea || '-',
      ...(n?.zip || r?.toPost ? { postalCode: n?.zip || r?.toPost } : {}),
      protected: false,
    },
    lines: trade.productItems.map((i, index) => ({
      lineId: alibaba1688LineId(i),
      platformSkuId: i.specId || i.skuID || i.productID || alibaba1688LineId(i),
      skuCode: i.cargoNumber || i.productCargoNumber || i.specId || i.productID || alibaba1688LineId(i),
      title: [i.name, ...i.skuInfos.map((s) => s.value)].filter(Boolean).join(' ').slice(0, 200),
      quantity: quantities[index],
      unitPriceFen: fen(i.price),
      discountFen: lineDiscounts[index],
      ...(lineRefunds[index] !== 'none' ? { refundStatus: lineRefunds[index] } : {}),
    })),
    ...(b.buyerFeedback || b.remark ? { buyerRemark: b.buyerFeedback || b.remark } : {}),
    ...(b.sellerMemo ? { sellerMemo: b.sellerMemo } : {}),
  });
}

function orderStatus(trade: Alibaba1688Trade): PlatformOrderStatus {
  switch (trade.baseInfo.status) {
    case 'waitbuyerpay':
      return 'awaiting_payment';
    case 'waitsellersend':
      return alibaba1688ShippedLines(trade).size > 0 ? 'partially_shipped' : 'paid';
    case 'waitlogisticstakein':
    case 'waitbuyerreceive':
    case 'waitbuyersign':
    case 'signinsuccess':
    case 'confirm_goods':
      return 'shipped';
    case 'success':
      return 'completed';
    case 'cancel':
    case 'terminated':
      return 'cancelled';
    default:
      throw new RangeError(`unknown 1688 order status ${trade.baseInfo.status}`);
  }
}

function lineRefund(item: Alibaba1688Item): RefundStatus {
  if (OPEN_REFUND.has(item.refundStatus)) return 'requested';
  if (item.refundStatus === 'REFUND_SUCCESS') return 'refunded';
  return 'none';
}

function time(value: string, field: string): string {
  const at = parse1688Time(value);
  if (!at) throw new RangeError(`1688 ${field} we cannot read: ${value}`);
  return at.toISOString();
}
