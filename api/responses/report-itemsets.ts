import { z } from 'zod';
import { BundleSuggestion } from './reports.js';

export const ItemsetRunRequested = z.object({
  runId: z.string(),
  /** False: the same question was already being mined, and this is that run. */
  created: z.boolean(),
});

const ItemsetRun = z.object({
  runId: z.string(),
  status: z.enum(['running', 'done', 'failed']),
  period: z.object({ from: z.string(), to: z.string() }),
  shopIds: z.array(z.string()).nullable(),
  platform: z.string().nullable(),
  minOrders: z.number(),
  maxSize: z.number(),
  /** Orders in the period with a paid line (the N of support); null until the mining read them. */
  baskets: z.number().nullable(),
  /** Header items (SKUs in at least minOrders orders) and how many are mined so far. */
  itemsTotal: z.number().nullable(),
  itemsMined: z.number(),
  error: z.string().nullable(),
  requestedBy: z.string(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
});

export const ItemsetRunList = z.object({ runs: z.array(ItemsetRun) });

export const ItemsetRunResponse = z.object({
  run: ItemsetRun,
  itemsets: z.array(z.object({ skus: z.array(z.string()), orders: z.number(), support: z.number() })),
  rules: z.array(
    z.object({
      antecedent: z.array(z.string()),
      consequent: z.string(),
      orders: z.number(),
      support: z.number(),
      confidence: z.number(),
      lift: z.number(),
    }),
  ),
  bundles: z.array(BundleSuggestion),
});
