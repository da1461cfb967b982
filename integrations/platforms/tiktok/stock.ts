import { z } from 'zod';
import { RequestRejectedError } from '../errors.js';
import { requireItemId, type StockLimits, type StockUploader } from '../stock.js';
import type { AdapterContext } from '../types.js';
import { createTiktokClient } from './client.js';
import { TiktokProductSchema } from './wire.js';

/**
 * TikTok Shop stock, UNCONFIRMED (not in our facts; names from the Partner API 202309 product
 * resource as SDKs call it): `POST /product/202309/products/{product_id}/inventory/update` sets a
 * SKU's quantity, a full value, per warehouse (`skus[{id, inventory[{warehouse_id, quantity}]}]`);
 * `GET /product/202309/products/{product_id}` reads the SKUs back. Listings need the product id
 * (`itemId`) and the SKU id; the warehouse is `credentials.extra.warehouseId` (else the SKU's first).
 */
export const TIKTOK_STOCK_LIMITS: StockLimits = { callsPerSecond: 5, maxQuantity: 99_999 };

export function createTiktokStock(ctx: AdapterContext): StockUploader {
  const client = createTiktokClient(ctx);
  const configured = ctx.credentials.extra?.warehouseId;
  async function skuOf(productId: string, skuId: string) {
    const product = await client.call({
      method: 'GET',
      path: `/product/202309/products/${encodeURIComponent(productId)}`,
      schema: TiktokProductSchema,
    });
    const sku = product.skus.find((s) => s.id === skuId);
    if (!sku)
      throw new RequestRejectedError(`tiktok product ${productId} has no SKU ${skuId}`, 'tiktok', 'sku_id');
    const stock = sku.inventory.find((i) => !configured || i.warehouse_id === configured);
    return { warehouseId: configured || stock?.warehouse_id || '', quantity: stock?.quantity ?? 0 };
  }
  return {
    platform: 'tiktok',
    limits: TIKTOK_STOCK_LIMITS,
    async setQuantity(listing, quantity) {
      const productId = requireItemId('tiktok', listing);
      const { warehouseId } = await skuOf(productId, listing.skuId);
      await client.call({
        method: 'POST',
        path: `/product/202309/products/${encodeURIComponent(productId)}/inventory/update`,
        body: {
          skus: [
            {
              id: listing.skuId,
              inventory: [{ ...(warehouseId ? { warehouse_id: warehouseId } : {}), quantity }],
            },
          ],
        },
        schema: z.unknown(),
      });
    },
    getQuantity: async (listing) => (await skuOf(requireItemId('tiktok', listing), listing.skuId)).quantity,
  };
}
