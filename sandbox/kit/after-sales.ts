import type { SimOrder, SimRefund } from '../orders/model.js';
import type { SimOrderStore } from './store.js';

/**
 * When a change made at `at` shows as modified: after the last change, to the platform's second, so
 * an incremental list by modified time always sees it as news.
 */
export function newsAfter(lastModified: Date, at: Date): Date {
  return new Date(Math.max(at.getTime(), lastModified.getTime() + 1000));
}

/**
 * What every simulated platform does when the seller answers an after-sales case, whatever its
 * wire format: the case must exist and wait for the seller; an agreement refunds the buyer (the
 * platform moves the money), a refusal ends it refused; the answer is kept for tests to read.
 */
export function findSimRefund(orders: SimOrder[], refundId: string) {
  const order = orders.find((o) => o.refund?.id === refundId);
  return order?.refund ? { order, refund: order.refund } : undefined;
}

export function answerSimRefund(
  store: SimOrderStore,
  order: SimOrder,
  answer: { action: 'agree'; amountMinor: number } | { action: 'refuse'; message: string },
  at: Date,
  /** What else the answer changes on the order (a JD agreed apply cancels it). */
  orderAfter: (order: SimOrder) => void = () => {},
): SimRefund {
  store.update(
    order.shopKey,
    order.id,
    (o) => {
      const refund = o.refund!;
      refund.status = answer.action === 'agree' ? 'refunded' : 'refused';
      if (answer.action === 'agree') refund.amountMinor = answer.amountMinor;
      refund.modifiedAt = newsAfter(refund.modifiedAt, at);
      refund.sellerAnswer = { ...answer, at };
      orderAfter(o);
    },
    at,
  );
  return order.refund!;
}

/**
 * The seller agreed a return with the return address the platform recorded (Douyin operate 101,
 * PDD `pdd.refund.returngoods.agree`): the buyer is to send the goods back; no money moves yet.
 */
export function agreeSimReturn(
  store: SimOrderStore,
  order: SimOrder,
  returnAddress: Record<string, string>,
  at: Date,
): SimRefund {
  store.update(
    order.shopKey,
    order.id,
    (o) => {
      const refund = o.refund!;
      refund.status = 'agreed';
      refund.modifiedAt = newsAfter(refund.modifiedAt, at);
      refund.returnAddress = returnAddress;
      refund.sellerAnswer = { action: 'agree', amountMinor: refund.amountMinor, at };
    },
    at,
  );
  return order.refund!;
}
