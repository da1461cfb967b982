import { z } from 'zod';
import { RequestRejectedError } from '../errors.js';
import type { StockLimits, StockUploader } from '../stock.js';
import type { AdapterContext } from '../types.js';
import { createDewuClient } from './client.js';
import { DewuStockQuerySchema } from './wire.js';

/**
 * Dewu stock (docs/platforms/dewu.md). A listing is Dewu's `sku_id`. **UNCONFIRMED**: the stock
 * APIs' paths and fields (no stock page of the docs was found; `extra.paths` `stock=` and
 * `stockQuery=` replace the paths): the quantity is set as a full value with {`sku_id`,
 * `quantity`} and read back with {`sku_ids`} → [{`sku_id`, `quantity`}]. Call rate and the
 * largest quantity are our own.
 */
export const DEWU_STOCK_LIMITS: StockLimits = { callsPerSecond: 5, maxQuantity: 999_999 };

export function createDewuStock(ctx: AdapterContext): StockUploader {
  const client = createDewuClient(ctx);
  return {
    platform: 'dewu',
    limits: DEWU_STOCK_LIMITS,
    async setQuantity(listing, quantity) {
      await client.call('stock', { quantity, sku_id: listing.skuId }, z.unknown());
    },
    async getQuantity(listing) {
      const found = await client.call('stockQuery', { sku_ids: [listing.skuId] }, DewuStockQuerySchema);
      const sku = found.find((s) => s.sku_id === listing.skuId);
      if (!sku) throw new RequestRejectedError(`dewu has no sku ${listing.skuId}`, 'dewu', 'sku');
      return sku.quantity;
    },
  };
}
