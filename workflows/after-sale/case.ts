import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities/index.js';
import type { AfterSaleDecision, AfterSaleRetry, AfterSaleStatus } from '../../domain/after-sales.js';
import type { TrackingSnapshot } from '../../domain/carriers/tracking.js';
import type { AfterSaleStateView, AfterSaleWorkflowInput } from '../messages.js';

export const caseActs = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', backoffCoefficient: 2 },
});

/**
 * What one path of a case (refund, return, exchange) shares with the case's workflow: its input,
 * its live view, the messages received so far, and how it writes its timeline.
 */
export interface CaseScope {
  input: AfterSaleWorkflowInput;
  view: AfterSaleStateView;
  /** The decision taken (Update `decide`), once one was. */
  decision(): AfterSaleDecision | undefined;
  /**
   * Sets the case's decision: a rule's agreement, or none (a later decision point — the refund of
   * goods the rules held after inspection — takes a person's decision again).
   */
  setDecision(decision: AfterSaleDecision | undefined): void;
  /** How many refund notifications arrived so far. */
  notices(): number;
  /** People's retries of a stuck step taken so far (Update `retry`). */
  retries(): readonly AfterSaleRetry[];
  record(
    step: string,
    status: AfterSaleStatus,
    stage: string,
    actor: string,
    detail?: Record<string, unknown>,
  ): Promise<void>;
  needsPerson(step: string, why: string, detail?: Record<string, unknown>): Promise<AfterSaleStateView>;
  /**
   * Scans of the return parcel its tracking service pushed (signal `returnTracking`), not yet
   * taken: the case empties the queue as it reads them.
   */
  returnScans?(): TrackingSnapshot[];
}
