/**
 * Where in its workflow's history a timeline event was emitted: the run (its start time, so a
 * continued-as-new run comes after the one it continues) and the history length at the start of
 * the workflow task that emitted it.
 *
 * A workflow task that is lost (its worker died, or it timed out) is re-executed by a later task,
 * which always starts further along the history. The lost task may already have written events
 * through local activities; the re-executed one may emit different events under the same sequence
 * numbers (a signal that arrived meanwhile changes its path). Ordering writes by this fence lets
 * the re-executed task's events replace the lost task's, and a late write from the lost task lose.
 */
export interface EventFence {
  runStartedAt: string;
  historyLength: number;
}

/** The fence of writes made before fences existed: before every fenced write. */
export const UNFENCED: EventFence = { runStartedAt: '1970-01-01T00:00:00.000Z', historyLength: 0 };
