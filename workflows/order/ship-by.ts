import { condition, isCancellation } from '@temporalio/workflow';
import type { OrderRun } from './run.js';

/**
 * The platform's ship-by promise (or the shop's default after payment) is a timer: shortly before
 * it, an order not yet with the carrier is flagged at risk so the warehouse can push it forward.
 */
export async function watchShipBy(run: OrderRun): Promise<void> {
  const paidMs = run.snapshot.paidAt ? Date.parse(run.snapshot.paidAt) : Date.now();
  const deadlineMs = run.snapshot.shipBy
    ? Date.parse(run.snapshot.shipBy)
    : paidMs + run.policy.shipBySeconds * 1000;
  run.shipBy = { at: new Date(deadlineMs).toISOString(), atRisk: false };
  const warnAtMs = deadlineMs - run.policy.shipByWarningSeconds * 1000;
  try {
    const handedOver = await condition(
      () => run.pastPointOfNoReturn || run.finished,
      Math.max(0, warnAtMs - Date.now()),
    );
    if (handedOver) return;
    run.shipBy = { ...run.shipBy, atRisk: true };
    run.flags.add('ship_by_at_risk');
    await run.note(
      'ship_by_at_risk',
      { shipBy: run.shipBy.at, warningSeconds: run.policy.shipByWarningSeconds },
      'system',
    );
  } catch (err) {
    // Interception cancels the order's scope, this timer with it; nothing to undo.
    if (!isCancellation(err)) throw err;
  }
}
