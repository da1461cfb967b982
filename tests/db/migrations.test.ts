import pg from 'pg';
import { afterAll, expect, inject, it } from 'vitest';
import { createDb, withDatabase } from '../../db/connect.js';
import { migrateToLatest } from '../../db/migrate.js';
import { migrations } from '../../db/migrations/index.js';

const adminUrl = inject('databaseAdminUrl');
const name = `erp_migrate_${process.pid}_${Date.now()}`;

afterAll(async () => {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`drop database if exists "${name}" with (force)`);
  await admin.end();
});

it('migrates an empty database to the latest schema, and a second run changes nothing', async () => {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database "${name}"`);
  await admin.end();

  const db = createDb({ url: withDatabase(adminUrl, name), poolSize: 2 });
  try {
    // Two processes starting at once (API and worker) must not both apply a migration.
    const [a, b] = await Promise.all([migrateToLatest(db), migrateToLatest(db)]);
    expect([...a, ...b].sort()).toEqual(Object.keys(migrations).sort());
    expect(await migrateToLatest(db)).toEqual([]);
    const tables = await db.introspection.getTables();
    expect(tables.map((t) => t.name)).toEqual(
      expect.arrayContaining(['shops', 'skus', 'orders', 'order_lines', 'order_events']),
    );
  } finally {
    await db.destroy();
  }
});
