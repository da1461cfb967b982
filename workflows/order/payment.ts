import { condition, patched } from '@temporalio/workflow';
import type { OrderRun } from './run.js';

export type PaymentOutcome =
  { paid: true } | { paid: false; reason: string; detail: Record<string, unknown> };

const DEPOSIT_PAID = new Set(['deposit_paid', 'paid', 'partially_shipped', 'shipped', 'completed']);

/** Presale deposit and balance wait on deadlines of their own (before: the unpaid-cancel timer). */
const PRESALE_DEADLINES_PATCH = 'presale-own-deadlines';

/**
 * Waits for the buyer's money against the shop's deadlines. Normal orders: paid before the
 * unpaid-cancel timer fires. Presale orders: the deposit within the shop's deposit window, then
 * the balance by the platform's balance deadline (or within the shop's balance window once it
 * opens). A platform cancellation ends the wait at once.
 */
export async function awaitPayment(run: OrderRun): Promise<PaymentOutcome> {
  const presale = run.snapshot.type === 'presale' || run.snapshot.presale !== undefined;
  const createdMs = Date.parse(run.snapshot.createdAt);

  if (presale && !run.paid) {
    // Histories recorded before the patch keep the deadlines they were started with.
    const ownDeadlines = patched(PRESALE_DEADLINES_PATCH);
    if (!DEPOSIT_PAID.has(run.snapshot.status)) {
      // A policy loaded by an older worker has no deposit setting; the unpaid timer stands in.
      const depositSeconds = ownDeadlines
        ? (run.policy.presaleDepositSeconds ?? run.policy.unpaidCancelSeconds)
        : run.policy.unpaidCancelSeconds;
      const depositDeadline = createdMs + depositSeconds * 1000;
      const what = 'presale deposit from the buyer';
      run.wait(what, { kind: 'deposit_deadline', at: new Date(depositDeadline).toISOString() });
      await run.step('awaiting_deposit', 'awaiting_payment', { phase: 'deposit' });
      const ok = await waitUntil(run, what, 'deposit_deadline', depositDeadline, () =>
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
      run.wait('presale balance payment from the buyer', {
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
        'presale balance payment from the buyer',
        'balance_deadline',
        balance.at,
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
  } else if (!run.paid) {
    const deadline = createdMs + run.policy.unpaidCancelSeconds * 1000;
    run.wait('payment from the buyer', { kind: 'unpaid_cancel', at: new Date(deadline).toISOString() });
    await run.step('awaiting_payment', 'awaiting_payment');
    const ok = await waitUntil(run, 'payment from the buyer', 'unpaid_cancel', deadline, () => run.paid);
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

/** True when `done` came true before the deadline; false on timeout or platform cancellation. */
async function waitUntil(run: OrderRun, what: string, kind: string, deadlineMs: number, done: () => boolean) {
  run.wait(what, { kind, at: new Date(deadlineMs).toISOString() });
  const settled = await condition(
    () => done() || run.cancelledOnPlatform,
    Math.max(0, deadlineMs - Date.now()),
  );
  run.wait(null);
  return settled && !run.cancelledOnPlatform;
}

function unpaid(run: OrderRun, reason: string, detail: Record<string, unknown>): PaymentOutcome {
  if (run.cancelledOnPlatform)
    return { paid: false, reason: 'cancelled_on_platform', detail: { platformStatus: run.snapshot.status } };
  return { paid: false, reason, detail };
}
