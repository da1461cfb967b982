import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure, type UpdateDefinition } from '@temporalio/common';
import type { Db } from '../db/connect.js';
import { DECISION_FAILURES } from '../workflows/messages.js';
import { HttpProblem } from './errors.js';

const UPDATE_TIMEOUT_MS = 15_000;

/** How each refusal from an order workflow's Update validator reads over HTTP. */
const STATUS_BY_FAILURE: Record<string, number> = {
  [DECISION_FAILURES.invalidPayload]: 422,
  [DECISION_FAILURES.notHeld]: 409,
  [DECISION_FAILURES.finished]: 409,
  [DECISION_FAILURES.conflict]: 409,
  [DECISION_FAILURES.wrongRole]: 403,
};

/**
 * Sends a human decision to an order workflow and waits for its answer. An `Idempotency-Key`
 * becomes the Update id, so a retried request (a double click, a proxy retry) takes effect once.
 */
export async function executeOrderUpdate<Ret, Args extends [unknown]>(
  deps: { temporal: Client; db: Db },
  orderId: string,
  update: UpdateDefinition<Ret, Args>,
  args: Args,
  idempotencyKey?: string,
): Promise<Ret> {
  try {
    return await deps.temporal.withAbortSignal(AbortSignal.timeout(UPDATE_TIMEOUT_MS), () =>
      deps.temporal.workflow.getHandle(orderId).executeUpdate(update, {
        args,
        ...(idempotencyKey ? { updateId: `${update.name}:${idempotencyKey}` } : {}),
      }),
    );
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
      const status = STATUS_BY_FAILURE[err.cause.type ?? ''] ?? 422;
      throw new HttpProblem(status, err.cause.message, [], err.cause.type ?? undefined);
    }
    if (err instanceof WorkflowNotFoundError) {
      const known = await deps.db
        .selectFrom('orders')
        .select('status')
        .where('id', '=', orderId)
        .executeTakeFirst();
      if (known)
        throw new HttpProblem(
          409,
          `the order is ${known.status}; it takes no more decisions`,
          [],
          DECISION_FAILURES.finished,
        );
      throw new HttpProblem(404, `no order with id "${orderId}"`);
    }
    if ((err as Error).name === 'AbortError' || /aborted|deadline/i.test((err as Error).message)) {
      throw new HttpProblem(
        503,
        'the order did not answer in time; retry with the same Idempotency-Key and the decision applies once',
      );
    }
    throw err;
  }
}
