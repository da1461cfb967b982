import { z } from 'zod';
import { RequestRejectedError } from '../errors.js';
import {
  MissingListingFieldError,
  type StockLimits,
  type StockListing,
  type StockUploader,
} from '../stock.js';
import type { AdapterContext } from '../types.js';
import { createAmazonClient } from './client.js';

/**
 * Amazon stock (docs/stock-sync.md §Amazon): Listings Items 2021-08-01 `patchListingsItem`
 * replacing `/attributes/fulfillment_availability` with the merchant-fulfilled (`DEFAULT`)
 * quantity of a seller SKU; read back with `getListingsItem?includedData=fulfillmentAvailability`.
 * An answer `INVALID` with ERROR issues is a refusal. Authorised with the LWA token (the shared
 * client). A listing's `skuId` is the seller SKU and `extra.productType` its product type
 * (`PRODUCT` when not known).
 */
export const AMAZON_STOCK_LIMITS: StockLimits = { callsPerSecond: 5, maxQuantity: 1_000_000 };

const SubmissionSchema = z.object({
  status: z.string(),
  issues: z
    .array(z.object({ code: z.string().optional(), message: z.string(), severity: z.string().optional() }))
    .optional(),
});
const ItemSchema = z.object({
  fulfillmentAvailability: z
    .array(z.object({ fulfillmentChannelCode: z.string(), quantity: z.number().optional() }))
    .optional(),
});

export function createAmazonStock(ctx: AdapterContext): StockUploader {
  const client = createAmazonClient(ctx);
  const marketplaceId = () => {
    const id = ctx.credentials.extra?.marketplaceId;
    if (!id) throw new MissingListingFieldError('amazon', 'shop credentials extra.marketplaceId');
    return id;
  };
  const pathOf = (listing: StockListing) =>
    `/listings/2021-08-01/items/${encodeURIComponent(ctx.platformShopId)}/${encodeURIComponent(listing.skuId)}`;
  return {
    platform: 'amazon',
    limits: AMAZON_STOCK_LIMITS,
    async setQuantity(listing, quantity) {
      const submission = await client.request(
        {
          method: 'PATCH',
          path: pathOf(listing),
          query: { marketplaceIds: marketplaceId() },
          body: {
            productType: listing.extra?.['productType'] ?? 'PRODUCT',
            patches: [
              {
                op: 'replace',
                path: '/attributes/fulfillment_availability',
                value: [{ fulfillment_channel_code: 'DEFAULT', quantity }],
              },
            ],
          },
        },
        SubmissionSchema,
      );
      const errors = (submission.issues ?? []).filter((i) => i.severity === 'ERROR');
      if (submission.status !== 'ACCEPTED' || errors.length) {
        throw new RequestRejectedError(
          `amazon SKU ${listing.skuId} ${submission.status}: ${errors.map((i) => `${i.code ?? ''} ${i.message}`.trim()).join('; ')}`,
          'amazon',
          errors[0]?.code ?? submission.status,
        );
      }
    },
    async getQuantity(listing) {
      const item = await client.request(
        {
          path: pathOf(listing),
          query: { marketplaceIds: marketplaceId(), includedData: 'fulfillmentAvailability' },
        },
        ItemSchema,
      );
      return item.fulfillmentAvailability?.find((f) => f.fulfillmentChannelCode === 'DEFAULT')?.quantity ?? 0;
    },
  };
}
