import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataKeyring } from '../../db/crypto/data-keys.js';
import { openReceiver } from '../../db/crypto/receivers.js';
import type { NormalizedOrder, Receiver } from '../../domain/order.js';
import { createAdapter } from '../../integrations/platforms/registry.js';
import type { Sandbox } from '../../sandbox/stack.js';
import { uniqueId } from '../support/fixtures.js';
import type { Harness } from '../support/harness.js';
import { startPolledShops, waitForCaptured } from './support.js';

/**
 * TikTok Shop, Xiaohongshu and WeChat Channels shops polled by the shop sync workflow (no pushes:
 * the sandbox has no webhook URL): each channel's windows (TikTok page tokens, Xiaohongshu's
 * 30-minute windows read from the last page, WeChat's ids then details) capture every order, ids
 * exact; the masked receivers are stored masked, and the plain one is read through the platform
 * from the stored order when a waybill needs it.
 */
const ids = { tiktok: uniqueId('tt'), xiaohongshu: uniqueId('xhs'), wechat_shop: uniqueId('wx') };
const CHANNELS = ['tiktok', 'xiaohongshu', 'wechat_shop'] as const;

let h: Harness;
let sandbox: Sandbox;

beforeAll(async () => {
  ({ h, sandbox } = await startPolledShops(ids));
});
afterAll(async () => {
  await h.teardown();
  await sandbox.stop();
});

const stored = (platform: (typeof CHANNELS)[number], platformOrderId: string) =>
  h.db
    .selectFrom('orders')
    .select(['platform_order_id', 'receiver'])
    .where('shop_id', '=', ids[platform])
    .where('platform_order_id', '=', platformOrderId)
    .executeTakeFirstOrThrow();

describe.each(CHANNELS)('%s polled', (platform) => {
  it('captures every order placed, ids exact', async () => {
    const orders = sandbox.placeOrders(platform, { count: 15, scenario: 'normal_day' });
    await waitForCaptured(
      h.db,
      ids[platform],
      orders.map((o) => o.id),
    );
    const later = sandbox.placeOrders(platform, { count: 5, scenario: 'normal_day' });
    await waitForCaptured(
      h.db,
      ids[platform],
      later.map((o) => o.id),
    );
  });
});

describe.each(['xiaohongshu', 'wechat_shop'] as const)('%s receivers', (platform) => {
  it('are stored masked; the plain receiver comes from the platform, for the stored order', async () => {
    const [order] = sandbox.placeOrders(platform, { count: 1, scenario: 'normal_day' });
    await waitForCaptured(h.db, ids[platform], [order!.id]);
    const row = await stored(platform, order!.id);
    // At rest the personal fields are sealed; opened, they are the platform's masks.
    const receiver = openReceiver(dataKeyring(h.config), row.receiver as never) as unknown as Receiver;
    expect(receiver.protected).toBe(true);
    expect(receiver.addressHandle).toBeTruthy();
    expect(JSON.stringify(receiver)).not.toContain(order!.receiver.phone);
    expect(JSON.stringify(receiver)).not.toContain(order!.receiver.detail);

    const shop = sandbox.shop(platform);
    const adapter = createAdapter({ ...shop, shopId: ids[platform] });
    const plain = await adapter.decryptReceiver({
      platform,
      shopId: ids[platform],
      platformOrderId: order!.id,
      receiver,
    } as NormalizedOrder);
    expect(plain).toMatchObject({
      name: order!.receiver.name,
      phone: order!.receiver.phone,
      detail: order!.receiver.detail,
      protected: false,
    });
  });
});
