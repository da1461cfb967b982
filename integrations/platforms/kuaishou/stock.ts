import { RequestRejectedError } from '../errors.js';
import { requireItemId, type StockLimits, type StockUploader } from '../stock.js';
import type { AdapterContext } from '../types.js';
import { z } from 'zod';
import { jsonNumber } from '../lossless-json.js';
import { createKuaishouClient } from './client.js';
import { KuaishouSkuListSchema } from './wire.js';

/**
 * Kuaishou stock: `open.item.sku.stock.update` changes a SKU's stock by a difference only
 * (`skuChangeStock` > 0 with `changeType` 1 add / 2 reduce; doc text quoted in community SDKs,
 * secondary), so a full update reads the SKU's stock with `open.item.sku.list.get` (`kwaiItemId`)
 * and sends the difference. The list's field names (`kwaiSkuId`, `skuStock`) are UNCONFIRMED.
 * A quantity sold between the read and the change is overwritten by the next pass's read-back.
 */
export const KUAISHOU_STOCK_LIMITS: StockLimits = { callsPerSecond: 5, maxQuantity: 9_999_999 };

export function createKuaishouStock(ctx: AdapterContext): StockUploader {
  const client = createKuaishouClient(ctx);
  async function current(itemId: string, skuId: string): Promise<number> {
    const skus = await client.call(
      'open.item.sku.list.get',
      { kwaiItemId: jsonNumber(itemId) },
      KuaishouSkuListSchema,
    );
    const sku = skus.find((s) => s.kwaiSkuId === skuId);
    if (!sku)
      throw new RequestRejectedError(`kuaishou item ${itemId} has no SKU ${skuId}`, 'kuaishou', 'skuId');
    return sku.skuStock;
  }
  return {
    platform: 'kuaishou',
    limits: KUAISHOU_STOCK_LIMITS,
    async setQuantity(listing, quantity) {
      const itemId = requireItemId('kuaishou', listing);
      const now = await current(itemId, listing.skuId);
      if (now === quantity) return;
      await client.call(
        'open.item.sku.stock.update',
        {
          kwaiItemId: jsonNumber(itemId),
          skuId: jsonNumber(listing.skuId),
          skuChangeStock: Math.abs(quantity - now),
          changeType: quantity > now ? 1 : 2,
        },
        z.unknown(),
        'POST',
      );
    },
    getQuantity: (listing) => current(requireItemId('kuaishou', listing), listing.skuId),
  };
}
