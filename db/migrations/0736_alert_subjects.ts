import { sql, type Kysely } from 'kysely';

/**
 * Alerts about one thing rather than a shop (docs/after-sales.md, "To a person when it sits"): a
 * return parcel gone quiet is its case's, so `subject` names the case, and at most one alert stays
 * open per shop, kind and subject — a repeat for the same case bumps it, another case's parcel is
 * an alert of its own. Alerts without a subject stay one open per shop and kind, as before.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('alerts').addColumn('subject', 'text').execute();
  await sql`drop index alerts_open_key`.execute(db);
  await sql`create unique index alerts_open_key on alerts (coalesce(shop_id, ''), kind, coalesce(subject, '')) where resolved_at is null`.execute(
    db,
  );
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index alerts_open_key`.execute(db);
  // Several open alerts of a shop and kind (one per subject) become the newest one.
  await sql`
    update alerts a set resolved_at = now()
    where a.resolved_at is null and exists (
      select 1 from alerts b
      where b.resolved_at is null and coalesce(b.shop_id, '') = coalesce(a.shop_id, '')
        and b.kind = a.kind and b.id > a.id)
  `.execute(db);
  await sql`create unique index alerts_open_key on alerts (coalesce(shop_id, ''), kind) where resolved_at is null`.execute(
    db,
  );
  await db.schema.alterTable('alerts').dropColumn('subject').execute();
}
