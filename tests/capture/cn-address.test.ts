import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOGUE } from '../../sandbox/orders/catalogue.js';
import type { SimOrder, SimReceiver } from '../../sandbox/orders/model.js';
import { startSandbox, type Sandbox } from '../../sandbox/stack.js';
import { seedDemoData } from '../../scripts/stack/demo-data.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { READY_STATUS, uniqueId } from '../support/fixtures.js';
import { setupWarehouse } from '../support/fulfilment.js';
import { createHarness, type Harness } from '../support/harness.js';
import { waitForOrderStatus, waitForStage, waitForState } from '../support/waits.js';
import { pushStoreOrder, registerShop } from './support.js';

/**
 * Orders from self-built stores shipping to mainland China, pushed the way Shopify and WooCommerce
 * push them: their address forms have no district, so the buyer's district is in address1 or the
 * city. The ERP finds it there and the order passes audit; where the lines name none, the order is
 * held for customer service, saying the district is not in the address lines.
 */
const ids = { shopify: uniqueId('shopify-cn'), woocommerce: uniqueId('woo-cn') };
let h: Harness;
let api: FastifyInstance;
let sandbox: Sandbox;

beforeAll(async () => {
  h = await createHarness();
  api = await h.api();
  await seedDemoData(h.db);
  // Stock of every catalogue SKU, covering the orders' provinces: an order that passes audit moves on.
  await setupWarehouse(h.db, {
    stock: Object.fromEntries(CATALOGUE.map((s) => [s.code, 20])),
    capabilities: ['cold_chain', 'fragile'],
  });
  sandbox = await startSandbox({ shopIds: ids });
  const ops = bearer(await apiKeyFor(h.db, ['ops']));
  // Polling off: each order arrives only through its signed push.
  for (const platform of ['shopify', 'woocommerce'] as const) {
    await registerShop(api, ops, sandbox.shop(platform), { syncEnabled: false });
  }
  await h.startWorker();
});
afterAll(async () => {
  await h.teardown();
  await sandbox.stop();
});

/** A plain paid order of one catalogue item to `receiver`: nothing else for a person to look at. */
function paidOrder(
  platform: 'shopify' | 'woocommerce',
  receiver: Omit<SimReceiver, 'name' | 'phone' | 'country'>,
) {
  const [order] = sandbox.placeOrders(platform, { count: 1, scenario: 'group_buy', seed: uniqueId('cn') });
  const item = { ...order!.items[0]!, quantity: 1, discountMinor: 0 };
  return Object.assign(order!, {
    items: [item],
    discountMinor: 0,
    shippingMinor: 0,
    paidMinor: item.unitPriceMinor,
    buyerRemark: undefined,
    sellerMemo: undefined,
    refund: undefined,
    receiver: { name: '王小明', phone: '13912345678', country: 'CN', ...receiver },
  } satisfies Partial<SimOrder>);
}

function push(platform: 'shopify' | 'woocommerce', order: SimOrder): Promise<string> {
  return pushStoreOrder(api, sandbox, platform, ids[platform], order);
}

async function storedReceiver(id: string) {
  const row = await h.db
    .selectFrom('orders')
    .select(['receiver'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return row.receiver as { province: string; city: string; district: string };
}

describe('Chinese addresses from Shopify and WooCommerce pushes', () => {
  it.each([
    {
      platform: 'woocommerce' as const,
      receiver: {
        province: '上海市',
        city: '上海市',
        district: '浦东新区',
        town: '陆家嘴街道',
        detail: '世纪大道100号',
        postalCode: '200120',
      },
    },
    {
      platform: 'shopify' as const,
      receiver: {
        province: '浙江省',
        city: '金华市',
        district: '义乌市',
        town: '稠城街道',
        detail: '工人北路1号',
        postalCode: '322000',
      },
    },
  ])('$platform: the district in the address lines passes audit', async ({ platform, receiver }) => {
    const id = await push(platform, paidOrder(platform, receiver));
    await waitForStage(h.db, id, 'audit_passed');
    await waitForOrderStatus(h.db, id, READY_STATUS);
    const state = await waitForState(h.client, id, () => true);
    expect(state.holds).toEqual([]);
    expect(await storedReceiver(id)).toMatchObject({
      province: receiver.province,
      city: receiver.city,
      district: receiver.district,
    });
  });

  it('an order whose address lines name no district is held, saying the district is not in them', async () => {
    const order = paidOrder('woocommerce', {
      province: '浙江省',
      city: '杭州市',
      district: '',
      detail: '文三路100号',
      postalCode: '310012',
    });
    const id = await push('woocommerce', order);
    const held = await waitForState(h.client, id, (s) => s.status === 'held');
    expect(held.holds).toEqual([
      expect.objectContaining({
        reason: 'address_invalid',
        clearedBy: 'customer-service',
        detail:
          'address: district is missing and could not be found in the address lines (a district of 杭州市)',
      }),
    ]);
    expect(await storedReceiver(id)).toMatchObject({ province: '浙江省', city: '杭州市', district: '' });
  });
});
