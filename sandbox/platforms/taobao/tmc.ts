import type { SimOrder } from '../../orders/model.js';
import { derivedId, topRefundStatus, topTime, topTradeStatus, yuan } from './render.js';

/**
 * TMC (消息服务) as TOP runs it: every change to a seller's trade publishes a message on a topic;
 * the app pulls them with `taobao.tmc.messages.consume` and acknowledges them with
 * `taobao.tmc.messages.confirm`. Unconfirmed messages come back after a visibility timeout.
 */
export interface TmcMessageJson {
  id: string;
  topic: string;
  pub_time: string;
  pub_app_key: string;
  user_id: string;
  user_nick: string;
  /** A JSON string, as TOP sends it. */
  content: string;
}

/** What a subscriber saw last of an order, to tell which topic a change belongs to. */
export interface OrderSnapshot {
  status: SimOrder['status'];
  refundStatus?: string;
}

export const snapshotOf = (order: SimOrder): OrderSnapshot => ({
  status: order.status,
  ...(order.refund ? { refundStatus: order.refund.status } : {}),
});

const REFUND_TOPICS: Record<string, string> = {
  requested: 'taobao_refund_RefundCreated',
  agreed: 'taobao_refund_RefundSellerAgreeAgreement',
  returning: 'taobao_refund_RefundBuyerReturnGoods',
  refused: 'taobao_refund_RefundSellerRefuseAgreement',
  closed: 'taobao_refund_RefundClosed',
  refunded: 'taobao_refund_RefundSuccess',
};

const TRADE_TOPICS: Record<SimOrder['status'], string> = {
  unpaid: 'taobao_trade_TradeCreate',
  deposit_paid: 'taobao_trade_TradeBuyerStepPay',
  paid: 'taobao_trade_TradeBuyerPay',
  shipped: 'taobao_trade_TradeSellerShip',
  completed: 'taobao_trade_TradeSuccess',
  cancelled: 'taobao_trade_TradeClose',
};

/** The topic of a change from `previous` (undefined: a new order) to `order`. */
export function tmcTopicFor(previous: OrderSnapshot | undefined, order: SimOrder): string {
  if (order.refund && order.refund.status !== previous?.refundStatus)
    return REFUND_TOPICS[order.refund.status]!;
  if (!previous || previous.status !== order.status) {
    // A new order that is already paid was created and paid at once; TOP publishes the payment.
    return TRADE_TOPICS[order.status];
  }
  return 'taobao_trade_TradeChanged';
}

/** The TMC message TOP would publish for this order on `topic` (❓ exact content keys per topic). */
export function renderTmcMessage(
  order: SimOrder,
  topic: string,
  options: { id: string; appKey: string; now: Date; userId?: string },
): TmcMessageJson {
  const content = topic.startsWith('taobao_refund_')
    ? {
        refund_id: order.refund?.id ?? '',
        tid: order.id,
        oid: order.items[0]?.lineId ?? order.id,
        buyer_nick: order.buyer.nick,
        seller_nick: order.shopKey,
        refund_fee: yuan(order.refund?.amountMinor ?? 0),
        refund_phase: order.shipment ? 'aftersale' : 'onsale',
        status: order.refund ? topRefundStatus(order.refund) : '',
        modified: topTime(order.modifiedAt),
      }
    : {
        tid: order.id,
        oid: order.items[0]?.lineId ?? order.id,
        buyer_nick: order.buyer.nick,
        seller_nick: order.shopKey,
        payment: yuan(order.paidMinor),
        type: order.type === 'presale' ? 'step' : 'guarantee_trade',
        status: topTradeStatus(order, { oaidSecret: '' }).status,
        modified: topTime(order.modifiedAt),
      };
  // Ids go into the content as bare JSON numbers, exactly as long as they are.
  const json = JSON.stringify(content).replace(/"(tid|oid|refund_id)":"(\d+)"/g, '"$1":$2');
  return {
    id: options.id,
    topic,
    pub_time: topTime(options.now),
    pub_app_key: options.appKey,
    user_id: options.userId ?? derivedId(`user|${order.shopKey}`, 10),
    user_nick: order.shopKey,
    content: json,
  };
}

/** Per-group message queue with at-least-once delivery. */
export class TmcQueue {
  private readonly pending: Array<{ message: TmcMessageJson; invisibleUntil: number }> = [];

  constructor(
    private readonly visibilityMs = 30_000,
    /** A dev stack may run for days with nobody consuming; the oldest messages go first. */
    private readonly maxPending = 50_000,
  ) {}

  publish(message: TmcMessageJson): void {
    this.pending.push({ message, invisibleUntil: 0 });
    if (this.pending.length > this.maxPending) this.pending.splice(0, this.pending.length - this.maxPending);
  }

  consume(quantity: number, now: number): TmcMessageJson[] {
    const out: TmcMessageJson[] = [];
    for (const entry of this.pending) {
      if (out.length >= quantity) break;
      if (entry.invisibleUntil > now) continue;
      entry.invisibleUntil = now + this.visibilityMs;
      out.push(entry.message);
    }
    return out;
  }

  confirm(ids: readonly string[]): number {
    let removed = 0;
    for (let i = this.pending.length - 1; i >= 0; i--) {
      if (ids.includes(this.pending[i]!.message.id)) {
        this.pending.splice(i, 1);
        removed++;
      }
    }
    return removed;
  }

  get size(): number {
    return this.pending.length;
  }
}
