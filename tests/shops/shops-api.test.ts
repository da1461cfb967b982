import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentialsCipher } from '../../services/capture/credentials.js';
import { shopSyncWorkflowId } from '../../services/capture/sync-control.js';
import { renderOwnPush } from '../../integrations/platforms/own/index.js';
import { startSandbox, type Sandbox } from '../../sandbox/stack.js';
import { shopSyncStateQuery } from '../../workflows/messages.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { registerShop, waitForCaptured } from '../capture/support.js';
import { orderPush, uniqueId } from '../support/fixtures.js';
import { createHarness, type Harness } from '../support/harness.js';

let h: Harness;
let api: FastifyInstance;
let sandbox: Sandbox;
let ops: { authorization: string };
let reviewer: { authorization: string };
const ids = { jd: uniqueId('jd'), douyin: uniqueId('dy'), pdd: uniqueId('pdd') };

beforeAll(async () => {
  h = await createHarness({
    SYNC_RETRY_INITIAL_SECONDS: '0.2',
    SYNC_RETRY_MAX_SECONDS: '1',
    SYNC_ATTEMPTS_PER_CALL: '2',
    SYNC_SAFETY_LAG_SECONDS: '0',
  });
  api = await h.api();
  sandbox = await startSandbox({ shopIds: ids });
  ops = bearer(await apiKeyFor(h.db, ['ops']));
  reviewer = bearer(await apiKeyFor(h.db, ['reviewer']));
  await h.startWorker();
});
afterAll(async () => {
  await h.teardown();
  await sandbox.stop();
});

const create = (payload: Record<string, unknown>, auth = ops) =>
  api.inject({ method: 'POST', url: '/shops', headers: auth, payload });
const patch = (id: string, payload: Record<string, unknown>) =>
  api.inject({ method: 'PATCH', url: `/shops/${id}`, headers: ops, payload });
const taobaoShop = (overrides: Record<string, unknown> = {}) => ({
  id: uniqueId('tb'),
  platform: 'taobao',
  name: '示例旗舰店',
  platformShopId: '示例旗舰店',
  // Never called: these shops do not poll.
  baseUrl: 'http://127.0.0.1:9/taobao',
  credentials: { appKey: '12345678', appSecret: 'tb-app-secret-VALUE', accessToken: 'tb-session-VALUE' },
  syncEnabled: false,
  ...overrides,
});

async function workflowStatus(shopId: string): Promise<string | undefined> {
  try {
    return (await h.client.workflow.getHandle(shopSyncWorkflowId(shopId)).describe()).status.name;
  } catch {
    return undefined;
  }
}

describe('POST /shops validation', () => {
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ['no name', taobaoShop({ name: '' }), 'body.name'],
    ['unknown platform', taobaoShop({ platform: 'myspace' }), 'body.platform'],
    ['id with a colon', taobaoShop({ id: 'a:b' }), 'body.id'],
    [
      'no access token for Taobao',
      taobaoShop({ credentials: { appKey: 'k', appSecret: 's' } }),
      'body.credentials.accessToken',
    ],
    [
      'no marketplace id for Amazon',
      taobaoShop({
        platform: 'amazon',
        platformShopId: 'A2SELLER',
        credentials: { appKey: 'k', appSecret: 's', refreshToken: 'r' },
      }),
      'body.credentials.extra.marketplaceId',
    ],
    ['no platform shop id', taobaoShop({ platformShopId: '' }), 'body.platformShopId'],
    ['poll interval of 0', taobaoShop({ pollIntervalSeconds: 0 }), 'body.pollIntervalSeconds'],
    [
      'negative unpaid-cancel',
      taobaoShop({ settings: { unpaidCancelSeconds: -5 } }),
      'body.settings.unpaidCancelSeconds',
    ],
    [
      'a platform carrier code for a carrier we do not know',
      taobaoShop({ settings: { platformCarrierCodes: { SF: 'SF Express', TELEPORT: 'Beam' } } }),
      'body.settings.platformCarrierCodes',
    ],
    ['base URL that is not http', taobaoShop({ baseUrl: 'ftp://x' }), 'body.baseUrl'],
    ['a field we do not know', taobaoShop({ password: 'x' }), 'body'],
  ];
  it.each(cases)('%s → 400 naming the field', async (_name, payload, field) => {
    const res = await create(payload);
    expect(res.statusCode).toBe(400);
    expect(res.json().issues.map((i: { field: string }) => i.field)).toContain(field);
    expect(
      await h.db.selectFrom('shops').select('id').where('id', '=', String(payload['id'])).execute(),
    ).toEqual([]);
  });

  it('a second shop with the same id → 409', async () => {
    const shop = taobaoShop();
    expect((await create(shop)).statusCode).toBe(201);
    const again = await create(shop);
    expect(again.statusCode).toBe(409);
  });

  it('reading needs any role, writing needs ops', async () => {
    expect((await api.inject({ method: 'GET', url: '/shops', headers: reviewer })).statusCode).toBe(200);
    expect((await create(taobaoShop(), reviewer)).statusCode).toBe(403);
    expect((await api.inject({ method: 'GET', url: '/shops' })).statusCode).toBe(401);
  });
});

