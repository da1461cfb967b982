import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteAccess } from '../../api/auth/plugin.js';
import { ROLES, type Role } from '../../domain/audit/roles.js';
import { createHarness, type Harness } from '../support/harness.js';
import { apiKeyFor, bearer } from './support.js';

let h: Harness;
let api: FastifyInstance;
let adminKey: string;

beforeAll(async () => {
  h = await createHarness();
  api = await h.api();
  adminKey = await apiKeyFor(h.db, ['admin'], 'root');
});
afterAll(() => h.teardown());

function post(url: string, payload: unknown, headers: Record<string, string> = {}) {
  return api.inject({ method: 'POST', url, payload: payload as object, headers });
}

describe('API keys', () => {
  it('lets an admin issue a key that is shown once, stored only as a hash, and works at once', async () => {
    const user = await post(
      '/auth/users',
      { username: 'li.ming', displayName: '李明', roles: ['reviewer'] },
      bearer(adminKey),
    );
    expect(user.statusCode).toBe(201);
    const issued = await post(
      '/auth/api-keys',
      { username: 'li.ming', name: 'review desk' },
      bearer(adminKey),
    );
    expect(issued.statusCode).toBe(201);
    const { key, id, roles } = issued.json();
    expect(key).toMatch(/^erp_[a-z0-9]{12}_[A-Za-z0-9_-]{43}$/);
    expect(roles).toEqual(['reviewer']);

    const stored = await h.db
      .selectFrom('api_keys')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(stored.secret_hash).not.toContain(key.split('_')[2]);
    expect(JSON.stringify(stored)).not.toContain(key);

    const me = await api.inject({ method: 'GET', url: '/auth/me', headers: bearer(key) });
    expect(me.json()).toMatchObject({ name: 'li.ming', roles: ['reviewer'], via: 'api_key' });
    const viaHeader = await api.inject({ method: 'GET', url: '/auth/me', headers: { 'x-api-key': key } });
    expect(viaHeader.statusCode).toBe(200);

    const listed = await api.inject({ method: 'GET', url: '/auth/api-keys', headers: bearer(adminKey) });
    expect(JSON.stringify(listed.json())).not.toContain(key);
    expect(listed.json().keys.find((k: { id: string }) => k.id === id)).toMatchObject({
      name: 'review desk',
      username: 'li.ming',
      createdBy: 'root',
    });
  });

  it('refuses a revoked key, an expired key, a tampered key and a malformed header', async () => {
    const key = await apiKeyFor(h.db, ['ops']);
    const id = key.split('_')[1]!;
    const tampered = key.slice(0, -1) + (key.endsWith('A') ? 'B' : 'A');
    for (const token of [tampered, 'erp_nope', 'not-a-token']) {
      const res = await api.inject({ method: 'GET', url: '/auth/me', headers: bearer(token) });
      expect(res.statusCode).toBe(401);
      expect(res.json().message).toMatch(/invalid, expired or revoked/);
      expect(res.headers['www-authenticate']).toBe('Bearer');
    }
    const revoke = await api.inject({
      method: 'DELETE',
      url: `/auth/api-keys/${id}`,
      headers: bearer(adminKey),
    });
    expect(revoke.statusCode).toBe(204);
    expect((await api.inject({ method: 'GET', url: '/auth/me', headers: bearer(key) })).statusCode).toBe(401);

    const expiring = await apiKeyFor(h.db, ['ops']);
    await h.db
      .updateTable('api_keys')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', expiring.split('_')[1]!)
      .execute();
    expect((await api.inject({ method: 'GET', url: '/auth/me', headers: bearer(expiring) })).statusCode).toBe(
      401,
    );
  });

  it('names the field when a key request is invalid', async () => {
    const res = await post('/auth/api-keys', { username: 'nobody-here', name: '' }, bearer(adminKey));
    expect(res.statusCode).toBe(400);
    expect(res.json().issues).toContainEqual({ field: 'body.name', problem: 'must not be empty' });
    const unknown = await post('/auth/api-keys', { username: 'nobody-here', name: 'x' }, bearer(adminKey));
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().issues[0].field).toBe('body.username');
    const badRole = await post('/auth/users', { username: 'wang', roles: ['boss'] }, bearer(adminKey));
    expect(badRole.statusCode).toBe(400);
    expect(badRole.json().issues[0].field).toBe('body.roles.0');
  });
});

