import path from 'node:path';
import { parseArgs } from 'node:util';
import { createUser, issueApiKey, UserExistsError } from '../api/auth/credentials.js';
import { loadConfigOrExit } from '../config/index.js';
import { createDb } from '../db/connect.js';
import { startEmbeddedPostgres } from '../db/embedded.js';
import { migrateToLatest } from '../db/migrate.js';
import { RoleSchema } from '../domain/audit/roles.js';

/**
 * Creates an API key from the command line — how the first admin gets in:
 *
 *   npx tsx scripts/create-api-key.ts                       # user "admin", role admin
 *   npx tsx scripts/create-api-key.ts --username shop-sync --roles ops --name "sync service"
 *
 * Creates the user when it does not exist (without a password: API keys only). Uses DATABASE_URL,
 * or the dev stack's embedded database when unset. The key is printed once and never stored.
 */
const { values } = parseArgs({
  options: {
    username: { type: 'string', default: 'admin' },
    roles: { type: 'string', default: 'admin' },
    name: { type: 'string', default: 'created from the command line' },
  },
});
const roles = values.roles.split(',').map((r) => r.trim());
const parsedRoles = roles.map((r) => RoleSchema.safeParse(r));
if (parsedRoles.some((r) => !r.success)) {
  process.stderr.write(
    `--roles: each must be one of ${RoleSchema.options.join(', ')}; got "${values.roles}"\n`,
  );
  process.exit(64);
}

const config = loadConfigOrExit();
const embedded = config.DATABASE_URL
  ? undefined
  : await startEmbeddedPostgres({
      dataDir: path.join(config.DATA_DIR, 'postgres'),
      port: config.EMBEDDED_PG_PORT,
    });
const db = createDb({ url: config.DATABASE_URL ?? embedded!.url, poolSize: 1 });
try {
  await migrateToLatest(db);
  const validRoles = parsedRoles.flatMap((r) => (r.success ? [r.data] : []));
  try {
    await createUser(db, { username: values.username, roles: validRoles }, 'cli');
  } catch (err) {
    if (!(err instanceof UserExistsError)) throw err;
  }
  const issued = await issueApiKey(
    db,
    { username: values.username, name: values.name, roles: validRoles },
    'cli',
  );
  process.stdout.write(
    `API key for ${issued.username} (${issued.roles.join(', ')}), shown only now:\n\n  ${issued.key}\n\n` +
      `Use it as "Authorization: Bearer <key>" or "x-api-key: <key>".\n`,
  );
} finally {
  await db.destroy();
  await embedded?.stop();
}
