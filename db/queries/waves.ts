import { sql } from 'kysely';
import type { Parcel, ReadyOrder } from '../../domain/parcels/types.js';
import type { Db } from '../connect.js';
import type { DataKeyring } from '../crypto/data-keys.js';
import { openReceiversIn, sealReceiversIn } from '../crypto/receivers.js';

/** What a wave stores per order: the ready order, plus whatever its shipments will need. */
export interface StoredEntry {
  ready: ReadyOrder;
}

/** Which join of an order a wave reference points at (see wave_candidates.join_key). */
export interface CandidateKey {
  orderId: string;
  joinKey: string;
}

/** The key of one join: its allocation and the moment the order became ready. */
export function joinKeyOf(entry: StoredEntry): string {
  return `${entry.ready.allocationId}|${entry.ready.readyAt}`;
}

/** Keeps an order's share for the warehouse's next wave. A retried join writes nothing new. */
export async function addWaveCandidate(
  db: Db,
  ring: DataKeyring,
  warehouse: string,
  entry: StoredEntry,
): Promise<CandidateKey> {
  const key = { orderId: entry.ready.orderId, joinKey: joinKeyOf(entry) };
  await db
    .insertInto('wave_candidates')
    .values({
      warehouse_code: warehouse,
      order_id: key.orderId,
      join_key: key.joinKey,
      entry: JSON.stringify(sealReceiversIn(ring, entry)),
      urgent: entry.ready.urgent,
      ready_at: entry.ready.readyAt,
    })
    .onConflict((oc) => oc.columns(['warehouse_code', 'order_id', 'join_key']).doNothing())
    .execute();
  return key;
}

/** The order left the warehouse's queue (cancelled, intercepted): no wave may take it any more. */
export async function withdrawWaveCandidates(db: Db, warehouse: string, orderId: string): Promise<number> {
  const result = await db
    .updateTable('wave_candidates')
    .set({ withdrawn_at: new Date() })
    .where('warehouse_code', '=', warehouse)
    .where('order_id', '=', orderId)
    .where('wave_id', 'is', null)
    .where('withdrawn_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export interface WaveContents<E extends StoredEntry = StoredEntry> {
  parcels: Parcel[];
  entries: E[];
}

/**
 * Forms a wave once: claims the named candidates still waiting (none withdrawn, none taken by
 * another wave), forms their parcels with `form` and stores them, all in one transaction. Called
 * again for the same wave (a retried activity), it returns what was stored the first time.
 */
export async function claimWave<E extends StoredEntry>(
  db: Db,
  ring: DataKeyring,
  input: {
    waveId: string;
    warehouse: string;
    candidates: readonly CandidateKey[];
    form(orders: ReadyOrder[]): Parcel[];
  },
): Promise<WaveContents<E>> {
  return db.transaction().execute(async (trx) => {
    // One wave forms at a time per warehouse; the lock also orders a retry after its first attempt.
    await sql`select pg_advisory_xact_lock(hashtext(${`wave:${input.waveId}`}))`.execute(trx);
    const stored = await loadWaveContents<E>(trx, ring, input.waveId);
    if (stored.parcels.length > 0 || stored.entries.length > 0) return stored;

    const orderIds = input.candidates.map((c) => c.orderId);
    const joinKeys = input.candidates.map((c) => c.joinKey);
    const rows = await trx
      .selectFrom('wave_candidates')
      .select(['order_id', 'join_key', 'entry'])
      .where('warehouse_code', '=', input.warehouse)
      .where('wave_id', 'is', null)
      .where('withdrawn_at', 'is', null)
      .where(
        sql<boolean>`(order_id, join_key) in (select * from unnest(${orderIds}::text[], ${joinKeys}::text[]))`,
      )
      .orderBy('ready_at')
      .orderBy('order_id')
      .forUpdate()
      .execute();
    const entries = rows.map((r) => openReceiversIn(ring, r.entry) as unknown as E);
    if (entries.length === 0) return { parcels: [], entries: [] };
    const parcels = input.form(entries.map((e) => e.ready));
    for (let i = 0; i < parcels.length; i += 1000) {
      await trx
        .insertInto('wave_parcels')
        .values(
          parcels.slice(i, i + 1000).map((parcel, j) => ({
            wave_id: input.waveId,
            seq: i + j + 1,
            parcel: JSON.stringify(sealReceiversIn(ring, parcel)),
          })),
        )
        .execute();
    }
    await trx
      .updateTable('wave_candidates')
      .set({ wave_id: input.waveId })
      .where('warehouse_code', '=', input.warehouse)
      .where('wave_id', 'is', null)
      .where(
        sql<boolean>`(order_id, join_key) in (select * from unnest(${rows.map((r) => r.order_id)}::text[], ${rows.map((r) => r.join_key)}::text[]))`,
      )
      .execute();
    return { parcels, entries };
  });
}

/** A formed wave's parcels and the entries of the orders it took. */
export async function loadWaveContents<E extends StoredEntry = StoredEntry>(
  db: Pick<Db, 'selectFrom'>,
  ring: DataKeyring,
  waveId: string,
): Promise<WaveContents<E>> {
  const parcels = await db
    .selectFrom('wave_parcels')
    .select('parcel')
    .where('wave_id', '=', waveId)
    .orderBy('seq')
    .execute();
  const entries = await db
    .selectFrom('wave_candidates')
    .select('entry')
    .where('wave_id', '=', waveId)
    .orderBy('ready_at')
    .orderBy('order_id')
    .execute();
  return {
    parcels: parcels.map((r) => openReceiversIn(ring, r.parcel) as unknown as Parcel),
    entries: entries.map((r) => openReceiversIn(ring, r.entry) as unknown as E),
  };
}
