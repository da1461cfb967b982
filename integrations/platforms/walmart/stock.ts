import type { StockLimits, StockUploader } from '../stock.js';
import type { AdapterContext } from '../types.js';
import { createWalmartClient } from './client.js';
import { WalmartInventorySchema } from './wire.js';

/**
 * Walmart stock through the Inventory API (not in our facts, §11: UNCONFIRMED):
 * `PUT /v3/inventory?sku=…` with `{sku, quantity: {unit: "EACH", amount}}` sets the full value at
 * the seller's default ship node, `GET /v3/inventory?sku=…` reads it back. A listing is the
 * seller's SKU; an unknown or retired SKU is a 4xx (rejected, not retried).
 */
export const WALMART_STOCK_LIMITS: StockLimits = { callsPerSecond: 5, maxQuantity: 999_999 };

export function createWalmartStock(ctx: AdapterContext): StockUploader {
  const client = createWalmartClient(ctx);
  const path = (sku: string) => `/v3/inventory?${new URLSearchParams({ sku })}`;
  return {
    platform: 'walmart',
    limits: WALMART_STOCK_LIMITS,
    async setQuantity(listing, quantity) {
      await client.call('PUT', path(listing.skuId), WalmartInventorySchema, {
        sku: listing.skuId,
        quantity: { unit: 'EACH', amount: quantity },
      });
    },
    async getQuantity(listing) {
      return (await client.call('GET', path(listing.skuId), WalmartInventorySchema)).quantity.amount;
    },
  };
}
