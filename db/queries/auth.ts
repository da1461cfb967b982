import type { Db } from '../connect.js';

/**
 * Users, API keys and sessions. Only hashes of secrets are stored; issuing and checking them is
 * api/auth's job.
 */

export interface UserRow {
  id: string;
  username: string;
  display_name: string;
  password_hash: string | null;
  roles: string[];
  shop_ids: string[] | null;
  disabled: boolean;
  created_by: string;
  created_at: Date;
}

export async function insertUser(
  db: Db,
  user: {
    id: string;
    username: string;
    displayName: string;
    passwordHash: string | null;
    roles: string[];
    shopIds?: string[] | null;
  },
  actor: string,
): Promise<UserRow | undefined> {
  return db
    .insertInto('users')
    .values({
      id: user.id,
      username: user.username,
      display_name: user.displayName,
      password_hash: user.passwordHash,
      roles: user.roles,
      shop_ids: user.shopIds ?? null,
      created_by: actor,
    })
    .onConflict((oc) => oc.column('username').doNothing())
    .returningAll()
    .executeTakeFirst();
}

export function findUserByUsername(db: Db, username: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
}

export function listUsers(db: Db): Promise<UserRow[]> {
  return db.selectFrom('users').selectAll().orderBy('username').execute();
}

export async function insertApiKey(
  db: Db,
  key: {
    id: string;
    userId: string;
    name: string;
    secretHash: string;
    roles: string[];
    expiresAt: Date | null;
  },
  actor: string,
) {
  return db
    .insertInto('api_keys')
    .values({
      id: key.id,
      user_id: key.userId,
      name: key.name,
      secret_hash: key.secretHash,
      roles: key.roles,
      expires_at: key.expiresAt,
      created_by: actor,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** A key and its user, for authentication. */
export function findApiKeyWithUser(db: Db, id: string) {
  return db
    .selectFrom('api_keys')
    .innerJoin('users', 'users.id', 'api_keys.user_id')
    .select([
      'api_keys.id',
      'api_keys.secret_hash',
      'api_keys.roles',
      'api_keys.expires_at',
      'api_keys.revoked_at',
      'api_keys.last_used_at',
      'users.id as user_id',
      'users.username',
      'users.display_name',
      'users.shop_ids',
      'users.disabled',
    ])
    .where('api_keys.id', '=', id)
    .executeTakeFirst();
}

export function listApiKeys(db: Db) {
  return db
    .selectFrom('api_keys')
    .innerJoin('users', 'users.id', 'api_keys.user_id')
    .select([
      'api_keys.id',
      'api_keys.name',
      'api_keys.roles',
      'api_keys.created_by',
      'api_keys.created_at',
      'api_keys.expires_at',
      'api_keys.last_used_at',
      'api_keys.revoked_at',
      'users.username',
    ])
    .orderBy('api_keys.created_at', 'desc')
    .execute();
}

export async function revokeApiKey(db: Db, id: string): Promise<boolean> {
  const result = await db
    .updateTable('api_keys')
    .set({ revoked_at: new Date() })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Records use at most once a minute, so a busy integration does not write on every request. */
export async function touchApiKey(db: Db, id: string): Promise<void> {
  await db
    .updateTable('api_keys')
    .set({ last_used_at: new Date() })
    .where('id', '=', id)
    .where((eb) =>
      eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', new Date(Date.now() - 60_000))]),
    )
    .execute();
}

export async function insertSession(
  db: Db,
  session: { id: string; userId: string; secretHash: string; expiresAt: Date },
): Promise<void> {
  await db
    .insertInto('sessions')
    .values({
      id: session.id,
      user_id: session.userId,
      secret_hash: session.secretHash,
      expires_at: session.expiresAt,
    })
    .execute();
}

export function findSessionWithUser(db: Db, id: string) {
  return db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'sessions.id',
      'sessions.secret_hash',
      'sessions.expires_at',
      'sessions.revoked_at',
      'users.id as user_id',
      'users.username',
      'users.display_name',
      'users.roles',
      'users.shop_ids',
      'users.disabled',
    ])
    .where('sessions.id', '=', id)
    .executeTakeFirst();
}

export async function revokeSession(db: Db, id: string): Promise<void> {
  await db.updateTable('sessions').set({ revoked_at: new Date() }).where('id', '=', id).execute();
}
