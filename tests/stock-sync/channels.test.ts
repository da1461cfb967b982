import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAlerts } from '../../db/queries/alerts.js';
import { listSyncState, saveListing } from '../../db/queries/stock-sync.js';
import { reserveStock } from '../../db/queries/stock.js';
import type { Platform } from '../../domain/platforms.js';
import { AuthError } from '../../integrations/platforms/errors.js';
import { createStockUploader } from '../../integrations/platforms/stock-registry.js';
import type { StockListing, StockUploader } from '../../integrations/platforms/stock.js';
import type { AdapterContext } from '../../integrations/platforms/types.js';
import { SimInventory } from '../../sandbox/kit/inventory.js';
import { SimOrderStore } from '../../sandbox/kit/store.js';
import { AmazonSimAuth, amazonSimulator } from '../../sandbox/platforms/amazon/index.js';
import { DouyinSimAuth, douyinSimulator } from '../../sandbox/platforms/douyin/index.js';
import { ebaySimulator } from '../../sandbox/platforms/ebay/index.js';
import { jdSimulator } from '../../sandbox/platforms/jd/index.js';
import { kuaishouSimulator } from '../../sandbox/platforms/kuaishou/index.js';
import { SimTokenAuth } from '../../sandbox/kit/token-auth.js';
import { lazadaSimulator } from '../../sandbox/platforms/lazada/index.js';
import { tiktokShopCipher, tiktokSimulator } from '../../sandbox/platforms/tiktok/index.js';
import { xiaohongshuSimulator, XIAOHONGSHU_GATEWAY_PATH } from '../../sandbox/platforms/xiaohongshu/index.js';
import { wechatShopSimulator } from '../../sandbox/platforms/wechat-shop/index.js';
import { meliSimulator } from '../../sandbox/platforms/mercadolibre/index.js';
import { youzanSimulator } from '../../sandbox/platforms/youzan/index.js';
import { aliexpressSimulator } from '../../sandbox/platforms/aliexpress/index.js';
import { weidianSimulator } from '../../sandbox/platforms/weidian/index.js';
import { alibaba1688Simulator } from '../../sandbox/platforms/alibaba-1688/index.js';
import { dewuSimulator } from '../../sandbox/platforms/dewu/index.js';
import { temuSimulator } from '../../sandbox/platforms/temu/index.js';
import { pddSimulator } from '../../sandbox/platforms/pdd/index.js';
import { walmartSimulator } from '../../sandbox/platforms/walmart/index.js';
import { wooCommerceSimulator } from '../../sandbox/platforms/woocommerce/index.js';
import { runSyncPass } from '../../services/stock-sync/pass.js';
import { createShop, uniqueId } from '../support/fixtures.js';
import { createHarness, type Harness } from '../support/harness.js';
import { seedSku, seedStock, seedWarehouse } from '../stock/seed.js';

/**
 * Each channel's stock upload through its real call and signing, against a simulator that checks
 * the signature with its own code and keeps the quantity: a signed upload is stored and read back,
 * a forged one is refused and changes nothing, and a refusal (delisted goods, unknown SKU) is
 * recorded, alerted and not sent again by later stock movements.
 */
interface Channel {
  platform: Platform;
  /** The simulator's shop key and listing keys. */
  shopKey: string;
  listed: { key: string; listing: StockListing };
  unknown: StockListing;
  good: StockUploader;
  forged: StockUploader;
}

const inventory = new SimInventory();
const store = new SimOrderStore();
const servers: FastifyInstance[] = [];
const channels: Channel[] = [];

