import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { createDb, createPool } from '../../db/connect.js';

// What a PostgreSQL restart (or pg_terminate_backend) does to a process: every connection is
// closed by the server, including ones checked out between two queries of a transaction. The
// process must stay up, the work in hand fail, and the next query be served on a new connection.
// Before, the closed checked-out connection's 'error' event had no listener and crashed the API
// process in the fault run (docs/chaos.md).

const adminUrl = inject('databaseAdminUrl');
let admin: pg.Client;

beforeAll(async () => {
  admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
});
afterAll(async () => {
  await admin.end();
});

async function terminate(applicationName: string): Promise<number> {
  const { rows } = await admin.query(
    `select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1`,
    [applicationName],
  );
  return rows.length;
}

it('a connection closed by the server while checked out is dropped, and the pool serves the next query', async () => {
  const name = `conn-loss-${randomUUID().slice(0, 8)}`;
  const errors: Error[] = [];
  const pool = createPool({
    url: adminUrl,
    poolSize: 2,
    applicationName: name,
    onIdleError: (e) => errors.push(e),
  });
  try {
    const client = await pool.connect();
    await client.query('select 1');
    expect(await terminate(name)).toBe(1);
    await expect.poll(() => errors.length).toBeGreaterThan(0);
    await expect(client.query('select 1')).rejects.toThrow();
    client.release();
    const { rows } = await pool.query<{ one: number }>('select 1 as one');
    expect(rows[0]!.one).toBe(1);
  } finally {
    await pool.end();
  }
});

it('a transaction whose connection is closed between its queries fails, and the next one commits', async () => {
  const name = `conn-loss-${randomUUID().slice(0, 8)}`;
  const errors: Error[] = [];
  const db = createDb({
    url: adminUrl,
    poolSize: 2,
    applicationName: name,
    onIdleError: (e) => errors.push(e),
  });
  try {
    await expect(
      db.transaction().execute(async (trx) => {
        await trx.selectNoFrom((eb) => eb.val(1).as('one')).execute();
        await terminate(name);
        // The server's notice arrives while no query runs on the connection.
        await expect.poll(() => errors.length).toBeGreaterThan(0);
        await trx.selectNoFrom((eb) => eb.val(2).as('two')).execute();
      }),
    ).rejects.toThrow();
    const row = await db
      .transaction()
      .execute((trx) => trx.selectNoFrom((eb) => eb.val(3).as('three')).executeTakeFirstOrThrow());
    expect(Number(row.three)).toBe(3);
  } finally {
    await db.destroy();
  }
});
