import { sql, type Kysely } from 'kysely';

/**
 * The label stock an account's printer is loaded with: 100 × 150 mm (the standard e-waybill) or
 * 76 × 130 mm (the small one-part waybill). A label printed without a size asked for is printed on
 * the stock of the account that issued its waybill.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('waybill_accounts')
    .addColumn('label_size', 'text', (c) =>
      c
        .notNull()
        .defaultTo('100x150')
        .check(sql`label_size in ('100x150', '76x130')`),
    )
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('waybill_accounts').dropColumn('label_size').execute();
}
