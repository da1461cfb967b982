import { loadConfigOrExit } from '../config/index.js';
import { createDb } from './connect.js';
import { startEmbeddedPostgres } from './embedded.js';
import { migrateToLatest } from './migrate.js';
import path from 'node:path';

/** `npm run db:migrate`: migrates DATABASE_URL, or the dev stack's embedded database when unset. */
const config = loadConfigOrExit();
const embedded = config.DATABASE_URL
  ? undefined
  : await startEmbeddedPostgres({
      dataDir: path.join(config.DATA_DIR, 'postgres'),
      port: config.EMBEDDED_PG_PORT,
    });
const url = config.DATABASE_URL ?? embedded!.url;
const db = createDb({ url, poolSize: 1 });
try {
  const applied = await migrateToLatest(db);
  console.log(applied.length ? `applied: ${applied.join(', ')}` : 'schema is up to date');
} finally {
  await db.destroy();
  await embedded?.stop();
}
