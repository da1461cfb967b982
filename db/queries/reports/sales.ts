import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../../connect.js';
import type { Granularity, Period } from '../../../domain/reports/period.js';

/** Which sales a report covers: a period of China calendar days, and optionally shops and a platform. */
export interface SalesFilter {
  period: Period;
  shopIds?: readonly string[] | undefined;
  platform?: string | undefined;
}

/** The figures of a period (docs/reports.md defines each). Money in CNY fen. */
export interface SalesFigures {
  placedOrders: number;
  gmvFen: number;
  paidOrders: number;
  payingBuyers: number;
  paidFen: number;
  refundFen: number;
  netSalesFen: number;
  /** 客单价: paid ÷ paying buyers; null without buyers. */
  aovFen: number | null;
  units: number;
  /** 连带率: units ÷ paid orders. */
  unitsPerOrder: number | null;
  refundedUnits: number;
  cancelledOrders: number;
  shippedOrders: number;
  deliveredOrders: number;
  skusSold: number;
}

/** The filter's WHERE on a table with day, shop_id and platform columns. */
export function salesWhere(f: SalesFilter, alias: string): RawBuilder<unknown> {
  const t = sql.raw(alias);
  const parts: RawBuilder<unknown>[] = [
    sql`${t}.day between ${f.period.from}::date and ${f.period.to}::date`,
  ];
  if (f.shopIds) parts.push(sql`${t}.shop_id = any(${[...f.shopIds]}::text[])`);
  if (f.platform) parts.push(sql`${t}.platform = ${f.platform}`);
  return sql.join(parts, sql` and `);
}

/** The figures summed over `sales_daily_totals` (order-level rows by day × shop × platform). */
const SUMS = sql`
  coalesce(sum(placed_orders), 0)::int as placed_orders,
  coalesce(sum(gmv_fen), 0)::bigint as gmv_fen,
  coalesce(sum(paid_orders), 0)::int as paid_orders,
  coalesce(sum(paid_fen), 0)::bigint as paid_fen,
  coalesce(sum(refund_fen), 0)::bigint as refund_fen,
  coalesce(sum(units), 0)::int as units,
  coalesce(sum(refunded_units), 0)::int as refunded_units,
  coalesce(sum(cancelled_orders), 0)::int as cancelled_orders,
  coalesce(sum(shipped_orders), 0)::int as shipped_orders,
  coalesce(sum(delivered_orders), 0)::int as delivered_orders`;

interface SumsRow {
  placed_orders: number;
  gmv_fen: number;
  paid_orders: number;
  paid_fen: number;
  refund_fen: number;
  units: number;
  refunded_units: number;
  cancelled_orders: number;
  shipped_orders: number;
  delivered_orders: number;
}

const NO_SALES: SumsRow = {
  placed_orders: 0,
  gmv_fen: 0,
  paid_orders: 0,
  paid_fen: 0,
  refund_fen: 0,
  units: 0,
  refunded_units: 0,
  cancelled_orders: 0,
  shipped_orders: 0,
  delivered_orders: 0,
};

function figures(row: SumsRow | undefined, payingBuyers: number, skusSold: number): SalesFigures {
  const r = row ?? NO_SALES;
  return {
    placedOrders: r.placed_orders,
    gmvFen: r.gmv_fen,
    paidOrders: r.paid_orders,
    payingBuyers,
    paidFen: r.paid_fen,
    refundFen: r.refund_fen,
    netSalesFen: r.paid_fen - r.refund_fen,
    aovFen: payingBuyers > 0 ? Math.round(r.paid_fen / payingBuyers) : null,
    units: r.units,
    unitsPerOrder: r.paid_orders > 0 ? Math.round((r.units / r.paid_orders) * 100) / 100 : null,
    refundedUnits: r.refunded_units,
    cancelledOrders: r.cancelled_orders,
    shippedOrders: r.shipped_orders,
    deliveredOrders: r.delivered_orders,
    skusSold,
  };
}

/** The period's bucket of a day column (the whole period when no granularity is given). */
function bucketOf(granularity: Granularity | null, column: string): RawBuilder<string> {
  return granularity
    ? sql<string>`to_char(date_trunc(${sql.lit(granularity)}, ${sql.raw(column)}), 'YYYY-MM-DD')`
    : sql<string>`''`;
}

/**
 * The period's figures per bucket: sums from the order-level totals, paying buyers counted distinct
 * from the buyer days (per platform: a buyer id is a platform's), SKUs sold from the SKU rollup.
 */
