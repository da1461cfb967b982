import type { FastifyRequest } from 'fastify';
import type { Config } from '../config/index.js';
import type { Role } from '../domain/audit/roles.js';
import { actorAssertionKey, signActorAssertion } from '../services/temporal/actor-assertion.js';
import { actorOf } from './auth/plugin.js';

/**
 * The signed-in person as a workflow Update's actor, with the API's signed assertion of who they
 * are (docs/human-actions.md): good for `update` on `workflowId` only, for ACTOR_ASSERTION_SECONDS.
 */
export function signedActor(
  config: Config,
  request: FastifyRequest,
  target: { workflowId: string; update: { name: string } },
): { id: string; roles: Role[]; assertion: string } {
  const actor = actorOf(request);
  const assertion = signActorAssertion(actorAssertionKey(config), {
    sub: actor.name,
    roles: actor.roles,
    shops: actor.shops,
    wf: target.workflowId,
    upd: target.update.name,
    exp: Date.now() + config.ACTOR_ASSERTION_SECONDS * 1000,
  });
  return { id: actor.name, roles: actor.roles, assertion };
}
