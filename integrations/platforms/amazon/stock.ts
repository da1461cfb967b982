import { z } from 'zod';
import { RequestRejectedError, TransientPlatformError } from '../errors.js';
import {
  MissingListingFieldError,
  type StockLimits,
  type StockListing,
  type StockUpdate,
  type StockUpdateOutcome,
  type StockUploader,
} from '../stock.js';
import type { AdapterContext } from '../types.js';
import { createAmazonClient, feedDocument } from './client.js';

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

/** A JSON_LISTINGS_FEED carries the changes of at least this many listings, at most FEED_MAX (❓ our choice). */
export const AMAZON_FEED_MIN = 10;
export const AMAZON_FEED_MAX = 1000;
/** How long a pass waits for Amazon to process a feed before leaving the listings for the next pass. */
const FEED_WAIT_MS = 45_000;

const DocumentSchema = z.object({ feedDocumentId: z.string(), url: z.string() });
const FeedSchema = z.object({
  feedId: z.string(),
  processingStatus: z.string().optional(),
  resultFeedDocumentId: z.string().optional(),
});
const ReportSchema = z.object({
  issues: z
    .array(
      z.object({
        messageId: z.number().optional(),
        code: z.string().optional(),
        message: z.string(),
        severity: z.string(),
      }),
    )
    .optional(),
});

export function createAmazonStock(ctx: AdapterContext): StockUploader {
  const client = createAmazonClient(ctx);
  const patchesOf = (quantity: number) => [
    {
      op: 'replace',
      path: '/attributes/fulfillment_availability',
      value: [{ fulfillment_channel_code: 'DEFAULT', quantity }],
    },
  ];

  /** A pre-signed document's text. */
  const document = async (url: string, init: RequestInit) => (await feedDocument(ctx, url, init)).text();

  /** Many listings in one JSON_LISTINGS_FEED: upload, create, wait for DONE, read the processing report. */
  async function feed(updates: StockUpdate[]): Promise<StockUpdateOutcome[]> {
    const contentType = 'application/json; charset=UTF-8';
    const doc = await client.request(
      { method: 'POST', path: '/feeds/2021-06-30/documents', body: { contentType } },
      DocumentSchema,
    );
    await document(doc.url, {
      method: 'PUT',
      headers: { 'content-type': contentType },
      body: JSON.stringify({
        header: { sellerId: ctx.platformShopId, version: '2.0', issueLocale: 'en_US' },
        messages: updates.map((u, i) => ({
          messageId: i + 1,
          sku: u.listing.skuId,
          operationType: 'PATCH',
          productType: u.listing.extra?.['productType'] ?? 'PRODUCT',
          patches: patchesOf(u.quantity),
        })),
      }),
    });
    const created = await client.request(
      {
        method: 'POST',
        path: '/feeds/2021-06-30/feeds',
        body: {
          feedType: 'JSON_LISTINGS_FEED',
          marketplaceIds: [marketplaceId()],
          inputFeedDocumentId: doc.feedDocumentId,
        },
      },
      FeedSchema,
    );
    const deadline = Date.now() + FEED_WAIT_MS;
    for (;;) {
      const state = await client.request(
        { path: `/feeds/2021-06-30/feeds/${encodeURIComponent(created.feedId)}` },
        FeedSchema,
      );
      if (state.processingStatus === 'DONE' && state.resultFeedDocumentId) {
        const result = await client.request(
          { path: `/feeds/2021-06-30/documents/${encodeURIComponent(state.resultFeedDocumentId)}` },
          DocumentSchema,
        );
        const report = ReportSchema.safeParse(JSON.parse(await document(result.url, { method: 'GET' })));
        const issues = report.success ? (report.data.issues ?? []) : [];
        return updates.map((u, i) => {
          const errors = issues.filter((x) => x.messageId === i + 1 && x.severity === 'ERROR');
          return errors.length
            ? {
                ok: false,
                reason: `amazon SKU ${u.listing.skuId}: ${errors.map((e) => `${e.code ?? ''} ${e.message}`.trim()).join('; ')}`,
              }
            : { ok: true };
        });
      }
      if (state.processingStatus === 'CANCELLED' || state.processingStatus === 'FATAL')
        throw new RequestRejectedError(
          `amazon feed ${created.feedId} ${state.processingStatus}`,
          'amazon',
          state.processingStatus,
        );
      if (Date.now() > deadline)
        throw new TransientPlatformError(
          `amazon feed ${created.feedId} still ${state.processingStatus}`,
          'amazon',
        );
      await new Promise((r) => setTimeout(r, 2000));
    }
  }
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
    batch: { keyOf: () => ctx.platformShopId, size: AMAZON_FEED_MAX, minSize: AMAZON_FEED_MIN, set: feed },
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
