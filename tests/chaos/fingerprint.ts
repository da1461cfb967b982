import { sql } from 'kysely';
import type { Db } from '../../db/connect.js';

/** A failed sign-in is a rejected request that must leave a trace: the count that locks a guesser out. */
const IGNORED = new Set(['login_throttle']);
/**
 * Only these tables' row counts are compared: using a credential stamps its last use, and the
 * webhook forwarder marks an accepted push's inbox row forwarded after its answer, in the
 * background. A rejected request must still add no row to any of them.
 */
const COUNT_ONLY = new Set(['api_keys', 'sessions', 'users', 'webhook_inbox']);

/** Every table of the database with its row count and a hash of its contents, in one query. */
export async function fingerprintTables(db: Db): Promise<Map<string, string>> {
  const tables = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE' and table_name not like 'kysely_%'
    order by table_name`.execute(db);
  const parts = tables.rows
    .filter(({ name }) => !IGNORED.has(name))
    .map(({ name }) =>
      COUNT_ONLY.has(name)
        ? `select '${name}' as t, count(*)::text as f from "${name}"`
        : `select '${name}' as t, count(*)::text || ':' || coalesce(sum(hashtext(x::text)::bigint), 0)::text as f from "${name}" x`,
    );
  const rows = await sql<{ t: string; f: string }>`${sql.raw(parts.join(' union all '))}`.execute(db);
  return new Map(rows.rows.map((r) => [r.t, r.f]));
}

/** The tables whose fingerprint differs between two snapshots. */
export function changedTables(before: Map<string, string>, after: Map<string, string>): string[] {
  return [...after.keys()].filter((t) => before.get(t) !== after.get(t));
}
