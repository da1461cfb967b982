import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createOrderAuditActivities } from '../../activities/order-audit.js';
import { loadRemarkTranslations } from '../../db/queries/remark-translations.js';
import { buildAuditSubject } from '../../domain/audit/subject.js';
import { analyzeRemark, withTranslation } from '../../domain/remarks/index.js';
import { baiduSign, createBaiduTranslator } from '../../integrations/translation/baidu.js';
import { createTencentTranslator, tc3Authorization } from '../../integrations/translation/tencent.js';
import {
  firstAnswering,
  TranslationError,
  type RemarkTranslator,
} from '../../integrations/translation/types.js';
import { createTranslationSandbox, type TranslationSandbox } from '../../sandbox/translation/index.js';
import { translateRemarks } from '../../services/remarks/translation.js';
import { auditOrder, NOW } from '../audit/support.js';
import { createHarness, type Harness } from '../support/harness.js';

/**
 * Remarks in languages the lexicon does not know, read through Baidu Translate: the adapter against
 * its simulator over HTTP (the simulator checks the sign with its own code and the app's key), the
 * translation stored once per text, and the audit holding the remark with the reason when the
 * service cannot answer.
 */
const VIETNAMESE = 'Vui lòng gọi trước khi giao hàng';
const INDONESIAN = 'Tolong bungkus sebagai hadiah';

let h: Harness;
let sandbox: TranslationSandbox;
let server: FastifyInstance;
let baseUrl: string;
let tencentUrl: string;

beforeAll(async () => {
  h = await createHarness();
  sandbox = createTranslationSandbox();
  server = Fastify({ logger: false });
  await server.register(async (scope) => sandbox.register(scope), { prefix: '/translation' });
  const origin = await server.listen({ port: 0, host: '127.0.0.1' });
  baseUrl = `${origin}/translation/baidu`;
  tencentUrl = `${origin}/translation/tencent`;
});
afterAll(async () => {
  await server?.close();
  await h?.teardown();
});
beforeEach(async () => {
  sandbox.faults.clear();
  await h.db.deleteFrom('remark_translations').execute();
});

const baidu = (overrides: { appId?: string; secretKey?: string } = {}) =>
  createBaiduTranslator({
    baseUrl,
    appId: overrides.appId ?? sandbox.accounts.baidu.appId,
    secretKey: overrides.secretKey ?? sandbox.accounts.baidu.secretKey,
  });

describe('Baidu Translate adapter against its simulator', () => {
  it("signs as Baidu's own example does", () => {
    expect(baiduSign('2015063000000001', 'apple', '1435660288', '12345678')).toBe(
      'f89f9594663708c1605f3d736d01d2d4',
    );
  });

  it('translates the Vietnamese and Indonesian remarks into Chinese and names their languages', async () => {
    await expect(baidu().translate(VIETNAMESE, 'zh')).resolves.toEqual({
      text: '请在送货前打电话',
      sourceLanguage: 'vi',
    });
    await expect(baidu().translate(INDONESIAN, 'zh')).resolves.toEqual({
      text: '请包装成礼物',
      sourceLanguage: 'id',
    });
  });

  it('is refused with a forged key (54001) and an app id Baidu does not know (52003)', async () => {
    const forged = await baidu({ secretKey: 'not-the-key' })
      .translate(VIETNAMESE, 'zh')
      .catch((e: unknown) => e);
    expect(forged).toBeInstanceOf(TranslationError);
    expect(forged).toMatchObject({ kind: 'auth', code: '54001', provider: 'baidu' });
    const unknown = await baidu({ appId: '20990101000000000' })
      .translate(VIETNAMESE, 'zh')
      .catch((e: unknown) => e);
    expect(unknown).toMatchObject({ kind: 'auth', code: '52003' });
  });

  it('reports a rate limit (54003), a system error (52002) and a service that is down', async () => {
    sandbox.faults.failWithCode('54003');
    await expect(baidu().translate(VIETNAMESE, 'zh')).rejects.toMatchObject({
      kind: 'rate_limited',
      code: '54003',
    });
    sandbox.faults.failWithCode('52002');
    await expect(baidu().translate(VIETNAMESE, 'zh')).rejects.toMatchObject({
      kind: 'unavailable',
      code: '52002',
    });
    sandbox.faults.down = true;
    await expect(baidu().translate(VIETNAMESE, 'zh')).rejects.toMatchObject({ kind: 'unavailable' });
  });

  it('is refused by the simulator when the signed text is not the text sent', async () => {
    // A client that signs one text and sends another: the simulator signs what it received.
    const tampering: typeof fetch = (url, init) => {
      const body = new URLSearchParams(String(init?.body));
      body.set('q', `${body.get('q')}!`);
      return fetch(url, { ...init, body });
    };
    const translator = createBaiduTranslator({ ...sandbox.accounts.baidu, baseUrl, fetch: tampering });
    await expect(translator.translate(VIETNAMESE, 'zh')).rejects.toMatchObject({
      kind: 'auth',
      code: '54001',
    });
  });
});

