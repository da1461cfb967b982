import { sql, type Kysely } from 'kysely';

/**
 * Frequent itemsets larger than pairs (docs/reports.md): one row per mining run with its filter and
 * progress, and the itemsets each run found, written per mined item of FP-growth's header table
 * in one transaction with the item marked done, so a retried activity resumes where the last
 * attempt stopped and never writes an itemset twice.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('basket_itemset_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    /** The filter and thresholds; runs with the same ones while one is running are one run. */
    .addColumn('params_key', 'text', (c) => c.notNull())
    .addColumn('params', 'jsonb', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('running', 'done', 'failed')`))
    .addColumn('baskets', 'integer')
    .addColumn('items_total', 'integer')
    .addColumn('items_mined', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('error', 'text')
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('started_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('finished_at', 'timestamptz')
    .execute();
  await sql`create unique index basket_itemset_runs_running on basket_itemset_runs (params_key) where status = 'running'`.execute(
    db,
  );
  await db.schema
    .createTable('basket_itemsets')
    .addColumn('run_id', 'text', (c) => c.notNull().references('basket_itemset_runs.id').onDelete('cascade'))
    .addColumn('items', sql`text[]`, (c) => c.notNull())
    .addColumn('orders', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('basket_itemsets_pk', ['run_id', 'items'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('basket_itemsets').execute();
  await db.schema.dropTable('basket_itemset_runs').execute();
}
