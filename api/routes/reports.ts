import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  periodSkus,
  periodTraffic,
  salesTotals,
  salesTotalsAndSeries,
  upsertTraffic,
  type SalesFilter,
} from '../../db/queries/reports/sales.js';
import { ShopIdSchema } from '../../domain/ids.js';
import { PlatformSchema } from '../../domain/platforms.js';
import { parseTrafficCsv } from '../../domain/reports/traffic-csv.js';
import {
  change,
  GRANULARITIES,
  previousPeriod,
  ReportDaySchema,
  type Granularity,
} from '../../domain/reports/period.js';
import { toCsv, type Row } from '../../domain/reports/csv.js';
import { toXlsx, type Sheet } from '../../domain/reports/xlsx.js';
import type { Db } from '../../db/connect.js';
import { scopedShops } from '../auth/shop-scope.js';
import type { ApiDeps } from '../deps.js';
import { HttpProblem, invalid } from '../errors.js';
import {
  AlsoBoughtResponse,
  BasketResponse,
  EfficiencyResponse,
  SalesReportResponse,
  TrafficUploadResponse,
} from '../responses/reports.js';
import { alsoBought, basketPairs, suggestBundles } from '../../db/queries/reports/basket.js';
import {
  bottleneck,
  carrierTimeliness,
  EFFICIENCY_DIMENSIONS,
  type EfficiencyDimension,
  holdWaits,
  shipRates,
  stageDurations,
} from '../../db/queries/reports/efficiency.js';

export const READERS = { roles: ['finance', 'ops'] } as const;

export const ReportFilterQuery = z.object({
  from: ReportDaySchema,
  to: ReportDaySchema,
  shopId: ShopIdSchema.optional(),
  platform: PlatformSchema.optional(),
});

const SalesQuery = ReportFilterQuery.extend({
  granularity: z.enum(GRANULARITIES).default('day'),
  top: z.coerce.number().int().min(1).max(200).default(20),
});

