import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  findActionOutcome,
  findRepeatedAction,
  saveActionOutcome,
  type ActionOutcome,
} from '../db/queries/human-actions.js';
import { DECISION_FAILURES } from '../workflows/messages.js';
import { actorOf } from './auth/plugin.js';
import { HttpProblem, problemBody } from './errors.js';
import {
  busyProblem,
  isBusy,
  retryAfterSeconds,
  UpdateNotFinished,
  type WorkflowAnswerDeps,
} from './workflow-answers.js';

/** Refusals that are the action's outcome (the workflow said no), kept for retries like a success. */
const FINAL_REFUSALS = new Set([403, 409, 422]);

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export interface HumanAction<T> {
  /** What the caller is waiting on, for the 503 message ("the order", "the shipment"). */
  what: string;
  /**
   * The state of what the action applies to (e.g. the order's last timeline position). Without an
   * Idempotency-Key, the same person sending the same request against the same state sends the
   * same action (a double click, a proxy's retry); once the state moved, it is a new action.
   */
  version: () => Promise<unknown>;
  /**
   * Where the answer says the target stands (its timeline position right after the action), so a
   * repeat is recognised even while the order goes on moving by itself.
   */
  positionAfter: (answer: T) => unknown;
  /**
   * Performs the action under `updateId` (the Update id Temporal deduplicates on), waiting at most
   * `waitMs` for the workflow's answer (undefined: the configured answer deadline).
   */
  perform: (updateId: string, waitMs?: number) => Promise<T>;
  /**
   * The route answers `Prefer: respond-async` (RFC 7240) with 202 and a PendingAction body when the
   * workflow has not answered within the wait (`wait=N`, at most the answer deadline); see
   * answerHumanAction.
   */
  mayAnswerLater?: boolean;
}

/** What `Prefer: respond-async, wait=N` (RFC 7240 §4.1, §4.3) asks; other preferences are ignored. */
export function preferences(header: unknown): { respondAsync: boolean; waitSeconds: number | null } {
  const text = Array.isArray(header) ? header.join(',') : typeof header === 'string' ? header : '';
  let respondAsync = false;
  let waitSeconds: number | null = null;
  for (const part of text.split(',')) {
    const [name = '', value] = (part.split(';')[0] ?? '').split('=').map((s) => s.trim().toLowerCase());
    if (name === 'respond-async') respondAsync = true;
    else if (name === 'wait' && value && /^\d+$/.test(value.replace(/^"|"$/g, '')))
      waitSeconds = Number(value.replace(/^"|"$/g, ''));
  }
  return { respondAsync, waitSeconds };
}

/** The 202 answer to `Prefer: respond-async` while the workflow has not answered yet. */
export const PendingAction = z
  .object({
    pending: z.literal(true),
    accepted: z
      .boolean()
      .describe(
        'true: the workflow took the action (validated, in its history) and is carrying it out — its outcome, applied or refused, follows; false: not taken yet (a busy or stopped worker) — it may still take effect',
      ),
    idempotencyKey: z
      .string()
      .describe('Ask again with this Idempotency-Key for the outcome (the action applies once)'),
    retryAfterSeconds: z.number().int().describe('When to ask again (also the Retry-After header)'),
    message: z.string(),
  })
  .describe('Not answered yet (only with `Prefer: respond-async`)');
export type PendingAction = z.infer<typeof PendingAction>;

/**
 * A person's action that waits on a workflow, answered once per idempotency key:
 * - the key is the `Idempotency-Key` header; it is the workflow Update's id, so Temporal applies
 *   the action once however often it is sent;
 * - without the header, the same request from the same person that finds the order (or shipment)
 *   where its last answer left it is a repeat (a double click, a proxy's retry) and gets that
 *   answer; otherwise it is a new action, keyed by the request and the state it found;
 * - the first final answer (200, or the workflow's 403/409/422) is stored and a retry with the same
 *   key gets it again — even after the order moved on or finished;
 * - when the workflow does not answer in time the caller gets 503 with `Retry-After` and the key:
 *   the action may still take effect, and retrying with the key returns its outcome. A caller is
 *   never told an action failed that then applies;
 * - a caller that sends `Prefer: respond-async` (on routes with `mayAnswerLater`) gets 202 instead,
 *   after at most `wait=N` seconds: pending, whether the workflow has accepted the action, the key
 *   and when to ask again — so a page sending many actions (bulk approval) is not held up by each.
 * Every answer carries the key in the `Idempotency-Key` response header.
 */
