import { sql, type Kysely } from 'kysely';

/**
 * Waves keep their orders here instead of in workflow history: an order ready at a warehouse is a
 * candidate row (its whole wave entry), and the wave workflow holds only small references. When a
 * wave forms, it claims its candidates and stores the parcels it formed, so a wave of thousands of
 * orders never travels through Temporal as one payload.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('wave_candidates')
    .addColumn('warehouse_code', 'text', (c) => c.notNull())
    .addColumn('order_id', 'text', (c) => c.notNull())
    /** One per time the order joined (allocation and moment): a rejoin after a parcel was taken apart is new. */
    .addColumn('join_key', 'text', (c) => c.notNull())
    .addColumn('entry', 'jsonb', (c) => c.notNull())
    .addColumn('urgent', 'boolean', (c) => c.notNull())
    .addColumn('ready_at', 'timestamptz', (c) => c.notNull())
    .addColumn('joined_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('wave_id', 'text')
    .addColumn('withdrawn_at', 'timestamptz')
    .addPrimaryKeyConstraint('wave_candidates_pkey', ['warehouse_code', 'order_id', 'join_key'])
    .execute();
  await db.schema.createIndex('wave_candidates_wave').on('wave_candidates').column('wave_id').execute();

  await db.schema
    .createTable('wave_parcels')
    .addColumn('wave_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('parcel', 'jsonb', (c) => c.notNull())
    .addPrimaryKeyConstraint('wave_parcels_pkey', ['wave_id', 'seq'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('wave_parcels').ifExists().execute();
  await db.schema.dropTable('wave_candidates').ifExists().execute();
}
