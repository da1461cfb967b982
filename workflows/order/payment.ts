import { condition } from '@temporalio/workflow';
import { proxyLocalActivitiesInLine } from '../local-activities.js';
import type { Activities } from '../../activities/index.js';
import { platformOwnsPaymentWindow } from '../../domain/payment-window.js';
import type { OrderRun } from './run.js';
import { waiting, type Waiting } from '../../domain/waiting.js';

const { remindUnpaid } = proxyLocalActivitiesInLine<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', backoffCoefficient: 2 },
});

export type PaymentOutcome =
  { paid: true } | { paid: false; reason: string; detail: Record<string, unknown> };

const DEPOSIT_PAID = new Set(['deposit_paid', 'paid', 'partially_shipped', 'shipped', 'completed']);

/** Presale deposit and balance wait on deadlines of their own (before: the unpaid-cancel timer). */
const PRESALE_DEADLINES_PATCH = 'presale-own-deadlines';

/** Marketplace orders wait for the platform's word; their timers only remind (before: cancelled). */
const PLATFORM_WINDOW_PATCH = 'platform-owns-payment-window';

type Phase = 'payment' | 'deposit' | 'balance';
/** How a deadline that passes is handled: the ERP cancels (own store), or reminds and waits on. */
type OnLapse = 'cancel' | 'remind';

/**
 * Waits for the buyer's money. Normal orders: paid before the unpaid-cancel timer fires. Presale
 * orders: the deposit within the shop's deposit window, then the balance by the platform's balance
 * deadline (or within the shop's balance window once it opens). A platform cancellation ends the
 * wait at once.
 *
 * Only an own store's orders are cancelled when a deadline passes: a marketplace owns its payment
 * window and closes unpaid orders itself, so there a deadline raises a reminder (flag, timeline,
 * alert) and the order keeps waiting for the platform to report it paid or closed
 * (docs/payments.md).
 */
export async function awaitPayment(run: OrderRun): Promise<PaymentOutcome> {
  if (run.paid) return { paid: true };
  const onLapse: OnLapse =
    run.patch(PLATFORM_WINDOW_PATCH) && platformOwnsPaymentWindow(run.snapshot.platform)
      ? 'remind'
      : 'cancel';
  const presale = run.snapshot.type === 'presale' || run.snapshot.presale !== undefined;
  const createdMs = Date.parse(run.snapshot.createdAt);

  if (presale && !run.paid) {
    // Histories recorded before the patch keep the deadlines they were started with.
    const ownDeadlines = run.patch(PRESALE_DEADLINES_PATCH);
    if (!DEPOSIT_PAID.has(run.snapshot.status)) {
      // A policy loaded by an older worker has no deposit setting; the unpaid timer stands in.
      const depositSeconds = ownDeadlines
        ? (run.policy.presaleDepositSeconds ?? run.policy.unpaidCancelSeconds)
        : run.policy.unpaidCancelSeconds;
      const depositDeadline = createdMs + depositSeconds * 1000;
      const what = waiting('order_deposit');
      run.wait(what, { kind: 'deposit_deadline', at: new Date(depositDeadline).toISOString() });
      await run.step('awaiting_deposit', 'awaiting_payment', { phase: 'deposit' });
      const ok = await waitUntil(run, what, 'deposit_deadline', depositDeadline, onLapse, 'deposit', () =>
        DEPOSIT_PAID.has(run.snapshot.status),
      );
      if (!ok)
        return unpaid(
          run,
          'presale_deposit_unpaid',
          ownDeadlines
            ? { presaleDepositSeconds: depositSeconds, deadline: new Date(depositDeadline).toISOString() }
            : { unpaidCancelSeconds: run.policy.unpaidCancelSeconds },
        );
    }
    if (!run.paid) {
      const balance = balanceDeadline(run, ownDeadlines);
      run.wait(waiting('order_balance'), {
        kind: 'balance_deadline',
        at: new Date(balance.at).toISOString(),
      });
      await run.step('awaiting_balance', 'awaiting_payment', {
        phase: 'balance',
        depositFen: run.snapshot.presale?.depositFen ?? null,
        balanceFen: run.snapshot.presale?.balanceFen ?? null,
        ...(ownDeadlines ? { deadline: new Date(balance.at).toISOString(), deadlineFrom: balance.from } : {}),
      });
      const ok = await waitUntil(
        run,
        waiting('order_balance'),
        'balance_deadline',
        balance.at,
        onLapse,
        'balance',
        () => run.paid,
      );
      if (!ok)
        return unpaid(
          run,
          'presale_balance_unpaid',
          ownDeadlines
            ? {
                deadline: new Date(balance.at).toISOString(),
                deadlineFrom: balance.from,
                ...(balance.from === 'shop'
                  ? { presaleBalanceSeconds: run.policy.presaleBalanceSeconds }
                  : {}),
              }
            : { presaleBalanceSeconds: run.policy.presaleBalanceSeconds },
        );
    }
  } else if (onLapse === 'remind') {
    // A policy loaded by an older worker has no reminder setting: no reminder.
    const reminderSeconds = run.policy.unpaidReminderSeconds ?? null;
    const reminder = reminderSeconds === null ? null : createdMs + reminderSeconds * 1000;
    const what = waiting('order_payment_platform');
    const deadline =
      reminder === null ? null : { kind: 'unpaid_reminder', at: new Date(reminder).toISOString() };
    run.wait(what, deadline);
    await run.step('awaiting_payment', 'awaiting_payment', {
      paymentWindow: 'platform',
      reminderAt: deadline?.at ?? null,
    });
    const ok =
      reminder === null
        ? await waitForPlatform(run, () => run.paid)
        : await waitUntil(run, what, 'unpaid_reminder', reminder, 'remind', 'payment', () => run.paid);
    if (!ok) return unpaid(run, 'cancelled_on_platform', {});
  } else {
    const deadline = createdMs + run.policy.unpaidCancelSeconds * 1000;
    run.wait(waiting('order_payment'), { kind: 'unpaid_cancel', at: new Date(deadline).toISOString() });
    await run.step('awaiting_payment', 'awaiting_payment');
    const ok = await waitUntil(
      run,
      waiting('order_payment'),
      'unpaid_cancel',
      deadline,
      'cancel',
      'payment',
      () => run.paid,
    );
    if (!ok) return unpaid(run, 'unpaid_timeout', { unpaidCancelSeconds: run.policy.unpaidCancelSeconds });
  }
  return { paid: true };
}

