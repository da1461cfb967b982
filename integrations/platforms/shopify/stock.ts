import { z } from 'zod';
import { AuthError, PlatformError, RequestRejectedError } from '../errors.js';
import { httpCall } from '../http.js';
import {
  MissingListingFieldError,
  type StockLimits,
  type StockListing,
  type StockUploader,
} from '../stock.js';
import type { AdapterContext } from '../types.js';
import { SHOPIFY_DEFAULT_API_VERSION } from './adapter.js';
import { parseShopifyJson } from './wire.js';

/**
 * Shopify stock (docs/stock-sync.md §Shopify): `POST inventory_levels/set.json` with
 * `location_id`, `inventory_item_id` and `available` sets the absolute quantity at one location;
 * `GET inventory_levels.json?inventory_item_ids=…&location_ids=…` reads it back. A listing's
 * `skuId` is the variant's inventory item id and `extra.locationId` the location it is stocked at.
 * The REST bucket leaks 2 calls a second.
 */
export const SHOPIFY_STOCK_LIMITS: StockLimits = { callsPerSecond: 2, maxQuantity: 1_000_000_000 };

const LevelsSchema = z.object({
  inventory_levels: z.array(
    z.object({
      inventory_item_id: z.union([z.string(), z.number()]).transform(String),
      location_id: z.union([z.string(), z.number()]).transform(String),
      available: z.number().nullable(),
    }),
  ),
});

export function createShopifyStock(ctx: AdapterContext): StockUploader {
  const version = ctx.credentials.extra?.apiVersion ?? SHOPIFY_DEFAULT_API_VERSION;
  const root = `${ctx.baseUrl.replace(/\/$/, '')}/admin/api/${version}`;
  const locationOf = (listing: StockListing) => {
    const location = listing.extra?.['locationId'];
    if (!location) throw new MissingListingFieldError('shopify', 'extra.locationId');
    return location;
  };

  async function send(method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
    const result = await httpCall({
      platform: 'shopify',
      url: `${root}${path}`,
      method,
      headers: {
        'x-shopify-access-token': ctx.credentials.accessToken ?? '',
        accept: 'application/json',
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      ...(ctx.fetch ? { fetch: ctx.fetch } : {}),
      ...(ctx.timeoutMs ? { timeoutMs: ctx.timeoutMs } : {}),
    });
    const parsed: unknown = result.text ? safeJson(result.text) : null;
    if (result.status >= 400) {
      const errors =
        parsed && typeof parsed === 'object' && 'errors' in parsed ? JSON.stringify(parsed.errors) : '';
      const message = `shopify ${path} failed: HTTP ${result.status} ${errors || result.text.slice(0, 200)}`;
      if (result.status === 401 || result.status === 403)
        throw new AuthError(message, 'shopify', String(result.status));
      throw new RequestRejectedError(message, 'shopify', String(result.status));
    }
    return parsed;
  }

  return {
    platform: 'shopify',
    limits: SHOPIFY_STOCK_LIMITS,
    async setQuantity(listing, quantity) {
      await send('POST', '/inventory_levels/set.json', {
        location_id: Number(locationOf(listing)),
        inventory_item_id: Number(listing.skuId),
        available: quantity,
      });
    },
    async getQuantity(listing) {
      const location = locationOf(listing);
      const query = new URLSearchParams({ inventory_item_ids: listing.skuId, location_ids: location });
      const parsed = LevelsSchema.safeParse(await send('GET', `/inventory_levels.json?${query}`));
      if (!parsed.success)
        throw new PlatformError('shopify inventory levels unreadable', 'shopify', 'unexpected_response');
      const level = parsed.data.inventory_levels.find(
        (l) => l.inventory_item_id === listing.skuId && l.location_id === location,
      );
      if (!level)
        throw new RequestRejectedError(
          `shopify inventory item ${listing.skuId} is not stocked at location ${location}`,
          'shopify',
          '404',
        );
      return level.available ?? 0;
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return parseShopifyJson(text);
  } catch {
    return text;
  }
}
