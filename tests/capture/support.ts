import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import type { Db } from '../../db/connect.js';
import { PATIENCE_MS } from '../support/waits.js';
import { orderWorkflowId } from '../../domain/ids.js';
import type { SimOrder } from '../../sandbox/orders/model.js';
import { renderShopifyWebhook } from '../../sandbox/platforms/shopify/index.js';
import { renderWooWebhook } from '../../sandbox/platforms/woocommerce/index.js';
import { startSandbox, type Sandbox, type SandboxShop } from '../../sandbox/stack.js';
import type { Platform } from '../../domain/platforms.js';
import { seedDemoData } from '../../scripts/stack/demo-data.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { createHarness, type Harness } from '../support/harness.js';

/** Registers a sandbox shop through the API, as ops would: `POST /shops`. */
export async function registerShop(
  api: FastifyInstance,
  auth: { authorization: string },
  shop: SandboxShop,
  overrides: Record<string, unknown> = {},
): Promise<string> {
  const id = typeof overrides['id'] === 'string' ? overrides['id'] : shop.id;
  const res = await api.inject({
    method: 'POST',
    url: '/shops',
    headers: auth,
    payload: {
      id,
      platform: shop.platform,
      name: shop.name,
      platformShopId: shop.platformShopId,
      ...(shop.baseUrl ? { baseUrl: shop.baseUrl } : {}),
      // Only what is set: an own store has no app key or secret, just its webhook secret.
      credentials: Object.fromEntries(Object.entries(shop.credentials).filter(([, v]) => v !== '')),
      ...overrides,
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  return id;
}

/** The platform order ids captured for a shop (one row each by construction of the key). */
export async function capturedIds(db: Db, shopId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('orders')
    .select('platform_order_id')
    .where('shop_id', '=', shopId)
    .execute();
  return rows.map((r) => r.platform_order_id).sort();
}

export async function waitForCaptured(db: Db, shopId: string, ids: readonly string[], timeout = PATIENCE_MS) {
  await expect
    .poll(
      async () => {
        const have = new Set(await capturedIds(db, shopId));
        return ids.filter((id) => !have.has(id));
      },
      { timeout, interval: 200 },
    )
    .toEqual([]);
}

/** Pushes a simulated Shopify or WooCommerce order through its signed webhook; returns the order id. */
export async function pushStoreOrder(
  api: FastifyInstance,
  sandbox: Sandbox,
  platform: 'shopify' | 'woocommerce',
  shopId: string,
  order: SimOrder,
): Promise<string> {
  const shop = sandbox.shop(platform);
  const rendered =
    platform === 'shopify'
      ? renderShopifyWebhook(
          { secret: shop.credentials.appSecret, shopDomain: shop.platformShopId },
          order,
          'orders/create',
        )
      : renderWooWebhook(
          { secret: shop.credentials.webhookSecret!, sourceUrl: shop.platformShopId, webhookId: 7 },
          order,
          'order.created',
        );
  const res = await api.inject({
    method: 'POST',
    url: `/webhooks/${platform}/${shopId}`,
    headers: rendered.headers,
    payload: rendered.body,
  });
  expect(res.statusCode, res.body).toBe(202);
  return orderWorkflowId(platform, shopId, order.id);
}

/**
 * The harness with its API and worker, the demo data, and the sandbox with a shop per platform in
 * `ids` registered through the API, polling off: orders arrive only when a test sends or names them.
 */
export async function startSandboxShops(
  ids: Partial<Record<Platform, string>>,
): Promise<{ h: Harness; api: FastifyInstance; sandbox: Sandbox; close(): Promise<void> }> {
  const h = await createHarness();
  const api = await h.api();
  await seedDemoData(h.db);
  const sandbox = await startSandbox({ shopIds: ids });
  const ops = bearer(await apiKeyFor(h.db, ['ops']));
  for (const platform of Object.keys(ids) as Platform[]) {
    await registerShop(api, ops, sandbox.shop(platform), { syncEnabled: false });
  }
  await h.startWorker();
  return {
    h,
    api,
    sandbox,
    async close() {
      await h.teardown();
      await sandbox.stop();
    },
  };
}

/**
 * A dev server whose worker polls the sandbox's shops of these platforms every 2 s (registered
 * through the API, a 5 s overlap and no safety lag): the setup of the channel sync tests.
 */
export async function startPolledShops(
  shopIds: Partial<Record<Platform, string>>,
  config: Record<string, string> = {},
): Promise<{ h: Harness; api: FastifyInstance; sandbox: Sandbox }> {
  const h = await createHarness({ SYNC_OVERLAP_SECONDS: '5', SYNC_SAFETY_LAG_SECONDS: '0', ...config });
  const api = await h.api();
  const sandbox = await startSandbox({ shopIds });
  const ops = bearer(await apiKeyFor(h.db, ['ops']));
  for (const platform of Object.keys(shopIds) as Platform[]) {
    await registerShop(api, ops, sandbox.shop(platform), { pollIntervalSeconds: 2 });
  }
  await h.startWorker();
  return { h, api, sandbox };
}
