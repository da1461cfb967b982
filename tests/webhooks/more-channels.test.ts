import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ebayNotificationKey, renderEbayNotification } from '../../sandbox/platforms/ebay/index.js';
import { renderKuaishouPush } from '../../sandbox/platforms/kuaishou/index.js';
import { renderMeliNotification } from '../../sandbox/platforms/mercadolibre/index.js';
import { renderWalmartEvent } from '../../sandbox/platforms/walmart/index.js';
import { renderYouzanPush } from '../../sandbox/platforms/youzan/index.js';
import { renderAliexpressPush } from '../../sandbox/platforms/aliexpress/index.js';
import { renderTemuPush } from '../../sandbox/platforms/temu/index.js';
import { renderLazadaPush } from '../../sandbox/platforms/lazada/index.js';
import { renderTiktokPush } from '../../sandbox/platforms/tiktok/index.js';
import { renderXiaohongshuPush } from '../../sandbox/platforms/xiaohongshu/index.js';
import {
  renderWechatShopPush,
  wechatSimEncrypt,
  wechatSimSignature,
} from '../../sandbox/platforms/wechat-shop/index.js';
import { startSandbox, type Sandbox } from '../../sandbox/stack.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { registerShop, waitForCaptured } from '../capture/support.js';
import { uniqueId } from '../support/fixtures.js';
import { createHarness, type Harness } from '../support/harness.js';

/**
 * The channels added after the first ten, end to end through the API: `GET /platforms` lists
 * what each does; each channel's own push (signed or encrypted as the platform does it) is taken
 * in and its order fetched from the simulator; a forged one is refused and takes nothing in.
 */
const ids = {
  kuaishou: uniqueId('ks'),
  lazada: uniqueId('lz'),
  tiktok: uniqueId('tt'),
  xiaohongshu: uniqueId('xhs'),
  wechat_shop: uniqueId('wx'),
  ebay: uniqueId('eb'),
  walmart: uniqueId('wm'),
  mercadolibre: uniqueId('ml'),
  youzan: uniqueId('yz'),
  aliexpress: uniqueId('ae'),
  temu: uniqueId('temu'),
};

let h: Harness;
let api: FastifyInstance;
let sandbox: Sandbox;
let reader: { authorization: string };

beforeAll(async () => {
  h = await createHarness({ API_PUBLIC_URL: 'https://erp.example.com' });
  api = await h.api();
  sandbox = await startSandbox({ shopIds: ids });
  const ops = bearer(await apiKeyFor(h.db, ['ops']));
  reader = bearer(await apiKeyFor(h.db, ['reviewer']));
  // Polling off: whatever arrives here arrived through a push.
  await registerShop(api, ops, sandbox.shop('kuaishou'), { syncEnabled: false });
  await registerShop(api, ops, sandbox.shop('lazada'), { syncEnabled: false });
  await registerShop(api, ops, sandbox.shop('tiktok'), { syncEnabled: false });
  await registerShop(api, ops, sandbox.shop('xiaohongshu'), { syncEnabled: false });
  await registerShop(api, ops, sandbox.shop('wechat_shop'), { syncEnabled: false });
  await registerShop(api, ops, sandbox.shop('ebay'), { syncEnabled: false });
  await registerShop(api, ops, sandbox.shop('walmart'), { syncEnabled: false });
  await registerShop(api, ops, sandbox.shop('mercadolibre'), { syncEnabled: false });
  await registerShop(api, ops, sandbox.shop('youzan'), { syncEnabled: false });
  await registerShop(api, ops, sandbox.shop('aliexpress'), { syncEnabled: false });
  await registerShop(api, ops, sandbox.shop('temu'), { syncEnabled: false });
  await h.startWorker();
});
afterAll(async () => {
  await h.teardown();
  await sandbox.stop();
});

const rows = (shopId: string, platformOrderId: string) =>
  h.db
    .selectFrom('orders')
    .select(['platform_order_id', 'receiver'])
    .where('shop_id', '=', shopId)
    .where('platform_order_id', '=', platformOrderId)
    .execute();