const tencent = (overrides: { secretId?: string; secretKey?: string; now?: () => Date } = {}) =>
  createTencentTranslator({
    baseUrl: tencentUrl,
    secretId: overrides.secretId ?? sandbox.accounts.tencent.secretId,
    secretKey: overrides.secretKey ?? sandbox.accounts.tencent.secretKey,
    ...(overrides.now ? { now: overrides.now } : {}),
  });

describe('Tencent TMT adapter against its simulator', () => {
  it("signs as Tencent's published TC3-HMAC-SHA256 example does", () => {
    // cloud.tencent.com/document/api/213/30654: CVM DescribeInstances at 1551113065.
    const signed = tc3Authorization({
      secretId: 'AKID**********************0123456789EXAMPLE',
      secretKey: 'Gu5t9xGARNpq86cd98joQYCN3EXAMPLE',
      service: 'cvm',
      host: 'cvm.tencentcloudapi.com',
      payload: '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}',
      timestamp: 1551113065,
    });
    expect(signed.canonicalRequest.split('\n').at(-1)).toBe(
      '35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064',
    );
    expect(signed.stringToSign.split('\n').at(-1)).toBe(
      '5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031',
    );
    expect(signed.authorization).toBe(
      'TC3-HMAC-SHA256 Credential=AKID**********************0123456789EXAMPLE/2019-02-25/cvm/tc3_request, ' +
        'SignedHeaders=content-type;host, Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168',
    );
  });

  it('translates the Vietnamese and Indonesian remarks', async () => {
    await expect(tencent().translate(VIETNAMESE, 'zh')).resolves.toEqual({
      text: '请在送货前打电话',
      sourceLanguage: 'vi',
    });
    await expect(tencent().translate(INDONESIAN, 'zh')).resolves.toMatchObject({ text: '请包装成礼物' });
  });

  it('is refused with a forged key, an unknown SecretId and a clock five minutes off', async () => {
    await expect(
      tencent({ secretKey: 'forged-secret-key' }).translate(VIETNAMESE, 'zh'),
    ).rejects.toMatchObject({
      kind: 'auth',
      code: 'AuthFailure.SignatureFailure',
    });
    await expect(tencent({ secretId: 'AKIDnobody' }).translate(VIETNAMESE, 'zh')).rejects.toMatchObject({
      kind: 'auth',
      code: 'AuthFailure.SecretIdNotFound',
    });
    const skewed = () => new Date(Date.now() - 10 * 60_000);
    await expect(tencent({ now: skewed }).translate(VIETNAMESE, 'zh')).rejects.toMatchObject({
      kind: 'auth',
      code: 'AuthFailure.SignatureExpire',
    });
  });

  it('reports its rate limit and backend timeouts', async () => {
    sandbox.faults.failWithCode('RequestLimitExceeded');
    await expect(tencent().translate(VIETNAMESE, 'zh')).rejects.toMatchObject({ kind: 'rate_limited' });
    sandbox.faults.failWithCode('InternalError.BackendTimeout');
    await expect(tencent().translate(VIETNAMESE, 'zh')).rejects.toMatchObject({ kind: 'unavailable' });
  });

  it('answers when Baidu refuses, as the second service in the chain', async () => {
    const chain = firstAnswering([baidu({ secretKey: 'forged' }), tencent()])!;
    await expect(chain.translate(VIETNAMESE, 'zh')).resolves.toMatchObject({
      text: '请在送货前打电话',
      provider: 'tencent',
    });
    const outcomes = await translateRemarks(h.db, chain, [INDONESIAN]);
    expect(outcomes[INDONESIAN]?.translation?.provider).toBe('tencent');
  });
});