export async function answerHumanAction<T extends object>(
  deps: WorkflowAnswerDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  action: HumanAction<T>,
): Promise<T | FastifyReply> {
  const actor = actorOf(request).id;
  const route = `${request.method} ${request.routeOptions.url ?? request.url}`;
  const fingerprint = sha256(JSON.stringify({ params: request.params ?? {}, body: request.body ?? null }));
  const header = request.headers['idempotency-key'];
  const explicit = typeof header === 'string' && header.trim() ? header.trim() : null;
  const stateNow = explicit ? null : JSON.stringify(await action.version());

  const replay = (outcome: ActionOutcome) => {
    reply.header('idempotency-key', outcome.idempotencyKey);
    return reply.code(outcome.statusCode).header('idempotent-replayed', 'true').send(outcome.body);
  };
  if (stateNow !== null) {
    const repeated = await findRepeatedAction(deps.db, { actor, route, fingerprint, stateNow });
    if (repeated) return replay(repeated);
  }
  const key = explicit ?? `derived-${sha256(`${fingerprint}\n${stateNow}`).slice(0, 32)}`;
  const id = sha256(`${actor}\n${route}\n${key}`);
  reply.header('idempotency-key', key);

  const stored = await findActionOutcome(deps.db, id);
  if (stored) {
    if (stored.fingerprint !== fingerprint) {
      throw new HttpProblem(
        422,
        `Idempotency-Key "${key}" was already used for a different request; use a new key for a new action`,
        [],
        'IDEMPOTENCY_KEY_REUSED',
      );
    }
    return replay(stored);
  }

  const save = (statusCode: number, body: object, stateAfter: string | null) =>
    saveActionOutcome(deps.db, {
      id,
      actor,
      route,
      idempotencyKey: key,
      fingerprint,
      stateAfter,
      statusCode,
      body: body as Record<string, unknown>,
    });
  const prefer = action.mayAnswerLater ? preferences(request.headers.prefer) : null;
  const waitMs =
    prefer?.respondAsync && prefer.waitSeconds !== null
      ? Math.min(deps.config.WORKFLOW_ANSWER_SECONDS, Math.max(1, prefer.waitSeconds)) * 1000
      : undefined;
  const perform = async () => {
    try {
      return await action.perform(`human:${id}`, waitMs);
    } catch (err) {
      // This request attached to an earlier attempt's Update that was still waiting for a worker,
      // and its actor assertion expired meanwhile: the refusal left nothing behind, so the Update
      // goes again under the same id with this request's assertion (once).
      if (err instanceof HttpProblem && err.code === DECISION_FAILURES.actorNotVerified)
        return action.perform(`human:${id}`, waitMs);
      throw err;
    }
  };
  try {
    const answer = await perform();
    await save(200, answer, JSON.stringify(action.positionAfter(answer) ?? null));
    return answer;
  } catch (err) {
    // An actor the workflow could not verify (e.g. its assertion expired while the Update waited for
    // a worker) is not the action's outcome: a retry with the same key is signed again and decided.
    if (
      err instanceof HttpProblem &&
      FINAL_REFUSALS.has(err.statusCode) &&
      err.code !== DECISION_FAILURES.actorNotVerified
    ) {
      // A refusal changed nothing: the state it left is the state it found.
      await save(err.statusCode, problemBody(err), stateNow);
      throw err;
    }
    if (!isBusy(err)) throw err;
    const accepted = err instanceof UpdateNotFinished && err.accepted;
    if (prefer?.respondAsync) {
      const after = retryAfterSeconds(deps.config);
      const pending: PendingAction = {
        pending: true,
        accepted,
        idempotencyKey: key,
        retryAfterSeconds: after,
        message: accepted
          ? `${action.what} took the action and is still carrying it out; ask again with Idempotency-Key "${key}" for its outcome`
          : `${action.what} has not taken the action yet (the system is busy); it may still take effect — ask again with Idempotency-Key "${key}" for its outcome (it applies once)`,
      };
      return reply
        .code(202)
        .header('retry-after', String(after))
        .header('preference-applied', 'respond-async')
        .send(pending);
    }
    throw busyProblem(
      deps.config,
      action.what,
      key,
      accepted
        ? `it took the action and is still carrying it out — retry with Idempotency-Key "${key}" to get its outcome (it applies once)`
        : undefined,
    );
  }
}

/** The `Idempotency-Key` request header of every human action route. */
export const IdempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .min(1)
    .max(128)
    .optional()
    .describe('The action’s key: a retry with the same key returns the first answer and applies once'),
});

/**
 * What a route that may answer later (`mayAnswerLater`) says of it in its OpenAPI description.
 */
export const ANSWERS_LATER =
  'Not answered within WORKFLOW_ANSWER_SECONDS (a busy or stopped worker): 503 with Retry-After and the Idempotency-Key — or, with `Prefer: respond-async, wait=N`, 202 after at most N seconds saying whether the workflow has accepted the action; ask again with the key for the outcome, which applies once (docs/human-actions.md).';

/** The headers of a human action route that may answer later (`mayAnswerLater`). */
export const AsyncActionHeaders = IdempotencyHeaders.extend({
  prefer: z
    .string()
    .max(200)
    .optional()
    .describe(
      '`respond-async, wait=N` (RFC 7240): answer 202 (pending, with the key) after at most N seconds (capped at WORKFLOW_ANSWER_SECONDS) instead of 503 when the workflow has not answered yet',
    ),
});
