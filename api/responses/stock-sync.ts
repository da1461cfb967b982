import { z } from 'zod';

const at = z.string().nullable();

export const StockListingView = z.object({
  shopId: z.string(),
  listingKey: z.string(),
  sku: z.string(),
  itemId: z.string().nullable(),
  skuId: z.string(),
  extra: z.record(z.string(), z.string()),
  status: z.enum(['pending', 'synced', 'refused']),
  /** What the ERP computed at the last pass. */
  computedQty: z.number().nullable(),
  lastSentQty: z.number().nullable(),
  lastSentAt: at,
  /** What the platform showed at the last reconciliation. */
  platformQty: z.number().nullable(),
  platformReadAt: at,
  refusal: z.string().nullable(),
  refusedAt: at,
  /** Platform calls made for this listing. */
  calls: z.number(),
  /** A change is waiting for the next pass. */
  pending: z.boolean(),
});

export const StockSyncResponse = z.object({ listings: z.array(StockListingView) });
