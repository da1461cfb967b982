import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RequestRejectedError } from '../../integrations/platforms/errors.js';
import { createStockUploader } from '../../integrations/platforms/stock-registry.js';
import type { StockUploader } from '../../integrations/platforms/stock.js';
import type { AdapterContext } from '../../integrations/platforms/types.js';
import { SimInventory } from '../../sandbox/kit/inventory.js';
import { SimOrderStore } from '../../sandbox/kit/store.js';
import { ShopeeSimAuth, shopeeSimulator } from '../../sandbox/platforms/shopee/index.js';
import { shopifySimulator } from '../../sandbox/platforms/shopify/index.js';
import { taobaoSimulator } from '../../sandbox/platforms/taobao/index.js';

/**
 * Each platform's stock upload against its simulator: the simulator checks the signature with its
 * own code, keeps the quantity, and refuses what the platform refuses.
 */
const inventory = new SimInventory();
const servers: FastifyInstance[] = [];

async function serve(register: (app: FastifyInstance) => PromiseLike<unknown>): Promise<string> {
  const app = Fastify();
  await register(app);
  await app.listen({ port: 0, host: '127.0.0.1' });
  servers.push(app);
  return `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
}

const TB = { appKey: '12345678', appSecret: 'tb-secret', nick: '示例旗舰店', session: 'tb-session-1' };
const SP = { partnerId: '2001887', partnerKey: 'sp-partner-key', shop: '600000' };
const SF = { token: 'shpat_stock', shop: 'demo.myshopify.com' };

let tbUrl: string;
let taobao: StockUploader;
let tmallHmac: StockUploader;
let shopee: StockUploader;
let shopify: StockUploader;

beforeAll(async () => {
  const store = new SimOrderStore();
  tbUrl = await serve((app) =>
    app.register(taobaoSimulator, {
      store,
      appKey: TB.appKey,
      appSecret: TB.appSecret,
      shops: [{ nick: TB.nick, accessToken: TB.session }],
      inventory,
    }),
  );
  const ctx = (baseUrl: string, credentials: AdapterContext['credentials'], platformShopId: string) => ({
    shopId: 'shop',
    platformShopId,
    baseUrl,
    credentials,
  });
  const tbCredentials = { appKey: TB.appKey, appSecret: TB.appSecret, accessToken: TB.session };
  taobao = createStockUploader('taobao', ctx(tbUrl, tbCredentials, TB.nick))!;
  tmallHmac = createStockUploader('tmall', ctx(tbUrl, tbCredentials, TB.nick))!;

  const auth = new ShopeeSimAuth();
  const spUrl = await serve((app) =>
    app.register(shopeeSimulator, {
      store,
      partner: { partnerId: SP.partnerId, partnerKey: SP.partnerKey },
      auth,
      inventory,
    }),
  );
  const grant = auth.grant(SP.shop);
  shopee = createStockUploader(
    'shopee',
    ctx(
      spUrl,
      {
        appKey: SP.partnerId,
        appSecret: SP.partnerKey,
        accessToken: grant.accessToken,
        refreshToken: grant.refreshToken,
      },
      SP.shop,
    ),
  )!;

  const sfUrl = await serve((app) =>
    app.register(shopifySimulator, { store, tokens: { [SF.token]: SF.shop }, inventory }),
  );
  shopify = createStockUploader(
    'shopify',
    ctx(sfUrl, { appKey: 'k', appSecret: 's', accessToken: SF.token }, SF.shop),
  )!;
});
afterAll(async () => {
  for (const app of servers) await app.close();
});

describe('Taobao taobao.item.quantity.update', () => {
  it('sets a SKU and an item without SKUs to the quantity given, and reads them back', async () => {
    inventory.list(TB.nick, '600123:4001', 7);
    inventory.list(TB.nick, '600123:4002', 3);
    inventory.list(TB.nick, '600200', 1);
    await taobao.setQuantity({ itemId: '600123', skuId: '4001' }, 42);
    await tmallHmac.setQuantity({ itemId: '600200', skuId: '600200' }, 5);
    expect(inventory.get(TB.nick, '600123:4001')?.quantity).toBe(42);
    expect(inventory.get(TB.nick, '600200')?.quantity).toBe(5);
    expect(await taobao.getQuantity({ itemId: '600123', skuId: '4001' })).toBe(42);
    expect(await taobao.getQuantity({ itemId: '600123', skuId: '4002' })).toBe(3);
    expect(await taobao.getQuantity({ itemId: '600200', skuId: '600200' })).toBe(5);
  });

  it('an unknown SKU or a deleted item is refused, not retried', async () => {
    inventory.list(TB.nick, '600300', 2);
    inventory.delist(TB.nick, '600300');
    await expect(taobao.setQuantity({ itemId: '600123', skuId: '9999' }, 1)).rejects.toBeInstanceOf(
      RequestRejectedError,
    );
    await expect(taobao.setQuantity({ itemId: '600300', skuId: '600300' }, 1)).rejects.toThrow(
      /isv.item-is-delete/,
    );
  });

  it('a wrong signature is refused by the simulator', async () => {
    const forged = createStockUploader('taobao', {
      shopId: 'shop',
      platformShopId: TB.nick,
      baseUrl: tbUrl,
      credentials: { appKey: TB.appKey, appSecret: 'not-the-secret', accessToken: TB.session },
    })!;
    await expect(forged.setQuantity({ itemId: '600123', skuId: '4001' }, 1)).rejects.toThrow(
      /Invalid signature/,
    );
    expect(inventory.get(TB.nick, '600123:4001')?.quantity).toBe(42);
  });
});

describe('Shopee v2.product.update_stock', () => {
  it('sets a model’s seller stock and reads it from get_model_list', async () => {
    inventory.list(SP.shop, '880001:0', 4);
    inventory.list(SP.shop, '880002:51', 4);
    await shopee.setQuantity({ itemId: '880001', skuId: '0' }, 12);
    await shopee.setQuantity({ itemId: '880002', skuId: '51' }, 0);
    expect(inventory.get(SP.shop, '880001:0')?.quantity).toBe(12);
    expect(await shopee.getQuantity({ itemId: '880002', skuId: '51' })).toBe(0);
  });

  it('a failure_list entry (unlisted item, unknown model) is a refusal', async () => {
    inventory.list(SP.shop, '880003:0', 4);
    inventory.delist(SP.shop, '880003:0');
    await expect(shopee.setQuantity({ itemId: '880003', skuId: '0' }, 2)).rejects.toThrow(
      /item status is not NORMAL/,
    );
    await expect(shopee.setQuantity({ itemId: '880001', skuId: '77' }, 2)).rejects.toBeInstanceOf(
      RequestRejectedError,
    );
  });
});

describe('Shopee batch', () => {
  it('sets the models of one item in one call and names the model it refuses', async () => {
    inventory.list(SP.shop, '880010:1', 0);
    inventory.list(SP.shop, '880010:2', 0);
    const calls = inventory.callsOf(SP.shop);
    const outcomes = await shopee.batch!.set([
      { listing: { itemId: '880010', skuId: '1' }, quantity: 7 },
      { listing: { itemId: '880010', skuId: '9' }, quantity: 7 },
      { listing: { itemId: '880010', skuId: '2' }, quantity: 8 },
    ]);
    expect(inventory.callsOf(SP.shop) - calls).toBe(1);
    expect(outcomes.map((o) => o.ok)).toEqual([true, false, true]);
    expect(inventory.get(SP.shop, '880010:1')?.quantity).toBe(7);
    expect(inventory.get(SP.shop, '880010:2')?.quantity).toBe(8);
  });
});

describe('Shopify inventory_levels/set', () => {
  it('sets available at the location and reads it back', async () => {
    inventory.list(SF.shop, '808950810@655441491', 9);
    const listing = { skuId: '808950810', extra: { locationId: '655441491' } };
    await shopify.setQuantity(listing, 31);
    expect(inventory.get(SF.shop, '808950810@655441491')?.quantity).toBe(31);
    expect(await shopify.getQuantity(listing)).toBe(31);
  });

  it('an item not stocked at the location is refused with 422', async () => {
    await expect(
      shopify.setQuantity({ skuId: '1', extra: { locationId: '655441491' } }, 3),
    ).rejects.toBeInstanceOf(RequestRejectedError);
  });
});
