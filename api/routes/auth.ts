import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { RoleSchema } from '../../domain/audit/roles.js';
import { listApiKeys, listUsers, revokeApiKey, revokeSession } from '../../db/queries/auth.js';
import type { Actor } from '../auth/actor.js';
import { createUser, issueApiKey, login, UnknownUserError, UserExistsError } from '../auth/credentials.js';
import { checkLoginAllowed, loginFailed, loginSucceeded } from '../auth/login-limits.js';
import { actorOf, mayCall } from '../auth/plugin.js';
import { HttpProblem } from '../errors.js';
import type { ApiDeps } from '../deps.js';

const Username = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.@-]{1,63}$/, 'must be 2-64 letters, digits, "_", ".", "@" or "-"');
const Roles = z.array(RoleSchema).min(1, 'must name at least one role');

const LoginBody = z.object({
  username: z.string().trim().min(1, 'must not be empty').max(64),
  password: z.string().min(1, 'must not be empty').max(1024),
});

const CreateUserBody = z.object({
  username: Username,
  displayName: z.string().trim().min(1).max(100).optional(),
  /** Omit for service users that only use API keys. */
  password: z.string().min(12, 'must be at least 12 characters').max(1024).optional(),
  roles: Roles,
  /** Limit the user to these shops (店铺权限); omit for every shop. */
  shops: z.array(z.string().min(1).max(64)).min(1, 'must list at least one shop').max(500).optional(),
});

const CreateKeyBody = z.object({
  username: Username,
  name: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters'),
  /** Omitted: the user's roles. */
  roles: Roles.optional(),
  expiresInDays: z.number().int().min(1).max(3650).optional(),
});

const ActorView = z.object({
  id: z.string(),
  name: z.string(),
  roles: z.array(RoleSchema),
  /** The shops the caller is limited to (店铺权限); null: every shop. */
  shops: z.array(z.string()).nullable(),
  via: z.enum(['api_key', 'session']),
});
const Me = ActorView.extend({ may: z.array(z.string()) });
/** Stored roles are listed as stored (a role retired later still shows). */
const StoredRoles = z.array(z.string());
const CreatedUser = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  roles: StoredRoles,
  /** The shops the user is limited to; null: every shop. */
  shops: z.array(z.string()).nullable(),
});
const UserList = z.object({
  users: z.array(
    CreatedUser.extend({
      disabled: z.boolean(),
      canLogIn: z.boolean(),
      createdBy: z.string(),
      createdAt: z.string(),
    }),
  ),
});
const KeyList = z.object({
  keys: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      username: z.string(),
      roles: StoredRoles,
      createdBy: z.string(),
      createdAt: z.string(),
      expiresAt: z.string().nullable(),
      lastUsedAt: z.string().nullable(),
      revokedAt: z.string().nullable(),
    }),
  ),
});
const IssuedKey = z.object({
  id: z.string(),
  key: z.string(),
  username: z.string(),
  name: z.string(),
  roles: StoredRoles,
  expiresAt: z.string().nullable(),
});

function actorView(actor: Actor) {
  return { id: actor.id, name: actor.name, roles: actor.roles, shops: actor.shops, via: actor.via };
}

