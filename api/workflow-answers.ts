import {
  isGrpcCancelledError,
  isGrpcDeadlineError,
  isGrpcServiceError,
  ServiceError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  WorkflowUpdateStage,
  type Client,
} from '@temporalio/client';
import { ApplicationFailure, type UpdateDefinition } from '@temporalio/common';
import type { Config } from '../config/index.js';
import type { Db } from '../db/connect.js';
import { AFTER_SALE_FAILURES, DECISION_FAILURES } from '../workflows/messages.js';
import { HttpProblem } from './errors.js';

export interface WorkflowAnswerDeps {
  temporal: Client;
  db: Db;
  config: Pick<Config, 'WORKFLOW_ANSWER_SECONDS'>;
}

/** How each refusal from a workflow's Update validator reads over HTTP. */
const STATUS_BY_FAILURE: Record<string, number> = {
  [DECISION_FAILURES.invalidPayload]: 422,
  [DECISION_FAILURES.notHeld]: 409,
  [DECISION_FAILURES.finished]: 409,
  [DECISION_FAILURES.conflict]: 409,
  [DECISION_FAILURES.unknownParcel]: 404,
  [DECISION_FAILURES.wrongRole]: 403,
  [DECISION_FAILURES.actorNotVerified]: 403,
  [AFTER_SALE_FAILURES.notOpen]: 409,
};

/** gRPC codes that mean "not now" rather than "no": DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, UNAVAILABLE. */
const BUSY_GRPC_CODES = new Set([4, 8, 14]);
const FAILED_PRECONDITION = 9;

/**
 * An Update that did not finish within the answer deadline. `accepted`: the workflow had taken it
 * (validated and written to its history: it will be carried out, or refused while carried out, as
 * surely as the order goes on); otherwise it was sent but no worker took it yet (a busy or stopped
 * worker), and Temporal holds it only until then — asking again with the same Update id sends it
 * again if it was lost, and attaches to it if not.
 */
export class UpdateNotFinished extends Error {
  constructor(
    readonly accepted: boolean,
    options: { cause: unknown },
  ) {
    super(
      accepted ? 'the Update was accepted and is still running' : 'the Update was not accepted in time',
      options,
    );
    this.name = 'UpdateNotFinished';
  }
}

/** True when the workflow (or Temporal) did not answer in time: the caller should retry, not give up. */
export function isBusy(err: unknown): boolean {
  if (err instanceof UpdateNotFinished) return true;
  if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return true;
  if (isGrpcDeadlineError(err) || isGrpcCancelledError(err)) return true;
  if (isGrpcServiceError(err) && BUSY_GRPC_CODES.has(err.code)) return true;
  // A query while the workflow's last task failed or timed out (a worker killed mid-task, a task
  // slower than its timeout under load): the server retries the task, and the query is refused
  // with FAILED_PRECONDITION until it completes.
  if (
    isGrpcServiceError(err) &&
    err.code === FAILED_PRECONDITION &&
    /workflow task in failed state/i.test(err.details)
  )
    return true;
  if (err instanceof ServiceError && err.cause !== undefined && isBusy(err.cause)) return true;
  const e = err as Error | undefined;
  return e?.name === 'AbortError' || /aborted|deadline exceeded|timed out/i.test(e?.message ?? '');
}

/** The answer to a request a workflow did not answer in time: 503, when to retry, and with which key. */
export function busyProblem(
  config: WorkflowAnswerDeps['config'],
  what: string,
  idempotencyKey?: string,
  afterwards = idempotencyKey
    ? `the action may still take effect — retry with Idempotency-Key "${idempotencyKey}" to get its outcome (it applies once)`
    : 'nothing was done — try again',
) {
  return new HttpProblem(503, `${what} did not answer in time; ${afterwards}`, [], 'NOT_ANSWERED_IN_TIME', {
    'retry-after': String(retryAfterSeconds(config)),
    ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
  });
}

/** When a caller told "not answered yet" should ask again: a third of the answer deadline, at least 1 s. */
export function retryAfterSeconds(config: WorkflowAnswerDeps['config']): number {
  return Math.max(1, Math.ceil(config.WORKFLOW_ANSWER_SECONDS / 3));
}