describe('GET /platforms', () => {
  it('lists every channel with what it supports, for any role', async () => {
    const res = await api.inject({ method: 'GET', url: '/platforms', headers: reader });
    expect(res.statusCode).toBe(200);
    const { platforms } = res.json() as { platforms: Array<Record<string, unknown>> };
    const byId = new Map(platforms.map((p) => [p.platform, p]));
    expect(byId.get('kuaishou')).toMatchObject({
      pull: true,
      push: 'http',
      shipConfirm: true,
      stockUpload: true,
      requiredCredentials: ['appKey', 'appSecret', 'accessToken', 'extra.signSecret'],
    });
    expect(byId.get('lazada')).toMatchObject({
      name: 'Lazada',
      pull: true,
      push: 'http',
      shipConfirm: true,
      stockUpload: true,
      requiredCredentials: ['appKey', 'appSecret', 'accessToken'],
    });
    expect(byId.get('tiktok')).toMatchObject({
      name: 'TikTok Shop',
      pull: true,
      push: 'http',
      shipConfirm: true,
      stockUpload: true,
      requiredCredentials: ['appKey', 'appSecret', 'accessToken', 'extra.shopCipher'],
    });
    expect(byId.get('ebay')).toMatchObject({
      name: 'eBay',
      pull: true,
      push: 'http',
      shipConfirm: true,
      stockUpload: true,
      requiredCredentials: ['appKey', 'appSecret', 'accessToken'],
    });
    expect(byId.get('xiaohongshu')).toMatchObject({
      name: 'Xiaohongshu (小红书)',
      pull: true,
      push: 'http',
      shipConfirm: true,
      stockUpload: true,
      requiredCredentials: ['appKey', 'appSecret', 'accessToken'],
    });
    expect(byId.get('walmart')).toMatchObject({
      name: 'Walmart Marketplace',
      pull: true,
      push: 'http',
      shipConfirm: true,
      stockUpload: true,
      requiredCredentials: ['appKey', 'appSecret'],
    });
    expect(byId.get('wechat_shop')).toMatchObject({
      name: 'WeChat Channels shop (微信小店/视频号)',
      pull: true,
      push: 'http',
      shipConfirm: true,
      stockUpload: true,
      requiredCredentials: ['appKey', 'appSecret'],
    });
    expect(byId.get('mercadolibre')).toMatchObject({
      name: 'Mercado Libre',
      pull: true,
      push: 'http',
      shipConfirm: true,
      stockUpload: true,
      requiredCredentials: ['appKey', 'appSecret', 'accessToken'],
    });
    expect(byId.get('youzan')).toMatchObject({
      name: 'Youzan (有赞)',
      pull: true,
      push: 'http',
      shipConfirm: true,
      stockUpload: true,
      requiredCredentials: ['appKey', 'appSecret'],
    });
    expect(byId.get('aliexpress')).toMatchObject({
      name: 'AliExpress',
      pull: true,
      push: 'http',
      shipConfirm: true,
      stockUpload: true,
      requiredCredentials: ['appKey', 'appSecret', 'accessToken'],
    });
    expect(byId.get('weidian')).toMatchObject({
      name: 'Weidian (微店)',
      pull: true,
      push: 'none',
      shipConfirm: true,
      stockUpload: true,
      requiredCredentials: ['appKey', 'appSecret'],
    });
    expect(byId.get('alibaba_1688')).toMatchObject({
      name: '1688 (阿里巴巴)',
      pull: true,
      push: 'none',
      shipConfirm: true,
      stockUpload: true,
      requiredCredentials: ['appKey', 'appSecret', 'accessToken'],
    });
    expect(byId.get('temu')).toMatchObject({
      name: 'Temu',
      pull: true,
      // Webhooks: AES-encrypted eventData, HMAC-SHA256 over it and the x-tm-* headers.
      push: 'http',
      shipConfirm: true,
      // Local goods: bg.local.goods.stock.edit with a target level, read back by SKU.
      stockUpload: true,
      // Cases listed and read through the Return and Refund calls; a full refund agreed through them.
      afterSales: true,
      afterSalesSource: 'case_api',
      afterSalesAnswers: true,
      requiredCredentials: ['appKey', 'appSecret', 'accessToken'],
    });
    expect(byId.get('dewu')).toMatchObject({
      name: 'Dewu (得物)',
      pull: true,
      push: 'none',
      pushChannel: expect.stringContaining('polling'),
      shipConfirm: true,
      stockUpload: true,
      afterSales: false,
      requiredCredentials: ['appKey', 'appSecret', 'accessToken'],
    });
    expect(byId.get('vip')).toMatchObject({
      name: 'VIP.com (唯品会)',
      pull: true,
      push: 'none',
      pushChannel: 'polling (VOP’s message service format is not in our facts)',
      shipConfirm: true,
      stockUpload: true,
      afterSales: false,
      afterSalesSource: 'none',
      requiredCredentials: ['appKey', 'appSecret', 'accessToken'],
    });
    expect(platforms.length).toBeGreaterThanOrEqual(25);
    expect(byId.get('taobao')).toMatchObject({ pull: true, push: 'message_channel', afterSales: true });
    expect(byId.get('taobao')).toMatchObject({ afterSalesSource: 'case_api', afterSalesAnswers: true });
    // The newer channels' orders carry their after-sales; the facts name no case API to answer with.
    for (const platform of [
      'kuaishou',
      'xiaohongshu',
      'wechat_shop',
      'weidian',
      'alibaba_1688',
      'youzan',
      'aliexpress',
      'tiktok',
      'lazada',
      'ebay',
      'walmart',
    ]) {
      expect(byId.get(platform), platform).toMatchObject({
        afterSales: true,
        afterSalesSource: 'order',
        afterSalesAnswers: false,
      });
    }
    // Mercado Libre's orders as the facts give them say nothing of claims or returns.
    expect(byId.get('mercadolibre')).toMatchObject({
      afterSales: false,
      afterSalesSource: 'none',
      afterSalesAnswers: false,
    });
    // Amazon's returns come from its returns report (no agree or refuse call: refunds go by feed).
    expect(byId.get('amazon')).toMatchObject({
      afterSales: true,
      afterSalesSource: 'report',
      afterSalesAnswers: false,
    });
    // An own store pushes its cases; the ERP decides and refunds through the payment channel.
    expect(byId.get('own')).toMatchObject({
      pull: false,
      push: 'http',
      shipConfirm: true,
      stockUpload: false,
      afterSales: true,
      afterSalesSource: 'push',
      afterSalesAnswers: true,
    });
    expect((await api.inject({ method: 'GET', url: '/platforms' })).statusCode).toBe(401);
  });
});