describe('credentials', () => {
  it('are never returned, and are stored encrypted (not as plaintext) under the shop id', async () => {
    const shop = taobaoShop();
    const created = await create(shop);
    expect(created.statusCode).toBe(201);
    const listed = await api.inject({ method: 'GET', url: '/shops', headers: ops });
    const one = await api.inject({ method: 'GET', url: `/shops/${String(shop.id)}`, headers: ops });
    for (const res of [created, listed, one]) {
      expect(res.body).not.toContain('tb-app-secret-VALUE');
      expect(res.body).not.toContain('tb-session-VALUE');
    }
    expect(one.json()).toMatchObject({ id: shop.id, hasCredentials: true, syncEnabled: false });
    expect(one.json()).not.toHaveProperty('credentials');

    const row = await h.db
      .selectFrom('shops')
      .select('credentials_encrypted')
      .where('id', '=', String(shop.id))
      .executeTakeFirstOrThrow();
    const stored = row.credentials_encrypted!;
    expect(stored).toMatch(/^v1\./);
    expect(stored).not.toContain('tb-app-secret-VALUE');
    expect(Buffer.from(stored.split('.')[3]!, 'base64url').toString('latin1')).not.toContain('tb-session');
    const cipher = credentialsCipher(h.config);
    expect(cipher.decrypt(String(shop.id), stored)).toMatchObject(shop.credentials);
    // Bound to its shop: the same ciphertext on another shop's row does not decrypt.
    expect(() => cipher.decrypt('another-shop', stored)).toThrow(/do not decrypt/);
  });

  it("an own store's webhook secret is generated, shown once, and signs its pushes; rotating it retires the old one", async () => {
    const id = uniqueId('own');
    const created = await create({ id, platform: 'own', name: 'Mini-program' });
    expect(created.statusCode).toBe(201);
    const secret = created.json().webhookSecret as string;
    expect(secret).toMatch(/^whsec_/);
    const shown = await api.inject({ method: 'GET', url: `/shops/${id}`, headers: ops });
    expect(shown.body).not.toContain(secret);

    const push = (key: string) => {
      const rendered = renderOwnPush(key, orderPush());
      return api.inject({
        method: 'POST',
        url: `/webhooks/own/${id}`,
        headers: rendered.headers,
        payload: rendered.body,
      });
    };
    expect((await push(secret)).statusCode).toBe(202);
    expect((await patch(id, { credentials: { webhookSecret: 'whsec_rotated_1' } })).statusCode).toBe(200);
    expect((await push(secret)).statusCode).toBe(401);
    expect((await push('whsec_rotated_1')).statusCode).toBe(202);
  });

  it('tokens a platform refreshes are stored, re-encrypted', async () => {
    const shop = sandbox.shop('douyin');
    await registerShop(api, ops, shop, { pollIntervalSeconds: 2 });
    const [order] = sandbox.placeOrders('douyin', { count: 1, scenario: 'group_buy' });
    await waitForCaptured(h.db, ids.douyin, [order!.id]);

    sandbox.auth.douyin.expire(shop.credentials.accessToken!);
    const [later] = sandbox.placeOrders('douyin', { count: 1, scenario: 'group_buy' });
    await waitForCaptured(h.db, ids.douyin, [later!.id]);
    const row = await h.db
      .selectFrom('shops')
      .select('credentials_encrypted')
      .where('id', '=', ids.douyin)
      .executeTakeFirstOrThrow();
    const stored = credentialsCipher(h.config).decrypt(ids.douyin, row.credentials_encrypted!);
    expect(stored.accessToken).toBeTruthy();
    expect(stored.accessToken).not.toBe(shop.credentials.accessToken);
    expect(row.credentials_encrypted).not.toContain(stored.accessToken!);
    expect(sandbox.auth.douyin.refreshCount).toBeGreaterThanOrEqual(1);
  });
});

