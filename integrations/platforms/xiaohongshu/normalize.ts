import {
  NormalizedOrderSchema,
  type NormalizedOrder,
  type OrderType,
  type PlatformOrderStatus,
  type Receiver,
  type RefundStatus,
} from '../../../domain/order.js';
import type { XiaohongshuOrder, XiaohongshuSku } from './wire.js';

/**
 * Xiaohongshu order detail → our order. Pure.
 *
 * - `orderStatus` (§2.3): 1 已下单待付款, 2 已支付处理中 (the platform still checks the payment) and
 *   3 清关中 (in customs) → awaiting_payment — none may ship yet; 4 待发货 → paid; 5 部分发货 →
 *   partially_shipped; 6 待收货 and 10 换货申请中 → shipped; 7 已完成 → completed; 8 已关闭,
 *   9 已取消 → cancelled.
 * - `orderType` 2 定金预售 and 4 全款预售 → presale.
 * - After-sales (`orderAfterSalesStatus`, `skuList[].skuAfterSaleStatus`; values UNCONFIRMED):
 *   2 售后中 → requested, 3 售后完成 → refunded, 4 售后关闭 → closed; 1/0 none.
 * - One line per `skuList` entry (line id = `skuId`), money in fen: a line's gross = paid +
 *   merchant discount + platform (red) discount; shipping = `totalShippingFree`; paid =
 *   `totalPayAmount` once paid.
 * - The receiver is masked (`receiverName/Phone/Address`): kept as given with `protected: true`
 *   and `openAddressId` as its handle; `order.getOrderReceiverInfo` gives the plaintext only when a
 *   waybill needs it.
 */
export function normalizeXiaohongshuOrder(order: XiaohongshuOrder, shopId: string): NormalizedOrder {
  if (order.skuList.length === 0) throw new RangeError(`xiaohongshu order ${order.orderId} has no skuList`);
  const status = orderStatus(order);
  const gross = (s: XiaohongshuSku) => s.totalPaidAmount + s.totalMerchantDiscount + s.totalRedDiscount;
  const lineRefunds = order.skuList.map((s) => afterSale(s.skuAfterSaleStatus));
  return NormalizedOrderSchema.parse({
    platform: 'xiaohongshu',
    shopId,
    platformOrderId: order.orderId,
    status,
    refundStatus: afterSale(order.orderAfterSalesStatus) ?? 'none',
    type: orderType(order.orderType),
    createdAt: iso(order.createdTime),
    ...(order.paidTime > 0 ? { paidAt: iso(order.paidTime) } : {}),
    modifiedAt: iso(order.updateTime),
    currency: 'CNY',
    amounts: {
      goodsFen: order.skuList.reduce((t, s) => t + gross(s), 0),
      discountFen: order.skuList.reduce((t, s) => t + s.totalMerchantDiscount + s.totalRedDiscount, 0),
      shippingFen: order.totalShippingFree,
      paidFen: status === 'awaiting_payment' ? 0 : order.totalPayAmount,
    },
    buyer: { id: order.userId || `xiaohongshu-order-${order.orderId}` },
    receiver: xiaohongshuReceiver(order),
    lines: order.skuList.map((sku, index) => ({
      lineId: sku.skuId,
      platformSkuId: sku.skuId,
      skuCode: sku.erpcode || sku.skuId,
      title: [sku.skuName, sku.skuSpec].filter(Boolean).join(' '),
      quantity: sku.skuQuantity,
      unitPriceFen: Math.round(gross(sku) / sku.skuQuantity),
      discountFen: sku.totalMerchantDiscount + sku.totalRedDiscount,
      ...(lineRefunds[index] ? { refundStatus: lineRefunds[index] } : {}),
    })),
    ...(order.customerRemark ? { buyerRemark: order.customerRemark } : {}),
    ...(order.sellerRemark ? { sellerMemo: order.sellerRemark } : {}),
    ...(order.promiseLastDeliveryTime > 0 ? { shipBy: iso(order.promiseLastDeliveryTime) } : {}),
  });
}

export function xiaohongshuReceiver(order: XiaohongshuOrder): Receiver {
  return {
    name: order.receiverName || '-',
    phone: order.receiverPhone || '-',
    // The detail names the country only in words (中国); orders we take ship within China.
    country: 'CN',
    province: order.receiverProvinceName || '-',
    city: order.receiverCityName,
    district: order.receiverDistrictName,
    detail: order.receiverAddress || '-',
    protected: true,
    ...(order.openAddressId ? { addressHandle: order.openAddressId } : {}),
  };
}

function orderStatus(order: XiaohongshuOrder): PlatformOrderStatus {
  switch (order.orderStatus) {
    case 1:
    case 2:
    case 3:
      return 'awaiting_payment';
    case 4:
      return 'paid';
    case 5:
      return 'partially_shipped';
    case 6:
    case 10:
      return 'shipped';
    case 7:
      return 'completed';
    case 8:
    case 9:
      return 'cancelled';
    default:
      throw new RangeError(`unknown Xiaohongshu orderStatus ${order.orderStatus} on order ${order.orderId}`);
  }
}

function afterSale(status: number): RefundStatus | undefined {
  switch (status) {
    case 2:
      return 'requested';
    case 3:
      return 'refunded';
    case 4:
      return 'closed';
    default:
      return undefined;
  }
}

function orderType(type: number): OrderType {
  return type === 2 || type === 4 ? 'presale' : 'normal';
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
