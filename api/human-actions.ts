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
import { busyProblem, isBusy, type WorkflowAnswerDeps } from './workflow-answers.js';

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
  /** Performs the action under `updateId` (the Update id Temporal deduplicates on). */
  perform: (updateId: string) => Promise<T>;
}

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
 *   never told an action failed that then applies.
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
  try {
    const answer = await action.perform(`human:${id}`);
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
    if (isBusy(err)) throw busyProblem(deps.config, action.what, key);
    throw err;
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