describe('Kuaishou pushes', () => {
  const app = () => ({
    appKey: sandbox.shop('kuaishou').credentials.appKey,
    messageSecret: sandbox.shop('kuaishou').credentials.webhookSecret!,
  });
  const post = (body: string, headers: Record<string, string>) =>
    api.inject({ method: 'POST', url: `/webhooks/kuaishou/${ids.kuaishou}`, headers, payload: body });

  it('an encrypted push is acknowledged as Kuaishou expects and its order fetched; a forged one → 401', async () => {
    const [order] = sandbox.placeOrders('kuaishou', { count: 1, scenario: 'normal_day' });
    const forged = renderKuaishouPush(
      { appKey: app().appKey, messageSecret: Buffer.alloc(32, 7).toString('base64') },
      order!,
      'kwaishop_order_addOrder',
    );
    const refused = await post(forged.body, forged.headers);
    expect(refused.statusCode).toBe(401);
    expect(refused.json().message).toMatch(/does not decrypt/);

    const push = renderKuaishouPush(app(), order!, 'kwaishop_order_addOrder');
    const accepted = await post(push.body, push.headers);
    expect([accepted.statusCode, accepted.json()]).toEqual([200, { result: 1 }]);
    await waitForCaptured(h.db, ids.kuaishou, [order!.id]);
    const [row] = await rows(ids.kuaishou, order!.id);
    // The receiver is kept as Kuaishou's ciphertext: never stored decrypted.
    expect(JSON.stringify(row!.receiver)).not.toContain(order!.receiver.name);
  });
});

