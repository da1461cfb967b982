import { randomUUID } from 'node:crypto';
import type { OrderPush } from '../../domain/order.js';
import { bodyHmacBase64 } from '../kit/body-hmac.js';
import type { SimOrder } from '../orders/model.js';

/**
 * A seller's own store pushing a SimOrder to the ERP, signed on its own code path (not the
 * adapter's helper): our normalized order as the body, `X-Erp-Hmac-Sha256` and
 * `X-Erp-Delivery-Id` headers.
 */
export function renderOwnStorePush(
  secret: string,
  order: SimOrder,
  deliveryId: string = randomUUID(),
): { headers: Record<string, string>; body: string } {
  const push: OrderPush = {
    platformOrderId: order.id,
    status: STATUS[order.status],
    refundStatus: order.refund
      ? order.refund.status === 'refunded'
        ? 'refunded'
        : order.refund.status === 'closed' || order.refund.status === 'refused'
          ? 'closed'
          : 'requested'
      : 'none',
    type: order.type,
    createdAt: order.createdAt.toISOString(),
    ...(order.paidAt ? { paidAt: order.paidAt.toISOString() } : {}),
    modifiedAt: order.modifiedAt.toISOString(),
    currency: order.currency,
    amounts: {
      goodsFen: order.items.reduce((s, i) => s + i.unitPriceMinor * i.quantity, 0),
      discountFen: order.items.reduce((s, i) => s + i.discountMinor, 0) + order.discountMinor,
      shippingFen: order.shippingMinor,
      paidFen: order.paidMinor,
    },
    ...(order.presale
      ? {
          presale: {
            depositFen: order.presale.depositMinor,
            balanceFen: order.presale.balanceMinor,
            ...(order.presale.depositPaidAt
              ? { depositPaidAt: order.presale.depositPaidAt.toISOString() }
              : {}),
            ...(order.presale.balancePaidAt
              ? { balancePaidAt: order.presale.balancePaidAt.toISOString() }
              : {}),
          },
        }
      : {}),
    buyer: { id: order.buyer.id, nick: order.buyer.nick },
    receiver: { ...order.receiver, protected: false },
    lines: order.items.map((i) => ({
      lineId: i.lineId,
      platformSkuId: i.platformSkuId,
      skuCode: i.skuCode,
      title: i.title,
      quantity: i.quantity,
      unitPriceFen: i.unitPriceMinor,
      discountFen: i.discountMinor,
    })),
    ...(order.buyerRemark ? { buyerRemark: order.buyerRemark } : {}),
    ...(order.sellerMemo ? { sellerMemo: order.sellerMemo } : {}),
  };
  const body = JSON.stringify(push);
  return {
    headers: {
      'content-type': 'application/json',
      'x-erp-hmac-sha256': bodyHmacBase64(secret, body),
      'x-erp-delivery-id': deliveryId,
    },
    body,
  };
}

const STATUS: Record<SimOrder['status'], OrderPush['status']> = {
  unpaid: 'awaiting_payment',
  deposit_paid: 'deposit_paid',
  paid: 'paid',
  shipped: 'shipped',
  completed: 'completed',
  cancelled: 'cancelled',
};
