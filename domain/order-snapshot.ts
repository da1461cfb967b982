import type { NormalizedOrder } from './order.js';

/**
 * Platforms deliver snapshots of an order more than once and out of order (webhook retries,
 * polling overlap windows). The platform's modified time decides which one is current.
 */
export type SnapshotVerdict = 'newer' | 'duplicate' | 'stale';

export function compareSnapshots(current: NormalizedOrder, incoming: NormalizedOrder): SnapshotVerdict {
  const now = Date.parse(current.modifiedAt);
  const next = Date.parse(incoming.modifiedAt);
  if (next < now) return 'stale';
  if (next === now && JSON.stringify(current) === JSON.stringify(incoming)) return 'duplicate';
  return 'newer';
}
