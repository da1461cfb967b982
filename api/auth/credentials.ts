import { randomUUID } from 'node:crypto';
import { ROLES, type Role } from '../../domain/audit/roles.js';
import {
  findApiKeyWithUser,
  findSessionWithUser,
  findUserByUsername,
  insertApiKey,
  insertSession,
  insertUser,
  touchApiKey,
  type UserRow,
} from '../../db/queries/auth.js';
import type { Db } from '../../db/connect.js';
import type { Actor } from './actor.js';
import {
  hashForUnknownUser,
  hashPassword,
  issueToken,
  parseToken,
  tokenMatches,
  verifyPassword,
} from './secrets.js';

export const DEFAULT_SESSION_TTL_SECONDS = 12 * 60 * 60;

function knownRoles(roles: readonly string[]): Role[] {
  return roles.filter((r): r is Role => (ROLES as readonly string[]).includes(r));
}

export class UserExistsError extends Error {}
export class UnknownUserError extends Error {}

export async function createUser(
  db: Db,
  input: { username: string; displayName?: string; password?: string; roles: Role[]; shops?: string[] },
  actor: string,
): Promise<UserRow> {
  const row = await insertUser(
    db,
    {
      id: `usr_${randomUUID()}`,
      username: input.username,
      displayName: input.displayName ?? input.username,
      passwordHash: input.password ? await hashPassword(input.password) : null,
      roles: [...new Set(input.roles)],
      shopIds: input.shops ? [...new Set(input.shops)] : null,
    },
    actor,
  );
  if (!row) throw new UserExistsError(`a user named "${input.username}" already exists`);
  return row;
}

export interface IssuedApiKey {
  id: string;
  /** The plaintext key. It is not stored and cannot be shown again. */
  key: string;
  username: string;
  name: string;
  roles: Role[];
  expiresAt: Date | null;
}

/** Issues an API key for an existing user; roles default to the user's own. */
export async function issueApiKey(
  db: Db,
  input: { username: string; name: string; roles?: Role[]; expiresAt?: Date | null },
  actor: string,
): Promise<IssuedApiKey> {
  const user = await findUserByUsername(db, input.username);
  if (!user) throw new UnknownUserError(`no user named "${input.username}"`);
  const roles = [...new Set(input.roles ?? knownRoles(user.roles))];
  const issued = issueToken('erp');
  await insertApiKey(
    db,
    {
      id: issued.id,
      userId: user.id,
      name: input.name,
      secretHash: issued.secretHash,
      roles,
      expiresAt: input.expiresAt ?? null,
    },
    actor,
  );
  return {
    id: issued.id,
    key: issued.token,
    username: user.username,
    name: input.name,
    roles,
    expiresAt: input.expiresAt ?? null,
  };
}

export interface Login {
  token: string;
  expiresAt: Date;
  actor: Actor;
}

/** Checks a username and password and opens a session; undefined for any wrong credential. */
export async function login(
  db: Db,
  username: string,
  password: string,
  ttlSeconds = DEFAULT_SESSION_TTL_SECONDS,
): Promise<Login | undefined> {
  const user = await findUserByUsername(db, username);
  const ok = await verifyPassword(password, user?.password_hash ?? (await hashForUnknownUser()));
  if (!user || !user.password_hash || !ok || user.disabled) return undefined;
  const issued = issueToken('ses');
  const expiresAt = new Date(Date.now() + ttlSeconds * 1000);
  await insertSession(db, { id: issued.id, userId: user.id, secretHash: issued.secretHash, expiresAt });
  return {
    token: issued.token,
    expiresAt,
    actor: {
      id: user.id,
      name: user.username,
      roles: knownRoles(user.roles),
      shops: user.shop_ids,
      via: 'session',
      credentialId: issued.id,
    },
  };
}

/** The actor behind an API key or session token, or undefined when it is unknown, expired or revoked. */
export async function authenticate(db: Db, token: string): Promise<Actor | undefined> {
  const parsed = parseToken(token);
  if (!parsed) return undefined;
  const now = new Date();
  if (parsed.kind === 'erp') {
    const key = await findApiKeyWithUser(db, parsed.id);
    if (!key || !tokenMatches(token, key.secret_hash)) return undefined;
    if (key.revoked_at || key.disabled || (key.expires_at && key.expires_at <= now)) return undefined;
    await touchApiKey(db, key.id);
    return {
      id: key.user_id,
      name: key.username,
      roles: knownRoles(key.roles),
      shops: key.shop_ids,
      via: 'api_key',
      credentialId: key.id,
    };
  }
  const session = await findSessionWithUser(db, parsed.id);
  if (!session || !tokenMatches(token, session.secret_hash)) return undefined;
  if (session.revoked_at || session.disabled || session.expires_at <= now) return undefined;
  return {
    id: session.user_id,
    name: session.username,
    roles: knownRoles(session.roles),
    shops: session.shop_ids,
    via: 'session',
    credentialId: session.id,
  };
}
