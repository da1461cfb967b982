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

/** One listing's quantity in a batch call, and what the platform said of it. */
export interface StockUpdate {
  listing: StockListing;
  quantity: number;
}
export type StockUpdateOutcome = { ok: true } | { ok: false; reason: string };

/** A platform that takes many SKUs in one call (Shopee's models of an item, Douyin's SKUs of a product). */
export interface StockBatch {
  /** Listings with the same key may share a call (the item or product they belong to). */
  keyOf(listing: StockListing): string;
  /** Most listings per call. */
  size: number;
  /** Fewer listings than this go one call each (a platform whose batch is costly or slow). */
  minSize?: number;
  /**
   * Sets every update's quantity in one call; the outcome of each, in order. Throws like
   * `setQuantity` when the call as a whole fails (a refusal of the whole call: each listing is
   * then sent alone, so the platform names the one it refuses).
   */
  set(updates: StockUpdate[]): Promise<StockUpdateOutcome[]>;
}

export interface StockUploader {
  readonly platform: Platform;
  readonly limits: StockLimits;
  /** Sets the listing's sellable quantity to `quantity` (a full update, never a delta). */
  setQuantity(listing: StockListing, quantity: number): Promise<void>;
  /** Where the platform takes many SKUs per call: used for listings that share a key. */
  readonly batch?: StockBatch;
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
