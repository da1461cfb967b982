import { sql, type Kysely } from 'kysely';

/**
 * A shipment reads its parcel's recorded WMS confirmations when it starts (a crew may confirm before
 * the wave's dispatch has started that shipment): pack and external-WMS confirmations name the
 * parcel, pick confirmations the wave.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index if not exists wms_confirmations_parcel on wms_confirmations (parcel_id) where parcel_id is not null`.execute(
    db,
  );
  await sql`create index if not exists wms_confirmations_wave on wms_confirmations (wave_id) where wave_id is not null`.execute(
    db,
  );
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists wms_confirmations_wave`.execute(db);
  await sql`drop index if exists wms_confirmations_parcel`.execute(db);
}