describe('Lazada pushes', () => {
  const post = (body: string, headers: Record<string, string>) =>
    api.inject({ method: 'POST', url: `/webhooks/lazada/${ids.lazada}`, headers, payload: body });

  it('a push signed over app key + body is answered 200 and its order fetched, id exact; a forged one → 401', async () => {
    const shop = sandbox.shop('lazada');
    const [order] = sandbox.placeOrders('lazada', { count: 1, scenario: 'normal_day' });
    const forged = renderLazadaPush({ appKey: shop.credentials.appKey, appSecret: 'not-the-secret' }, order!);
    const refused = await post(forged.body, forged.headers);
    expect(refused.statusCode).toBe(401);
    expect(refused.json().message).toMatch(/Authorization/);

    const push = renderLazadaPush(shop.credentials, order!);
    const accepted = await post(push.body, push.headers);
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json()).toMatchObject({ accepted: true, fetches: 1 });
    await waitForCaptured(h.db, ids.lazada, [order!.id]);
    const [row] = await rows(ids.lazada, order!.id);
    expect(row!.platform_order_id).toBe(order!.id);
  });
});

describe('TikTok Shop webhooks', () => {
  const post = (body: string, headers: Record<string, string>) =>
    api.inject({ method: 'POST', url: `/webhooks/tiktok/${ids.tiktok}`, headers, payload: body });

  it('a webhook signed over app key + body is answered 200 and its order fetched, 18-digit id exact; a forged one → 401', async () => {
    const shop = sandbox.shop('tiktok');
    const [order] = sandbox.placeOrders('tiktok', { count: 1, scenario: 'normal_day' });
    expect(order!.id).toMatch(/^\d{18}$/);
    const forged = renderTiktokPush({ appKey: shop.credentials.appKey, appSecret: 'not-the-secret' }, order!);
    const refused = await post(forged.body, forged.headers);
    expect(refused.statusCode).toBe(401);
    expect(refused.json().message).toMatch(/Authorization/);

    const push = renderTiktokPush(shop.credentials, order!);
    const accepted = await post(push.body, push.headers);
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json()).toMatchObject({ accepted: true, fetches: 1 });
    await waitForCaptured(h.db, ids.tiktok, [order!.id]);
    const [row] = await rows(ids.tiktok, order!.id);
    expect(row!.platform_order_id).toBe(order!.id);
  });
});

describe('eBay notifications', () => {
  const post = (body: string, headers: Record<string, string>) =>
    api.inject({ method: 'POST', url: `/webhooks/ebay/${ids.ebay}`, headers, payload: body });

  it('a notification signed under eBay’s key is accepted and its order fetched; a forged or unsigned one → 401', async () => {
    const [order] = sandbox.placeOrders('ebay', { count: 1, scenario: 'normal_day' });
    const genuine = renderEbayNotification(sandbox.ebayNotificationKey, order!);
    const forged = renderEbayNotification(ebayNotificationKey(), order!);
    const refused = await post(forged.body, forged.headers);
    expect(refused.statusCode).toBe(401);
    expect(refused.json().message).toMatch(/X-EBAY-SIGNATURE/);
    expect((await post(genuine.body, { 'content-type': 'application/json' })).statusCode).toBe(401);

    const accepted = await post(genuine.body, genuine.headers);
    expect(accepted.statusCode).toBe(202);
    expect(accepted.json()).toMatchObject({ accepted: true, fetches: 1 });
    await waitForCaptured(h.db, ids.ebay, [order!.id]);
    const [row] = await rows(ids.ebay, order!.id);
    expect(row!.platform_order_id).toBe(order!.id);
  });
});

