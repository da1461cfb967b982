import { afterAll, beforeAll, expect, it } from 'vitest';
import { createOrderProjectionActivities } from '../../activities/order-projection.js';
import type { EventFence } from '../../domain/event-fence.js';
import type { NormalizedOrder } from '../../domain/order.js';
import type { HoldRecord, OrderProjection } from '../../domain/order-projection.js';
import type { OrderEventInput } from '../../db/queries/orders.js';
import { createShop, orderPush } from '../support/fixtures.js';
import { createHarness, type Harness } from '../support/harness.js';

/**
 * The order projection as the order workflow writes it through local activities, driven the way a
 * crash drives it: a workflow task writes events and is lost (its worker dies before the task
 * completes), and the task that re-executes it starts further along the history, where a signal
 * that arrived meanwhile sends it down another path under the same sequence numbers.
 */
let h: Harness;
let projection: ReturnType<typeof createOrderProjectionActivities>;

beforeAll(async () => {
  h = await createHarness();
  projection = createOrderProjectionActivities({ db: h.db, config: h.config });
});
afterAll(() => h.teardown());

const runStartedAt = new Date().toISOString();
/** The task whose worker died: it started with three events in history. */
const lost: EventFence = { runStartedAt, historyLength: 3 };
/** The task that re-executed it after the timeout and the payment signal. */
const redone: EventFence = { runStartedAt, historyLength: 7 };

function emptyProjection(holds: HoldRecord[] = []): OrderProjection {
  return {
    flags: [],
    locked: false,
    routeGroup: null,
    priority: 0,
    heldSince: null,
    shipByAt: null,
    shipByAtRisk: false,
    internalMemo: null,
    carrierPreference: null,
    effectiveReceiver: null,
    outcome: null,
    holds,
  };
}

async function newOrder(status: 'awaiting_payment' | 'paid') {
  const shopId = await createShop(h.db, 'jd');
  const order: NormalizedOrder = { ...orderPush({ status }), platform: 'jd', shopId };
  const orderId = `order:jd:${shopId}:${order.platformOrderId}`;
  const event = (
    seq: number,
    stage: string,
    status: string,
    fence: EventFence,
    holds: HoldRecord[] = [],
  ): OrderEventInput => ({
    orderId,
    seq,
    fence,
    stage,
    status,
    actor: 'system',
    detail: {},
    at: new Date().toISOString(),
    projection: emptyProjection(holds),
  });
  return { orderId, order, event };
}

async function timeline(orderId: string) {
  const rows = await h.db
    .selectFrom('order_events')
    .select(['seq', 'stage'])
    .where('order_id', '=', orderId)
    .orderBy('seq')
    .execute();
  return rows.map((r) => `${r.seq}:${r.stage}`);
}

async function orderRow(orderId: string) {
  return h.db.selectFrom('orders').select(['status']).where('id', '=', orderId).executeTakeFirstOrThrow();
}

it('keeps the event a re-executed workflow task writes under a sequence number a lost task already used', async () => {
  const { orderId, order, event } = await newOrder('awaiting_payment');
  // The lost task captured the order and parked it waiting for payment.
  await projection.recordOrderSnapshot({ orderId, order, event: event(1, 'captured', 'captured', lost) });
  await projection.recordOrderEvent(event(2, 'awaiting_payment', 'awaiting_payment', lost));

  // The task that re-executed it already had the payment: it never waited.
  await projection.recordOrderSnapshot({ orderId, order, event: event(1, 'captured', 'captured', redone) });
  expect(await projection.recordOrderEvent(event(2, 'payment_confirmed', 'auditing', redone))).toBe(true);
  await projection.recordOrderEvent(event(3, 'audited', 'auditing', redone));

  expect(await timeline(orderId)).toEqual(['1:captured', '2:payment_confirmed', '3:audited']);
  expect((await orderRow(orderId)).status).toBe('auditing');
});

it('refuses a lost task’s write that arrives after the re-executed task moved on', async () => {
  const { orderId, order, event } = await newOrder('paid');
  await projection.recordOrderSnapshot({ orderId, order, event: event(1, 'captured', 'captured', redone) });
  await projection.recordOrderEvent(event(2, 'payment_confirmed', 'auditing', redone));

  // A worker that was only slow (its task timed out) finishes a write it started long ago.
  expect(await projection.recordOrderEvent(event(2, 'awaiting_payment', 'awaiting_payment', lost))).toBe(
    false,
  );
  expect(await projection.recordOrderEvent(event(3, 'cancelled', 'cancelled', lost))).toBe(false);

  expect(await timeline(orderId)).toEqual(['1:captured', '2:payment_confirmed']);
  expect((await orderRow(orderId)).status).toBe('auditing');
});

it('drops what only a lost task wrote: later events and the holds it raised', async () => {
  const { orderId, order, event } = await newOrder('paid');
  const hold: HoldRecord = {
    key: 'buyer_remark@1',
    reason: 'buyer_remark',
    stage: 1,
    clearedBy: 'cs',
    ruleId: null,
    message: null,
    detail: 'remark',
    openedAt: new Date().toISOString(),
    escalatedAt: null,
    clearedAt: null,
    clearedByActor: null,
    decision: null,
    note: null,
  };
  await projection.recordOrderSnapshot({ orderId, order, event: event(1, 'captured', 'captured', lost) });
  await projection.recordOrderEvent(event(2, 'payment_confirmed', 'auditing', lost));
  await projection.recordOrderEvent(event(3, 'held', 'held', lost, [hold]));
  await projection.recordOrderEvent(event(4, 'escalated', 'held', lost, [hold]));

  // The re-executed task was cancelled by the platform before its audit.
  await projection.recordOrderSnapshot({ orderId, order, event: event(1, 'captured', 'captured', redone) });
  await projection.recordOrderEvent(event(2, 'payment_confirmed', 'auditing', redone));
  await projection.recordOrderEvent(event(3, 'cancelled', 'cancelled', redone));

  expect(await timeline(orderId)).toEqual(['1:captured', '2:payment_confirmed', '3:cancelled']);
  expect((await orderRow(orderId)).status).toBe('cancelled');
  const holds = await h.db
    .selectFrom('order_holds')
    .select('hold_key')
    .where('order_id', '=', orderId)
    .execute();
  expect(holds).toEqual([]);
});

it('writes a retried event once and keeps a slow write of one task beside a later task’s event', async () => {
  const { orderId, order, event } = await newOrder('paid');
  const first: EventFence = { runStartedAt, historyLength: 3 };
  // The task that started while the first task's write was still running (a workflow task
  // heartbeat while a local activity is slow), with a signal handler's note.
  const next: EventFence = { runStartedAt, historyLength: 9 };
  await projection.recordOrderSnapshot({ orderId, order, event: event(1, 'captured', 'captured', first) });
  await projection.recordOrderEvent(event(3, 'memo_added', 'auditing', next));
  expect(await projection.recordOrderEvent(event(2, 'payment_confirmed', 'auditing', first))).toBe(true);
  expect(await projection.recordOrderEvent(event(2, 'payment_confirmed', 'auditing', first))).toBe(false);

  expect(await timeline(orderId)).toEqual(['1:captured', '2:payment_confirmed', '3:memo_added']);
});
