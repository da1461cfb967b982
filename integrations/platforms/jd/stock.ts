import { z } from 'zod';
import { PlatformError, RequestRejectedError } from '../errors.js';
import type { StockLimits, StockUploader } from '../stock.js';
import type { AdapterContext } from '../types.js';
import { assertJdSuccess, JdClient } from './client.js';

/**
 * JD stock (docs/stock-sync.md §JD): `jingdong.stock.write.updateSkuStock` with `skuId` and
 * `stockNum` sets a SKU's sellable stock (JD SKU ids are unique across wares, so the listing's
 * `skuId` alone addresses it); read back with `jingdong.stock.read.findSkuStock`. Signed like every
 * JOS call (the shared client).
 */
export const JD_STOCK_LIMITS: StockLimits = { callsPerSecond: 5, maxQuantity: 999_999 };

const id = z.union([z.string(), z.number()]).transform(String);
const StocksSchema = z.object({
  skuStocks: z.array(z.object({ skuId: id, stockNum: z.union([z.string(), z.number()]).transform(Number) })),
});

export function createJdStock(ctx: AdapterContext): StockUploader {
  const client = new JdClient(ctx);
  return {
    platform: 'jd',
    limits: JD_STOCK_LIMITS,
    async setQuantity(listing, quantity) {
      const method = 'jingdong.stock.write.updateSkuStock';
      assertJdSuccess(
        method,
        await client.call(method, { skuId: Number(listing.skuId), stockNum: quantity }),
      );
    },
    async getQuantity(listing) {
      const method = 'jingdong.stock.read.findSkuStock';
      const answer = await client.call(method, { skuId: Number(listing.skuId) });
      assertJdSuccess(method, answer);
      const parsed = StocksSchema.safeParse(answer);
      if (!parsed.success)
        throw new PlatformError(`jd SKU ${listing.skuId}: unreadable stock`, 'jd', 'unexpected_response');
      const stock = parsed.data.skuStocks.find((s) => s.skuId === listing.skuId);
      if (!stock) throw new RequestRejectedError(`jd has no SKU ${listing.skuId}`, 'jd', 'skuId');
      return stock.stockNum;
    },
  };
}
