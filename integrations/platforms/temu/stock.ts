import { randomUUID } from 'node:crypto';
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
import { wireId, wireList, wireText } from '../wire-fields.js';
import { createTemuClient } from './client.js';

/**
 * Temu stock of local (local-to-local) goods (docs/platforms/temu.md §Stock, the partner docs'
 * pages as copied): `bg.local.goods.stock.edit` with `goodsId` (required) and
 * `skuStockTargetList[{skuId, stockTarget}]` — a full value ("sku's stock will be updated to the
 * target level"; the diff list `skuStockChangeList` is never sent, the two may not be combined) —
 * `stockType` 0 (self ordinary stock) and a fresh `requestUniqueKey`; answered with
 * `result{goodsId, operateResult, msg, skuStockEditStatusInfoList[{skuId, stockEditStatus,
 * errorCode, errorMsg}]}`. Read back with `temu.local.goods.sku.stock.query` {`goodsId`,
 * `skuIdList`} → `result.stockList[{goodsId, skuStockInfoList[{skuId, selfOrdinaryStock{stock}}]}]`.
 *
 * A listing is the goods id (`itemId`, required) and the SKU id (`skuId`), both Temu's. The SKUs
 * of one goods go in one call. Quantities: 0 to 1,000,000 (code 150013002; we stay below, the
 * bound's inclusiveness is not said). Calls: 5 a second of our own (the gateway's published limit
 * is 20 a second per app key, shared with orders and after-sales).
 */
export const TEMU_STOCK_LIMITS: StockLimits = { callsPerSecond: 5, maxQuantity: 999_999 };
/** SKUs per edit call: our own (the docs give no maximum). */
export const TEMU_SKUS_PER_CALL = 20;

const EditSchema = z.object({
  operateResult: z.boolean().nullish(),
  msg: wireText,
  skuStockEditStatusInfoList: wireList(
    z.object({
      skuId: wireId,
      stockEditStatus: z.boolean().nullish(),
      errorCode: wireText,
      errorMsg: wireText,
    }),
  ),
});

const QuerySchema = z.object({
  stockList: wireList(
    z.object({
      goodsId: wireId,
      skuStockInfoList: wireList(
        z.object({
          skuId: wireId,
          selfOrdinaryStock: z.object({ stock: z.number().int().nullish() }).nullish(),
        }),
      ),
    }),
  ),
});

/** Temu's ids are Longs: sent as JSON numbers, so one beyond 2^53 cannot travel exactly. */
function long(field: 'itemId' | 'skuId', value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n))
    throw new RequestRejectedError(
      `temu listing ${field} ${value} is not a Temu id (a whole number below 2^53)`,
      'temu',
      field,
    );
  return n;
}

export function createTemuStock(ctx: AdapterContext): StockUploader {
  const client = createTemuClient(ctx);

  async function edit(updates: StockUpdate[]): Promise<StockUpdateOutcome[]> {
    const goods = requireItemId('temu', updates[0]!.listing);
    const result = await client.call(
      'bg.local.goods.stock.edit',
      {
        goodsId: long('itemId', goods),
        stockType: 0,
        skuStockTargetList: updates.map((u) => ({
          skuId: long('skuId', u.listing.skuId),
          stockTarget: u.quantity,
        })),
        requestUniqueKey: randomUUID(),
      },
      EditSchema,
    );
    return updates.map(({ listing }) => {
      const status = result.skuStockEditStatusInfoList.find((s) => s.skuId === listing.skuId);
      if (status?.stockEditStatus === true) return { ok: true };
      if (status?.stockEditStatus === false)
        return {
          ok: false,
          reason:
            `temu goods ${goods} sku ${listing.skuId} refused: ${status.errorCode} ${status.errorMsg}`.trim(),
        };
      if (result.operateResult === true) return { ok: true };
      return {
        ok: false,
        reason: `temu goods ${goods} sku ${listing.skuId} not changed: ${result.msg || 'operateResult false'}`,
      };
    });
  }

  return {
    platform: 'temu',
    limits: TEMU_STOCK_LIMITS,
    async setQuantity(listing, quantity) {
      const [outcome] = await edit([{ listing, quantity }]);
      if (!outcome!.ok) throw new RequestRejectedError(outcome!.reason, 'temu', 'stockEditStatus');
    },
    batch: {
      keyOf: (listing) => requireItemId('temu', listing),
      size: TEMU_SKUS_PER_CALL,
      set: edit,
    },
    async getQuantity(listing) {
      const goods = requireItemId('temu', listing);
      const result = await client.call(
        'temu.local.goods.sku.stock.query',
        { goodsId: long('itemId', goods), skuIdList: [long('skuId', listing.skuId)] },
        QuerySchema,
      );
      const sku = result.stockList
        .filter((g) => g.goodsId === goods)
        .flatMap((g) => g.skuStockInfoList)
        .find((s) => s.skuId === listing.skuId);
      if (!sku)
        throw new RequestRejectedError(`temu goods ${goods} has no sku ${listing.skuId}`, 'temu', 'skuId');
      return sku.selfOrdinaryStock?.stock ?? 0;
    },
  };
}