const BasketQuery = ReportFilterQuery.extend({
  minSupport: z.coerce.number().min(0).max(1).default(0.001),
  minOrders: z.coerce.number().int().min(1).default(2),
  minLift: z.coerce.number().min(0).default(1.5),
  minConfidence: z.coerce.number().min(0).max(1).default(0.1),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

const AlsoBoughtQuery = BasketQuery.extend({ sku: z.string().min(1).max(200) });

const EfficiencyQuery = ReportFilterQuery.extend({ by: z.enum(EFFICIENCY_DIMENSIONS).optional() });

/** The tables of each report that export: what the report's page shows as tables. */
const EXPORT_TABLES = {
  sales: ['totals', 'series', 'topSkus'],
  basket: ['rules', 'bundles'],
  efficiency: ['stages', 'shipping', 'holds', 'carriers'],
} as const;
type ExportReport = keyof typeof EXPORT_TABLES;

const ExportQuery = ReportFilterQuery.extend({
  report: z.enum(Object.keys(EXPORT_TABLES) as [ExportReport, ...ExportReport[]]),
  /** Required for CSV; an XLSX export without one holds every table of the report, a sheet each. */
  table: z.string().min(1).max(40).optional(),
  format: z.enum(['csv', 'xlsx']).default('csv'),
  granularity: SalesQuery.shape.granularity,
  top: SalesQuery.shape.top,
  by: EfficiencyQuery.shape.by,
  ...BasketQuery.omit({ from: true, to: true, shopId: true, platform: true }).shape,
});

const MAX_DAYS = 400;
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The filter a report reads: the period checked, the shop limited to the caller's shops. */
export function reportFilter(
  request: FastifyRequest,
  q: z.infer<typeof ReportFilterQuery>,
  where: 'query' | 'body' = 'query',
): SalesFilter {
  if (q.to < q.from) throw invalid([{ field: `${where}.to`, problem: 'must not be before from' }]);
  const days = (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000 + 1;
  if (days > MAX_DAYS)
    throw invalid([{ field: `${where}.to`, problem: `a period is at most ${MAX_DAYS} days` }]);
  const scope = scopedShops(request, q.shopId, `${where}.shopId`);
  const shopIds = scope.shopId ? [scope.shopId] : scope.shopIds;
  return { period: { from: q.from, to: q.to }, shopIds, platform: q.platform };
}

/** The sales report of a period against the previous one (GET /reports/sales). */
export async function salesReport(db: Db, filter: SalesFilter, q: { granularity: Granularity; top: number }) {
  const previous = { ...filter, period: previousPeriod(filter.period) };
  // The period's SKU rows are read once, for its top SKUs, SKUs sold and SKUs in stock.
  const [{ totals: sums, series }, before, skus, traffic, trafficBefore] = await Promise.all([
    salesTotalsAndSeries(db, filter, q.granularity, 0),
    salesTotals(db, previous),
    periodSkus(db, filter, q.top),
    periodTraffic(db, filter),
    periodTraffic(db, previous),
  ]);
  const totals = { ...sums, skusSold: skus.skusSold };
  const { top, skusInStock: inStock } = skus;
  const conversion = (buyers: number, visitors: number | null) =>
    visitors === null || visitors === 0 ? null : Math.round((buyers / visitors) * 10_000) / 10_000;
  const rate = conversion(totals.payingBuyers, traffic.visitors);
  const rateBefore = conversion(before.payingBuyers, trafficBefore.visitors);
  return {
    period: filter.period,
    previousPeriod: previous.period,
    granularity: q.granularity,
    totals,
    previous: before,
    change: Object.fromEntries(
      Object.entries(totals).map(([k, v]) => [k, change(v, before[k as keyof typeof before])]),
    ),
    sellThrough: {
      skusSold: totals.skusSold,
      skusInStock: inStock,
      rate: inStock > 0 ? Math.round((totals.skusSold / inStock) * 10_000) / 10_000 : null,
    },
    conversion: {
      visitors: traffic.visitors,
      missingShopDays: traffic.missingShopDays,
      rate,
      previousRate: rateBefore,
      unknownReason:
        traffic.visitors === null
          ? traffic.missingShopDays > 0
            ? `no visitor figures for ${traffic.missingShopDays} shop-days of the period (upload them: PUT /reports/traffic)`
            : 'no sales and no shop chosen: nothing to convert'
          : null,
    },
    series,
    topSkus: top,
  };
}

/** Basket pairs and the bundles they suggest (GET /reports/basket). */
export async function basketReport(db: Db, filter: SalesFilter, q: z.infer<typeof BasketQuery>) {
  const { orders, rules } = await basketPairs(db, filter, q);
  return { period: filter.period, orders, rules, bundles: suggestBundles(rules, q.minLift, q.minConfidence) };
}

/** Stage durations, the bottleneck, ship rates and holds (GET /reports/efficiency). */
export async function efficiencyReport(
  db: Db,
  filter: SalesFilter,
  q: { by?: EfficiencyDimension | undefined },
) {
  const previous = { ...filter, period: previousPeriod(filter.period) };
  const [stages, overall, before, shipping, holds, carriers] = await Promise.all([
    stageDurations(db, filter, q.by),
    q.by ? stageDurations(db, filter) : Promise.resolve(null),
    stageDurations(db, previous),
    shipRates(db, filter),
    holdWaits(db, filter),
    carrierTimeliness(db, filter),
  ]);
  return {
    period: filter.period,
    previousPeriod: previous.period,
    by: q.by ?? null,
    stages,
    bottleneck: bottleneck(overall ?? stages, before),
    shipping,
    holds,
    carriers,
  };
}

/** A report's tables as rows for export: the arrays as they are, the totals as figure / now / before / change. */
async function exportTables(
  db: Db,
  filter: SalesFilter,
  q: z.infer<typeof ExportQuery>,
  tables: readonly string[],
): Promise<Sheet[]> {
  const pick = (all: Record<string, readonly Row[]>) =>
    tables.map((table) => ({ table, rows: all[table] ?? [] }));
  if (q.report === 'sales') {
    const report = await salesReport(db, filter, q);
    const totals = Object.entries(report.totals).map(([figure, value]) => ({
      figure,
      value,
      previous: report.previous[figure as keyof typeof report.previous],
      change: report.change[figure] ?? null,
    }));
    return pick({ totals, series: report.series, topSkus: report.topSkus });
  }
  if (q.report === 'basket') {
    const report = await basketReport(db, filter, q);
    return pick({ rules: report.rules, bundles: report.bundles });
  }
  const report = await efficiencyReport(db, filter, q);
  return pick({
    stages: report.stages,
    shipping: [report.shipping],
    holds: report.holds,
    carriers: report.carriers,
  });
}

/**
 * Reports read the sales facts and their daily rollup (docs/reports.md): sales by period with the
 * previous period beside it, and the traffic that turns paying buyers into a conversion rate.
 */
export const reportRoutes: FastifyPluginAsyncZod<ApiDeps> = async (app, { db }) => {
  app.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: 5_000_000 }, (_req, body, done) =>
    done(null, body),
  );

  app.get(
    '/reports/sales',
    {
      config: READERS,
      schema: {
        tags: ['reports'],
        summary:
          'Sales of a period (orders, GMV, paid, refunds, net, AOV, units, 连带率, 动销率, conversion) against the previous period',
        querystring: SalesQuery,
        response: { 200: SalesReportResponse },
      },
    },
    async (request) => salesReport(db, reportFilter(request, request.query), request.query),
  );

  app.get(
    '/reports/basket',
    {
      config: READERS,
      schema: {
        tags: ['reports'],
        summary: 'SKU pairs bought in one order (support, confidence, lift) and the bundles they suggest',
        querystring: BasketQuery,
        response: { 200: BasketResponse },
      },
    },
    async (request) => basketReport(db, reportFilter(request, request.query), request.query),
  );

  app.get(
    '/reports/basket/also-bought',
    {
      config: READERS,
      schema: {
        tags: ['reports'],
        summary: 'What the orders of one SKU also hold ("bought A, also bought"), most confident first',
        querystring: AlsoBoughtQuery,
        response: { 200: AlsoBoughtResponse },
      },
    },
    async (request) => {
      const q = request.query;
      const filter = reportFilter(request, q);
      const { orders, rules } = await alsoBought(db, filter, q.sku, q);
      return { period: filter.period, sku: q.sku, orders, rules };
    },
  );

  app.get(
    '/reports/efficiency',
    {
      config: READERS,
      schema: {
        tags: ['reports'],
        summary:
          'Where orders wait: p50/p90/p99 per stage (by shop, warehouse, carrier or day), the bottleneck, 24/48-hour ship rates, holds, carrier timeliness by destination province',
        querystring: EfficiencyQuery,
        response: { 200: EfficiencyResponse },
      },
    },
    async (request) => efficiencyReport(db, reportFilter(request, request.query), request.query),
  );

  app.get(
    '/reports/export',
    {
      config: READERS,
      schema: {
        tags: ['reports'],
        summary:
          'A report table as CSV or XLSX (sales: totals, series, topSkus; basket: rules, bundles; efficiency: stages, shipping, holds, carriers)',
        description:
          'The same filters as the report itself. CSV: one table, UTF-8 with a byte-order mark, field names as in the JSON. XLSX (format=xlsx): the table, or without table every table of the report as a sheet each, Chinese headings. Money in fen, rates as fractions, durations in seconds.',
        querystring: ExportQuery,
        produces: ['text/csv', XLSX_TYPE],
      },
    },
    async (request, reply) => {
      const q = request.query;
      const tables: readonly string[] = EXPORT_TABLES[q.report];
      if (q.table === undefined ? q.format === 'csv' : !tables.includes(q.table))
        throw invalid([
          { field: 'query.table', problem: `must be one of ${tables.join(', ')} for ${q.report}` },
        ]);
      const filter = reportFilter(request, q);
      const sheets = await exportTables(db, filter, q, q.table ? [q.table] : tables);
      const name = `${q.report}${q.table ? `-${q.table}` : ''}-${filter.period.from}_${filter.period.to}.${q.format}`;
      reply.header('content-disposition', `attachment; filename="${name}"`);
      if (q.format === 'xlsx') return reply.type(XLSX_TYPE).send(await toXlsx(sheets));
      return reply.type('text/csv; charset=utf-8').send(toCsv(sheets[0]?.rows ?? []));
    },
  );

  app.put(
    '/reports/traffic',
    {
      config: { roles: ['ops'] },
      schema: {
        tags: ['reports'],
        summary:
          'Upload visitors per shop and day as CSV (shop_id,day,visitors[,page_views]); a shop-day uploaded again is replaced',
        consumes: ['text/csv'],
        body: z.string().max(5_000_000),
        response: { 200: TrafficUploadResponse },
      },
    },
    async (request) => {
      const parsed = parseTrafficCsv(request.body);
      if (!parsed.ok)
        throw invalid(parsed.issues.map((i) => ({ field: `body.${i.line}`, problem: i.problem })));
      const shops = [...new Set(parsed.rows.map((r) => r.shopId))];
      for (const shopId of shops) scopedShops(request, shopId, 'body');
      const known = await db.selectFrom('shops').select('id').where('id', 'in', shops).execute();
      const unknown = shops.filter((s) => !known.some((k) => k.id === s));
      if (unknown.length > 0)
        throw new HttpProblem(
          422,
          `no shop ${unknown.join(', ')}`,
          unknown.map((s) => ({ field: 'body', problem: `no shop "${s}"` })),
        );
      const stored = await upsertTraffic(db, parsed.rows, 'csv');
      return { stored };
    },
  );
};
