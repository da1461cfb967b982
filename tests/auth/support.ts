import type { FastifyInstance } from 'fastify';
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

/** An own store registered through the API with its webhook secret, as its owner would. */
export async function registerOwnStore(
  api: FastifyInstance,
  db: Db,
  input: { shopId: string; secret: string; name?: string },
): Promise<void> {
  const res = await api.inject({
    method: 'POST',
    url: '/shops',
    headers: bearer(await apiKeyFor(db, ['admin'])),
    payload: {
      id: input.shopId,
      platform: 'own',
      name: input.name ?? '自营小程序',
      credentials: { webhookSecret: input.secret },
    },
  });
  if (res.statusCode !== 201) throw new Error(`registering ${input.shopId}: ${res.statusCode} ${res.body}`);
}
