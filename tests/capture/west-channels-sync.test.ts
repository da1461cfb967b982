import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../sandbox/stack.js';
import { uniqueId } from '../support/fixtures.js';
import type { Harness } from '../support/harness.js';
import { startPolledShops, waitForCaptured } from './support.js';

/**
 * eBay, Walmart and Mercado Libre shops polled by the shop sync workflow (no pushes: the sandbox
 * has no webhook URL): eBay's lastmodifieddate windows with offset pages, Walmart's nextCursor
 * (orders shown once paid), Mercado Libre's search with each order's shipment read for its
 * receiver — every order is captured, ids exact (Mercado Libre's 16-digit numbers as strings).
 */
const ids = { ebay: uniqueId('eb'), walmart: uniqueId('wm'), mercadolibre: uniqueId('ml') };
const CHANNELS = ['ebay', 'walmart', 'mercadolibre'] as const;

let h: Harness;
let sandbox: Sandbox;

beforeAll(async () => {
  ({ h, sandbox } = await startPolledShops(ids));
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