describe('Xiaohongshu pushes', () => {
  const post = (body: string, headers: Record<string, string>) =>
    api.inject({ method: 'POST', url: `/webhooks/xiaohongshu/${ids.xiaohongshu}`, headers, payload: body });

  it('a signed push is answered 200 and its order fetched with a masked receiver; a forged one → 401', async () => {
    const shop = sandbox.shop('xiaohongshu');
    const [order] = sandbox.placeOrders('xiaohongshu', { count: 1, scenario: 'normal_day' });
    const forged = renderXiaohongshuPush('not-the-secret', order!);
    const refused = await post(forged.body, forged.headers);
    expect(refused.statusCode).toBe(401);
    expect(refused.json().message).toMatch(/sign/);

    const push = renderXiaohongshuPush(shop.credentials.appSecret, order!);
    const accepted = await post(push.body, push.headers);
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json()).toMatchObject({ accepted: true, fetches: 1 });
    await waitForCaptured(h.db, ids.xiaohongshu, [order!.id]);
    const [row] = await rows(ids.xiaohongshu, order!.id);
    expect(row!.platform_order_id).toBe(order!.id);
    // Stored as Xiaohongshu sends it: masked, never the plain receiver.
    expect(JSON.stringify(row!.receiver)).not.toContain(order!.receiver.phone);
    expect(JSON.stringify(row!.receiver)).not.toContain(order!.receiver.detail);
  });
});

describe('Walmart notifications', () => {
  const post = (body: string, headers: Record<string, string>) =>
    api.inject({ method: 'POST', url: `/webhooks/walmart/${ids.walmart}`, headers, payload: body });

  it('an event carrying the subscription’s credentials is accepted and its purchase order fetched; other credentials → 401', async () => {
    const shop = sandbox.shop('walmart');
    const [placed] = sandbox.placeOrders('walmart', { count: 1, scenario: 'cross_border' });
    // Walmart shows an order once it is paid.
    const order = sandbox.platforms.walmart.store.update(shop.platformShopId, placed!.id, (o) => {
      o.status = 'paid';
      o.paidAt ??= o.createdAt;
    })!;
    const forged = renderWalmartEvent({ credentials: 'erp-demo:guessed' }, order);
    const refused = await post(forged.body, forged.headers);
    expect(refused.statusCode).toBe(401);
    expect(refused.json().message).toMatch(/Authorization/);

    const event = renderWalmartEvent({ credentials: shop.credentials.webhookSecret! }, order);
    const accepted = await post(event.body, event.headers);
    expect(accepted.statusCode).toBe(202);
    expect(accepted.json()).toMatchObject({ accepted: true, fetches: 1 });
    await waitForCaptured(h.db, ids.walmart, [order.id]);
    const [row] = await rows(ids.walmart, order.id);
    expect(row!.platform_order_id).toBe(order.id);
  });
});

describe('WeChat Channels shop pushes', () => {
  const post = (push: { headers: Record<string, string>; body: string; query: string }) =>
    api.inject({
      method: 'POST',
      url: `/webhooks/wechat_shop/${ids.wechat_shop}?${push.query}`,
      headers: push.headers,
      payload: push.body,
    });

  it('a safe-mode push is answered `success` and its 19-digit order fetched, receiver masked; a forged one → 401', async () => {
    const shop = sandbox.shop('wechat_shop');
    const [token, encodingAesKey] = shop.credentials.webhookSecret!.split('|');
    const app = {
      appId: shop.credentials.appKey,
      originalId: shop.platformShopId,
      token: token!,
      encodingAesKey: encodingAesKey!,
    };
    const [order] = sandbox.placeOrders('wechat_shop', { count: 1, scenario: 'normal_day' });
    expect(order!.id).toMatch(/^\d{19}$/);
    const refused = await post(
      renderWechatShopPush({ ...app, token: 'forged' }, order!, 'channels_ec_order_new'),
    );
    expect(refused.statusCode).toBe(401);

    const accepted = await post(renderWechatShopPush(app, order!, 'channels_ec_order_new'));
    expect(accepted.statusCode).toBe(200);
    expect(accepted.body).toBe('success');
    await waitForCaptured(h.db, ids.wechat_shop, [order!.id]);
    const [row] = await rows(ids.wechat_shop, order!.id);
    expect(row!.platform_order_id).toBe(order!.id);
    expect(JSON.stringify(row!.receiver)).not.toContain(order!.receiver.phone);
  });
});