export const authRoutes: FastifyPluginAsyncZod<ApiDeps> = async (app, { db, config }) => {
  app.post(
    '/auth/login',
    {
      config: { public: true },
      schema: {
        tags: ['auth'],
        summary: 'Sign in with username and password; returns a session token',
        description:
          'Answers 429 with `Retry-After` when this address sends too many sign-in requests, or while the account or the address is locked after repeated failed sign-ins (then even the right password is refused until the lock ends).',
        body: LoginBody,
        response: { 200: z.object({ token: z.string(), expiresAt: z.string(), actor: ActorView }) },
      },
    },
    async (request) => {
      const { username, password } = request.body;
      await checkLoginAllowed(db, config, username, request.ip);
      const session = await login(db, username, password);
      if (!session) {
        await loginFailed(db, config, username, request.ip);
        throw new HttpProblem(401, 'wrong username or password', [], 'UNAUTHENTICATED');
      }
      await loginSucceeded(db, username, request.ip);
      return {
        token: session.token,
        expiresAt: session.expiresAt.toISOString(),
        actor: actorView(session.actor),
      };
    },
  );

  app.post(
    '/auth/logout',
    {
      config: { roles: 'any' },
      schema: { tags: ['auth'], summary: 'End the current session', response: { 204: z.null() } },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      if (actor.via === 'session') await revokeSession(db, actor.credentialId);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/auth/me',
    {
      config: { roles: 'any' },
      schema: {
        tags: ['auth'],
        summary: 'Who the credentials belong to, and the routes they may call',
        description:
          '`may` lists "METHOD /path" for every route these roles may call (public routes left out): the web UI shows only these actions, and the API still checks each call.',
        response: { 200: Me },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const may = app.routeAccess
        .filter((r) => r.method !== 'HEAD' && r.access.kind === 'roles' && mayCall(r.access, actor.roles))
        .map((r) => `${r.method} ${r.url}`);
      return { ...actorView(actor), may: [...new Set(may)].sort() };
    },
  );

  app.get(
    '/auth/users',
    {
      config: { roles: ['admin'] },
      schema: { tags: ['auth'], summary: 'Users and their roles', response: { 200: UserList } },
    },
    async () => ({
      users: (await listUsers(db)).map((u) => ({
        id: u.id,
        username: u.username,
        displayName: u.display_name,
        roles: u.roles,
        shops: u.shop_ids,
        disabled: u.disabled,
        canLogIn: u.password_hash !== null,
        createdBy: u.created_by,
        createdAt: u.created_at.toISOString(),
      })),
    }),
  );

  app.post(
    '/auth/users',
    {
      config: { roles: ['admin'] },
      schema: {
        tags: ['auth'],
        summary: 'Create a user',
        body: CreateUserBody,
        response: { 201: CreatedUser },
      },
    },
    async (request, reply) => {
      try {
        const user = await createUser(db, request.body, actorOf(request).name);
        return reply.code(201).send({
          id: user.id,
          username: user.username,
          displayName: user.display_name,
          roles: user.roles,
          shops: user.shop_ids,
        });
      } catch (err) {
        if (err instanceof UserExistsError) throw new HttpProblem(409, err.message, [], 'CONFLICT');
        throw err;
      }
    },
  );

  app.get(
    '/auth/api-keys',
    {
      config: { roles: ['admin'] },
      schema: { tags: ['auth'], summary: 'API keys (never their secrets)', response: { 200: KeyList } },
    },
    async () => ({
      keys: (await listApiKeys(db)).map((k) => ({
        id: k.id,
        name: k.name,
        username: k.username,
        roles: k.roles,
        createdBy: k.created_by,
        createdAt: k.created_at.toISOString(),
        expiresAt: k.expires_at?.toISOString() ?? null,
        lastUsedAt: k.last_used_at?.toISOString() ?? null,
        revokedAt: k.revoked_at?.toISOString() ?? null,
      })),
    }),
  );

  app.post(
    '/auth/api-keys',
    {
      config: { roles: ['admin'] },
      schema: {
        tags: ['auth'],
        summary: 'Issue an API key for a user; the key is in this response only',
        body: CreateKeyBody,
        response: { 201: IssuedKey },
      },
    },
    async (request, reply) => {
      const { expiresInDays, ...input } = request.body;
      try {
        const issued = await issueApiKey(
          db,
          { ...input, expiresAt: expiresInDays ? new Date(Date.now() + expiresInDays * 86_400_000) : null },
          actorOf(request).name,
        );
        return reply.code(201).send({ ...issued, expiresAt: issued.expiresAt?.toISOString() ?? null });
      } catch (err) {
        if (err instanceof UnknownUserError) {
          throw new HttpProblem(400, `invalid request: body.username: ${err.message}`, [
            { field: 'body.username', problem: err.message },
          ]);
        }
        throw err;
      }
    },
  );

  app.delete(
    '/auth/api-keys/:id',
    {
      config: { roles: ['admin'] },
      schema: {
        tags: ['auth'],
        summary: 'Revoke an API key',
        response: { 204: z.null() },
        params: z.object({ id: z.string().regex(/^[a-z0-9]{12}$/, 'must be an API key id') }),
      },
    },
    async (request, reply) => {
      if (!(await revokeApiKey(db, request.params.id))) {
        throw new HttpProblem(404, `no active API key with id "${request.params.id}"`);
      }
      return reply.code(204).send(null);
    },
  );
};
