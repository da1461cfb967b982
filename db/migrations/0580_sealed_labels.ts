import { sql, type Kysely } from 'kysely';

/**
 * Labels hold a receiver that may have been decrypted through a platform: from now on they are
 * kept only as sealed label data (AES-256-GCM under DATA_KEYS) and rendered when printed. Rows
 * written before keep their plaintext PDF until the shipment ends.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('shipment_labels').addColumn('sealed', 'text').execute();
  await db.schema
    .alterTable('shipment_labels')
    .alterColumn('pdf', (c) => c.dropNotNull())
    .execute();
  await db.schema
    .alterTable('shipment_labels')
    .alterColumn('data', (c) => c.dropNotNull())
    .execute();
  await db.schema
    .alterTable('shipment_labels')
    .addCheckConstraint(
      'shipment_labels_sealed_or_legacy',
      sql`sealed is not null or (pdf is not null and data is not null)`,
    )
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('shipment_labels').dropConstraint('shipment_labels_sealed_or_legacy').execute();
  await sql`delete from shipment_labels where pdf is null or data is null`.execute(db);
  await db.schema
    .alterTable('shipment_labels')
    .alterColumn('data', (c) => c.setNotNull())
    .execute();
  await db.schema
    .alterTable('shipment_labels')
    .alterColumn('pdf', (c) => c.setNotNull())
    .execute();
  await db.schema.alterTable('shipment_labels').dropColumn('sealed').execute();
}
