import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/stack.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { uniqueId } from '../support/fixtures.js';
import { createHarness, type Harness } from '../support/harness.js';
import { registerShop, waitForCaptured } from './support.js';

/**
 * eBay, Walmart and Mercado Libre shops polled by the shop sync workflow (no pushes: the sandbox
 * has no webhook URL): eBay's lastmodifieddate windows with offset pages, Walmart's nextCursor
 * (orders shown once paid), Mercado Libre's search with each order's shipment read for its
 * receiver — every order is captured, ids exact (Mercado Libre's 16-digit numbers as strings).
 */
const ids = { ebay: uniqueId('eb'), walmart: uniqueId('wm'), mercadolibre: uniqueId('ml') };
const CHANNELS = ['ebay', 'walmart', 'mercadolibre'] as const;

let h: Harness;
let api: FastifyInstance;
let sandbox: Sandbox;

beforeAll(async () => {
  h = await createHarness({ SYNC_OVERLAP_SECONDS: '5', SYNC_SAFETY_LAG_SECONDS: '0' });
  api = await h.api();
  sandbox = await startSandbox({ shopIds: ids });
  const ops = bearer(await apiKeyFor(h.db, ['ops']));
  for (const platform of CHANNELS) {
    await registerShop(api, ops, sandbox.shop(platform), { pollIntervalSeconds: 2 });
  }
  await h.startWorker();
});
afterAll(async () => {
  await h.teardown();
  await sandbox.stop();
});

/** Walmart lists an order only once it is paid; the other channels list every order. */
const listed = (platform: (typeof CHANNELS)[number], orders: Array<{ id: string; status: string }>) =>
  orders.filter((o) => platform !== 'walmart' || (o.status !== 'unpaid' && o.status !== 'deposit_paid'));

describe.each(CHANNELS)('%s polled', (platform) => {
  it('captures every order placed, ids exact', async () => {
    const orders = listed(platform, sandbox.placeOrders(platform, { count: 15, scenario: 'cross_border' }));
    expect(orders.length).toBeGreaterThan(5);
    await waitForCaptured(
      h.db,
      ids[platform],
      orders.map((o) => o.id),
    );
    const later = listed(platform, sandbox.placeOrders(platform, { count: 5, scenario: 'refunds' }));
    await waitForCaptured(
      h.db,
      ids[platform],
      later.map((o) => o.id),
    );
  });
});
