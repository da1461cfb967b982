import { afterAll, expect, it } from 'vitest';
import { migrateToLatest } from '../../db/migrate.js';
import { migrations } from '../../db/migrations/index.js';
import { freshDatabase } from '../support/fresh-database.js';

const database = freshDatabase('erp_migrate');
afterAll(() => database.drop());

it('migrates an empty database to the latest schema, and a second run changes nothing', async () => {
  const db = await database.create();
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
