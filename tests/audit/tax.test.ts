import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimOrder } from '../../sandbox/orders/model.js';
import type { Sandbox } from '../../sandbox/stack.js';
import { pushStoreOrder, startSandboxShops } from '../capture/support.js';
import { uniqueId } from '../support/fixtures.js';
import type { Harness } from '../support/harness.js';
import { waitForStage } from '../support/waits.js';

/**
 * Cross-border stores charge tax on top of the price (Shopify `total_tax` and `tax_lines`,
 * WooCommerce `total_tax`), and the buyer's payment includes it. Counted in the amount due, a taxed
 * order paid in full passes the payment audit instead of waiting for finance; each line keeps its
 * tax for reports.
 */
const ids = { shopify: uniqueId('shopify-tax'), woocommerce: uniqueId('woo-tax') };
let h: Harness;
let api: FastifyInstance;
let sandbox: Sandbox;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ h, api, sandbox, close } = await startSandboxShops(ids));
});
afterAll(() => close());

/** A paid two-line order with 10% tax on each line, in CNY so no exchange rate is involved. */
function taxedOrder(platform: 'shopify' | 'woocommerce'): SimOrder {
  const [order] = sandbox.placeOrders(platform, { count: 1, scenario: 'group_buy', seed: uniqueId('tax') });
  const first = { ...order!.items[0]!, quantity: 2, discountMinor: 0 };
  const items = [
    { ...first, taxMinor: Math.round((first.unitPriceMinor * 2) / 10) },
    { ...first, lineId: `${first.lineId}9`, quantity: 1, taxMinor: Math.round(first.unitPriceMinor / 10) },
  ];
  const tax = items.reduce((s, i) => s + i.taxMinor, 0);
  return Object.assign(order!, {
    status: 'paid' as const,
    paidAt: order!.paidAt ?? order!.createdAt,
    currency: 'CNY',
    items,
    discountMinor: 0,
    shippingMinor: 1_000,
    paidMinor: first.unitPriceMinor * 3 + 1_000 + tax,
    buyerRemark: undefined,
    sellerMemo: undefined,
    refund: undefined,
  } satisfies Partial<SimOrder>);
}

function push(platform: 'shopify' | 'woocommerce', order: SimOrder): Promise<string> {
  return pushStoreOrder(api, sandbox, platform, ids[platform], order);
}

describe('tax in the amount due', () => {
  it.each(['shopify', 'woocommerce'] as const)(
    'a %s order with tax, paid in full, is not held for finance, and keeps its tax per line',
    async (platform) => {
      const order = taxedOrder(platform);
      const id = await push(platform, order);
      await waitForStage(h.db, id, 'audited');
      const audited = await h.db
        .selectFrom('order_events')
        .select('detail')
        .where('order_id', '=', id)
        .where('stage', '=', 'audited')
        .executeTakeFirstOrThrow();
      expect((audited.detail as { holds: string[] }).holds).not.toContain('payment_mismatch');
      const holds = await h.db
        .selectFrom('order_holds')
        .select('reason')
        .where('order_id', '=', id)
        .execute();
      expect(holds.map((x) => x.reason)).not.toContain('payment_mismatch');

      const tax = order.items.reduce((s, i) => s + (i.taxMinor ?? 0), 0);
      const row = await h.db
        .selectFrom('orders')
        .select(['tax_fen', 'paid_fen', 'goods_fen', 'shipping_fen', 'discount_fen'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      expect(Number(row.tax_fen)).toBe(tax);
      expect(Number(row.paid_fen)).toBe(
        Number(row.goods_fen) - Number(row.discount_fen) + Number(row.shipping_fen) + tax,
      );
      const lines = await h.db
        .selectFrom('order_lines')
        .select(['line_id', 'tax_fen'])
        .where('order_id', '=', id)
        .orderBy('line_id')
        .execute();
      expect(lines.map((l) => [l.line_id, Number(l.tax_fen)])).toEqual(
        order.items.map((i) => [i.lineId, i.taxMinor]).sort(),
      );
    },
  );
});
