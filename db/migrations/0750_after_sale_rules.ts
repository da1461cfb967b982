import { sql, type Kysely } from 'kysely';

/**
 * Automatic refund audit rules for after-sales cases: the same shape as the order audit and
 * routing rules (0100), their revisions in the shared `rule_revisions` history.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('after_sale_rules')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('definition', 'jsonb', (c) => c.notNull())
    .addColumn('enabled', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`alter table rule_revisions drop constraint if exists rule_revisions_kind_check`.execute(db);
  await sql`alter table rule_revisions add constraint rule_revisions_kind_check check (kind in ('audit', 'routing', 'after_sale'))`.execute(
    db,
  );
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`delete from rule_revisions where kind = 'after_sale'`.execute(db);
  await sql`alter table rule_revisions drop constraint if exists rule_revisions_kind_check`.execute(db);
  await sql`alter table rule_revisions add constraint rule_revisions_kind_check check (kind in ('audit', 'routing'))`.execute(
    db,
  );
  await sql`delete from rule_set_seeds where kind = 'after_sale'`.execute(db);
  await db.schema.dropTable('after_sale_rules').ifExists().execute();
}
