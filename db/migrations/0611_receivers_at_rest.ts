import { sql, type Kysely, type RawBuilder } from 'kysely';
import { loadConfig } from '../../config/index.js';
import { dataKeyring, type DataKeyring } from '../crypto/data-keys.js';
import { hasPlainReceiver, phoneTailHash, sealReceiver, sealReceiversIn } from '../crypto/receivers.js';

/**
 * Receivers are kept sealed at rest (db/crypto/receivers.ts): the orders table gains the lookup
 * hashes of the phone tails (platform and edited receiver) that `GET /orders?phoneTail=` searches,
 * and every receiver already stored — orders, timeline details, stock waits, wave candidates and
 * parcels, parked snapshots — is sealed in place. The keys are read from the configuration only
 * when there is something to convert, so an empty database migrates without them.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('orders')
    .addColumn('receiver_phone_tail', 'text')
    .addColumn('effective_phone_tail', 'text')
    .execute();
  await sql`create index orders_phone_tail_idx on orders (coalesce(effective_phone_tail, receiver_phone_tail))`.execute(
    db,
  );
  let ring: DataKeyring | undefined;
  await sealStoredReceivers(db, () => (ring ??= dataKeyring(loadConfig())));
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists orders_phone_tail_idx`.execute(db);
  await db.schema
    .alterTable('orders')
    .dropColumn('receiver_phone_tail')
    .dropColumn('effective_phone_tail')
    .execute();
}

const BATCH = 500;

/** JSON columns that may hold receivers (nested under `receiver` and the like), by their keys. */
const NESTED: { table: string; keys: string[]; column: string }[] = [
  { table: 'order_events', keys: ['id'], column: 'detail' },
  { table: 'stock_waits', keys: ['order_id'], column: 'request' },
  { table: 'wave_candidates', keys: ['warehouse_code', 'order_id', 'join_key'], column: 'entry' },
  { table: 'wave_parcels', keys: ['wave_id', 'seq'], column: 'parcel' },
  { table: 'parked_orders', keys: ['shop_id', 'platform_order_id'], column: 'snapshot' },
];

type Row = Record<string, unknown>;

/** Seals every plaintext receiver in the database; returns how many rows it changed. */
export async function sealStoredReceivers(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  db: Kysely<any>,
  keys: () => DataKeyring,
): Promise<number> {
  let changed = 0;
  changed += await eachBatch(
    db,
    'orders',
    ['id'],
    ['receiver', 'effective_receiver'],
    sql<boolean>`true`,
    async (row) => {
      const receiver = row.receiver as Row;
      const effective = row.effective_receiver as Row | null;
      if (!hasPlainReceiver({ receiver, effective })) return false;
      const ring = keys();
      await db
        .updateTable('orders')
        .set({
          receiver: JSON.stringify(sealReceiver(ring, receiver)),
          effective_receiver: effective ? JSON.stringify(sealReceiver(ring, effective)) : null,
          receiver_phone_tail: phoneTailHash(ring, receiver.phone),
          effective_phone_tail: effective ? phoneTailHash(ring, effective.phone) : null,
        })
        .where('id', '=', row.id)
        .execute();
      return true;
    },
  );
  for (const { table, keys: keyColumns, column } of NESTED) {
    const mentions = sql<boolean>`${sql.ref(column)}::text ~ '"(receiver|effectiveReceiver|effective_receiver)"'`;
    changed += await eachBatch(db, table, keyColumns, [column], mentions, async (row) => {
      if (!hasPlainReceiver(row[column])) return false;
      let update = db
        .updateTable(table)
        .set({ [column]: JSON.stringify(sealReceiversIn(keys(), row[column])) });
      for (const k of keyColumns) update = update.where(k, '=', row[k]);
      await update.execute();
      return true;
    });
  }
  return changed;
}

/** Walks a table in key order, BATCH rows at a time, calling `visit` for each row. */
async function eachBatch(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  db: Kysely<any>,
  table: string,
  keyColumns: string[],
  columns: string[],
  filter: RawBuilder<boolean>,
  visit: (row: Row) => Promise<boolean>,
): Promise<number> {
  let after: unknown[] | undefined;
  let changed = 0;
  for (;;) {
    let query = db
      .selectFrom(table)
      .select([...keyColumns, ...columns])
      .where(filter)
      .limit(BATCH);
    for (const k of keyColumns) query = query.orderBy(k);
    if (after) {
      const refs = sql.join(keyColumns.map((k) => sql.ref(k)));
      const values = sql.join(after.map((v) => sql`${v}`));
      query = query.where(sql<boolean>`(${refs}) > (${values})`);
    }
    const rows = (await query.execute()) as Row[];
    for (const row of rows) if (await visit(row)) changed += 1;
    if (rows.length < BATCH) return changed;
    const last = rows.at(-1)!;
    after = keyColumns.map((k) => last[k]);
  }
}
