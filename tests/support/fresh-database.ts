import pg from 'pg';
import { inject } from 'vitest';
import { createDb, withDatabase, type Db } from '../../db/connect.js';

/**
 * A database of its own for a test that migrates from nothing (the harness shares one already
 * migrated): created empty, dropped by `drop()` in the file's afterAll.
 */
export function freshDatabase(prefix: string): { create(): Promise<Db>; drop(): Promise<void> } {
  const adminUrl = inject('databaseAdminUrl');
  const name = `${prefix}_${process.pid}_${Date.now()}`;
  const admin = async (query: string) => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(query);
    } finally {
      await client.end();
    }
  };
  return {
    async create() {
      await admin(`create database "${name}"`);
      return createDb({ url: withDatabase(adminUrl, name), poolSize: 2 });
    },
    drop: () => admin(`drop database if exists "${name}" with (force)`),
  };
}
