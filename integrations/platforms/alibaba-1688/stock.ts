import { RequestRejectedError } from '../errors.js';
import { requireItemId, type StockLimits, type StockUploader } from '../stock.js';
import type { AdapterContext } from '../types.js';
import { z } from 'zod';
import { createAlibaba1688Client } from './client.js';
import { Alibaba1688ProductSchema } from './wire.js';

/**
 * 1688 stock (docs/platforms/1688.md). `alibaba.product.modifyStock` (namespace
 * `com.alibaba.product`; SDK param class): `webSite` 1688, `productStockChange`
 * [{`productId`, `skuStocks` [{`skuId` = the **specId** on 1688, `stockChange`}] or, for a product
 * without SKUs, `productAmountChange`}] and `increaceModify` (the official spelling). The SDK calls
 * the changes deltas; with `increaceModify=false` they are written as full values (secondary
 * source) — we send full values that way. `alibaba.product.get` (`productID`, `webSite`) reads them
 * back: `productInfo.skuInfos[].amountOnSale` by `specId`, `saleInfo.amountOnSale` without SKUs (SDK
 * field names). A listing is the product id (`itemId`) and the specId (the product id again for a
 * product without SKUs). Call rate: our own.
 */
export const ALIBABA_1688_STOCK_LIMITS: StockLimits = { callsPerSecond: 5, maxQuantity: 99_999_999 };

const PRODUCT = 'com.alibaba.product';

export function createAlibaba1688Stock(ctx: AdapterContext): StockUploader {
  const client = createAlibaba1688Client(ctx);
  return {
    platform: 'alibaba_1688',
    limits: ALIBABA_1688_STOCK_LIMITS,
    async setQuantity(listing, quantity) {
      const productId = requireItemId('alibaba_1688', listing);
      const change =
        listing.skuId === productId
          ? { productId, productAmountChange: quantity }
          : { productId, skuStocks: [{ skuId: listing.skuId, stockChange: quantity }] };
      await client.call(
        PRODUCT,
        'alibaba.product.modifyStock',
        { webSite: '1688', increaceModify: 'false', productStockChange: JSON.stringify([change]) },
        z.unknown(),
      );
    },
    async getQuantity(listing) {
      const productId = requireItemId('alibaba_1688', listing);
      const { productInfo } = await client.call(
        PRODUCT,
        'alibaba.product.get',
        { webSite: '1688', productID: productId },
        Alibaba1688ProductSchema,
      );
      if (listing.skuId === productId) return productInfo.saleInfo?.amountOnSale ?? 0;
      const sku = productInfo.skuInfos.find((s) => s.specId === listing.skuId);
      if (!sku)
        throw new RequestRejectedError(
          `1688 product ${productId} has no spec ${listing.skuId}`,
          'alibaba_1688',
          'sku',
        );
      return sku.amountOnSale ?? 0;
    },
  };
}
