import { sql, type Kysely } from 'kysely';

/**
 * Users limited to shops (店铺权限): `shop_ids` lists the shops a user works for; null means every
 * shop (admins, ops, and users created before limits existed).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('users')
    .addColumn('shop_ids', sql`text[]`)
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').dropColumn('shop_ids').execute();
}