/**
 * The platform's balance deadline when it states one; otherwise the shop's balance window from
 * when it opens (or from now, if it opened before we got here).
 */
function balanceDeadline(run: OrderRun, ownDeadlines: boolean): { at: number; from: 'platform' | 'shop' } {
  const presale = run.snapshot.presale;
  const stated = ownDeadlines && presale?.balanceEndsAt ? Date.parse(presale.balanceEndsAt) : NaN;
  if (!Number.isNaN(stated)) return { at: stated, from: 'platform' };
  const opens = presale?.balanceStartsAt ?? presale?.depositPaidAt ?? new Date().toISOString();
  return {
    at: Math.max(Date.parse(opens), Date.now()) + run.policy.presaleBalanceSeconds * 1000,
    from: 'shop',
  };
}

/**
 * True when `done` came true; false on platform cancellation, or (own store) when the deadline
 * passed first. On a marketplace a passed deadline reminds and the wait goes on.
 */
async function waitUntil(
  run: OrderRun,
  what: Waiting,
  kind: string,
  deadlineMs: number,
  onLapse: OnLapse,
  phase: Phase,
  done: () => boolean,
) {
  run.wait(what, { kind, at: new Date(deadlineMs).toISOString() });
  const settled = await condition(
    () => done() || run.cancelledOnPlatform,
    Math.max(0, deadlineMs - Date.now()),
  );
  if (settled || onLapse === 'cancel') {
    run.wait(null);
    return settled && !run.cancelledOnPlatform;
  }
  await remind(run, phase, new Date(deadlineMs).toISOString());
  run.wait(waiting(what.code, { ...what.params, overdue: true }));
  return waitForPlatform(run, done);
}

/** No deadline of ours: the platform reports the order paid (true) or closed (false). */
async function waitForPlatform(run: OrderRun, done: () => boolean): Promise<boolean> {
  await condition(() => done() || run.cancelledOnPlatform);
  run.wait(null);
  return !run.cancelledOnPlatform;
}

/** The shop's reminder: visible on the order (flag, timeline) and to ops (an alert naming it). */
async function remind(run: OrderRun, phase: Phase, dueAt: string): Promise<void> {
  run.flags.add('unpaid_overdue');
  await run.note('unpaid_reminder', { phase, dueAt, platformStatus: run.snapshot.status }, 'system');
  await remindUnpaid({
    orderId: run.orderId,
    shopId: run.snapshot.shopId,
    platformOrderId: run.snapshot.platformOrderId,
    phase,
    since: dueAt,
  });
}

function unpaid(run: OrderRun, reason: string, detail: Record<string, unknown>): PaymentOutcome {
  if (run.cancelledOnPlatform)
    return { paid: false, reason: 'cancelled_on_platform', detail: { platformStatus: run.snapshot.status } };
  return { paid: false, reason, detail };
}
