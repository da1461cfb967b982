import { RequestRejectedError } from '../errors.js';
import type { StockLimits, StockUploader, StockUpdate, StockUpdateOutcome } from '../stock.js';
import type { AdapterContext } from '../types.js';
import { createEbayClient } from './client.js';
import { EbayBulkQuantitySchema, EbayInventoryItemSchema } from './wire.js';

/**
 * eBay stock through the Inventory API (not in our facts at all, §10: UNCONFIRMED):
 * `POST /sell/inventory/v1/bulk_update_price_quantity` sets `shipToLocationAvailability.quantity`
 * of up to 25 SKUs (a full value), answering each SKU with its own status code;
 * `GET /sell/inventory/v1/inventory_item/{sku}` reads it back. A listing is the seller's SKU.
 */
export const EBAY_STOCK_LIMITS: StockLimits = { callsPerSecond: 5, maxQuantity: 999_999 };
const INVENTORY = '/sell/inventory/v1';

export function createEbayStock(ctx: AdapterContext): StockUploader {
  const client = createEbayClient(ctx);
  const set = async (updates: StockUpdate[]): Promise<StockUpdateOutcome[]> => {
    const { data } = await client.call(
      'POST',
      `${INVENTORY}/bulk_update_price_quantity`,
      EbayBulkQuantitySchema,
      {
        requests: updates.map((u) => ({
          sku: u.listing.skuId,
          shipToLocationAvailability: { quantity: u.quantity },
        })),
      },
    );
    return updates.map((u) => {
      const answer = data.responses.find((r) => r.sku === u.listing.skuId);
      if (!answer) return { ok: false, reason: `ebay said nothing of SKU ${u.listing.skuId}` };
      if (answer.statusCode >= 200 && answer.statusCode < 300) return { ok: true };
      const error = answer.errors[0];
      return { ok: false, reason: `${error?.errorId ?? answer.statusCode} ${error?.message ?? ''}`.trim() };
    });
  };
  return {
    platform: 'ebay',
    limits: EBAY_STOCK_LIMITS,
    async setQuantity(listing, quantity) {
      const [outcome] = await set([{ listing, quantity }]);
      if (outcome && !outcome.ok) {
        throw new RequestRejectedError(`ebay refused SKU ${listing.skuId}: ${outcome.reason}`, 'ebay', 'sku');
      }
    },
    batch: { keyOf: () => 'inventory', size: 25, set },
    async getQuantity(listing) {
      const { data } = await client.call(
        'GET',
        `${INVENTORY}/inventory_item/${encodeURIComponent(listing.skuId)}`,
        EbayInventoryItemSchema,
      );
      return data.availability?.shipToLocationAvailability?.quantity ?? 0;
    },
  };
}
