import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';

const INT8_OID = 20;
const NUMERIC_OID = 1700;

/**
 * Money and counters are stored as bigint but always fit in a JS safe integer (fen amounts), so
 * they come back as numbers. Anything that could exceed 2^53 (platform ids) is stored as text.
 */
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID || oid === NUMERIC_OID) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

export interface DbOptions {
  url: string;
  poolSize?: number;
  applicationName?: string;
  /** Told about connections the server closed (they are replaced automatically). */
  onIdleError?: (err: Error) => void;
}

export type Db = Kysely<Database>;

export function createPool(options: DbOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    application_name: options.applicationName ?? 'order-erp',
    types,
  });
  // An idle connection dropped by the server (restart, failover) is discarded and replaced on the
  // next checkout; without a listener node would treat the pool's 'error' event as fatal.
  pool.on('error', (err) => options.onIdleError?.(err));
  // A connection closed while checked out (between a transaction's queries, or just handed out)
  // emits 'error' on the client itself, which the pool only listens to while the client is idle:
  // a PostgreSQL restart or pg_terminate_backend then crashed the process. The work in hand fails
  // (and is retried by its activity or its caller), and the client, no longer queryable, is
  // discarded when it is released.
  pool.on('connect', (client) => client.on('error', (err) => options.onIdleError?.(err)));
  return pool;
}

export function createDb(options: DbOptions): Db {
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool: createPool(options) }) });
}

/** Returns the same URL pointed at another database on the same server. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
