import type { AuditHold } from './evaluate.js';
import { hasRole } from './roles.js';

/**
 * Two-stage (or n-stage) review: 客审 holds (stage 1) are worked first; only when all of them are
 * cleared do 财审 holds (stage 2) reach finance. These helpers are what the order workflow and
 * the review queue use to decide what is shown and who may clear it.
 */

/** The lowest stage that still has open holds, with those holds; null when nothing is held. */
export function currentReviewStage<T extends Pick<AuditHold, 'stage'>>(
  openHolds: readonly T[],
): { stage: number; holds: T[] } | null {
  if (openHolds.length === 0) return null;
  const stage = Math.min(...openHolds.map((h) => h.stage));
  return { stage, holds: openHolds.filter((h) => h.stage === stage) };
}

export type ClearDecision = { allowed: true } | { allowed: false; reason: string };

/** Whether an actor may clear `hold` now: it must be in the current stage and theirs to clear. */
export function canClearHold(
  hold: Pick<AuditHold, 'stage' | 'clearedBy' | 'reason'>,
  actorRoles: readonly string[],
  openHolds: readonly Pick<AuditHold, 'stage'>[],
): ClearDecision {
  const current = currentReviewStage(openHolds);
  if (current && hold.stage > current.stage) {
    return {
      allowed: false,
      reason: `hold "${hold.reason}" is review stage ${hold.stage}; stage ${current.stage} holds must be cleared first`,
    };
  }
  if (!hasRole(actorRoles, [hold.clearedBy])) {
    return { allowed: false, reason: `hold "${hold.reason}" is cleared by the ${hold.clearedBy} role` };
  }
  return { allowed: true };
}