describe('Mercado Libre notifications', () => {
  const post = (body: string, headers: Record<string, string>, query: string) =>
    api.inject({
      method: 'POST',
      url: `/webhooks/mercadolibre/${ids.mercadolibre}${query ? `?${query}` : ''}`,
      headers,
      payload: body,
    });

  it('an orders_v2 notification on the registered callback URL is answered 200 and its order fetched, 16-digit id exact; without the secret → 401', async () => {
    const shop = sandbox.shop('mercadolibre');
    const [order] = sandbox.placeOrders('mercadolibre', { count: 1, scenario: 'normal_day' });
    const app = { appId: shop.credentials.appKey, callbackSecret: shop.credentials.webhookSecret! };
    const forged = renderMeliNotification({ ...app, callbackSecret: 'guessed' }, order!);
    expect((await post(forged.body, forged.headers, forged.query)).statusCode).toBe(401);
    expect((await post(forged.body, forged.headers, '')).statusCode).toBe(401);

    const note = renderMeliNotification(app, order!);
    const accepted = await post(note.body, note.headers, note.query);
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json()).toMatchObject({ accepted: true, fetches: 1 });
    await waitForCaptured(h.db, ids.mercadolibre, [order!.id]);
    const [row] = await rows(ids.mercadolibre, order!.id);
    expect(row!.platform_order_id).toBe(order!.id);
  });
});

describe('WeChat Channels shop push URL check', () => {
  it('answers echostr (decrypted in safe mode) when signed with the push Token; 401 otherwise', async () => {
    const shop = sandbox.shop('wechat_shop');
    const [token, encodingAesKey] = shop.credentials.webhookSecret!.split('|');
    const check = (query: Record<string, string>) =>
      api.inject({
        method: 'GET',
        url: `/webhooks/wechat_shop/${ids.wechat_shop}?${new URLSearchParams(query)}`,
      });
    const timestamp = '1662480000';
    const nonce = 'abc123';
    const plain = await check({
      signature: wechatSimSignature(token!, timestamp, nonce),
      timestamp,
      nonce,
      echostr: 'e-42',
    });
    expect(plain.statusCode).toBe(200);
    expect(plain.body).toBe('e-42');
    const sealed = wechatSimEncrypt(encodingAesKey!, shop.credentials.appKey, 'e-43');
    const safe = await check({
      timestamp,
      nonce,
      echostr: sealed,
      msg_signature: wechatSimSignature(token!, timestamp, nonce, sealed),
    });
    expect(safe.body).toBe('e-43');
    const forged = await check({
      signature: wechatSimSignature('forged', timestamp, nonce),
      timestamp,
      nonce,
      echostr: 'e-44',
    });
    expect(forged.statusCode).toBe(401);
  });
});

describe('Youzan pushes', () => {
  const post = (body: string, headers: Record<string, string>) =>
    api.inject({ method: 'POST', url: `/webhooks/youzan/${ids.youzan}`, headers, payload: body });

  it('a trade push signed with the app’s client id and secret is answered as Youzan expects and its order fetched; a forged one → 401', async () => {
    const shop = sandbox.shop('youzan');
    const [order] = sandbox.placeOrders('youzan', { count: 1, scenario: 'normal_day' });
    const app = { clientId: shop.credentials.appKey, clientSecret: shop.credentials.appSecret };
    const forged = renderYouzanPush({ ...app, clientSecret: 'not-the-secret' }, order!);
    const refused = await post(forged.body, forged.headers);
    expect(refused.statusCode).toBe(401);
    expect(refused.json().message).toMatch(/Event-Sign/);

    const push = renderYouzanPush(app, order!);
    const accepted = await post(push.body, push.headers);
    expect([accepted.statusCode, accepted.json()]).toEqual([200, { code: 0, msg: 'success' }]);
    await waitForCaptured(h.db, ids.youzan, [order!.id]);
    const [row] = await rows(ids.youzan, order!.id);
    expect(row!.platform_order_id).toBe(order!.id);
    // The receiver is kept as Youzan's ciphertext: never stored decrypted.
    expect(JSON.stringify(row!.receiver)).not.toContain(order!.receiver.phone);
  });
});

