import type { Kysely } from 'kysely';

/**
 * The platform's modified time of the last snapshot of a marketplace case the case took: a case
 * whose workflow has ended is opened again only by a newer snapshot (the buyer changed a refused
 * request), never by a repeated or older one (docs/after-sales.md, "A case the buyer asks again").
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('after_sale_cases').addColumn('platform_modified_at', 'timestamptz').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('after_sale_cases').dropColumn('platform_modified_at').execute();
}
