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

/** The key of a join recorded before joins were numbered: its allocation and the moment the order became ready. */
export function joinKeyOf(entry: StoredEntry): string {
  return `${entry.ready.allocationId}|${entry.ready.readyAt}`;
}

/** A join as stored: `waiting` is false once a wave took it or the order withdrew. */
export interface JoinedCandidate extends CandidateKey {
  urgent: boolean;
  readyAt: string;
  waiting: boolean;
}

/**
 * Keeps an order's share for the warehouse's next wave, once per join key: the join is a local
 * activity, and a workflow task that ran it but could not complete (it outlived its timeout on a
 * busy worker, or the worker died) runs it again, at a later workflow time. The order workflow
 * numbers its joins (`joinKey`, the same on every retry of the task), and a join whose key is
 * stored answers with the stored row, whether it still waits or a wave already took it (the
 * primary key makes two concurrent runs of one join one row). Without a key (histories from
 * before), the key is the allocation and `readyAt`, and a join of an allocation that still waits
 * is answered with the waiting one. A new key with the same allocation joins again only once its
 * waiting join was taken by a wave or withdrawn (a parcel taken apart).
 */
export async function addWaveCandidate(
  db: Db,
  ring: DataKeyring,
  warehouse: string,
  entry: StoredEntry,
  joinKey: string = joinKeyOf(entry),
): Promise<JoinedCandidate> {
  const orderId = entry.ready.orderId;
  const rows = db
    .selectFrom('wave_candidates')
    .select(['join_key', 'urgent', 'ready_at', 'wave_id', 'withdrawn_at'])
    .where('warehouse_code', '=', warehouse)
    .where('order_id', '=', orderId);
  const joined = (row: {
    join_key: string;
    urgent: boolean;
    ready_at: Date;
    wave_id: string | null;
    withdrawn_at: Date | null;
  }): JoinedCandidate => ({
    orderId,
    joinKey: row.join_key,
    urgent: row.urgent,
    readyAt: new Date(row.ready_at).toISOString(),
    waiting: row.wave_id === null && row.withdrawn_at === null,
  });
  const same = await rows.where('join_key', '=', joinKey).executeTakeFirst();
  if (same) return joined(same);
  const waiting = await rows
    .where('wave_id', 'is', null)
    .where('withdrawn_at', 'is', null)
    .where(sql<boolean>`starts_with(join_key, ${`${entry.ready.allocationId}|`})`)
    .executeTakeFirst();
  if (waiting) return joined(waiting);
  const inserted = await db
    .insertInto('wave_candidates')
    .values({
      warehouse_code: warehouse,
      order_id: orderId,
      join_key: joinKey,
      entry: JSON.stringify(sealReceiversIn(ring, entry)),
      urgent: entry.ready.urgent,
      ready_at: entry.ready.readyAt,
    })
    .onConflict((oc) => oc.columns(['warehouse_code', 'order_id', 'join_key']).doNothing())
    .returning(['join_key', 'urgent', 'ready_at', 'wave_id', 'withdrawn_at'])
    .executeTakeFirst();
  // Another run of the same join wrote it first.
  return joined(inserted ?? (await rows.where('join_key', '=', joinKey).executeTakeFirstOrThrow()));
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
