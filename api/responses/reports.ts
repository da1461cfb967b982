import { z } from 'zod';

/** What the report routes answer (OpenAPI and the web UI's types). Money in CNY fen. */

const Period = z.object({ from: z.string(), to: z.string() });

export const SalesFigures = z.object({
  placedOrders: z.number(),
  gmvFen: z.number(),
  paidOrders: z.number(),
  payingBuyers: z.number(),
  paidFen: z.number(),
  refundFen: z.number(),
  netSalesFen: z.number(),
  aovFen: z.number().nullable(),
  units: z.number(),
  unitsPerOrder: z.number().nullable(),
  refundedUnits: z.number(),
  cancelledOrders: z.number(),
  shippedOrders: z.number(),
  deliveredOrders: z.number(),
  skusSold: z.number(),
});

export const SalesReportResponse = z.object({
  period: Period,
  previousPeriod: Period,
  granularity: z.enum(['day', 'week', 'month']),
  totals: SalesFigures,
  previous: SalesFigures,
  /** Relative change of each figure against the previous period (0.25 = +25 %); null: nothing to compare. */
  change: z.record(z.string(), z.number().nullable()),
  /** 动销率: SKUs that sold in the period ÷ SKU kinds in stock in it (on hand now or sold in it). */
  sellThrough: z.object({ skusSold: z.number(), skusInStock: z.number(), rate: z.number().nullable() }),
  /** Paying buyers ÷ visitors; null (with the reason) where visitor figures are missing. */
  conversion: z.object({
    visitors: z.number().nullable(),
    /** Shop-days of the period without a visitor figure (visitors are null while any is missing). */
    missingShopDays: z.number(),
    rate: z.number().nullable(),
    previousRate: z.number().nullable(),
    unknownReason: z.string().nullable(),
  }),
  series: z.array(SalesFigures.extend({ bucket: z.string() })),
  topSkus: z.array(
    z.object({
      skuCode: z.string(),
      paidLines: z.number(),
      units: z.number(),
      paidFen: z.number(),
      refundFen: z.number(),
      refundedUnits: z.number(),
    }),
  ),
});

export const TrafficUploadResponse = z.object({ stored: z.number() });

const PairRule = z.object({
  antecedent: z.string(),
  consequent: z.string(),
  orders: z.number(),
  support: z.number(),
  confidence: z.number(),
  lift: z.number(),
  antecedentOrders: z.number(),
  consequentOrders: z.number(),
});

/** A set of SKUs worth selling together, and why (its most confident rule). */
export const BundleSuggestion = z.object({
  skus: z.array(z.string()),
  orders: z.number(),
  support: z.number(),
  confidence: z.number(),
  lift: z.number(),
  /** The rule the bundle rests on: orders with `antecedent` also hold `consequent`. */
  antecedent: z.array(z.string()),
  consequent: z.string(),
  /** That rule in an English sentence (the figures above say it in any language). */
  because: z.string(),
});

export const BasketResponse = z.object({
  period: Period,
  /** Orders in the period with at least one paid line (the N of support). */
  orders: z.number(),
  rules: z.array(PairRule),
  bundles: z.array(BundleSuggestion),
});

export const AlsoBoughtResponse = z.object({
  period: Period,
  sku: z.string(),
  orders: z.number(),
  rules: z.array(PairRule),
});

const StageRow = z.object({
  stage: z.string(),
  key: z.string().nullable(),
  orders: z.number(),
  p50Seconds: z.number(),
  p90Seconds: z.number(),
  p99Seconds: z.number(),
  avgSeconds: z.number(),
  waitingNow: z.number(),
});

export const EfficiencyResponse = z.object({
  period: Period,
  previousPeriod: Period,
  by: z.string().nullable(),
  stages: z.array(StageRow),
  bottleneck: z
    .object({
      stage: z.string(),
      p90Seconds: z.number(),
      previousP90Seconds: z.number().nullable(),
      trend: z.enum(['new', 'slower', 'faster', 'same']),
    })
    .nullable(),
  shipping: z.object({
    paidOrders: z.number(),
    shippedWithin24h: z.number(),
    shippedWithin48h: z.number(),
    rate24h: z.number().nullable(),
    rate48h: z.number().nullable(),
    payToShipP50Seconds: z.number().nullable(),
  }),
  holds: z.array(
    z.object({
      reason: z.string(),
      holds: z.number(),
      open: z.number(),
      p50Seconds: z.number(),
      p90Seconds: z.number(),
    }),
  ),
  /** Carrier × destination province: handover → first scan → delivered, p50/p90 (seconds; null: none yet). */
  carriers: z.array(
    z.object({
      carrier: z.string(),
      province: z.string().nullable(),
      orders: z.number(),
      delivered: z.number(),
      handoverToScanP50Seconds: z.number().nullable(),
      handoverToScanP90Seconds: z.number().nullable(),
      scanToDeliveredP50Seconds: z.number().nullable(),
      scanToDeliveredP90Seconds: z.number().nullable(),
      handoverToDeliveredP50Seconds: z.number().nullable(),
      handoverToDeliveredP90Seconds: z.number().nullable(),
    }),
  ),
});