describe('the shop sync workflow follows the shop', () => {
  it('starts on creation, stops when disabled, runs again when enabled', async () => {
    const id = ids.pdd;
    await registerShop(api, ops, sandbox.shop('pdd'), { pollIntervalSeconds: 2 });
    await expect.poll(() => workflowStatus(id)).toBe('RUNNING');

    expect((await patch(id, { syncEnabled: false })).json()).toMatchObject({ syncEnabled: false });
    await expect.poll(() => workflowStatus(id)).toBe('COMPLETED');

    const [order] = sandbox.placeOrders('pdd', { count: 1, scenario: 'group_buy' });
    expect((await patch(id, { syncEnabled: true, pollIntervalSeconds: 3 })).statusCode).toBe(200);
    await expect.poll(() => workflowStatus(id)).toBe('RUNNING');
    await waitForCaptured(h.db, id, [order!.id]);
    // The shop shows its sync's live state (null while a busy worker has not yet answered the query).
    await expect
      .poll(
        async () =>
          (await api.inject({ method: 'GET', url: `/shops/${id}`, headers: ops })).json().sync.state,
      )
      .toMatchObject({ shopId: id, platform: 'pdd', pollIntervalSeconds: 3 });
  });

  it('pauses on refused credentials with an alert, and resumes once they are fixed', async () => {
    const id = ids.jd;
    const shop = sandbox.shop('jd');
    // The seller withdrew the authorization: the token and its refresh token are both refused.
    await registerShop(api, ops, shop, {
      pollIntervalSeconds: 2,
      credentials: { ...shop.credentials, accessToken: 'revoked-token', refreshToken: 'revoked-refresh' },
    });
    const handle = h.client.workflow.getHandle(shopSyncWorkflowId(id));
    await expect.poll(async () => (await handle.query(shopSyncStateQuery)).paused?.kind).toBe('auth_failed');
    const alerts = await api.inject({ method: 'GET', url: `/alerts?shopId=${id}`, headers: ops });
    expect(alerts.json().alerts).toEqual([expect.objectContaining({ kind: 'auth_failed', shopId: id })]);
    expect(
      (await api.inject({ method: 'GET', url: `/shops/${id}`, headers: ops })).json().sync.error,
    ).toMatch(/jd/i);

    const [order] = sandbox.placeOrders('jd', { count: 1, scenario: 'group_buy' });
    expect(
      (
        await patch(id, {
          credentials: {
            accessToken: shop.credentials.accessToken!,
            refreshToken: shop.credentials.refreshToken!,
          },
        })
      ).statusCode,
    ).toBe(200);
    await waitForCaptured(h.db, id, [order!.id]);
    await expect
      .poll(
        async () =>
          (await api.inject({ method: 'GET', url: `/alerts?shopId=${id}`, headers: ops })).json().alerts,
      )
      .toEqual([]);
    expect((await handle.query(shopSyncStateQuery)).paused).toBeNull();
  });
});