describe('AliExpress pushes', () => {
  const post = (body: string, headers: Record<string, string>) =>
    api.inject({ method: 'POST', url: `/webhooks/aliexpress/${ids.aliexpress}`, headers, payload: body });

  it('an order message signed over app key + body is answered 200 and its order fetched, 16-digit id exact; a forged one → 401', async () => {
    const shop = sandbox.shop('aliexpress');
    const [order] = sandbox.placeOrders('aliexpress', { count: 1, scenario: 'normal_day' });
    const forged = renderAliexpressPush(
      { appKey: shop.credentials.appKey, appSecret: 'not-the-secret' },
      order!,
    );
    const refused = await post(forged.body, forged.headers);
    expect(refused.statusCode).toBe(401);
    expect(refused.json().message).toMatch(/Authorization/);

    const push = renderAliexpressPush(shop.credentials, order!);
    expect(push.body).toContain(`"order_id":${order!.id},`);
    const accepted = await post(push.body, push.headers);
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json()).toMatchObject({ accepted: true, fetches: 1 });
    await waitForCaptured(h.db, ids.aliexpress, [order!.id]);
    const [row] = await rows(ids.aliexpress, order!.id);
    expect(row!.platform_order_id).toBe(order!.id);
  });
});

describe('Temu webhooks', () => {
  const post = (body: string, headers: Record<string, string>) =>
    api.inject({ method: 'POST', url: `/webhooks/temu/${ids.temu}`, headers, payload: body });

  it('an order event is answered {"result": {}} and its order fetched; an after-sales event brings its case; a forged one → 401', async () => {
    const shop = sandbox.shop('temu');
    const app = { appKey: shop.credentials.appKey, appSecret: shop.credentials.appSecret };
    const [order] = sandbox.placeOrders('temu', { count: 1, scenario: 'normal_day' });
    const forged = renderTemuPush({ ...app, appSecret: 'not-the-app-secret-0123456789' }, order!);
    const refused = await post(forged.body, forged.headers);
    expect(refused.statusCode).toBe(401);
    expect(refused.json().message).toMatch(/eventData|x-tm-signature/);

    const push = renderTemuPush(app, order!, { event: 'bg_order_status_change_event' });
    const accepted = await post(push.body, push.headers);
    expect([accepted.statusCode, accepted.json()]).toEqual([200, { result: {} }]);
    await waitForCaptured(h.db, ids.temu, [order!.id]);

    // The buyer asks for a refund: the after-sales event names the case, which is read and opened.
    const at = new Date();
    const store = sandbox.platforms.temu.store;
    store.update(
      order!.shopKey,
      order!.id,
      (o) => {
        o.refund = {
          id: `${o.id}-AS1`,
          status: 'requested',
          kind: 'refund_only',
          amountMinor: o.items[0]!.unitPriceMinor,
          reason: 'changed my mind',
          createdAt: at,
          modifiedAt: at,
          lineIds: [o.items[0]!.lineId],
        };
      },
      at,
    );
    const caseEvent = renderTemuPush(app, store.get(order!.shopKey, order!.id)!, {
      event: 'bg_aftersales_status_change',
    });
    expect((await post(caseEvent.body, caseEvent.headers)).statusCode).toBe(200);
    await expect
      .poll(async () =>
        (
          await h.db
            .selectFrom('after_sale_cases')
            .select(['platform_case_id', 'status'])
            .where('shop_id', '=', ids.temu)
            .execute()
        ).map((c) => c.platform_case_id),
      )
      .toEqual([`${order!.id}-AS1`]);
  });
});
