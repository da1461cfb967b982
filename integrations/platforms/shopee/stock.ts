import { z } from 'zod';
import { RequestRejectedError } from '../errors.js';
import {
  requireItemId,
  type StockLimits,
  type StockUpdate,
  type StockUpdateOutcome,
  type StockUploader,
} from '../stock.js';
import type { AdapterContext } from '../types.js';
import { createShopeeClient } from './client.js';

/**
 * Shopee stock (docs/stock-sync.md §Shopee): `POST /api/v2/product/update_stock` with `item_id` and
 * `stock_list[{model_id, seller_stock[{stock}]}]` (model_id 0 for an item without variations),
 * answered with a `success_list` and a `failure_list` per model; read back through
 * `GET /api/v2/product/get_model_list` (`stock_info_v2.seller_stock`). Signed as every shop API
 * (the shared client).
 */
/** Models per update_stock call (docs/stock-sync.md §Shopee ❓). */
export const SHOPEE_MODELS_PER_CALL = 50;
export const SHOPEE_STOCK_LIMITS: StockLimits = { callsPerSecond: 5, maxQuantity: 999_999 };

const id = z.union([z.string(), z.number()]).transform(String);
const UpdateSchema = z.object({
  success_list: z.array(z.object({ model_id: id })).optional(),
  failure_list: z.array(z.object({ model_id: id, failed_reason: z.string().optional() })).optional(),
});
const ModelsSchema = z.object({
  model: z
    .array(
      z.object({
        model_id: id,
        stock_info_v2: z
          .object({ seller_stock: z.array(z.object({ stock: z.number() })).optional() })
          .optional(),
      }),
    )
    .optional(),
});

export function createShopeeStock(ctx: AdapterContext): StockUploader {
  const client = createShopeeClient(ctx);

  /** The models of one item in one call; each model's outcome from success_list / failure_list. */
  async function update(updates: StockUpdate[]): Promise<StockUpdateOutcome[]> {
    const itemId = requireItemId('shopee', updates[0]!.listing);
    const result = await client.post(
      '/api/v2/product/update_stock',
      {
        item_id: Number(itemId),
        stock_list: updates.map((u) => ({
          model_id: Number(u.listing.skuId),
          seller_stock: [{ stock: u.quantity }],
        })),
      },
      UpdateSchema,
    );
    return updates.map(({ listing }) => {
      const failed = result.failure_list?.find((f) => f.model_id === listing.skuId);
      if (!failed && result.success_list?.some((s) => s.model_id === listing.skuId)) return { ok: true };
      return {
        ok: false,
        reason: `shopee item ${itemId} model ${listing.skuId} refused: ${failed?.failed_reason ?? 'not in success_list'}`,
      };
    });
  }

  return {
    platform: 'shopee',
    limits: SHOPEE_STOCK_LIMITS,
    async setQuantity(listing, quantity) {
      const [outcome] = await update([{ listing, quantity }]);
      if (!outcome!.ok) throw new RequestRejectedError(outcome!.reason, 'shopee', 'failure_list');
    },
    batch: {
      keyOf: (listing) => requireItemId('shopee', listing),
      size: SHOPEE_MODELS_PER_CALL,
      set: update,
    },
    async getQuantity(listing) {
      const itemId = requireItemId('shopee', listing);
      const result = await client.get('/api/v2/product/get_model_list', { item_id: itemId }, ModelsSchema);
      const model = result.model?.find((m) => m.model_id === listing.skuId);
      if (!model)
        throw new RequestRejectedError(
          `shopee item ${itemId} has no model ${listing.skuId}`,
          'shopee',
          'model',
        );
      return (model.stock_info_v2?.seller_stock ?? []).reduce((s, l) => s + l.stock, 0);
    },
  };
}
