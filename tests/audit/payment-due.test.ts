import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderWorkflowId } from '../../domain/ids.js';
import type { SimOrder } from '../../sandbox/orders/model.js';
import type { Sandbox } from '../../sandbox/stack.js';
import { requestOrderFetch } from '../../services/capture/sync-control.js';
import { startSandboxShops } from '../capture/support.js';
import { uniqueId } from '../support/fixtures.js';
import type { Harness } from '../support/harness.js';
import { waitForStage } from '../support/waits.js';

/**
 * The amount due comes from what the platform itemises (JD: goods, the coupons it lists, freight;
 * Shopee: discounted items, the escrow detail's vouchers and the shipping the buyer paid), never from
 * what was paid. A buyer who paid less than that waits for finance; one who paid it goes on.
 */
const ids = { jd: uniqueId('jd-due'), shopee: uniqueId('shopee-due') };
type Platform = keyof typeof ids;
let h: Harness;
let sandbox: Sandbox;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ h, sandbox, close } = await startSandboxShops(ids));
});
afterAll(() => close());

/** A paid two-unit order with a line discount and a shop voucher, paid `shortFen` less than due. */
function paidOrder(platform: Platform, shortFen: number): SimOrder {
  const [order] = sandbox.placeOrders(platform, { count: 1, scenario: 'normal_day', seed: uniqueId('due') });
  const first = { ...order!.items[0]!, quantity: 2, discountMinor: 300 };
  const goods = first.unitPriceMinor * 2 - first.discountMinor;
  const now = new Date();
  order!.plan.length = 0; // nothing happens to it on its own
  return Object.assign(order!, {
    status: 'paid' as const,
    paidAt: now,
    modifiedAt: now,
    currency: 'CNY',
    items: [first],
    discountMinor: 500,
    shippingMinor: 1_000,
    paidMinor: goods - 500 + 1_000 - shortFen,
    buyerRemark: undefined,
    sellerMemo: undefined,
    refund: undefined,
  } satisfies Partial<SimOrder>);
}

async function capture(platform: Platform, order: SimOrder): Promise<string> {
  sandbox.platforms[platform].store.upsert(order);
  await requestOrderFetch(h.client, h.config.TASK_QUEUE_ORDERS, { id: ids[platform], platform }, [
    { platformOrderId: order.id },
  ]);
  const id = orderWorkflowId(platform, ids[platform], order.id);
  await waitForStage(h.db, id, 'audited');
  return id;
}

async function holds(id: string): Promise<Array<{ reason: string; detail: string }>> {
  return h.db.selectFrom('order_holds').select(['reason', 'detail']).where('order_id', '=', id).execute();
}

describe('paid = due on platforms that report the payment apart from the prices', () => {
  it.each(['jd', 'shopee'] as const)(
    'a %s order paid 5 yuan short is held for finance as a payment mismatch',
    async (platform) => {
      const id = await capture(platform, paidOrder(platform, 500));
      const held = (await holds(id)).filter((x) => x.reason === 'payment_mismatch');
      expect(held).toHaveLength(1);
      expect(held[0]!.detail).toMatch(/paid \d+ fen but \d+ fen is due/);
      const row = await h.db
        .selectFrom('orders')
        .select(['paid_fen', 'goods_fen', 'discount_fen', 'shipping_fen'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      expect(
        Number(row.goods_fen) - Number(row.discount_fen) + Number(row.shipping_fen) - Number(row.paid_fen),
      ).toBe(500);
    },
  );

  it.each(['jd', 'shopee'] as const)(
    'a %s order with a line discount and a voucher, paid in full, is not held for payment',
    async (platform) => {
      const id = await capture(platform, paidOrder(platform, 0));
      expect((await holds(id)).map((x) => x.reason)).not.toContain('payment_mismatch');
      const row = await h.db
        .selectFrom('orders')
        .select(['discount_fen'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      expect(Number(row.discount_fen)).toBe(800);
    },
  );
});