describe('login', () => {
  it('opens a session for the right password, refuses a wrong one, and ends it on logout', async () => {
    const created = await post(
      '/auth/users',
      { username: 'zhao.finance', password: 'correct horse battery', roles: ['finance'] },
      bearer(adminKey),
    );
    expect(created.statusCode).toBe(201);
    const stored = await h.db
      .selectFrom('users')
      .select('password_hash')
      .where('username', '=', 'zhao.finance')
      .executeTakeFirstOrThrow();
    expect(stored.password_hash).toMatch(/^scrypt\$/);

    const wrong = await post('/auth/login', { username: 'zhao.finance', password: 'wrong horse battery' });
    expect(wrong.statusCode).toBe(401);
    const nobody = await post('/auth/login', { username: 'nobody', password: 'whatever it is' });
    expect(nobody.statusCode).toBe(401);
    expect(nobody.json().message).toBe(wrong.json().message);

    const ok = await post('/auth/login', { username: 'zhao.finance', password: 'correct horse battery' });
    expect(ok.statusCode).toBe(200);
    const { token, actor } = ok.json();
    expect(token).toMatch(/^ses_/);
    expect(actor).toMatchObject({ name: 'zhao.finance', roles: ['finance'], via: 'session' });
    expect(
      (await api.inject({ method: 'GET', url: '/audit-rules', headers: bearer(token) })).statusCode,
    ).toBe(200);

    expect((await post('/auth/logout', undefined, bearer(token))).statusCode).toBe(204);
    expect((await api.inject({ method: 'GET', url: '/auth/me', headers: bearer(token) })).statusCode).toBe(
      401,
    );
  });
});

describe('role matrix', () => {
  const fill = (url: string) => url.replace(/:[A-Za-z_]+/g, 'x1').replace(/\*/g, 'x');
  let keys: Record<Role | 'none', string>;

  beforeAll(async () => {
    const entries = await Promise.all(
      [...ROLES.map((r) => [r, [r]] as const), ['none', []] as const].map(
        async ([name, roles]) => [name, await apiKeyFor(h.db, [...roles])] as const,
      ),
    );
    keys = Object.fromEntries(entries) as Record<Role | 'none', string>;
  });

  function protectedRoutes(): RouteAccess[] {
    return api.routeAccess.filter((r) => r.access.kind !== 'public');
  }

  it('sees every route, including routes other areas registered', () => {
    const urls = new Set(api.routeAccess.map((r) => `${r.method} ${r.url}`));
    for (const expected of ['GET /orders', 'GET /orders/:id', 'POST /audit-rules/dry-run', 'GET /health']) {
      expect(urls).toContain(expected);
    }
    expect(protectedRoutes().length).toBeGreaterThan(20);
  });

  it('has an access declaration on every route', () => {
    const undeclared = api.routeAccess
      .filter((r) => r.access.kind === 'undeclared')
      .map((r) => `${r.method} ${r.url}`);
    expect(undeclared).toEqual([]);
  });

  it('refuses every protected route without credentials, and with a role it does not allow', async () => {
    const failures: string[] = [];
    for (const route of protectedRoutes()) {
      const url = fill(route.url);
      const method = route.method as 'GET';
      const anonymous = await api.inject({ method, url });
      if (anonymous.statusCode !== 401)
        failures.push(`${route.method} ${route.url} anonymous → ${anonymous.statusCode}`);

      const { access } = route;
      let wrong: string;
      if (access.kind !== 'roles') {
        wrong = keys.admin;
      } else {
        const roles = access.roles;
        const outsider = roles === 'any' ? undefined : ROLES.find((r) => r !== 'admin' && !roles.includes(r));
        wrong = outsider ? keys[outsider] : keys.none;
      }
      const refused = await api.inject({ method, url, headers: bearer(wrong) });
      if (refused.statusCode !== 403)
        failures.push(`${route.method} ${route.url} wrong role → ${refused.statusCode}`);
      else if (
        access.kind === 'roles' &&
        access.roles !== 'any' &&
        route.method !== 'HEAD' &&
        !/needs one of the roles/.test(refused.json().message)
      ) {
        failures.push(`${route.method} ${route.url} 403 does not name the roles: ${refused.json().message}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('lets admins through every declared route and keeps public routes public', async () => {
    const rules = await api.inject({ method: 'GET', url: '/routing-rules', headers: bearer(keys.admin) });
    expect(rules.statusCode).toBe(200);
    expect((await api.inject({ method: 'GET', url: '/docs/json' })).statusCode).toBe(200);
    expect((await api.inject({ method: 'GET', url: '/schemas/order-push.json' })).statusCode).toBe(200);
    const webhook = await api.inject({ method: 'POST', url: '/webhooks/taobao/no-such-shop', payload: {} });
    expect(webhook.statusCode).toBe(404);
    expect((await api.inject({ method: 'GET', url: '/no/such/route' })).statusCode).toBe(404);
  });

  it('names the role a route needs', async () => {
    const res = await api.inject({
      method: 'POST',
      url: '/audit-rules/x1/enable',
      headers: bearer(keys.reviewer),
    });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'FORBIDDEN' });
    expect(res.json().message).toContain('needs one of the roles admin');
    expect(res.json().message).toContain('has reviewer');
  });
});
