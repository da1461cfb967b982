import type { TrackingEvent } from '../../domain/carriers/tracking.js';
import type { Db } from '../connect.js';

export interface ReturnScan {
  at: Date;
  status: string;
  description: string;
  location: string | null;
  /** The tracking service that reported it (sf, kuaidi100, kdniao); null when not known. */
  source: string | null;
  via: 'push' | 'poll';
}

/**
 * Keeps a return parcel's scans, each once: pushes and polls report the same scans again (a
 * Kuaidi100 push carries the whole route), keyed by the scan's time and the carrier's words as
 * parcels going out are (`tracking_events`).
 */
export async function keepReturnScans(
  db: Db,
  caseId: string,
  events: readonly TrackingEvent[],
  from: { source: string | null; via: 'push' | 'poll' },
): Promise<number> {
  if (events.length === 0) return 0;
  const inserted = await db
    .insertInto('after_sale_return_scans')
    .values(
      events.map((e) => ({
        case_id: caseId,
        at: e.at,
        status: e.status,
        description: e.description,
        location: e.location ?? null,
        source: from.source,
        via: from.via,
      })),
    )
    .onConflict((oc) => oc.columns(['case_id', 'at', 'description']).doNothing())
    .returning('at')
    .execute();
  return inserted.length;
}

/** A return parcel's scans, oldest first. */
export async function returnScans(db: Db, caseId: string): Promise<ReturnScan[]> {
  const rows = await db
    .selectFrom('after_sale_return_scans')
    .select(['at', 'status', 'description', 'location', 'source', 'via'])
    .where('case_id', '=', caseId)
    .orderBy('at')
    .orderBy('description')
    .execute();
  return rows.map((r) => ({ ...r, via: r.via === 'push' ? 'push' : 'poll' }));
}
