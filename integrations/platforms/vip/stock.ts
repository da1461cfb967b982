import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { RequestRejectedError } from '../errors.js';
import type { StockLimits, StockListing, StockUploader } from '../stock.js';
import type { AdapterContext } from '../types.js';
import { vipVendorId } from './adapter.js';
import { createVipClient } from './client.js';
import { VipSkuStockSchema } from './wire.js';

/**
 * VIP stock (docs/platforms/vip.md): `vipapis.inventory.InventoryService.updateInventory` with
 * `request` {`vendor_id`, `barcode`, `quantity`, `batch_no` (unique per vendor, ≤ 40 characters),
 * `sync_mode` 0 (全量: a full value), and `cooperation_no`, `warehouse`, `area_warehouse_id` when
 * the listing or the shop names them}; `getSkuStock` reads `leaving_stock` (剩余库存) back. A
 * listing is the barcode (`skuId`); its `extra` (or the shop's `credentials.extra`) may carry
 * `cooperationNo`, `warehouse`, `areaWarehouseId`. Call rate: our own (none is published).
 */
export const VIP_STOCK_LIMITS: StockLimits = { callsPerSecond: 5, maxQuantity: 99_999_999 };

const INVENTORY = 'vipapis.inventory.InventoryService';

export function createVipStock(ctx: AdapterContext): StockUploader {
  const client = createVipClient(ctx);
  const scope = (listing: StockListing) => {
    const pick = (name: string) => listing.extra?.[name] || ctx.credentials.extra?.[name] || undefined;
    const cooperation = pick('cooperationNo');
    const warehouse = pick('warehouse');
    const area = pick('areaWarehouseId');
    return {
      vendor_id: vipVendorId(ctx),
      barcode: listing.skuId,
      ...(cooperation ? { cooperation_no: Number(cooperation) } : {}),
      ...(warehouse ? { warehouse } : {}),
      ...(area ? { area_warehouse_id: area } : {}),
    };
  };
  return {
    platform: 'vip',
    limits: VIP_STOCK_LIMITS,
    async setQuantity(listing, quantity) {
      await client.call(
        INVENTORY,
        'updateInventory',
        {
          request: {
            ...scope(listing),
            quantity,
            batch_no: randomUUID().replace(/-/g, ''),
            sync_mode: 0,
          },
        },
        z.unknown(),
      );
    },
    async getQuantity(listing) {
      const rows = await client.call(INVENTORY, 'getSkuStock', scope(listing), VipSkuStockSchema);
      const row = rows.find((r) => r.barcode === listing.skuId);
      if (!row) throw new RequestRejectedError(`vip has no stock for barcode ${listing.skuId}`, 'vip', 'sku');
      return row.leaving_stock ?? 0;
    },
  };
}
