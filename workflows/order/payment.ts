import { condition } from '@temporalio/workflow';
import { amountDue } from '../../domain/order.js';
import type { OrderRun } from './run.js';

export type PaymentOutcome =
  { paid: true } | { paid: false; reason: string; detail: Record<string, unknown> };

const DEPOSIT_PAID = new Set(['deposit_paid', 'paid', 'partially_shipped', 'shipped', 'completed']);

/**
 * Waits for the buyer's money against the shop's deadlines. Normal orders: paid before the
 * unpaid-cancel timer fires. Presale orders: the deposit by the same timer, then the balance
 * within the balance window. A platform cancellation ends the wait at once.
 */
export async function awaitPayment(run: OrderRun): Promise<PaymentOutcome> {
  const presale = run.snapshot.type === 'presale' || run.snapshot.presale !== undefined;
  const createdMs = Date.parse(run.snapshot.createdAt);

  if (presale && !run.paid) {
    if (!DEPOSIT_PAID.has(run.snapshot.status)) {
      const depositDeadline = createdMs + run.policy.unpaidCancelSeconds * 1000;
      const what = 'presale deposit from the buyer';
      run.wait(what, { kind: 'deposit_deadline', at: new Date(depositDeadline).toISOString() });
      await run.step('awaiting_deposit', 'awaiting_payment', { phase: 'deposit' });
      const ok = await waitUntil(run, what, 'deposit_deadline', depositDeadline, () =>
        DEPOSIT_PAID.has(run.snapshot.status),
      );
      if (!ok)
        return unpaid(run, 'presale_deposit_unpaid', { unpaidCancelSeconds: run.policy.unpaidCancelSeconds });
    }
    if (!run.paid) {
      const opens =
        run.snapshot.presale?.balanceStartsAt ??
        run.snapshot.presale?.depositPaidAt ??
        new Date().toISOString();
      const balanceDeadline =
        Math.max(Date.parse(opens), Date.now()) + run.policy.presaleBalanceSeconds * 1000;
      run.wait('presale balance payment from the buyer', {
        kind: 'balance_deadline',
        at: new Date(balanceDeadline).toISOString(),
      });
      await run.step('awaiting_balance', 'awaiting_payment', {
        phase: 'balance',
        depositFen: run.snapshot.presale?.depositFen ?? null,
        balanceFen: run.snapshot.presale?.balanceFen ?? null,
      });
      const ok = await waitUntil(
        run,
        'presale balance payment from the buyer',
        'balance_deadline',
        balanceDeadline,
        () => run.paid,
      );
      if (!ok)
        return unpaid(run, 'presale_balance_unpaid', {
          presaleBalanceSeconds: run.policy.presaleBalanceSeconds,
        });
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

/**
 * Paid must equal due (goods − discounts + shipping) within the shop's tolerance; otherwise
 * finance looks at it before anything ships.
 */
export function paymentMismatch(run: OrderRun): { detail: string } | null {
  const due = amountDue(run.snapshot.amounts);
  const paid = run.snapshot.amounts.paidFen;
  if (Math.abs(paid - due) <= run.policy.paymentToleranceFen) return null;
  return {
    detail: `paid ${paid} fen but ${due} fen is due (tolerance ${run.policy.paymentToleranceFen} fen)`,
  };
}
