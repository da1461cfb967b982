import { z } from 'zod';
import { amountToMinor } from '../../../domain/money.js';
import type { AfterSalesApi } from '../after-sales-types.js';
import { PlatformError } from '../errors.js';
import { merchantRefundAnswer, merchantRefundCase } from '../merchant-refund-case.js';
import type { AdapterContext } from '../types.js';
import { createWooRequest } from './client.js';
import { gmt } from './normalize.js';

/**
 * WooCommerce refunds as after-sales cases (AFTER-SALES-FACTS §1.8). Core WooCommerce has no
 * buyer's refund request: a refund is the merchant's (`POST …/orders/<id>/refunds`, made in the
 * store's admin), so a case records it as refunded and sets the order's lines; there is nothing to
 * agree or refuse. There is no refund webhook either: the `order.updated` push (a changed
 * `refunds[]`) and the poll name the refund, and the case reads it with
 * `GET /orders/<id>/refunds/<refund_id>`. The refunded lines are the refund's `line_items` whose
 * `_refunded_item_id` meta names the order's item (WooCommerce core's meta key, not in the facts:
 * a refund without it covers the whole order).
 */
const id = z.union([z.string(), z.number().int()]).transform(String);
const WooRefundSchema = z.object({
  id,
  date_created_gmt: z.string(),
  amount: z.string(),
  reason: z.string().nullish(),
  line_items: z
    .array(
      z.object({
        id,
        meta_data: z
          .array(z.object({ key: z.string(), value: z.unknown() }))
          .nullish()
          .transform((v) => v ?? []),
      }),
    )
    .nullish()
    .transform((v) => v ?? []),
});

export function createWooAfterSales(ctx: AdapterContext): AfterSalesApi {
  const request = createWooRequest(ctx);
  return {
    platform: 'woocommerce',

    async getCase(ref) {
      const { body } = await request(
        `/orders/${encodeURIComponent(ref.platformOrderId)}/refunds/${encodeURIComponent(ref.platformCaseId)}`,
      );
      const parsed = WooRefundSchema.safeParse(body);
      if (!parsed.success)
        throw new PlatformError(
          `woocommerce refund we cannot read: ${parsed.error.issues[0]?.message}`,
          'woocommerce',
        );
      const refund = parsed.data;
      // The refund carries no currency: the order's says how many decimals its amounts have.
      const order = await request(`/orders/${encodeURIComponent(ref.platformOrderId)}`, {
        query: { _fields: 'id,currency' },
      });
      const currency = z.object({ currency: z.string() }).parse(order.body).currency.toUpperCase();
      const at = gmt(refund.date_created_gmt);
      const lineIds = refund.line_items.flatMap((li) =>
        li.meta_data.filter((m) => m.key === '_refunded_item_id').map((m) => String(m.value)),
      );
      return merchantRefundCase({
        platformRefundId: refund.id,
        platformOrderId: ref.platformOrderId,
        status: 'refunded',
        kind: 'refund_only',
        amountMinor: Math.abs(amountToMinor(refund.amount, currency)),
        currency,
        ...(refund.reason ? { reason: refund.reason } : {}),
        ...(lineIds.length ? { lineIds } : {}),
        createdAt: at,
        modifiedAt: at,
      });
    },

    async agree() {
      return merchantRefundAnswer('woocommerce');
    },

    async refuse() {
      return merchantRefundAnswer('woocommerce');
    },
  };
}
