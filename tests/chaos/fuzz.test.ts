import type { FastifyInstance } from 'fastify';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderOwnPush, signOwnPush } from '../../integrations/platforms/own/index.js';
import { douyinPushSign } from '../../sandbox/platforms/douyin/verify.js';
import { shopeePushAuthorization } from '../../sandbox/platforms/shopee/verify.js';
import { renderDouyinPush } from '../../sandbox/platforms/douyin/index.js';
import { ebaySignatureHeader, renderEbayNotification } from '../../sandbox/platforms/ebay/index.js';
import { renderMeliNotification } from '../../sandbox/platforms/mercadolibre/index.js';
import { renderShopeePush } from '../../sandbox/platforms/shopee/index.js';
import { renderShopifyWebhook, shopifySimHmac } from '../../sandbox/platforms/shopify/index.js';
import { renderWooWebhook, wooSimSignature } from '../../sandbox/platforms/woocommerce/index.js';
import { startSandbox, type Sandbox } from '../../sandbox/stack.js';
import { renderTiktokPush, tiktokPushSignature } from '../../sandbox/platforms/tiktok/index.js';
import { renderWalmartEvent } from '../../sandbox/platforms/walmart/index.js';
import { renderXiaohongshuPush, xiaohongshuPushSign } from '../../sandbox/platforms/xiaohongshu/index.js';
import { renderYouzanPush, youzanSimSign } from '../../sandbox/platforms/youzan/index.js';
import { aliexpressSimPushSign, renderAliexpressPush } from '../../sandbox/platforms/aliexpress/index.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { registerShop } from '../capture/support.js';
import { orderPush, uniqueId } from '../support/fixtures.js';
import { createHarness, type Harness } from '../support/harness.js';
import { changedTables, fingerprintTables } from './fingerprint.js';
import { arbitraryFor, type JsonSchema } from './schema-arbitrary.js';

/**
 * Generated bodies to every webhook and every write route (fast-check): no answer is a 5xx, a
 * rejected request (4xx) leaves every table as it was, and a push whose signature is not the
 * platform's is refused every time. `npm run chaos -- fuzz` runs FUZZ_BODIES=10000 of them; the
 * suite runs a few hundred so it stays quick. Failures are collected and listed, not stopped at.
 */
const BODIES = Number(process.env.FUZZ_BODIES ?? 300);
const SEED = Number(process.env.FUZZ_SEED ?? 20261205);
const PUBLIC_URL = 'https://erp.example.com';
/** The 10,000-body run takes a while: give every test time in proportion. */
const TIMEOUT = Math.max(900_000, BODIES * 300);
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Ending the caller's own session would only test that it ends. */
const SKIPPED_ROUTES = new Set(['POST /auth/logout']);

const ids = {
  douyin: uniqueId('dy'),
  shopee: uniqueId('sp'),
  shopify: uniqueId('shopify'),
  woocommerce: uniqueId('woo'),
  tiktok: uniqueId('tt'),
  xiaohongshu: uniqueId('xhs'),
  ebay: uniqueId('eb'),
  walmart: uniqueId('wm'),
  mercadolibre: uniqueId('ml'),
  youzan: uniqueId('yz'),
  aliexpress: uniqueId('ae'),
  own: uniqueId('own'),
};
type PushPlatform = keyof typeof ids;
const PUSH_PLATFORMS = Object.keys(ids) as PushPlatform[];

let h: Harness;
let api: FastifyInstance;
let sandbox: Sandbox;
let admin: { authorization: string };