describe('remark rules on the translated intent', () => {
  it('reads call-before-delivery and gift-wrap from the translations, keeping the originals', () => {
    const vi = withTranslation(analyzeRemark(VIETNAMESE), {
      text: '请在送货前打电话',
      sourceLanguage: 'vi',
      provider: 'baidu',
    });
    expect(vi).toMatchObject({ original: VIETNAMESE, language: 'vi', needsReview: false, unrecognized: [] });
    expect(vi.instructions).toEqual(['送货前电话联系']);
    const id = withTranslation(analyzeRemark(INDONESIAN), {
      text: '请包装成礼物',
      sourceLanguage: 'id',
      provider: 'baidu',
    });
    expect(id.original).toBe(INDONESIAN);
    expect(id.instructions).toContain('礼品包装');
    expect(id.needsReview).toBe(false);
    expect(id.translation?.text).toBe('请包装成礼物');
  });

  it('acts on the translation in audit rules: the gift flag, no remark hold', () => {
    const s = buildAuditSubject(auditOrder({ buyerRemark: INDONESIAN }), {
      skuFlags: {},
      blacklistHits: [],
      now: NOW,
      remarkTranslations: {
        [INDONESIAN]: { translation: { text: '请包装成礼物', sourceLanguage: 'id', provider: 'baidu' } },
      },
    });
    expect(s.buyerRemark?.intents.map((i) => i.intent)).toEqual(['gift_wrap', 'gift']);
    expect(s.buyerRemark?.needsReview).toBe(false);
  });
});

describe('audit with translation', () => {
  // null: no translation service configured.
  const audit = (translator: RemarkTranslator | null = baidu()) =>
    createOrderAuditActivities({ db: h.db, translatorFor: async () => translator ?? undefined }).auditOrder;
  const input = (buyerRemark: string) => ({
    orderId: `order-${buyerRemark.length}`,
    order: auditOrder({ buyerRemark }),
    now: NOW,
    paymentToleranceFen: 0,
  });
  const remarkHold = (holds: { reason: string; detail?: string | null }[]) =>
    holds.find((hold) => hold.reason === 'buyer_remark');

  it('does not hold the Vietnamese and Indonesian remarks once translated; the gift remark is flagged', async () => {
    const vi = await audit()(input(VIETNAMESE));
    expect(remarkHold(vi.holds)).toBeUndefined();
    const id = await audit()(input(INDONESIAN));
    expect(remarkHold(id.holds)).toBeUndefined();
    expect(id.flags).toContain('gift');
    const stored = await loadRemarkTranslations(h.db, [VIETNAMESE, INDONESIAN]);
    expect(stored.get(VIETNAMESE)).toEqual({
      text: '请在送货前打电话',
      sourceLanguage: 'vi',
      provider: 'baidu',
    });
    expect(stored.get(INDONESIAN)?.text).toBe('请包装成礼物');
  });

  it('calls the service once per remark: a retried audit reads the stored translation', async () => {
    const before = sandbox.calls.count('baidu', VIETNAMESE);
    await audit()(input(VIETNAMESE));
    await audit()(input(VIETNAMESE));
    await audit()(input(VIETNAMESE));
    expect(sandbox.calls.count('baidu', VIETNAMESE) - before).toBe(1);
    // Even with the service down now, the stored translation answers.
    sandbox.faults.down = true;
    expect(remarkHold((await audit()(input(VIETNAMESE))).holds)).toBeUndefined();
  });

  it('holds the remark as before, saying why, when the service is down, refuses the key or is not configured', async () => {
    sandbox.faults.down = true;
    const down = remarkHold((await audit()(input(VIETNAMESE))).holds);
    expect(down?.detail).toMatch(
      /translation unavailable: baidu unavailable: Baidu Translate answered HTTP 503/,
    );
    expect(down?.detail).toContain('unrecognized "Vui lòng gọi trước khi giao hàng"');
    sandbox.faults.clear();

    const forged = remarkHold((await audit(baidu({ secretKey: 'forged' }))(input(INDONESIAN))).holds);
    expect(forged?.detail).toMatch(
      /translation unavailable: baidu auth: Baidu Translate error 54001: Invalid Sign/,
    );

    const none = remarkHold((await audit(null)(input(INDONESIAN))).holds);
    expect(none?.detail).toContain('translation unavailable: no translation service is configured');
    // Nothing was stored for a failure: the next audit asks again.
    expect((await loadRemarkTranslations(h.db, [VIETNAMESE, INDONESIAN])).size).toBe(0);
  });

  it('retries a rate-limited call once, then uses the answer', async () => {
    sandbox.faults.failWithCode('54003');
    const outcomes = await translateRemarks(h.db, baidu(), [VIETNAMESE], { rateLimitWaitMs: 10 });
    expect(outcomes[VIETNAMESE]?.translation?.text).toBe('请在送货前打电话');
  });

  it('leaves Chinese remarks and remarks the lexicon reads to the lexicon (no call)', async () => {
    const before = sandbox.calls.count();
    await audit()(input('请周末送货'));
    await audit()(input('please gift wrap'));
    expect(sandbox.calls.count()).toBe(before);
  });
});
