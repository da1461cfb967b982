import { sql, type Kysely } from 'kysely';

/**
 * Rate tables per waybill account (运费模板): what the account's branch charges, by destination
 * province — first weight, its price, the additional unit and its price — uploaded or entered by
 * the seller. Carrier selection prices a parcel with the cheapest usable account's table and the
 * issuer tries the cheaper account first. Null: the account has no table.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('waybill_accounts')
    .addColumn('rate_table', 'jsonb')
    .addColumn('rate_table_updated_at', 'timestamptz')
    .addColumn('rate_table_updated_by', 'text')
    .execute();
  await sql`comment on column waybill_accounts.rate_table is 'rows of {provinceCode, province, firstWeightG, firstFen, additionalUnitG, additionalFen}; provinceCode * = every other province'`.execute(
    db,
  );
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('waybill_accounts')
    .dropColumn('rate_table')
    .dropColumn('rate_table_updated_at')
    .dropColumn('rate_table_updated_by')
    .execute();
}
