import { z } from 'zod';
import { RequestRejectedError } from '../errors.js';
import { requireItemId, type StockLimits, type StockUploader } from '../stock.js';
import type { AdapterContext } from '../types.js';
import { createLazadaClient } from './client.js';
import { LazadaProductSchema } from './wire.js';

/**
 * Lazada stock, UNCONFIRMED (not in our facts; names from Lazada's seller API and community SDKs):
 * `/product/price_quantity/update` (POST) sets a SKU's sellable quantity, a full value, from an XML
 * `payload` naming `ItemId`, `SkuId` and `Quantity`; `/product/item/get` (`item_id`) reads the
 * item's `skus[]` back (`SkuId`, `quantity`). Listings need the item id and the SKU id.
 */
export const LAZADA_STOCK_LIMITS: StockLimits = { callsPerSecond: 5, maxQuantity: 999_999 };

const xmlText = (value: string) => value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function createLazadaStock(ctx: AdapterContext): StockUploader {
  const client = createLazadaClient(ctx);
  return {
    platform: 'lazada',
    limits: LAZADA_STOCK_LIMITS,
    async setQuantity(listing, quantity) {
      const itemId = requireItemId('lazada', listing);
      const payload =
        `<Request><Product><Skus><Sku><ItemId>${xmlText(itemId)}</ItemId>` +
        `<SkuId>${xmlText(listing.skuId)}</SkuId><Quantity>${quantity}</Quantity>` +
        `</Sku></Skus></Product></Request>`;
      await client.call('/product/price_quantity/update', { payload }, z.unknown(), 'POST');
    },
    async getQuantity(listing) {
      const itemId = requireItemId('lazada', listing);
      const product = await client.call('/product/item/get', { item_id: itemId }, LazadaProductSchema);
      const sku = product.skus.find((s) => s.SkuId === listing.skuId);
      if (!sku) {
        throw new RequestRejectedError(
          `lazada item ${itemId} has no SKU ${listing.skuId}`,
          'lazada',
          'SkuId',
        );
      }
      return sku.quantity ?? 0;
    },
  };
}
