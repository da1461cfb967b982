import { patched } from '@temporalio/workflow';

/**
 * Whether a change applies to this run, for the changes a workflow asks about later in its life.
 *
 * `patched(id)` answers from the patch markers of the workflow task the asking code runs in. A
 * workflow task that runs local activities for most of its timeout is cut short under load (its
 * heartbeat completes what ran so far and the rest goes on in the next task): a local activity's
 * marker can then be in the task cut short while the code that follows its result — and the patch
 * marker that code writes — is in the next one. On replay that code runs in the earlier task, finds
 * no marker, takes the old path, and the workflow fails every task from then on (TMPRL1100 "patch
 * marker encountered … but there is no corresponding change command"): no live state, stuck.
 */
export type LaterPatches = (patchId: string) => boolean;

/** Asks each patch where the code stands: what runs recorded before the start's patch replay with. */
export const askedWhereTheyStand: LaterPatches = (patchId) => patched(patchId);

/**
 * Asks `atStartPatchId` now — at the workflow's start, before any local activity — and answers
 * every change made before that patch from it, with no marker of their own. Runs recorded before
 * it keep asking each patch where they did. A change made afterwards gets a patch of its own asked
 * at the start beside this one (never through what this returns, which says yes to every run
 * started since, whichever code it then ran).
 */
export function patchesAskedAtStart(atStartPatchId: string): LaterPatches {
  const asked = patched(atStartPatchId);
  return (patchId) => asked || patched(patchId);
}