async function serve(register: (app: FastifyInstance) => PromiseLike<unknown>): Promise<string> {
  const app = Fastify();
  await register(app);
  await app.listen({ port: 0, host: '127.0.0.1' });
  servers.push(app);
  return `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
}

function uploaders(
  platform: Platform,
  baseUrl: string,
  platformShopId: string,
  credentials: AdapterContext['credentials'],
  forgedCredentials: AdapterContext['credentials'],
) {
  const ctx = (c: AdapterContext['credentials']) => ({
    shopId: 'shop',
    platformShopId,
    baseUrl,
    credentials: c,
  });
  return {
    good: createStockUploader(platform, ctx(credentials))!,
    forged: createStockUploader(platform, ctx(forgedCredentials))!,
  };
}

async function startPdd(): Promise<Channel> {
  const app = { clientId: 'pdd-client', clientSecret: 'pdd-secret' };
  const mall = { mallId: '900100', accessToken: 'pdd-token' };
  const url = await serve((f) => f.register(pddSimulator, { store, ...app, malls: [mall], inventory }));
  const credentials = { appKey: app.clientId, appSecret: app.clientSecret, accessToken: mall.accessToken };
  return {
    platform: 'pdd',
    shopKey: mall.mallId,
    listed: { key: '330001:77001', listing: { itemId: '330001', skuId: '77001' } },
    unknown: { itemId: '330001', skuId: '77999' },
    ...uploaders('pdd', url, mall.mallId, credentials, { ...credentials, appSecret: 'not-the-secret' }),
  };
}

async function startJd(): Promise<Channel> {
  const app = { appKey: 'jd-app', appSecret: 'jd-secret' };
  const vendor = { venderId: '10086', accessToken: 'jd-token' };
  const url = await serve((f) => f.register(jdSimulator, { store, ...app, vendors: [vendor], inventory }));
  const credentials = { ...app, accessToken: vendor.accessToken };
  return {
    platform: 'jd',
    shopKey: vendor.venderId,
    listed: { key: '100012345678', listing: { itemId: '100012345600', skuId: '100012345678' } },
    unknown: { skuId: '100099999999' },
    ...uploaders('jd', url, vendor.venderId, credentials, { ...credentials, appSecret: 'not-the-secret' }),
  };
}

async function startDouyin(): Promise<Channel> {
  const app = { appKey: 'dy-app', appSecret: 'dy-secret' };
  const auth = new DouyinSimAuth();
  const grant = auth.grant('4463798');
  const url = await serve((f) => f.register(douyinSimulator, { store, app, auth, inventory }));
  const credentials = { ...app, accessToken: grant.accessToken, refreshToken: grant.refreshToken };
  return {
    platform: 'douyin',
    shopKey: '4463798',
    // Douyin ids run past 2^53: they travel as strings.
    listed: {
      key: '3618421356874410001:1752398844150830',
      listing: { itemId: '3618421356874410001', skuId: '1752398844150830' },
    },
    unknown: { itemId: '3618421356874410001', skuId: '1752398844159999' },
    ...uploaders('douyin', url, '4463798', credentials, { ...credentials, appSecret: 'not-the-secret' }),
  };
}

async function startKuaishou(): Promise<Channel> {
  const app = { appKey: 'ks-app', appSecret: 'ks-secret', signSecret: 'ks-sign-secret' };
  const auth = new SimTokenAuth();
  const grant = auth.grant('2161524184');
  const url = await serve((f) => f.register(kuaishouSimulator, { store, app, auth, inventory }));
  const credentials = {
    appKey: app.appKey,
    appSecret: app.appSecret,
    accessToken: grant.accessToken,
    refreshToken: grant.refreshToken,
    extra: { signSecret: app.signSecret },
  };
  return {
    platform: 'kuaishou',
    shopKey: '2161524184',
    // Stock changes by a difference only: the uploader reads the SKU's stock first.
    listed: {
      key: '9123456789012:8123456789012',
      listing: { itemId: '9123456789012', skuId: '8123456789012' },
    },
    unknown: { itemId: '9123456789012', skuId: '8123456789999' },
    ...uploaders('kuaishou', url, '2161524184', credentials, {
      ...credentials,
      extra: { signSecret: 'not-the-sign-secret' },
    }),
  };
}

async function startLazada(): Promise<Channel> {
  const app = { appKey: 'lz-app', appSecret: 'lz-secret' };
  const auth = new SimTokenAuth();
  const seller = '1000276412';
  const grant = auth.grant(seller);
  const url = await serve((f) => f.register(lazadaSimulator, { store, app, auth, inventory }));
  const credentials = { ...app, accessToken: grant.accessToken, refreshToken: grant.refreshToken };
  return {
    platform: 'lazada',
    shopKey: seller,
    // Quantities are set as a full value from an XML payload naming the item and the SKU.
    listed: { key: '2771234567:14301234567', listing: { itemId: '2771234567', skuId: '14301234567' } },
    unknown: { itemId: '2771234567', skuId: '14309999999' },
    ...uploaders('lazada', url, seller, credentials, { ...credentials, appSecret: 'not-the-secret' }),
  };
}

async function startTiktok(): Promise<Channel> {
  const app = { appKey: 'tt-app', appSecret: 'tt-secret' };
  const auth = new SimTokenAuth();
  const shop = '7494049642642441621';
  const grant = auth.grant(shop);
  const url = await serve((f) => f.register(tiktokSimulator, { store, app, auth, inventory }));
  const credentials = {
    ...app,
    accessToken: grant.accessToken,
    refreshToken: grant.refreshToken,
    extra: { shopCipher: tiktokShopCipher(shop) },
  };
  return {
    platform: 'tiktok',
    shopKey: shop,
    // A full value per warehouse, the product and SKU ids 19-digit strings.
    listed: {
      key: '1729382476852921001:1729382476852921560',
      listing: { itemId: '1729382476852921001', skuId: '1729382476852921560' },
    },
    unknown: { itemId: '1729382476852921001', skuId: '1729382476852929999' },
    ...uploaders('tiktok', url, shop, credentials, { ...credentials, appSecret: 'not-the-secret' }),
  };
}

async function startEbay(): Promise<Channel> {
  const app = { clientId: 'ebay-stock-app', clientSecret: 'ebay-stock-cert' };
  const auth = new SimTokenAuth();
  const seller = 'stock_seller_us';
  const grant = auth.grant(seller);
  const url = await serve((f) => f.register(ebaySimulator, { store, app, auth, inventory }));
  const credentials = { appKey: app.clientId, appSecret: app.clientSecret, accessToken: grant.accessToken };
  return {
    platform: 'ebay',
    shopKey: seller,
    // The Inventory API names a listing by the seller's SKU; quantities are set as a full value.
    listed: { key: 'EBAY-MUG-BLUE', listing: { skuId: 'EBAY-MUG-BLUE' } },
    unknown: { skuId: 'EBAY-NOT-LISTED' },
    // No signing on eBay: a token eBay does not know is the forgery.
    ...uploaders('ebay', url, seller, credentials, { ...credentials, accessToken: 'v^1.1#forged' }),
  };
}

async function startXiaohongshu(): Promise<Channel> {
  const app = { appKey: 'xhs-app', appSecret: 'xhs-secret' };
  const auth = new SimTokenAuth();
  const seller = '5f1b2c3d4e5f6a7b8c9d0e1f';
  const grant = auth.grant(seller);
  const url = await serve((f) => f.register(xiaohongshuSimulator, { store, app, auth, inventory }));
  const credentials = { ...app, accessToken: grant.accessToken, refreshToken: grant.refreshToken };
  return {
    platform: 'xiaohongshu',
    shopKey: seller,
    // A full value per SKU; the SKU id alone names the listing.
    listed: { key: '64a1b2c3d4e5f6a7b8c9d001', listing: { skuId: '64a1b2c3d4e5f6a7b8c9d001' } },
    unknown: { skuId: '64a1b2c3d4e5f6a7b8c9d999' },
    ...uploaders('xiaohongshu', `${url}${XIAOHONGSHU_GATEWAY_PATH}`, seller, credentials, {
      ...credentials,
      appSecret: 'not-the-secret',
    }),
  };
}

async function startWalmart(): Promise<Channel> {
  const client = { clientId: 'wm-stock-client', clientSecret: 'wm-stock-secret', sellerId: '101234567' };
  const url = await serve((f) =>
    f.register(walmartSimulator, { store, clients: [client], auth: new SimTokenAuth(900), inventory }),
  );
  const credentials = { appKey: client.clientId, appSecret: client.clientSecret };
  return {
    platform: 'walmart',
    shopKey: client.sellerId,
    // The Inventory API names a listing by the seller's SKU; a full value per call.
    listed: { key: 'WM-MUG-BLUE', listing: { skuId: 'WM-MUG-BLUE' } },
    unknown: { skuId: 'WM-NOT-LISTED' },
    // The token comes from the client credentials: a wrong secret gets none.
    ...uploaders('walmart', url, client.sellerId, credentials, {
      ...credentials,
      appSecret: 'not-the-secret',
    }),
  };
}

async function startWechatShop(): Promise<Channel> {
  const app = { appId: 'wx-stock-app', appSecret: 'wx-stock-secret', shopKey: 'gh_stock_shop' };
  const auth = new SimTokenAuth(7200);
  const url = await serve((f) => f.register(wechatShopSimulator, { store, app, auth, inventory }));
  const credentials = { appKey: app.appId, appSecret: app.appSecret };
  return {
    platform: 'wechat_shop',
    shopKey: app.shopKey,
    // A full value (diff_type 3) per product and SKU, 64-bit ids as strings.
    listed: {
      key: '10000012345678:2000000000012345678',
      listing: { itemId: '10000012345678', skuId: '2000000000012345678' },
    },
    unknown: { itemId: '10000012345678', skuId: '2000000000099999999' },
    // No request signing on WeChat: a secret that fetches no token is the forgery.
    ...uploaders('wechat_shop', url, app.shopKey, credentials, {
      ...credentials,
      appSecret: 'not-the-secret',
    }),
  };
}

async function startMercadoLibre(): Promise<Channel> {
  const app = { clientId: '5503910054141466', clientSecret: 'meli-stock-secret' };
  const auth = new SimTokenAuth();
  const seller = '202593498';
  const grant = auth.grant(seller);
  const url = await serve((f) => f.register(meliSimulator, { store, app, auth, inventory }));
  const credentials = { appKey: app.clientId, appSecret: app.clientSecret, accessToken: grant.accessToken };
  return {
    platform: 'mercadolibre',
    shopKey: seller,
    // A variation of an item: `available_quantity` on /items/{id}/variations/{variation}.
    listed: {
      key: 'MLB3456789012:180442390991',
      listing: { itemId: 'MLB3456789012', skuId: '180442390991' },
    },
    unknown: { itemId: 'MLB3456789012', skuId: '180442399999' },
    // No signing: a token Mercado Libre does not know is the forgery.
    ...uploaders('mercadolibre', url, seller, credentials, { ...credentials, accessToken: 'APP_USR-forged' }),
  };
}

async function startYouzan(): Promise<Channel> {
  const app = { clientId: 'yz-stock-client', clientSecret: 'yz-stock-secret', kdtIds: ['46712583'] };
  const auth = new SimTokenAuth();
  const url = await serve((f) => f.register(youzanSimulator, { store, app, auth, inventory }));
  const credentials = { appKey: app.clientId, appSecret: app.clientSecret };
  return {
    platform: 'youzan',
    shopKey: '46712583',
    // A SKU of an item: a full quantity (type 0) on youzan.item.quantity.update.
    listed: { key: '436251012:36251012', listing: { itemId: '436251012', skuId: '36251012' } },
    unknown: { itemId: '436251012', skuId: '36259999' },
    // No request signing: a secret that gets no token (silent grant) is the forgery.
    ...uploaders('youzan', url, '46712583', credentials, { ...credentials, appSecret: 'not-the-secret' }),
  };
}

async function startAliexpress(): Promise<Channel> {
  const app = { appKey: '503312', appSecret: 'ae-stock-secret' };
  const auth = new SimTokenAuth();
  const seller = '2671514005';
  const grant = auth.grant(seller);
  const url = await serve((f) => f.register(aliexpressSimulator, { store, app, auth, inventory }));
  const credentials = { ...app, accessToken: grant.accessToken };
  return {
    platform: 'aliexpress',
    shopKey: seller,
    // A SKU of a product by its sku_code: full values through the batch inventory update.
    listed: {
      key: '1005001234567:SKU-001-RED-M',
      listing: { itemId: '1005001234567', skuId: 'SKU-001-RED-M' },
    },
    unknown: { itemId: '1005001234567', skuId: 'SKU-999' },
    ...uploaders('aliexpress', url, seller, credentials, { ...credentials, appSecret: 'not-the-secret' }),
  };
}

async function startWeidian(): Promise<Channel> {
  const app = { appKey: 'wd-stock-app', secret: 'wd-stock-secret', shopKey: '1738492651' };
  const auth = new SimTokenAuth();
  const url = await serve((f) => f.register(weidianSimulator, { store, app, auth, inventory }));
  const credentials = { appKey: app.appKey, appSecret: app.secret };
  return {
    platform: 'weidian',
    shopKey: app.shopKey,
    // A SKU of an item: a full value through vdian.item.stock.update.
    listed: { key: '2004412019:4412019', listing: { itemId: '2004412019', skuId: '4412019' } },
    unknown: { itemId: '2004412019', skuId: '4419999' },
    // No request signing known: a secret that gets no token is the forgery.
    ...uploaders('weidian', url, app.shopKey, credentials, { ...credentials, appSecret: 'not-the-secret' }),
  };
}

async function startAlibaba1688(): Promise<Channel> {
  const app = { appKey: '8261935', appSecret: 'cbu-stock-secret', shopKey: 'b2b-2208713564092' };
  const auth = new SimTokenAuth();
  const grant = auth.grant(app.shopKey);
  const url = await serve((f) => f.register(alibaba1688Simulator, { store, app, auth, inventory }));
  const credentials = { appKey: app.appKey, appSecret: app.appSecret, accessToken: grant.accessToken };
  return {
    platform: 'alibaba_1688',
    shopKey: app.shopKey,
    // A spec of a product: a full value through alibaba.product.modifyStock (increaceModify=false).
    listed: { key: '60004412019:4412019', listing: { itemId: '60004412019', skuId: '4412019' } },
    unknown: { itemId: '60004412019', skuId: '4419999' },
    // Signed with a secret 1688 never issued: the simulator refuses the signature.
    ...uploaders('alibaba_1688', url, app.shopKey, credentials, {
      ...credentials,
      appSecret: 'not-the-secret',
    }),
  };
}

async function startDewu(): Promise<Channel> {
  const app = { appKey: 'dewu-stock-key', appSecret: 'dewu-stock-secret', shopKey: 'dewu-merchant-77' };
  const auth = new SimTokenAuth();
  const grant = auth.grant(app.shopKey);
  const url = await serve((f) => f.register(dewuSimulator, { store, app, auth, inventory }));
  const credentials = { appKey: app.appKey, appSecret: app.appSecret, accessToken: grant.accessToken };
  return {
    platform: 'dewu',
    shopKey: app.shopKey,
    // A Dewu SKU: its quantity set as a full value (the stock APIs' shapes are UNCONFIRMED).
    listed: { key: '600300400', listing: { skuId: '600300400' } },
    unknown: { skuId: '600399999' },
    // Signed with a secret Dewu never issued: the simulator refuses the signature (401).
    ...uploaders('dewu', url, app.shopKey, credentials, { ...credentials, appSecret: 'not-the-secret' }),
  };
}

async function startTemu(): Promise<Channel> {
  const app = { appKey: 'temu-stock-key', appSecret: 'temu-stock-secret', shopKey: '635517726820799' };
  const auth = new SimTokenAuth();
  const grant = auth.grant(app.shopKey);
  const url = await serve((f) => f.register(temuSimulator, { store, app, auth, inventory }));
  const credentials = { appKey: app.appKey, appSecret: app.appSecret, accessToken: grant.accessToken };
  return {
    platform: 'temu',
    shopKey: app.shopKey,
    // A SKU of local goods: goods id and SKU id, set to a target level by bg.local.goods.stock.edit.
    listed: {
      key: '601099548666279:58224724203874',
      listing: { itemId: '601099548666279', skuId: '58224724203874' },
    },
    unknown: { itemId: '601099548666279', skuId: '58224724209999' },
    // Signed with a secret Temu never issued: the gateway answers 3000001 SIGN_UNVALID.
    ...uploaders('temu', url, app.shopKey, credentials, { ...credentials, appSecret: 'not-the-secret' }),
  };
}

async function startWoo(): Promise<Channel> {
  const keys = { consumerKey: 'ck_stock', consumerSecret: 'cs_stock', shopKey: 'shop.example' };
  const url = await serve((f) => f.register(wooCommerceSimulator, { store, keys: [keys], inventory }));
  const credentials = { appKey: keys.consumerKey, appSecret: keys.consumerSecret };
  return {
    platform: 'woocommerce',
    shopKey: keys.shopKey,
    // A variation of a variable product (a simple product is its own skuId).
    listed: { key: '801:815', listing: { itemId: '801', skuId: '815' } },
    unknown: { itemId: '801', skuId: '899' },
    ...uploaders('woocommerce', url, keys.shopKey, credentials, { ...credentials, appSecret: 'cs_forged' }),
  };
}

async function startAmazon(): Promise<Channel> {
  const client = { clientId: 'amzn1.application-oa2-client.stock', clientSecret: 'lwa-secret' };
  const auth = new AmazonSimAuth(client);
  const seller = 'A1STOCKSELLER';
  const refreshToken = auth.authorize(seller);
  const marketplaceId = 'ATVPDKIKX0DER';
  const url = await serve((f) => f.register(amazonSimulator, { store, auth, marketplaceId, inventory }));
  const credentials = {
    appKey: client.clientId,
    appSecret: client.clientSecret,
    refreshToken,
    extra: { marketplaceId, lwaUrl: url },
  };
  return {
    platform: 'amazon',
    shopKey: seller,
    listed: {
      key: 'MUG-BLUE-350',
      listing: { skuId: 'MUG-BLUE-350', extra: { productType: 'DRINKING_CUP' } },
    },
    unknown: { skuId: 'MUG-NOT-LISTED' },
    // A forged LWA grant: the client secret is not the app's.
    ...uploaders('amazon', url, seller, credentials, { ...credentials, appSecret: 'not-the-secret' }),
  };
}

let h: Harness;
let warehouse: string;

beforeAll(async () => {
  channels.push(
    await startPdd(),
    await startJd(),
    await startDouyin(),
    await startWoo(),
    await startAmazon(),
    await startKuaishou(),
    await startLazada(),
    await startTiktok(),
    await startXiaohongshu(),
    await startWechatShop(),
    await startEbay(),
    await startWalmart(),
    await startMercadoLibre(),
    await startYouzan(),
    await startAliexpress(),
    await startWeidian(),
    await startAlibaba1688(),
    await startDewu(),
    await startTemu(),
  );
  h = await createHarness();
  warehouse = await seedWarehouse(h.db);
});
afterAll(async () => {
  for (const app of servers) await app.close();
  await h?.teardown();
});

/** The channels whose stock upload runs through the cases below (one simulator each, above). */
const UPLOADING = [
  'pdd',
  'jd',
  'douyin',
  'woocommerce',
  'amazon',
  'kuaishou',
  'lazada',
  'tiktok',
  'xiaohongshu',
  'wechat_shop',
  'ebay',
  'walmart',
  'mercadolibre',
  'youzan',
  'aliexpress',
  'weidian',
  'alibaba_1688',
  'dewu',
  'temu',
] as const;

describe.each(UPLOADING)('%s stock upload', (platform) => {
  const channel = () => channels.find((c) => c.platform === platform)!;

  it('a signed upload is accepted, kept and read back; a forged one is refused and changes nothing', async () => {
    const { shopKey, listed, good, forged } = channel();
    inventory.list(shopKey, listed.key, 3);
    await good.setQuantity(listed.listing, 42);
    expect(inventory.get(shopKey, listed.key)?.quantity).toBe(42);
    expect(await good.getQuantity(listed.listing)).toBe(42);
    await good.setQuantity(listed.listing, 0);
    expect(await good.getQuantity(listed.listing)).toBe(0);

    const updates = inventory.get(shopKey, listed.key)!.updates;
    await expect(forged.setQuantity(listed.listing, 999)).rejects.toBeInstanceOf(AuthError);
    expect(inventory.get(shopKey, listed.key)).toMatchObject({ quantity: 0, updates });
  });

  it('a delisted item or an unknown SKU is refused: recorded, alerted, and not sent again', async () => {
    const { shopKey, listed, unknown, good } = channel();
    const shopId = await createShop(h.db, platform);
    const sku = await seedSku(h.db);
    await seedStock(h.db, warehouse, sku, 50);
    inventory.list(shopKey, listed.key, 0);
    await saveListing(h.db, { shopId, skuCode: sku, ...listed.listing });
    await saveListing(h.db, { shopId, skuCode: sku, ...unknown });
    const pass = () => runSyncPass({ db: h.db, uploader: good, pace: async () => {} }, shopId);

    const first = await pass();
    expect(first.uploaded).toBe(1);
    expect(inventory.get(shopKey, listed.key)?.quantity).toBe(50);
    expect(first.refused).toHaveLength(1);

    // The seller takes the goods down; the next movement's upload is refused.
    inventory.delist(shopKey, listed.key);
    const orderId = uniqueId('order');
    const reserved = await reserveStock(h.db, {
      key: `${orderId}:reserve`,
      orderId,
      allocationId: `${orderId}:a1`,
      parts: [{ warehouse, lines: [{ sku, qty: 5 }] }],
      actor: 'test',
    });
    expect(reserved.outcome.ok).toBe(true);
    const second = await pass();
    expect(second.uploaded).toBe(0);
    expect(second.refused).toHaveLength(1);
    expect(inventory.get(shopKey, listed.key)?.quantity).toBe(50);

    const state = await listSyncState(h.db, { shopId, limit: 10 });
    expect(state.map((s) => s.status)).toEqual(['refused', 'refused']);
    expect(state.every((s) => s.refusal && s.refused_at)).toBe(true);
    const alerts = await listAlerts(h.db, { shopId, limit: 10 });
    expect(alerts.map((a) => a.kind)).toContain('stock_sync_refused');

    // More movements: nothing is sent to the refused listings.
    const calls = inventory.callsOf(shopKey);
    await seedStock(h.db, warehouse, sku, 10);
    const third = await pass();
    expect(third).toMatchObject({ sent: 0, uploaded: 0, refused: [] });
    expect(inventory.callsOf(shopKey)).toBe(calls);
  });
});

describe('batch calls', () => {
  it('Douyin: the SKUs of one product go in one /sku/syncStockBatch call; a refused batch is retried one SKU at a time', async () => {
    const { shopKey, good } = channels.find((c) => c.platform === 'douyin')!;
    const shopId = await createShop(h.db, 'douyin');
    const product = '3618421356874420002';
    const skus = ['1752398844160001', '1752398844160002', '1752398844160003'];
    const codes = await Promise.all(skus.map(() => seedSku(h.db)));
    for (const [i, skuId] of skus.entries()) {
      inventory.list(shopKey, `${product}:${skuId}`, 0);
      await seedStock(h.db, warehouse, codes[i]!, 10 + i);
      await saveListing(h.db, { shopId, skuCode: codes[i]!, itemId: product, skuId });
    }
    const pass = () => runSyncPass({ db: h.db, uploader: good, pace: async () => {} }, shopId);
    const calls = inventory.callsOf(shopKey);
    expect(await pass()).toMatchObject({ sent: 1, uploaded: 3, refused: [] });
    expect(inventory.callsOf(shopKey) - calls).toBe(1);
    expect(skus.map((s) => inventory.get(shopKey, `${product}:${s}`)?.quantity)).toEqual([10, 11, 12]);

    // One SKU taken down: the batch is refused, each SKU is then sent alone, only that one refused.
    inventory.delist(shopKey, `${product}:${skus[1]}`);
    for (const code of codes) await seedStock(h.db, warehouse, code, 5);
    const result = await pass();
    expect(result).toMatchObject({ sent: 4, uploaded: 2 });
    expect(result.refused.map((r) => r.listingKey)).toEqual([expect.stringContaining(skus[1]!)]);
    expect(skus.map((s) => inventory.get(shopKey, `${product}:${s}`)?.quantity)).toEqual([15, 11, 17]);
  });

  it('Temu: the SKUs of one goods go in one bg.local.goods.stock.edit; the SKU Temu refuses is named in its own entry', async () => {
    const { shopKey, good } = channels.find((c) => c.platform === 'temu')!;
    const shopId = await createShop(h.db, 'temu');
    const goods = '601099548660001';
    const skus = ['58224724210001', '58224724210002', '58224724210003'];
    const codes = await Promise.all(skus.map(() => seedSku(h.db)));
    for (const [i, skuId] of skus.entries()) {
      inventory.list(shopKey, `${goods}:${skuId}`, 0);
      await seedStock(h.db, warehouse, codes[i]!, 30 + i);
      await saveListing(h.db, { shopId, skuCode: codes[i]!, itemId: goods, skuId });
    }
    inventory.delist(shopKey, `${goods}:${skus[2]}`);
    const calls = inventory.callsOf(shopKey);
    const result = await runSyncPass({ db: h.db, uploader: good, pace: async () => {} }, shopId);
    expect(result).toMatchObject({ sent: 1, uploaded: 2 });
    expect(inventory.callsOf(shopKey) - calls).toBe(1);
    expect(result.refused).toEqual([
      {
        listingKey: `${goods}:${skus[2]}`,
        reason: expect.stringMatching(/sku 58224724210003 refused: 150010099/),
      },
    ]);
    expect(skus.map((s) => inventory.get(shopKey, `${goods}:${s}`)?.quantity)).toEqual([30, 31, 0]);
  });

  it('Amazon: ten or more listings go in one JSON_LISTINGS_FEED; the processing report names the closed one', async () => {
    const { shopKey, good } = channels.find((c) => c.platform === 'amazon')!;
    const shopId = await createShop(h.db, 'amazon');
    const skus = Array.from({ length: 12 }, (_, i) => `FEED-SKU-${i}`);
    const codes = await Promise.all(skus.map(() => seedSku(h.db)));
    for (const [i, sellerSku] of skus.entries()) {
      inventory.list(shopKey, sellerSku, 0);
      await seedStock(h.db, warehouse, codes[i]!, 20 + i);
      await saveListing(h.db, { shopId, skuCode: codes[i]!, skuId: sellerSku });
    }
    inventory.delist(shopKey, skus[5]!);
    const result = await runSyncPass({ db: h.db, uploader: good, pace: async () => {} }, shopId);
    expect(result).toMatchObject({ sent: 1, uploaded: 11 });
    expect(result.refused).toEqual([{ listingKey: `:${skus[5]}`, reason: expect.stringMatching(/closed/) }]);
    expect(skus.map((s) => inventory.get(shopKey, s)?.quantity)).toEqual(
      skus.map((_, i) => (i === 5 ? 0 : 20 + i)),
    );
  });
});
