import type { Platform } from '../../domain/platforms.js';

/**
 * Stock upload: the sellable quantity of one listing set on its platform, and read back for
 * reconciliation. A listing is how the platform names what it sells (Taobao num_iid + sku_id,
 * Shopify inventory item at a location, Shopee item + model, …); the ERP keeps which internal SKU
 * each listing sells.
 *
 * Failures are the adapters' usual ones (`errors.ts`): a `RequestRejectedError` is the platform
 * refusing this listing or quantity (delisted, unknown SKU) — recorded, alerted, not retried; rate
 * limits and transient faults retry.
 */
export interface StockListing {
  /** The platform's product / item id (Taobao num_iid, Shopee item_id, Woo product id, …). */
  itemId?: string;
  /** The platform's id of the sellable unit (sku_id, model_id, variation id, inventory_item_id, seller SKU). */
  skuId: string;
  /** Per-platform extras: Shopify location_id, Amazon productType. */
  extra?: Record<string, string>;
}

export interface StockLimits {
  /** Calls per second we allow ourselves per shop (below the platform's published flow control). */
  callsPerSecond: number;
  /** Largest quantity the platform accepts. */
  maxQuantity: number;
}

export interface StockUploader {
  readonly platform: Platform;
  readonly limits: StockLimits;
  /** Sets the listing's sellable quantity to `quantity` (a full update, never a delta). */
  setQuantity(listing: StockListing, quantity: number): Promise<void>;
  /** What the platform shows as sellable for the listing now. */
  getQuantity(listing: StockListing): Promise<number>;
}

/** Listings an adapter cannot address (a field it needs is missing): refused before any call. */
export function requireItemId(platform: string, listing: StockListing): string {
  if (!listing.itemId) throw new MissingListingFieldError(platform, 'itemId');
  return listing.itemId;
}

export class MissingListingFieldError extends Error {
  constructor(
    readonly platform: string,
    readonly field: string,
  ) {
    super(`${platform} listings need ${field}`);
    this.name = 'MissingListingFieldError';
  }
}