beforeAll(async () => {
  h = await createHarness({ API_PUBLIC_URL: PUBLIC_URL });
  sandbox = await startSandbox({ shopIds: ids });
  // Routes that check a key with an outside service before saving it ask the simulators, so a
  // generated key is refused (a 4xx) rather than left unchecked because the real service is out of reach.
  api = await h.api({
    BAIDU_TRANSLATE_BASE_URL: sandbox.translation.baseUrls.baidu,
    TENCENT_TMT_BASE_URL: sandbox.translation.baseUrls.tencent,
  });
  admin = bearer(await apiKeyFor(h.db, ['admin']));
  for (const platform of PUSH_PLATFORMS) {
    await registerShop(api, admin, sandbox.shop(platform), { syncEnabled: false });
  }
  // The default audit, routing and after-sales rules are written the first time anyone reads them:
  // read them now, so that first write is not mistaken for one made by a rejected request.
  for (const url of ['/audit-rules', '/routing-rules', '/after-sale-rules']) {
    expect((await api.inject({ method: 'GET', url, headers: admin })).statusCode).toBe(200);
  }
  // No worker: whatever a request starts in Temporal stays there, so the tables show only what
  // the request itself wrote.
});
afterAll(async () => {
  await h?.teardown();
  await sandbox?.stop();
});

interface Sent {
  name: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  payload: string;
}

interface Tally {
  sent: number;
  byStatus: Map<number, number>;
  failures: string[];
}

function tally(): Tally {
  return { sent: 0, byStatus: new Map(), failures: [] };
}

/** Sends one request; a 5xx, or a rejection that changed any table, is a failure. */
async function send(t: Tally, request: Sent, expectRejected = false): Promise<number> {
  const before = await fingerprintTables(h.db);
  const res = await api.inject({
    method: request.method as 'POST',
    url: request.url,
    headers: request.headers,
    payload: request.payload,
  });
  t.sent += 1;
  t.byStatus.set(res.statusCode, (t.byStatus.get(res.statusCode) ?? 0) + 1);
  const what = `${request.name} ${res.statusCode} ${request.payload.slice(0, 160)}`;
  if (res.statusCode >= 500) t.failures.push(`5xx: ${what} → ${res.body.slice(0, 200)}`);
  if (expectRejected && res.statusCode < 400) t.failures.push(`forged signature accepted: ${what}`);
  if (res.statusCode >= 400) {
    const changed = changedTables(before, await fingerprintTables(h.db));
    if (changed.length) t.failures.push(`rejected but wrote ${changed.join(', ')}: ${what}`);
  }
  return res.statusCode;
}

