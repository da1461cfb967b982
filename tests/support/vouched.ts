import type { Config } from '../../config/index.js';
import type { ActorClaims } from '../../domain/actor-assertion.js';
import { actorAssertionKey, signActorAssertion } from '../../services/temporal/actor-assertion.js';

/**
 * An Update's actor with the assertion the API would sign for it (api/signed-actor.ts), for tests
 * that send Updates to workflows directly. `claims` overrides what is signed (an expired or
 * misdirected assertion); `key` signs with another key (a forgery).
 */
export function vouched<A extends { id: string; roles: readonly string[] }>(
  config: Config,
  actor: A,
  target: { workflowId: string; update: { name: string } },
  options: { claims?: Partial<ActorClaims>; key?: Buffer } = {},
): A & { assertion: string } {
  const assertion = signActorAssertion(options.key ?? actorAssertionKey(config), {
    sub: actor.id,
    roles: [...actor.roles],
    shops: null,
    wf: target.workflowId,
    upd: target.update.name,
    exp: Date.now() + 120_000,
    ...options.claims,
  });
  return { ...actor, assertion };
}
