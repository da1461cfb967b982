import { z } from 'zod';
import { RequestRejectedError } from '../errors.js';
import { requireItemId, type StockLimits, type StockUploader } from '../stock.js';
import type { AdapterContext } from '../types.js';
import { createAliexpressClient } from './client.js';
import { AliexpressProductSchema } from './wire.js';

/**
 * AliExpress stock, UNCONFIRMED (not in our facts; names as client code calls them):
 * `aliexpress.solution.batch.product.inventory.update` sets SKUs' stock to full values
 * (`mutiple_product_update_list` [{`product_id`, `multiple_sku_update_list` [{`sku_code`,
 * `inventory`}]}]); `aliexpress.solution.product.info.get` reads it back
 * (`aeop_ae_product_s_k_us…ipm_sku_stock`). A listing is the product id (`itemId`) and the SKU's
 * `sku_code` (`skuId`).
 */
export const ALIEXPRESS_STOCK_LIMITS: StockLimits = { callsPerSecond: 5, maxQuantity: 999_999 };

export function createAliexpressStock(ctx: AdapterContext): StockUploader {
  const client = createAliexpressClient(ctx);
  return {
    platform: 'aliexpress',
    limits: ALIEXPRESS_STOCK_LIMITS,
    async setQuantity(listing, quantity) {
      const productId = requireItemId('aliexpress', listing);
      await client.call(
        'aliexpress.solution.batch.product.inventory.update',
        {
          mutiple_product_update_list: JSON.stringify([
            {
              product_id: productId,
              multiple_sku_update_list: [{ sku_code: listing.skuId, inventory: quantity }],
            },
          ]),
        },
        z.unknown(),
      );
    },
    async getQuantity(listing) {
      const productId = requireItemId('aliexpress', listing);
      const product = await client.call(
        'aliexpress.solution.product.info.get',
        { product_id: productId },
        AliexpressProductSchema,
      );
      const sku = product.aeop_ae_product_s_k_us.find((s) => s.sku_code === listing.skuId);
      if (!sku) {
        throw new RequestRejectedError(
          `aliexpress product ${productId} has no sku_code ${listing.skuId}`,
          'aliexpress',
          'sku',
        );
      }
      return sku.ipm_sku_stock;
    },
  };
}