function report(name: string, t: Tally) {
  const statuses = [...t.byStatus].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`);
  process.stdout.write(
    `[fuzz] ${name}: ${t.sent} requests (${statuses.join(' ')}), ${t.failures.length} failures\n`,
  );
  for (const f of t.failures.slice(0, 30)) process.stdout.write(`[fuzz]   ${f}\n`);
}

type OpenApi = {
  paths: Record<
    string,
    Record<string, { requestBody?: { content?: Record<string, { schema?: JsonSchema }> } }>
  >;
  components?: { schemas?: Record<string, JsonSchema> };
};

/** The route's request body schema from the API's own OpenAPI document, references inlined. */
function bodySchemaOf(doc: OpenApi, method: string, url: string): JsonSchema | undefined {
  const path = url.replace(/:([A-Za-z_]+)/g, '{$1}');
  const schema = doc.paths[path]?.[method.toLowerCase()]?.requestBody?.content?.['application/json']?.schema;
  const inline = (s: unknown, depth: number): unknown => {
    if (depth > 12 || s === null || typeof s !== 'object') return s;
    if (Array.isArray(s)) return s.map((x) => inline(x, depth + 1));
    const ref = (s as { $ref?: string }).$ref;
    if (ref) return inline(doc.components?.schemas?.[ref.split('/').pop()!], depth + 1);
    return Object.fromEntries(Object.entries(s).map(([k, v]) => [k, inline(v, depth + 1)]));
  };
  return inline(schema, 0) as JsonSchema | undefined;
}

/** Path parameters: ids that exist here (the shops), ids that do not, and junk. */
const paramArbitrary = fc.oneof(
  fc.constantFrom(...Object.values(ids), 'x1', '1', '2', '42', '0', '-1', 'DEFAULT', 'ops'),
  fc.stringMatching(/^[A-Za-z0-9_.:-]{1,40}$/),
  fc.string({ minLength: 1, maxLength: 30 }).map(encodeURIComponent),
);

describe('fuzzing the write routes', () => {
  it(
    `answers ${BODIES} generated bodies without a 5xx, and writes nothing for a rejected one`,
    async () => {
      const doc = api.swagger() as unknown as OpenApi;
      const routes = api.routeAccess.filter(
        (r) =>
          WRITE_METHODS.has(r.method) &&
          !r.url.startsWith('/webhooks/') &&
          !SKIPPED_ROUTES.has(`${r.method} ${r.url}`),
      );
      expect(routes.length).toBeGreaterThan(40);
      const requests = fc.oneof(
        ...routes.map((route) =>
          fc
            .record({
              params: fc.array(paramArbitrary, { minLength: 3, maxLength: 3 }),
              // Mostly well-formed bodies (they reach the handler), some with fields swapped for junk.
              body: fc.oneof(
                { weight: 3, arbitrary: arbitraryFor(bodySchemaOf(doc, route.method, route.url), 0) },
                { weight: 2, arbitrary: arbitraryFor(bodySchemaOf(doc, route.method, route.url), 0.15) },
              ),
              // One body in ten is not JSON at all.
              raw: fc.oneof(
                { weight: 9, arbitrary: fc.constant(null) },
                { weight: 1, arbitrary: fc.string({ maxLength: 80 }) },
              ),
            })
            .map(({ params, body, raw }): Sent => {
              let i = 0;
              const url = route.url.replace(/:[A-Za-z_]+|\*/g, () => params[i++]!);
              return {
                name: `${route.method} ${route.url}`,
                method: route.method,
                url,
                headers: {
                  ...admin,
                  'content-type': 'application/json',
                  'idempotency-key': `fuzz-${params[0]}`,
                },
                payload: raw ?? JSON.stringify(body ?? null),
              };
            }),
        ),
      );
      const t = tally();
      for (const request of fc.sample(requests, { numRuns: BODIES, seed: SEED })) await send(t, request);
      report('write routes', t);
      expect(t.failures).toEqual([]);
      // The generator reaches past validation into the handlers, not only 400s.
      expect([...t.byStatus.keys()].some((s) => s < 300)).toBe(true);
      expect([...t.byStatus.keys()].some((s) => s === 404 || s === 409 || s === 422)).toBe(true);
    },
    TIMEOUT,
  );
});

/** A real push for each platform, to mutate and to sign (or forge) again. */
function template(platform: PushPlatform): { headers: Record<string, string>; body: string } {
  const shop = sandbox.shop(platform);
  if (platform === 'own') return renderOwnPush(sandbox.own.webhookSecret, orderPush());
  const [order] = sandbox.placeOrders(platform, { count: 1, scenario: 'group_buy' });
  switch (platform) {
    case 'douyin':
      return renderDouyinPush(
        { appKey: shop.credentials.appKey, appSecret: shop.credentials.appSecret },
        order!,
        100,
      );
    case 'shopee':
      return renderShopeePush(
        { partnerKey: shop.credentials.appSecret, callbackUrl: callbackUrl('shopee') },
        order!,
        3,
      );
    case 'shopify':
      return renderShopifyWebhook(
        { secret: shop.credentials.appSecret, shopDomain: shop.platformShopId },
        order!,
        'orders/create',
      );
    case 'woocommerce':
      return renderWooWebhook(
        { secret: shop.credentials.webhookSecret!, sourceUrl: shop.platformShopId, webhookId: 7 },
        order!,
        'order.created',
      );
    case 'tiktok':
      return renderTiktokPush(shop.credentials, order!);
    case 'xiaohongshu':
      return renderXiaohongshuPush(shop.credentials.appSecret, order!);
    case 'ebay':
      return renderEbayNotification(sandbox.ebayNotificationKey, order!);
    case 'walmart':
      return renderWalmartEvent({ credentials: shop.credentials.webhookSecret! }, order!);
    case 'mercadolibre':
      return renderMeliNotification(
        { appId: shop.credentials.appKey, callbackSecret: shop.credentials.webhookSecret! },
        order!,
      );
    case 'youzan':
      return renderYouzanPush(
        { clientId: shop.credentials.appKey, clientSecret: shop.credentials.appSecret },
        order!,
      );
    case 'aliexpress':
      return renderAliexpressPush(shop.credentials, order!);
  }
}

const callbackUrl = (platform: PushPlatform) => `${PUBLIC_URL}/webhooks/${platform}/${ids[platform]}`;

/**
 * Where a platform's push proves itself, computed with the shop's real secret: a header, or for
 * Mercado Libre the secret in the callback URL's query. `bodyBound`: the proof covers the body
 * (a signature), so the real proof on another body is a forgery; Walmart's Basic credentials and
 * Mercado Libre's callback secret do not cover it (another body with them is authentic).
 */
interface Proof {
  at: 'header' | 'query';
  name: string;
  value: string;
  bodyBound: boolean;
}

function sign(platform: PushPlatform, body: string): Proof {
  const shop = sandbox.shop(platform);
  const header = (name: string, value: string): Proof => ({ at: 'header', name, value, bodyBound: true });
  switch (platform) {
    case 'own':
      return header('x-erp-hmac-sha256', signOwnPush(sandbox.own.webhookSecret, body));
    case 'douyin':
      return header('event-sign', douyinPushSign(shop.credentials.appKey, shop.credentials.appSecret, body));
    case 'shopee':
      return header(
        'authorization',
        shopeePushAuthorization(shop.credentials.appSecret, callbackUrl('shopee'), body),
      );
    case 'shopify':
      return header('x-shopify-hmac-sha256', shopifySimHmac(shop.credentials.appSecret, body));
    case 'woocommerce':
      return header('x-wc-webhook-signature', wooSimSignature(shop.credentials.webhookSecret!, body));
    case 'tiktok':
      return header(
        'authorization',
        tiktokPushSignature(shop.credentials.appKey, shop.credentials.appSecret, body),
      );
    case 'xiaohongshu':
      return header('sign', xiaohongshuPushSign(shop.credentials.appSecret, body));
    case 'ebay':
      return header('x-ebay-signature', ebaySignatureHeader(sandbox.ebayNotificationKey, body));
    case 'youzan':
      return header('event-sign', youzanSimSign(shop.credentials.appKey, body, shop.credentials.appSecret));
    case 'aliexpress':
      return header(
        'authorization',
        aliexpressSimPushSign(shop.credentials.appKey, shop.credentials.appSecret, body),
      );
    case 'walmart':
      return {
        at: 'header',
        name: 'authorization',
        value: `Basic ${Buffer.from(shop.credentials.webhookSecret!).toString('base64')}`,
        bodyBound: false,
      };
    case 'mercadolibre':
      return { at: 'query', name: 'secret', value: shop.credentials.webhookSecret!, bodyBound: false };
  }
}

/** The request carrying `proof` (or none: unsigned). */
function proven(
  platform: PushPlatform,
  headers: Record<string, string>,
  proof: Proof,
  value: string | undefined,
): { url: string; headers: Record<string, string> } {
  const { [proof.name]: _, ...rest } = lower(headers);
  const url = `/webhooks/${platform}/${ids[platform]}`;
  if (value === undefined) return { url, headers: rest };
  return proof.at === 'header'
    ? { url, headers: { ...rest, [proof.name]: value } }
    : { url: `${url}?${new URLSearchParams({ [proof.name]: value })}`, headers: rest };
}

function lower(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

/** A body close to the real push (one field changed, dropped or added) or anything at all. */
function bodyArbitrary(real: string): fc.Arbitrary<string> {
  const parsed = JSON.parse(real) as unknown;
  const mutated = fc
    .tuple(fc.nat(), arbitraryFor(undefined), fc.constantFrom('replace', 'drop', 'add'))
    .map(([n, value, how]) => {
      const copy = structuredClone(parsed) as Record<string, unknown> | unknown[];
      const target = (Array.isArray(copy) ? copy[0] : copy) as Record<string, unknown>;
      const keys = Object.keys(target ?? {});
      if (!target || keys.length === 0) return JSON.stringify(value);
      const key = keys[n % keys.length]!;
      if (how === 'drop') delete target[key];
      else target[how === 'add' ? `extra_${n}` : key] = value;
      return JSON.stringify(copy);
    });
  return fc.oneof(
    { weight: 5, arbitrary: mutated },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
  );
}

describe('fuzzing the webhooks', () => {
  const perPlatform = Math.max(20, Math.ceil(BODIES / 2 / PUSH_PLATFORMS.length));

  it.each(PUSH_PLATFORMS)(
    '%s: refuses every forged signature and writes nothing',
    async (platform) => {
      const real = template(platform);
      const proof = sign(platform, real.body);
      const forgeries = fc.record({
        body: bodyArbitrary(real.body),
        signature: fc.oneof(
          // The real push's signature on another body (a forgery only where it covers the body).
          fc.constant(proof.bodyBound ? proof.value : 'Basic ZXJwLWRlbW86Z3Vlc3NlZA=='),
          fc.string({ maxLength: 90 }),
          fc.base64String({ minLength: 44, maxLength: 44 }),
          fc.stringMatching(/^[0-9a-f]{64}$/),
          fc.constant(undefined),
        ),
      });
      const t = tally();
      for (const { body, signature } of fc.sample(forgeries, { numRuns: perPlatform, seed: SEED })) {
        // Walmart's and Mercado Libre's real proof on any body is authentic, not forged.
        if (body === real.body || (!proof.bodyBound && signature === proof.value)) continue;
        await send(
          t,
          {
            name: `forged ${platform}`,
            method: 'POST',
            ...proven(platform, real.headers, proof, signature),
            payload: body,
          },
          true,
        );
      }
      report(`forged ${platform}`, t);
      expect(t.failures).toEqual([]);
      expect(t.byStatus.get(401) ?? 0).toBeGreaterThan(0);
    },
    TIMEOUT,
  );

  it.each(PUSH_PLATFORMS)(
    '%s: answers malformed but signed pushes with a 4xx or takes them whole',
    async (platform) => {
      const real = template(platform);
      const t = tally();
      for (const body of fc.sample(bodyArbitrary(real.body), { numRuns: perPlatform, seed: SEED + 1 })) {
        const proof = sign(platform, body);
        await send(t, {
          name: `signed ${platform}`,
          method: 'POST',
          ...proven(platform, real.headers, proof, proof.value),
          payload: body,
        });
      }
      report(`signed ${platform}`, t);
      expect(t.failures).toEqual([]);
    },
  );

  it(
    'answers junk to every other webhook (payments, tracking, WMS, after-sales) without a 5xx',
    async () => {
      const routes = api.routeAccess.filter(
        (r) =>
          r.method === 'POST' && r.url.startsWith('/webhooks/') && r.url !== '/webhooks/:platform/:shopId',
      );
      expect(routes.length).toBeGreaterThanOrEqual(7);
      const requests = fc.record({
        route: fc.constantFrom(...routes),
        body: fc.oneof(
          fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
          fc.string({ maxLength: 200 }),
        ),
        form: fc.boolean(),
        shop: fc.constantFrom(...Object.values(ids), 'x1'),
        token: fc.string({ maxLength: 40 }),
      });
      const t = tally();
      for (const r of fc.sample(requests, { numRuns: Math.max(40, Math.ceil(BODIES / 4)), seed: SEED + 2 })) {
        await send(
          t,
          {
            name: `POST ${r.route.url}`,
            method: 'POST',
            url: `${r.route.url.replace(':shopId', r.shop)}?token=${encodeURIComponent(r.token)}`,
            headers: {
              'content-type': r.form ? 'application/x-www-form-urlencoded' : 'application/json',
              'wechatpay-signature': r.token,
              sign: r.token,
            },
            payload: r.body,
          },
          true,
        );
      }
      report('other webhooks', t);
      expect(t.failures).toEqual([]);
    },
    TIMEOUT,
  );
});