async function bucketFigures(
  db: Db,
  f: SalesFilter,
  granularity: Granularity | null,
): Promise<Array<SalesFigures & { bucket: string }>> {
  const [sums, buyers, skus] = await Promise.all([
    sql<SumsRow & { bucket: string }>`
      select ${bucketOf(granularity, 'd.day')} as bucket, ${SUMS}
      from sales_daily_totals d where ${salesWhere(f, 'd')} group by 1 order by 1`.execute(db),
    sql<{ bucket: string; n: number }>`
      select bucket, count(*)::int as n from (
        select distinct ${bucketOf(granularity, 'b.day')} as bucket, b.platform, b.buyer_id
        from sales_buyer_days b where ${salesWhere(f, 'b')}
      ) x group by bucket`.execute(db),
    sql<{ bucket: string; n: number }>`
      select bucket, count(*)::int as n from (
        select distinct ${bucketOf(granularity, 'd.day')} as bucket, d.sku_code
        from sales_daily d where d.sku_code <> '' and d.units > 0 and ${salesWhere(f, 'd')}
      ) x group by bucket`.execute(db),
  ]);
  const buyersOf = new Map(buyers.rows.map((r) => [r.bucket, r.n]));
  const skusOf = new Map(skus.rows.map((r) => [r.bucket, r.n]));
  return sums.rows.map((r) => ({
    bucket: r.bucket,
    ...figures(r, buyersOf.get(r.bucket) ?? 0, skusOf.get(r.bucket) ?? 0),
  }));
}

/** The period's figures (docs/reports.md). */
export async function salesTotals(db: Db, f: SalesFilter): Promise<SalesFigures> {
  const [whole] = await bucketFigures(db, f, null);
  if (!whole) return figures(undefined, 0, 0);
  const { bucket: _bucket, ...totals } = whole;
  return totals;
}

/** The period's figures by day, week (Monday first) or month, oldest first. */
export async function salesSeries(
  db: Db,
  f: SalesFilter,
  granularity: Granularity,
): Promise<Array<SalesFigures & { bucket: string }>> {
  return bucketFigures(db, f, granularity);
}

export interface SkuSales {
  skuCode: string;
  paidLines: number;
  units: number;
  paidFen: number;
  refundFen: number;
  refundedUnits: number;
}

/** The SKUs that sold most in the period, by amount paid. */
export async function topSkus(db: Db, f: SalesFilter, limit: number): Promise<SkuSales[]> {
  const rows = await sql<{
    sku_code: string;
    paid_lines: number;
    units: number;
    paid_fen: number;
    refund_fen: number;
    refunded_units: number;
  }>`
    select sku_code, sum(paid_orders)::int as paid_lines, sum(units)::int as units,
      sum(paid_fen)::bigint as paid_fen, sum(refund_fen)::bigint as refund_fen,
      sum(refunded_units)::int as refunded_units
    from sales_daily d where d.sku_code <> '' and ${salesWhere(f, 'd')}
    group by sku_code order by paid_fen desc, units desc, sku_code limit ${limit}`.execute(db);
  return rows.rows.map((r) => ({
    skuCode: r.sku_code,
    paidLines: r.paid_lines,
    units: r.units,
    paidFen: r.paid_fen,
    refundFen: r.refund_fen,
    refundedUnits: r.refunded_units,
  }));
}

/** SKU kinds in stock now (on hand in any warehouse): the denominator of 动销率. */
export async function skusInStock(db: Db): Promise<number> {
  const r = await sql<{ n: number }>`
    select count(distinct sku_code)::int as n from stock where on_hand > 0`.execute(db);
  return r.rows[0]?.n ?? 0;
}

export interface Traffic {
  visitors: number | null;
  /** Shop-days of the period with sales or in the filter that have no traffic figure. */
  missingShopDays: number;
}

/**
 * Visitors of the period: known only when every shop counted (the filter's, else those that sold)
 * has a traffic figure for every day of it; otherwise null, with how many shop-days are missing.
 */
export async function periodTraffic(db: Db, f: SalesFilter): Promise<Traffic> {
  const shops = f.shopIds
    ? [...f.shopIds]
    : (
        await sql<{ shop_id: string }>`
          select distinct shop_id from sales_daily_totals d where ${salesWhere(f, 'd')}`.execute(db)
      ).rows.map((r) => r.shop_id);
  if (shops.length === 0) return { visitors: null, missingShopDays: 0 };
  const r = await sql<{ visitors: number; covered: number; expected: number }>`
    select coalesce(sum(t.visitors), 0)::bigint as visitors, count(t.day)::int as covered,
      (${shops.length} * (${f.period.to}::date - ${f.period.from}::date + 1))::int as expected
    from shop_traffic_daily t
    where t.shop_id = any(${shops}::text[])
      and t.day between ${f.period.from}::date and ${f.period.to}::date`.execute(db);
  const row = r.rows[0]!;
  const missing = row.expected - row.covered;
  return { visitors: missing === 0 ? row.visitors : null, missingShopDays: missing };
}

/** Stores visitors per shop and day (a later upload of the same shop-day replaces it). */
export async function upsertTraffic(
  db: Db,
  rows: ReadonlyArray<{ shopId: string; day: string; visitors: number; pageViews: number | null }>,
  source: string,
): Promise<number> {
  if (rows.length === 0) return 0;
  await db
    .insertInto('shop_traffic_daily')
    .values(
      rows.map((r) => ({
        shop_id: r.shopId,
        day: r.day,
        visitors: r.visitors,
        page_views: r.pageViews,
        source,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['shop_id', 'day']).doUpdateSet((eb) => ({
        visitors: eb.ref('excluded.visitors'),
        page_views: eb.ref('excluded.page_views'),
        source: eb.ref('excluded.source'),
        updated_at: new Date(),
      })),
    )
    .execute();
  return rows.length;
}
