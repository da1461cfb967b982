import { issueApiKey, createUser } from '../../api/auth/credentials.js';
import type { Db } from '../../db/connect.js';
import type { Role } from '../../domain/audit/roles.js';
import { uniqueId } from '../support/fixtures.js';

/**
 * A real API key for a fresh user with `roles` (none: a user who may sign in but holds no role).
 * Any test that calls a protected route uses one, exactly as an integration would.
 */
export async function apiKeyFor(db: Db, roles: Role[], username = uniqueId('user')): Promise<string> {
  await createUser(db, { username, roles }, 'test-setup');
  const issued = await issueApiKey(db, { username, name: 'test key', roles }, 'test-setup');
  return issued.key;
}

export function bearer(token: string): { authorization: string } {
  return { authorization: `Bearer ${token}` };
}
