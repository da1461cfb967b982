import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../../connect.js';

/**
 * Runs a report statement with JIT compiling off, in the transaction given or one of its own. The
 * planner cannot know how few rows a CTE of candidates holds (it has no statistics), so it costs such
 * a statement as if thousands did and JIT-compiles it: seconds of compiling for a query that reads a
 * few thousand rows (docs/benchmarks.md).
 */
export async function withoutJit<R>(db: Db, query: RawBuilder<R>) {
  if (db.isTransaction) {
    await sql`set local jit = off`.execute(db);
    return query.execute(db);
  }
  return db.transaction().execute(async (trx) => {
    await sql`set local jit = off`.execute(trx);
    return query.execute(trx);
  });
}
