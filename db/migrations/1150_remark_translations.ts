import { sql, type Kysely } from 'kysely';

/**
 * Machine translations of remarks, one per remark text and target language: the audit asks the
 * translation service once, and a retry, a re-audit or a second order with the same remark reads
 * the stored answer (docs/remarks.md).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('remark_translations')
    // sha256 of the remark text (the text itself may be long for an index).
    .addColumn('source_hash', 'text', (c) => c.notNull())
    .addColumn('target_language', 'text', (c) => c.notNull())
    .addColumn('source_text', 'text', (c) => c.notNull())
    .addColumn('source_language', 'text', (c) => c.notNull())
    .addColumn('translated_text', 'text', (c) => c.notNull())
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('remark_translations_pkey', ['source_hash', 'target_language'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('remark_translations').execute();
}
