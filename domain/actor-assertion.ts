/**
 * The actor of a person's action, as the API vouches for it (docs/human-actions.md).
 *
 * The API signs who is acting — user, roles, shops, the workflow and Update it is for, and a short
 * expiry — with a server key (HMAC-SHA256) and sends the token with the action's actor. Workflow
 * code cannot hold a secret or compute an HMAC in an Update validator (validators are synchronous,
 * the workflow sandbox has no key and must not have one), so the worker checks the signature where
 * the key is — while decoding the Update's payload, outside the sandbox — and writes its verdict
 * beside the token. The validator then refuses an actor without a valid verdict, one issued for
 * another workflow, Update or person, or one past its expiry at workflow time.
 *
 * This module is shared by the API, the worker and workflow code: no Node APIs here.
 */

/** What the token says. */
export interface ActorClaims {
  /** The user (the name the timeline records). */
  sub: string;
  roles: string[];
  /** The shops the user is limited to; null: every shop. */
  shops: string[] | null;
  /** The workflow and the Update the action is for. */
  wf: string;
  upd: string;
  /** Expiry, milliseconds since the epoch. */
  exp: number;
}

/** The worker's verdict on a token, set while decoding (never trusted when sent by a caller). */
export type ActorVerdict = { ok: true; claims: ActorClaims } | { ok: false; reason: 'forged' | 'malformed' };

/** The actor as an Update carries it: `assertion` from the API, `verdict` from the worker. */
export interface AssertedActor {
  id: string;
  roles: string[];
  name?: string;
  assertion?: string;
  verdict?: ActorVerdict;
}

/** The failure type of an Update refused for its actor (the API answers 403, not kept as the outcome). */
export const ACTOR_NOT_VERIFIED = 'ActorNotVerified';

/**
 * Why `actor` may not act on workflow `workflowId` through Update `update` at `nowMs`, or null
 * when the API vouched for it. Roles must be among the signed ones: a caller cannot add a role.
 */
export function actorAssertionProblem(
  actor: unknown,
  expected: { workflowId: string; update: string; nowMs: number },
): string | null {
  const a = (actor ?? {}) as Partial<AssertedActor>;
  if (typeof a.assertion !== 'string' || !a.verdict) {
    return 'the action carries no actor assertion from the API: people act through the API, not through Temporal';
  }
  if (!a.verdict.ok) {
    return a.verdict.reason === 'forged'
      ? 'the actor assertion is not signed with the API’s key'
      : 'the actor assertion is not one the API issues';
  }
  const c = a.verdict.claims;
  if (c.sub !== a.id) return `the actor assertion names ${c.sub}, not ${String(a.id)}`;
  if (c.wf !== expected.workflowId || c.upd !== expected.update) {
    return `the actor assertion was issued for ${c.upd} on ${c.wf}, not ${expected.update} on ${expected.workflowId}`;
  }
  if (!Array.isArray(a.roles) || a.roles.some((role) => !c.roles.includes(role))) {
    return 'the actor claims roles its assertion does not give';
  }
  if (c.exp <= expected.nowMs) {
    return `the actor assertion expired at ${new Date(c.exp).toISOString()}; send the action again`;
  }
  return null;
}
