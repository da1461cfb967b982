import { workflowInfo } from '@temporalio/workflow';

/**
 * Long-lived workflows continue as new before their history grows past this many events (the
 * WORKFLOW_HISTORY_LIMIT config, handed to them in their input or policy); runs started before the
 * knob existed use this default.
 */
export const DEFAULT_HISTORY_LIMIT = 2_000;

/** True when this run should hand over to a new one: its own limit, or the server's suggestion. */
export function historyFull(limit: number | undefined): boolean {
  const info = workflowInfo();
  return info.continueAsNewSuggested || info.historyLength >= (limit ?? DEFAULT_HISTORY_LIMIT);
}
