import type { Receiver } from './order.js';

/**
 * The mutable part of an order's row that the workflow owns (beyond status). Every timeline event
 * carries the whole of it, and the projection applies only the newest event, so concurrent writers
 * (a reviewer's Update, the main flow, the ship-by timer) can never leave it half-updated.
 */
export interface HoldRecord {
  key: string;
  reason: string;
  stage: number;
  /** The role that clears it (admin always may). */
  clearedBy: string;
  ruleId: string | null;
  message: string | null;
  detail: string;
  openedAt: string;
  escalatedAt: string | null;
  clearedAt: string | null;
  clearedByActor: string | null;
  decision: string | null;
  note: string | null;
}

export interface OrderProjection {
  flags: string[];
  locked: boolean;
  routeGroup: string | null;
  priority: number;
  heldSince: string | null;
  shipByAt: string | null;
  shipByAtRisk: boolean;
  internalMemo: string | null;
  carrierPreference: string | null;
  effectiveReceiver: Receiver | null;
  outcome: string | null;
  holds: HoldRecord[];
}

export function holdKey(reason: string, stage: number): string {
  return `${reason}@${stage}`;
}
