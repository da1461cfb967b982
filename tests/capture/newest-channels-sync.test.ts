import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataKeyring } from '../../db/crypto/data-keys.js';
import { openReceiver } from '../../db/crypto/receivers.js';
import type { NormalizedOrder, Receiver } from '../../domain/order.js';
import { createAdapter } from '../../integrations/platforms/registry.js';
import type { SimOrder } from '../../sandbox/orders/model.js';
import type { Sandbox } from '../../sandbox/stack.js';
import { uniqueId } from '../support/fixtures.js';
import type { Harness } from '../support/harness.js';
import { startPolledShops, waitForCaptured } from './support.js';

/**
 * Youzan, AliExpress, Weidian and 1688 shops polled by the shop sync workflow (no pushes: the sandbox has no
 * webhook URL): Youzan's token asked by silent grant, AliExpress's signed gateway with order ids
 * then details, Weidian's gateway (a token from the app key and secret), 1688's signed param2 gateway (18-digit
 * ids beyond 2^53 read as strings), Temu's router, Dewu's signed gateway (19-digit order numbers sent as bare JSON
 * numbers, read as strings), VIP's VOP gateway (HMAC-MD5 signed, orders by the time VIP released them,
 * lines by barcode), update-time windows read
 * page by page — every order is captured, ids exact
 * (AliExpress's 16-digit numbers as strings); Youzan's encrypted receivers are stored as its
 * ciphertext, and the plain one is read through Youzan's decrypt call from the stored order when a
 * waybill needs it.
 */
const ids = {
  youzan: uniqueId('yz'),
  aliexpress: uniqueId('ae'),
  weidian: uniqueId('wd'),
  alibaba_1688: uniqueId('cbu'),
  temu: uniqueId('temu'),
  dewu: uniqueId('dewu'),
  vip: uniqueId('vip'),
};
const CHANNELS = ['youzan', 'aliexpress', 'weidian', 'alibaba_1688', 'temu', 'dewu', 'vip'] as const;

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

/**
 * VIP shows its vendors only the orders it has audited (paid): orders placed unpaid are paid here,
 * as VIP's audit would release them; the other channels list them as placed.
 */
function released(platform: (typeof CHANNELS)[number], orders: SimOrder[]): SimOrder[] {
  if (platform !== 'vip') return orders;
  const at = new Date();
  return orders.map((o) =>
    sandbox.platforms.vip.store.update(
      o.shopKey,
      o.id,
      (x) => {
        if (x.status === 'unpaid' || x.status === 'deposit_paid') {
          x.status = 'paid';
          x.paidAt = at;
        }
      },
      at,
    )!,
  );
}

describe.each(CHANNELS)('%s polled', (platform) => {
  it('captures every order placed, ids exact', async () => {
    const orders = released(platform, sandbox.placeOrders(platform, { count: 15, scenario: 'normal_day' }));
    await waitForCaptured(
      h.db,
      ids[platform],
      orders.map((o) => o.id),
    );
    const later = released(platform, sandbox.placeOrders(platform, { count: 5, scenario: 'group_buy' }));
    await waitForCaptured(
      h.db,
      ids[platform],
      later.map((o) => o.id),
    );
  });
});

describe.each(['youzan'] as const)('%s receivers', (platform) => {
  it('are stored as the platform’s ciphertext; the plain receiver comes from the platform, for the stored order', async () => {
    const [order] = sandbox.placeOrders(platform, { count: 1, scenario: 'normal_day' });
    await waitForCaptured(h.db, ids[platform], [order!.id]);
    const row = await stored(platform, order!.id);
    const receiver = openReceiver(dataKeyring(h.config), row.receiver as never) as unknown as Receiver;
    expect(receiver.protected).toBe(true);
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
