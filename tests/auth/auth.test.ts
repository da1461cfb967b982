import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessTable, extractAccessTable } from '../../api/auth/access-table.js';
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
    // The secret is base64url, whose alphabet has '_' too: it is everything after the id.
    const secret = key.slice(key.indexOf('_', 'erp_'.length) + 1);
    expect(secret).toHaveLength(43);
    expect(stored.secret_hash).not.toContain(secret);
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
  it('answers 400 naming the field for a NUL character, which the database cannot store', async () => {
    const res = await post('/auth/login', { username: 'zhao\u0000', password: 'whatever it is' });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().issues).toEqual([
      { field: 'body.username', problem: 'must not contain a NUL character (U+0000)' },
    ]);
    const search = await api.inject({
      method: 'GET',
      url: '/orders?q=%00',
      headers: bearer(adminKey),
    });
    expect(search.statusCode, search.body).toBe(400);
    expect(search.json().issues).toEqual([
      { field: 'querystring.q', problem: 'must not contain a NUL character (U+0000)' },
    ]);
  });

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
  const holders = [...ROLES.map((r) => [r, [r]] as const), ['none', []] as const];
  let keys: Record<Role | 'none', string>;

  beforeAll(async () => {
    const entries = await Promise.all(
      holders.map(async ([name, roles]) => [name, await apiKeyFor(h.db, [...roles])] as const),
    );
    keys = Object.fromEntries(entries) as Record<Role | 'none', string>;
  });

  function protectedRoutes(): RouteAccess[] {
    return api.routeAccess.filter((r) => r.access.kind !== 'public');
  }

  /** The declarations read the way plugin.ts documents them: listed roles plus admin; 'any' = any role. */
  function declaredAllowed(access: RouteAccess['access'], roles: readonly Role[]): boolean {
    if (access.kind === 'public') return true;
    if (access.kind === 'undeclared' || roles.length === 0) return false;
    if (access.roles === 'any') return true;
    const listed: readonly string[] = access.roles;
    return roles.some((r) => r === 'admin' || listed.includes(r));
  }

  it('sees every route, including routes other areas registered', () => {
    const urls = new Set(api.routeAccess.map((r) => `${r.method} ${r.url}`));
    for (const expected of ['GET /orders', 'GET /orders/:id', 'POST /audit-rules/dry-run', 'GET /health']) {
      expect(urls).toContain(expected);
    }
    expect(protectedRoutes().length).toBeGreaterThan(20);
  });

  it("covers exactly the routes Fastify's own router holds", async () => {
    // An independent count: the router's tree lists each path with its methods, "(GET, HEAD)".
    const printed = api.printRoutes({ commonPrefix: false });
    const routed = [...printed.matchAll(/\(([A-Z, ]+)\)\s*$/gm)].reduce(
      (n, m) => n + m[1]!.split(',').length,
      0,
    );
    expect(routed).toBeGreaterThan(0);
    // One more than the matrix sees: GET /docs/, the API docs' page with a trailing slash, which
    // @fastify/swagger-ui adds as a twin of GET /docs without announcing it (public by path).
    expect(api.routeAccess.some((r) => r.method === 'GET' && r.url === '/docs/')).toBe(false);
    expect(routed).toBe(api.routeAccess.length + 1);
    expect((await api.inject({ method: 'GET', url: '/docs/' })).statusCode).toBeLessThan(400);
  });

  it('opens to callers without credentials only the routes listed here on purpose', () => {
    // Anything under /webhooks/, /docs/, /schemas/ or /app/ is public by path: a new route there
    // must be added to this list deliberately (and verify its caller itself), or this fails.
    const publicRoutes = api.routeAccess
      .filter((r) => r.access.kind === 'public' && r.method !== 'HEAD')
      .map((r) => `${r.method} ${r.url}`)
      .sort();
    expect(publicRoutes).toEqual(
      [
        'GET /',
        'GET /app',
        'GET /app/*',
        'GET /docs',
        'GET /docs/json',
        'GET /docs/static/*',
        'GET /docs/static/index.html',
        'GET /docs/static/swagger-initializer.js',
        'GET /docs/yaml',
        'GET /health',
        'GET /schemas/after-sale-push.json',
        'GET /schemas/fulfilment-callback.json',
        'GET /schemas/order-push.json',
        'GET /webhooks/wechat_shop/:shopId',
        'POST /auth/login',
        'POST /webhooks/:platform/:shopId',
        'POST /webhooks/own/:shopId/after-sales',
        'POST /webhooks/payments/alipay',
        'POST /webhooks/payments/wechatpay',
        'POST /webhooks/tracking/kdniao',
        'POST /webhooks/tracking/kuaidi100',
        'POST /webhooks/tracking/sf',
        'POST /webhooks/wms/qimen',
      ].sort(),
    );
  });

  it('has an access declaration on every route', () => {
    const undeclared = api.routeAccess
      .filter((r) => r.access.kind === 'undeclared')
      .map((r) => `${r.method} ${r.url}`);
    expect(undeclared).toEqual([]);
  });

  // Every route × every role: minutes on a machine busy with other test files.
  it('lets exactly the declared roles through every route: anonymous 401, others 403', async () => {
    const failures: string[] = [];
    let allowedChecks = 0;
    for (const route of api.routeAccess) {
      const url = fill(route.url);
      const method = route.method as 'GET';
      const name = `${route.method} ${route.url}`;
      const anonymous = await api.inject({ method, url });
      const publicRoute = route.access.kind === 'public';
      if (publicRoute ? [401, 403].includes(anonymous.statusCode) : anonymous.statusCode !== 401)
        failures.push(`${name} anonymous → ${anonymous.statusCode}`);

      for (const [holder, roles] of holders) {
        const res = await api.inject({ method, url, headers: bearer(keys[holder]) });
        if (declaredAllowed(route.access, roles)) {
          allowedChecks += 1;
          // Past the role check the handler answers for itself (404 for x1, 400 for no body, …).
          if (res.statusCode === 401 || res.statusCode === 403)
            failures.push(
              `${name} ${holder} is allowed but got ${res.statusCode}: ${res.body.slice(0, 120)}`,
            );
        } else if (res.statusCode !== 403) {
          failures.push(`${name} ${holder} is not allowed but got ${res.statusCode}`);
        } else if (route.method !== 'HEAD' && route.access.kind === 'roles') {
          const needed = route.access.roles === 'any' ? /needs any role/ : /needs one of the roles/;
          if (!needed.test(res.json().message))
            failures.push(`${name} 403 does not name the roles: ${res.json().message}`);
        }
      }
    }
    expect(failures).toEqual([]);
    // Admin, at least, gets through every protected route.
    expect(allowedChecks).toBeGreaterThanOrEqual(protectedRoutes().length);
  });

  it('grants what the declarations say to the routes people depend on', () => {
    const rolesOf = (method: string, url: string) => {
      const route = api.routeAccess.find((r) => r.method === method && r.url === url);
      expect(route, `${method} ${url}`).toBeDefined();
      return ROLES.filter((role) => declaredAllowed(route!.access, [role]));
    };
    expect(rolesOf('POST', '/orders/:id/review')).toEqual([
      'reviewer',
      'finance',
      'customer-service',
      'ops',
      'admin',
    ]);
    expect(rolesOf('POST', '/audit-rules')).toEqual(['admin']);
    expect(rolesOf('POST', '/audit-rules/dry-run')).toEqual(['ops', 'admin']);
    expect(rolesOf('POST', '/orders/:id/lock')).toEqual(['customer-service', 'admin']);
    expect(rolesOf('POST', '/orders/:id/lost-parcels/:parcelId')).toEqual([
      'customer-service',
      'ops',
      'admin',
    ]);
    expect(rolesOf('GET', '/orders')).toEqual([...ROLES]);
    expect(rolesOf('GET', '/reports/sales')).toEqual(['finance', 'ops', 'admin']);
    expect(rolesOf('PUT', '/reports/traffic')).toEqual(['ops', 'admin']);
    expect(rolesOf('POST', '/reports/basket/itemsets')).toEqual(['finance', 'ops', 'admin']);
    for (const report of [
      '/reports/basket',
      '/reports/basket/also-bought',
      '/reports/basket/itemsets',
      '/reports/basket/itemsets/:runId',
      '/reports/efficiency',
      '/reports/export',
    ])
      expect(rolesOf('GET', report)).toEqual(['finance', 'ops', 'admin']);
  });

  it('keeps public routes public', async () => {
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

  it('documents the same matrix in docs/access.md', async () => {
    const generated = accessTable(api.routeAccess);
    const file = path.resolve('docs/access.md');
    if (process.env.WRITE_ACCESS_TABLE === '1') {
      const current = await readFile(file, 'utf8');
      await writeFile(file, current.replace(extractAccessTable(current) ?? '', generated));
    }
    const documented = extractAccessTable(await readFile(file, 'utf8'));
    expect(documented, 'docs/access.md is out of date: WRITE_ACCESS_TABLE=1 npx vitest run tests/auth').toBe(
      generated,
    );
    // Each row's ticks are the roles the declaration lets through, as the matrix above checked.
    const rows = documented!.split('\n').filter((l) => /^\| (GET|POST|PUT|PATCH|DELETE) /.test(l));
    expect(rows).toHaveLength(api.routeAccess.filter((r) => r.method !== 'HEAD').length);
    for (const row of rows) {
      const [method, url, ...cells] = row
        .split('|')
        .slice(1, -1)
        .map((c) => c.trim());
      const route = api.routeAccess.find((r) => r.method === method && `\`${r.url}\`` === url)!;
      const ticked = ROLES.filter((_, i) => cells[i] === '✓' || cells[i] === 'public');
      expect(ticked, row).toEqual(ROLES.filter((role) => declaredAllowed(route.access, [role])));
    }
  });
});
