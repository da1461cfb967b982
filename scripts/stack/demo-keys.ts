import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { authenticate, createUser, issueApiKey, UserExistsError } from '../../api/auth/credentials.js';
import type { Db } from '../../db/connect.js';
import type { Role } from '../../domain/audit/roles.js';

export interface DevKey {
  /** The plaintext API key. */
  key: string;
  /** Where it is kept, so a later start can show it again. */
  file: string;
  /** Issued on this start (false: read back from `file` and still valid). */
  issued: boolean;
}

/**
 * An API key for a dev-stack user (created without a password when missing), kept in plaintext in
 * DATA_DIR so every start can print it: the dev stack's data directory is the person's own
 * machine. A key that no longer opens the API (a new database, a revoked key) is replaced.
 */
export async function ensureDevKey(
  db: Db,
  options: { dataDir: string; file: string; username: string; displayName: string; roles: Role[] },
): Promise<DevKey> {
  const file = path.join(options.dataDir, options.file);
  const kept = await readFile(file, 'utf8').then(
    (text) => text.trim(),
    () => '',
  );
  if (kept) {
    const actor = await authenticate(db, kept);
    if (actor?.name === options.username) return { key: kept, file, issued: false };
  }
  try {
    await createUser(
      db,
      { username: options.username, displayName: options.displayName, roles: options.roles },
      'dev-stack',
    );
  } catch (err) {
    if (!(err instanceof UserExistsError)) throw err;
  }
  const issued = await issueApiKey(
    db,
    { username: options.username, name: 'npm run dev', roles: options.roles },
    'dev-stack',
  );
  await mkdir(options.dataDir, { recursive: true });
  await writeFile(file, `${issued.key}\n`, { mode: 0o600 });
  return { key: issued.key, file, issued: true };
}
