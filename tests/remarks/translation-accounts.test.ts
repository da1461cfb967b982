import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrderAuditActivities } from '../../activities/order-audit.js';
import { createTranslationSandbox, type TranslationSandbox } from '../../sandbox/translation/index.js';
import {
  loadTranslationAccount,
  shopTranslatorResolver,
} from '../../services/remarks/translation-accounts.js';
import { auditOrder, NOW } from '../audit/support.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { createShop } from '../support/fixtures.js';
import { createHarness, type Harness } from '../support/harness.js';

/**
 * A seller's own translation account: set through the API (checked with the service first, a forged
 * key refused naming the field, the key never shown), stored encrypted, and asked before the
 * deployment's services when the audit meets a remark the lexicon cannot read.
 */
const VIETNAMESE = 'Vui lòng gọi trước khi giao hàng';

let h: Harness;
let sandbox: TranslationSandbox;
let server: FastifyInstance;
let api: FastifyInstance;
let ops: { authorization: string };
let shopId: string;
let baiduUrl: string;
let tencentUrl: string;

beforeAll(async () => {
  h = await createHarness();
  sandbox = createTranslationSandbox();
  server = Fastify({ logger: false });
  await server.register(async (scope) => sandbox.register(scope), { prefix: '/translation' });
  const origin = await server.listen({ port: 0, host: '127.0.0.1' });
  baiduUrl = `${origin}/translation/baidu`;
  tencentUrl = `${origin}/translation/tencent`;
  api = await h.api({ BAIDU_TRANSLATE_BASE_URL: baiduUrl, TENCENT_TMT_BASE_URL: tencentUrl });
  ops = bearer(await apiKeyFor(h.db, ['ops'], 'translation-ops'));
  shopId = await createShop(h.db, 'lazada');
});
afterAll(async () => {
  await server?.close();
  await h?.teardown();
});

const put = (body: unknown, id = shopId) =>
  api.inject({
    method: 'PUT',
    url: `/shops/${id}/translation-account`,
    headers: ops,
    payload: body as object,
  });

describe('a shop’s own translation account', () => {
  it('refuses a forged key naming the field, and a body without the provider', async () => {
    const forged = await put({
      provider: 'tencent',
      accountId: sandbox.accounts.tencent.secretId,
      secretKey: 'forged',
    });
    expect(forged.statusCode, forged.body).toBe(400);
    expect(forged.json().message).toMatch(
      /body\.secretKey: refused by tencent: .*AuthFailure\.SignatureFailure/,
    );
    const missing = await put({ accountId: 'x', secretKey: 'y' });
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('provider');
    expect(
      (await api.inject({ method: 'GET', url: `/shops/${shopId}/translation-account`, headers: ops }))
        .statusCode,
    ).toBe(404);
    expect(
      (await put({ provider: 'baidu', accountId: 'a', secretKey: 'b' }, 'no-such-shop')).statusCode,
    ).toBe(404);
  });

  it('saves a working account (never showing the key) and the audit asks it before the deployment’s', async () => {
    const saved = await put({
      provider: 'tencent',
      accountId: sandbox.accounts.tencent.secretId,
      secretKey: sandbox.accounts.tencent.secretKey,
    });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({
      shopId,
      provider: 'tencent',
      accountId: sandbox.accounts.tencent.secretId,
      hasCredentials: true,
    });
    expect(saved.body).not.toContain(sandbox.accounts.tencent.secretKey);
    const row = await h.db
      .selectFrom('shop_translation_accounts')
      .selectAll()
      .where('shop_id', '=', shopId)
      .executeTakeFirstOrThrow();
    expect(row.credentials_encrypted).not.toContain(sandbox.accounts.tencent.secretKey);

    // The deployment has Baidu; the shop's Tencent account answers first.
    const config = {
      ...h.config,
      BAIDU_TRANSLATE_BASE_URL: baiduUrl,
      TENCENT_TMT_BASE_URL: tencentUrl,
      BAIDU_TRANSLATE_APP_ID: sandbox.accounts.baidu.appId,
      BAIDU_TRANSLATE_SECRET_KEY: sandbox.accounts.baidu.secretKey,
    };
    expect(await loadTranslationAccount(h.db, config, shopId)).toMatchObject({
      provider: 'tencent',
      secretKey: sandbox.accounts.tencent.secretKey,
    });
    const { auditOrder: audit } = createOrderAuditActivities({
      db: h.db,
      translatorFor: shopTranslatorResolver(h.db, config),
    });
    const result = await audit({
      orderId: 'o-1',
      order: auditOrder({ shopId, buyerRemark: VIETNAMESE }),
      now: NOW,
      paymentToleranceFen: 0,
    });
    expect(result.holds.map((x) => x.reason)).not.toContain('buyer_remark');
    expect(sandbox.calls.count('tencent', VIETNAMESE)).toBe(1);
    expect(sandbox.calls.count('baidu', VIETNAMESE)).toBe(0);
    const stored = await h.db.selectFrom('remark_translations').select('provider').executeTakeFirstOrThrow();
    expect(stored.provider).toBe('tencent');

    const removed = await api.inject({
      method: 'DELETE',
      url: `/shops/${shopId}/translation-account`,
      headers: ops,
    });
    expect(removed.statusCode).toBe(204);
    expect(await loadTranslationAccount(h.db, config, shopId)).toBeUndefined();
  });
});
