import type { SimOrder, SimRefund } from '../../orders/model.js';
import type { SimFieldCipher } from '../../kit/field-cipher.js';

/**
 * SimOrder → Kuaishou `OrderList` / `OrderDetail` (MORE-CHANNELS §1.3). `oid`, sku and item ids
 * are bare JSON numbers (BigInt for lossless-json); money in fen; times in ms. One SKU line per
 * order (`orderItemInfo`). Receivers are ciphertext plus a mask, as Kuaishou sends them.
 */
const ms = (d: Date | undefined) => (d ? d.getTime() : 0);

export function bare(id: string): bigint | string {
  return /^\d+$/.test(id) ? BigInt(id) : id;
}

export function kuaishouStatus(order: SimOrder): number {
  switch (order.status) {
    case 'unpaid':
    case 'deposit_paid':
      return 10;
    case 'paid':
      return order.shipment ? 40 : 30;
    case 'shipped':
      return 40;
    case 'completed':
      return 70;
    case 'cancelled':
      return 80;
  }
}

const REFUND_STATUS: Record<SimRefund['status'], number> = {
  requested: 10,
  agreed: 20,
  returning: 30,
  refunded: 60,
  refused: 70,
  closed: 70,
};

const mask = (value: string, keep: number) =>
  value.length <= keep
    ? '*'.repeat(value.length)
    : `${value.slice(0, keep)}${'*'.repeat(Math.min(6, value.length - keep))}`;

export function renderKuaishouOrder(order: SimOrder, cipher: SimFieldCipher) {
  const item = order.items[0]!;
  const goods = item.unitPriceMinor * item.quantity;
  const discount = item.discountMinor + order.discountMinor;
  const due = goods - discount + order.shippingMinor;
  const status = kuaishouStatus(order);
  const activities = [...(order.presale ? [6] : []), ...(order.type === 'group_buy' ? [17] : [])];
  const r = order.receiver;
  return {
    orderBaseInfo: {
      oid: bare(order.id),
      status,
      createTime: ms(order.createdAt),
      payTime: ms(order.paidAt),
      updateTime: ms(order.modifiedAt),
      sendTime: ms(order.shipment?.shippedAt),
      buyerOpenId: `f1${Buffer.from(order.buyer.id).toString('hex').slice(0, 30)}`,
      buyerNick: order.buyer.nick,
      sellerOpenId: `s-${order.shopKey}`,
      totalFee: status === 10 ? due : order.paidMinor,
      expressFee: order.shippingMinor,
      discountFee: discount,
      remark: order.buyerRemark ?? '',
      preSale: 0,
      allActivityType: activities,
      disableDeliveryReasonCode: order.groupStatus === 'forming' ? [1] : [],
      riskCode: 0,
      validPromiseShipmentTimeStamp: order.paidAt ? ms(order.paidAt) + 48 * 3600_000 : 0,
      payType: 1,
      cpsType: 1,
    },
    orderItemInfo: {
      orderItemId: bare(item.lineId),
      skuId: bare(item.platformSkuId),
      relSkuId: 0,
      itemId: bare(`9${item.platformSkuId.slice(1)}`),
      skuNick: item.skuCode,
      skuDesc: item.spec,
      itemTitle: item.title,
      num: item.quantity,
      price: item.unitPriceMinor,
      originalPrice: item.unitPriceMinor,
      discountFee: item.discountMinor,
    },
    orderAddress: {
      province: r.province,
      city: r.city,
      district: r.district,
      town: r.town ?? '',
      encryptedConsignee: cipher.encrypt(r.name),
      encryptedMobile: cipher.encrypt(r.phone),
      encryptedAddress: cipher.encrypt(r.detail),
      desensitiseConsignee: mask(r.name, 1),
      desensitiseMobile: `${r.phone.slice(0, 3)}****${r.phone.slice(-4)}`,
      desensitiseAddress: mask(r.detail, 4),
    },
    orderRefundList: order.refund
      ? [
          {
            refundId: bare(order.refund.id.replace(/\D/g, '') || '1'),
            refundStatus: REFUND_STATUS[order.refund.status],
          },
        ]
      : [],
    orderLogisticsInfo: [order.shipment, ...(order.extraShipments ?? [])]
      .filter((s) => s !== undefined)
      .map((s) => ({ expressNo: s.trackingNumber, expressCode: Number(s.carrierCode), logisticsId: 1 })),
    orderStepInfo: order.presale
      ? {
          payStepType: 1,
          orderStepList: [
            { payStepNo: 1, payFee: order.presale.depositMinor, payTime: ms(order.presale.depositPaidAt) },
            { payStepNo: 2, payFee: order.presale.balanceMinor, payTime: ms(order.presale.balancePaidAt) },
          ],
        }
      : null,
    orderNote: { sellerNote: order.sellerMemo ?? '' },
  };
}
