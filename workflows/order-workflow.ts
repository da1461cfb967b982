import {
  allHandlersFinished,
  condition,
  log,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { isPaidStatus, type NormalizedOrder } from '../domain/order.js';
import type { OrderStatus } from '../domain/order-status.js';
import { compareSnapshots } from '../domain/order-snapshot.js';
import {
  orderSnapshotSignal,
  stateQuery,
  type Deadline,
  type OrderStateView,
  type TimelineEntry,
} from './messages.js';
import { OrderStatusKey, PlatformKey, ShopIdKey } from './search-attributes.js';

const { recordOrderSnapshot, recordOrderEvent, loadOrderPolicy } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', backoffCoefficient: 2 },
});

export interface OrderWorkflowInput {
  order: NormalizedOrder;
}

export interface OrderOutcome {
  orderId: string;
  status: OrderStatus;
  outcome: string;
}

/** The durable life of one platform order. Its id is the order's business key (see domain/ids.ts). */
export async function orderWorkflow(input: OrderWorkflowInput): Promise<OrderOutcome> {
  const run = new OrderRun(workflowInfo().workflowId, input.order);
  setHandler(stateQuery, () => run.view());
  setHandler(orderSnapshotSignal, (snapshot) => run.receive(snapshot));

  upsertSearchAttributes([
    { key: PlatformKey, value: input.order.platform },
    { key: ShopIdKey, value: input.order.shopId },
    { key: OrderStatusKey, value: 'captured' },
  ]);
  await run.capture();
  const policy = await loadOrderPolicy({ shopId: input.order.shopId });

  if (!run.paid && !run.cancelled) {
    const deadlineMs = Date.parse(run.order.createdAt) + policy.unpaidCancelSeconds * 1000;
    await run.step('awaiting_payment', 'awaiting_payment');
    run.wait('payment from the buyer', { kind: 'unpaid_cancel', at: new Date(deadlineMs).toISOString() });
    const settled = await condition(() => run.paid || run.cancelled, Math.max(0, deadlineMs - Date.now()));
    run.wait(null, null);
    if (!settled)
      return run.finish('cancelled', 'unpaid_timeout', { unpaidCancelSeconds: policy.unpaidCancelSeconds });
  }
  await run.persistSnapshot();
  if (run.cancelled)
    return run.finish('cancelled', 'cancelled_on_platform', { platformStatus: run.order.status });

  await run.step('payment_confirmed', 'auditing', {
    paidFen: run.order.amounts.paidFen,
    paidAt: run.order.paidAt,
  });
  return run.finish('completed', 'accepted_for_fulfilment');
}

/** Holds one order's in-memory state and writes every stage to the projection and timeline. */
class OrderRun {
  order: NormalizedOrder;
  status: OrderStatus = 'captured';
  private seq = 0;
  private dirty = false;
  private waitingFor: string | null = null;
  private deadline: Deadline | null = null;
  private outcome: string | null = null;
  private readonly timeline: TimelineEntry[] = [];

  constructor(
    readonly orderId: string,
    order: NormalizedOrder,
  ) {
    this.order = order;
  }

  get paid(): boolean {
    return isPaidStatus(this.order.status);
  }

  get cancelled(): boolean {
    return this.order.status === 'cancelled';
  }

  receive(snapshot: NormalizedOrder): void {
    const verdict = compareSnapshots(this.order, snapshot);
    if (verdict !== 'newer') {
      log.debug('ignored order snapshot', { verdict, modifiedAt: snapshot.modifiedAt });
      return;
    }
    this.order = snapshot;
    this.dirty = true;
  }

  async capture(): Promise<void> {
    const event = this.nextEvent('captured', 'captured', {
      source: 'platform',
      modifiedAt: this.order.modifiedAt,
    });
    this.dirty = false;
    await recordOrderSnapshot({ orderId: this.orderId, order: this.order, event });
  }

  async persistSnapshot(): Promise<void> {
    if (!this.dirty) return;
    this.dirty = false;
    await recordOrderSnapshot({ orderId: this.orderId, order: this.order });
  }

  async step(
    stage: string,
    status: OrderStatus,
    detail: Record<string, unknown> = {},
    actor = 'system',
  ): Promise<void> {
    if (status !== this.status) upsertSearchAttributes([{ key: OrderStatusKey, value: status }]);
    this.status = status;
    await recordOrderEvent(this.nextEvent(stage, status, detail, actor));
  }

  wait(what: string | null, deadline: Deadline | null): void {
    this.waitingFor = what;
    this.deadline = deadline;
  }

  async finish(
    status: OrderStatus,
    outcome: string,
    detail: Record<string, unknown> = {},
  ): Promise<OrderOutcome> {
    this.outcome = outcome;
    await this.step(status, status, { outcome, ...detail });
    // Let any signal handler that is still running finish before the workflow closes.
    await condition(allHandlersFinished);
    return { orderId: this.orderId, status, outcome };
  }

  view(): OrderStateView {
    return {
      orderId: this.orderId,
      platform: this.order.platform,
      shopId: this.order.shopId,
      platformOrderId: this.order.platformOrderId,
      status: this.status,
      platformStatus: this.order.status,
      refundStatus: this.order.refundStatus,
      waitingFor: this.waitingFor,
      nextDeadline: this.deadline,
      outcome: this.outcome,
      timeline: [...this.timeline],
    };
  }

  private nextEvent(stage: string, status: OrderStatus, detail: Record<string, unknown>, actor = 'system') {
    this.seq += 1;
    const at = new Date().toISOString();
    this.status = status;
    this.timeline.push({ seq: this.seq, stage, status, at });
    return { orderId: this.orderId, seq: this.seq, stage, status, actor, detail, at };
  }
}