/** Runs `call` against a workflow with the configured answer deadline (or a shorter one the caller asked for). */
export function withAnswerDeadline<T>(
  deps: WorkflowAnswerDeps,
  call: () => Promise<T>,
  waitMs = deps.config.WORKFLOW_ANSWER_SECONDS * 1000,
): Promise<T> {
  return deps.temporal.withAbortSignal(AbortSignal.timeout(waitMs), call);
}

/** Whether a refusal says "not now" (DECISION_FAILURES.busy): nothing was recorded, send it again. */
function refusedForNow(err: unknown): boolean {
  return (
    err instanceof WorkflowUpdateFailedError &&
    err.cause instanceof ApplicationFailure &&
    err.cause.type === DECISION_FAILURES.busy
  );
}

/**
 * Sends a person's action to a workflow as an Update and waits for its answer. `updateId` is the
 * action's idempotency key (api/human-actions.ts): Temporal runs one Update per id, so a retry
 * attaches to the first attempt instead of applying the action again.
 *
 * The Update is started with an accepted-wait (WorkflowUpdateStage.ACCEPTED: the SDK re-sends it
 * until the workflow has validated it and written it to its history — durable from then on) and
 * its result is awaited after that, both within one deadline (`waitMs`, at most the configured
 * answer deadline). Past the deadline it throws UpdateNotFinished, saying whether the workflow had
 * accepted it: the caller can then tell a person "taken, still being carried out" from "not taken
 * yet".
 */
export async function executeWorkflowUpdate<Ret, Args extends [unknown]>(
  deps: WorkflowAnswerDeps,
  workflowId: string,
  update: UpdateDefinition<Ret, Args>,
  args: Args,
  updateId: string,
  waitMs?: number,
): Promise<Ret> {
  let accepted = false;
  try {
    return await withAnswerDeadline(
      deps,
      async () => {
        // A workflow refuses an Update, recording nothing, while a local activity's result is still
        // on its way to it (its last workflow task was cut short: workflows/local-activities.ts). It
        // is sent again after a pause, with the same id, until it is taken or the deadline passes.
        for (let attempt = 0; ; attempt++) {
          const handle = await deps.temporal.workflow
            .getHandle(workflowId)
            .startUpdate(update, { args, updateId, waitForStage: WorkflowUpdateStage.ACCEPTED });
          accepted = true;
          try {
            return await handle.result();
          } catch (err) {
            // The refusal comes back as the Update's outcome: it was never accepted.
            if (!refusedForNow(err)) throw err;
            accepted = false;
          }
          await new Promise((resolve) => setTimeout(resolve, Math.min(100 * 2 ** attempt, 1_000)));
        }
      },
      waitMs,
    );
  } catch (err) {
    if (isBusy(err)) throw new UpdateNotFinished(accepted, { cause: err });
    if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
      const status = STATUS_BY_FAILURE[err.cause.type ?? ''] ?? 422;
      throw new HttpProblem(status, err.cause.message, [], err.cause.type ?? undefined);
    }
    if (err instanceof WorkflowNotFoundError) {
      // An order or after-sales case whose workflow has ended: its projection says how it ended.
      const known = workflowId.startsWith('order:')
        ? await deps.db.selectFrom('orders').select('status').where('id', '=', workflowId).executeTakeFirst()
        : workflowId.startsWith('aftersale:')
          ? await deps.db
              .selectFrom('after_sale_cases')
              .select('status')
              .where('id', '=', workflowId)
              .executeTakeFirst()
          : undefined;
      if (known)
        throw new HttpProblem(
          409,
          `the ${workflowId.startsWith('order:') ? 'order' : 'case'} is ${known.status}; it takes no more decisions`,
          [],
          DECISION_FAILURES.finished,
          {},
          { status: known.status },
        );
      throw new HttpProblem(404, `no ${workflowId.split(':')[0]} with id "${workflowId}"`);
    }
    throw err;
  }
}
