/**
 * The simulated payment channels' books: trades the buyer paid, refunds made against them, and a
 * record of every time money moved, so a test can see that a refund moved money once.
 */
export interface SimTrade {
  outTradeNo: string;
  /** The channel's own trade number (Alipay `trade_no`, WeChat `transaction_id`). */
  tradeNo: string;
  totalFen: number;
  /** Where the channel notifies the merchant about this trade (Alipay's payment notify_url). */
  notifyUrl?: string;
}

export interface SimRefund {
  outTradeNo: string;
  refundNo: string;
  refundId: string;
  amountFen: number;
  status: 'PROCESSING' | 'SUCCESS' | 'ABNORMAL' | 'CLOSED';
  createdAt: Date;
  succeededAt?: Date;
  notifyUrl?: string;
}

export class SimPaymentBook {
  private readonly trades = new Map<string, SimTrade>();
  private readonly refunds = new Map<string, SimRefund>();
  /** One entry each time money actually went back to a buyer. */
  readonly moves: Array<{ outTradeNo: string; refundNo: string; amountFen: number }> = [];
  private sequence = 0;

  constructor(private readonly prefix: string) {}

  /** A trade the buyer has paid (tests and the demo stream open them). */
  openTrade(trade: { outTradeNo: string; totalFen: number; notifyUrl?: string }): SimTrade {
    const existing = this.trades.get(trade.outTradeNo);
    if (existing) return existing;
    const opened: SimTrade = { ...trade, tradeNo: `${this.prefix}${Date.now()}${++this.sequence}` };
    this.trades.set(trade.outTradeNo, opened);
    return opened;
  }

  trade(outTradeNo: string): SimTrade | undefined {
    return this.trades.get(outTradeNo);
  }

  refund(refundNo: string): SimRefund | undefined {
    return this.refunds.get(refundNo);
  }

  refundsOf(outTradeNo: string): SimRefund[] {
    return [...this.refunds.values()].filter((refund) => refund.outTradeNo === outTradeNo);
  }

  /**
   * What is committed to refunds on a trade: gone back, on its way, or stuck ABNORMAL (the money
   * left the merchant and waits for another account); only a CLOSED refund frees its amount.
   */
  refundedFen(outTradeNo: string): number {
    return this.refundsOf(outTradeNo)
      .filter((refund) => refund.status !== 'CLOSED')
      .reduce((sum, refund) => sum + refund.amountFen, 0);
  }

  /** Records a new refund (the caller checked amount and trade). */
  add(refund: Omit<SimRefund, 'refundId' | 'createdAt'>, at: Date): SimRefund {
    const made: SimRefund = {
      ...refund,
      refundId: `${this.prefix}R${Date.now()}${++this.sequence}`,
      createdAt: at,
    };
    this.refunds.set(made.refundNo, made);
    if (made.status === 'SUCCESS') this.moved(made, at);
    return made;
  }

  settle(refund: SimRefund, status: 'SUCCESS' | 'ABNORMAL' | 'CLOSED', at: Date): void {
    if (refund.status !== 'PROCESSING') return;
    refund.status = status;
    if (status === 'SUCCESS') this.moved(refund, at);
  }

  private moved(refund: SimRefund, at: Date): void {
    refund.succeededAt = at;
    this.moves.push({
      outTradeNo: refund.outTradeNo,
      refundNo: refund.refundNo,
      amountFen: refund.amountFen,
    });
  }
}

/**
 * Scripted misbehaviour: the next calls of an operation fail (the channel's system error), answer
 * only after a delay, or are carried out with the answer lost (the connection drops after the
 * money moved: what a client sees as a timeout).
 */
export type PaymentFault =
  { kind: 'fail' } | { kind: 'lose' } | { kind: 'delay'; ms: number } | { kind: 'abnormal' };

export class PaymentFaults {
  private readonly planned = new Map<string, PaymentFault[]>();

  add(operation: string, fault: PaymentFault, times = 1): void {
    const queue = this.planned.get(operation) ?? [];
    for (let i = 0; i < times; i++) queue.push(fault);
    this.planned.set(operation, queue);
  }

  next(operation: string): PaymentFault | undefined {
    return this.planned.get(operation)?.shift();
  }

  clear(): void {
    this.planned.clear();
  }
}

/** Every notification a simulator sent and the merchant's answer. */
export interface NotifyRecord {
  channel: 'alipay' | 'wechatpay';
  url: string;
  refundNo: string;
  body: string;
  status?: number;
  reply?: string;
  error?: string;
}

export class NotifyLog {
  readonly records: NotifyRecord[] = [];
  add(record: NotifyRecord): void {
    this.records.push(record);
  }
  of(refundNo: string): NotifyRecord[] {
    return this.records.filter((record) => record.refundNo === refundNo);
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
