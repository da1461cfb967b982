import { sql, type Kysely } from 'kysely';

/**
 * A seller's own machine-translation account (Baidu Translate or Tencent TMT) for its shop's
 * remarks, asked before the deployment's (docs/remarks.md). The secret key is encrypted like
 * shop credentials.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('shop_translation_accounts')
    .addColumn('shop_id', 'text', (c) => c.primaryKey().references('shops.id').onDelete('cascade'))
    .addColumn('provider', 'text', (c) => c.notNull().check(sql`provider in ('baidu', 'tencent')`))
    // Baidu's app id or Tencent's SecretId: not secret, shown so a person can tell accounts apart.
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('credentials_encrypted', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('shop_translation_accounts').execute();
}
