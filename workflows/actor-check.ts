import { ApplicationFailure, workflowInfo } from '@temporalio/workflow';
import { ACTOR_NOT_VERIFIED, actorAssertionProblem } from '../domain/actor-assertion.js';

/**
 * For Update validators: refuses an actor the API did not vouch for (no assertion, a forged or
 * expired one, or one issued for another workflow, Update or person). Checked first, so whoever
 * reaches Temporal without the API learns nothing about the workflow's state from the refusal.
 */
export function refuseUnvouchedActor(actor: unknown, update: { name: string }): void {
  const problem = actorAssertionProblem(actor, {
    workflowId: workflowInfo().workflowId,
    update: update.name,
    nowMs: Date.now(),
  });
  if (problem)
    throw ApplicationFailure.create({ type: ACTOR_NOT_VERIFIED, message: problem, nonRetryable: true });
}
