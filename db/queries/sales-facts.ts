import { sql, type Transaction } from 'kysely';
import { linePaidFen } from '../../domain/after-sales.js';
import type { Database } from '../schema.js';
import { rollOrderBaskets } from './basket-rollups.js';
import { rollBuyerRecency, type BuyerDay } from './buyer-recency.js';
import { numberSkus, skuSetOf, skuSetOr } from './skus-sold.js';

/** The calendar the reports count days in: sellers in China close their day at Beijing midnight. */
export const REPORT_TIME_ZONE = 'Asia/Shanghai';

type Trx = Transaction<Database>;
type FactKind = 'placed' | 'paid' | 'refund' | 'cancelled' | 'shipped' | 'delivered';

interface Fact {
  key: string;
  kind: FactKind;
  lineId: string | null;
  skuCode: string;
  quantity: number;
  amountFen: number;
  /** When it happened; the China calendar day is taken from it. */
  at: string;
}

/** A timeline event as the order projection writes it. */
export interface FactSourceEvent {
  orderId: string;
  seq: number;
  stage: string;
  detail: Record<string, unknown>;
  at: string;
}

/** Line refunds the platform reports on the order (the detail of line-refund timeline events). */
const LINE_REFUND_STAGES = new Set(['refund_hold', 'refund_hold_released', 'refund_lines_changed']);

/**
 * Appends the facts a newly written order timeline event carries (placed, paid, line refunded,
 * cancelled, first parcel shipped, delivered) and rolls them into `sales_daily`. Runs in the
 * transaction that writes the event, after the order row is locked (timeline-fence.ts), so one
 * order's facts are written one writer at a time. Facts are keyed by what they are about (the order,
 * the line, the refund), so an event written again, or a later event that repeats it, adds nothing.
 */
export async function recordOrderEventFacts(trx: Trx, event: FactSourceEvent): Promise<void> {
  const source = `order_event:${event.seq}`;
  const o = event.orderId;
  switch (event.stage) {
    case 'captured': {
      const order = await orderOf(trx, o);
      if (!order) return;
      const due = order.goods_fen - order.discount_fen + order.shipping_fen + order.tax_fen;
      const at = new Date(order.platform_created_at).toISOString();
      return append(trx, o, source, [fact(`placed:${o}`, 'placed', null, '', 0, due, at)]);
    }
    case 'payment_confirmed':
      return appendPaid(trx, o, source, event.at);
    case 'cancelled': {
      const refunds = await refundRemainder(trx, o, `refund:cancel:${o}`, event.at);
      return append(trx, o, source, [
        ...refunds,
        fact(`cancelled:${o}`, 'cancelled', null, '', 0, 0, event.at),
      ]);
    }
    case 'shipped':
      return append(trx, o, source, [fact(`shipped:${o}`, 'shipped', null, '', 0, 0, event.at)]);
    case 'completed':
      if (event.detail.outcome !== 'delivered') return;
      return append(trx, o, source, [fact(`delivered:${o}`, 'delivered', null, '', 0, 0, event.at)]);
    default:
      if (!LINE_REFUND_STAGES.has(event.stage)) return;
      return appendPlatformLineRefunds(trx, o, source, event);
  }
}

/**
 * Appends the refund a case sent through a payment channel, line by line as the refund split it,
 * dated when it succeeded. A line never gives back more than it took: a refund the platform already
 * reported on the order (or the order's cancellation) leaves this one only what remains.
 */
export async function recordCaseRefundFacts(
  trx: Trx,
  input: { caseId: string; step: string; refundNo: string; at: string },
): Promise<void> {
  const refund = await trx
    .selectFrom('payment_refunds')
    .select(['order_id', 'lines'])
    .where('refund_no', '=', input.refundNo)
    .executeTakeFirst();
  if (!refund) return;
  await sql`select 1 from orders where id = ${refund.order_id} for update`.execute(trx);
  const caseLines = await trx
    .selectFrom('after_sale_case_lines')
    .select(['line_id', 'quantity'])
    .where('case_id', '=', input.caseId)
    .execute();
  const units = new Map(caseLines.map((l) => [l.line_id, l.quantity]));
  const left = await remainingByLine(trx, refund.order_id);
  const facts: Fact[] = [];
  for (const line of refund.lines) {
    const paid = left.get(line.lineId);
    if (!paid) continue;
    const amount = Math.min(line.amountFen, paid.remainingFen);
    if (amount <= 0) continue;
    facts.push(
      fact(
        `refund:${input.refundNo}:${line.lineId}`,
        'refund',
        line.lineId,
        paid.skuCode,
        units.get(line.lineId) ?? 0,
        amount,
        input.at,
      ),
    );
  }
  await append(trx, refund.order_id, `after_sale:${input.caseId}:${input.step}`, facts);
}

function fact(
  key: string,
  kind: FactKind,
  lineId: string | null,
  skuCode: string,
  quantity: number,
  amountFen: number,
  at: string,
): Fact {
  return { key, kind, lineId, skuCode, quantity, amountFen, at };
}

async function orderOf(trx: Trx, orderId: string) {
  return trx
    .selectFrom('orders')
    .select([
      'platform',
      'shop_id',
      'buyer_id',
      'goods_fen',
      'discount_fen',
      'shipping_fen',
      'tax_fen',
      'paid_fen',
      'paid_at',
      'platform_created_at',
      'fx',
    ])
    .where('id', '=', orderId)
    .executeTakeFirst();
}

/**
 * The order's payment: one fact per line (what the line took: price × quantity − its discount + its
 * tax) and one order-level fact for the rest of the amount paid (postage and order-level
 * adjustments), so the facts of an order add up to what the buyer paid. Dated at the platform's
 * payment time (when the platform gives it), as the platforms' own reports count.
 */
async function appendPaid(trx: Trx, orderId: string, source: string, eventAt: string): Promise<void> {
  const order = await orderOf(trx, orderId);
  if (!order) return;
  const lines = await trx
    .selectFrom('order_lines')
    .select(['line_id', 'sku_code', 'quantity', 'unit_price_fen', 'discount_fen', 'tax_fen'])
    .where('order_id', '=', orderId)
    .orderBy('line_id')
    .execute();
  const at = order.paid_at ? new Date(order.paid_at).toISOString() : eventAt;
  const facts = lines.map((l) =>
    fact(
      `paid:${orderId}:${l.line_id}`,
      'paid',
      l.line_id,
      l.sku_code,
      l.quantity,
      linePaidFen({
        unitPriceFen: l.unit_price_fen,
        quantity: l.quantity,
        discountFen: l.discount_fen,
        taxFen: l.tax_fen,
      }),
      at,
    ),
  );
  const linesFen = facts.reduce((sum, f) => sum + f.amountFen, 0);
  facts.push(fact(`paid:${orderId}`, 'paid', null, '', 0, order.paid_fen - linesFen, at));
  await append(trx, orderId, source, facts);
}

interface LineLeft {
  skuCode: string;
  quantity: number;
  remainingFen: number;
  remainingUnits: number;
}

/** What each paid fact of the order (by line; '' for the order level) has not yet given back. */
async function remainingByLine(trx: Trx, orderId: string): Promise<Map<string, LineLeft>> {
  const rows = await trx
    .selectFrom('sales_facts')
    .select(['kind', 'line_id', 'sku_code', 'quantity', 'amount_fen'])
    .where('order_id', '=', orderId)
    .where('kind', 'in', ['paid', 'refund'])
    .execute();
  const left = new Map<string, LineLeft>();
  for (const r of rows.filter((r) => r.kind === 'paid')) {
    left.set(r.line_id ?? '', {
      skuCode: r.sku_code,
      quantity: r.quantity,
      remainingFen: r.amount_fen,
      remainingUnits: r.quantity,
    });
  }
  for (const r of rows.filter((r) => r.kind === 'refund')) {
    const line = left.get(r.line_id ?? '');
    if (!line) continue;
    line.remainingFen -= r.amount_fen;
    line.remainingUnits -= r.quantity;
  }
  return left;
}

/** A paid order cancelled: everything not yet refunded goes back (nothing, if it was never paid). */
async function refundRemainder(trx: Trx, orderId: string, keyPrefix: string, at: string): Promise<Fact[]> {
  const left = await remainingByLine(trx, orderId);
  return [...left.entries()]
    .filter(([, l]) => l.remainingFen > 0)
    .map(([lineId, l]) =>
      fact(
        `${keyPrefix}:${lineId}`,
        'refund',
        lineId === '' ? null : lineId,
        l.skuCode,
        Math.max(0, l.remainingUnits),
        l.remainingFen,
        at,
      ),
    );
}

/** Lines the platform reports refunded: each gives back what it has left, once. */
async function appendPlatformLineRefunds(
  trx: Trx,
  orderId: string,
  source: string,
  event: FactSourceEvent,
): Promise<void> {
  const lines = Array.isArray(event.detail.lines) ? (event.detail.lines as unknown[]) : [];
  const refunded = lines
    .filter(
      (l): l is { lineId: string; refundStatus: string } =>
        typeof l === 'object' && l !== null && (l as { refundStatus?: unknown }).refundStatus === 'refunded',
    )
    .map((l) => l.lineId);
  if (refunded.length === 0) return;
  const left = await remainingByLine(trx, orderId);
  const facts: Fact[] = [];
  for (const lineId of refunded) {
    const l = left.get(lineId);
    if (!l || l.remainingFen <= 0) continue;
    facts.push(
      fact(
        `refund:platform:${orderId}:${lineId}`,
        'refund',
        lineId,
        l.skuCode,
        Math.max(0, l.remainingUnits),
        l.remainingFen,
        event.at,
      ),
    );
  }
  await append(trx, orderId, source, facts);
}

/** The rollup figures of the facts in `f`; order counts only from order-level facts when `orders`. */
function rollupSums(orders: boolean) {
  const orderLevel = sql.raw(orders ? " and sku_code = ''" : '');
  return sql`
      count(*) filter (where kind = 'placed'${orderLevel}),
      coalesce(sum(amount_fen) filter (where kind = 'placed'), 0),
      count(*) filter (where kind = 'paid'${orderLevel}),
      coalesce(sum(amount_fen) filter (where kind = 'paid'), 0),
      coalesce(sum(quantity) filter (where kind = 'paid'), 0),
      coalesce(sum(amount_fen) filter (where kind = 'refund'), 0),
      coalesce(sum(quantity) filter (where kind = 'refund'), 0),
      count(*) filter (where kind = 'cancelled'${orderLevel}),
      count(*) filter (where kind = 'shipped'${orderLevel}),
      count(*) filter (where kind = 'delivered'${orderLevel})`;
}

const ROLLUP_COLUMNS = sql`placed_orders, gmv_fen, paid_orders, paid_fen, units, refund_fen, refunded_units,
  cancelled_orders, shipped_orders, delivered_orders`;

const ROLLUP_ADD = sql`
      placed_orders = d.placed_orders + excluded.placed_orders,
      gmv_fen = d.gmv_fen + excluded.gmv_fen,
      paid_orders = d.paid_orders + excluded.paid_orders,
      paid_fen = d.paid_fen + excluded.paid_fen,
      units = d.units + excluded.units,
      refund_fen = d.refund_fen + excluded.refund_fen,
      refunded_units = d.refunded_units + excluded.refunded_units,
      cancelled_orders = d.cancelled_orders + excluded.cancelled_orders,
      shipped_orders = d.shipped_orders + excluded.shipped_orders,
      delivered_orders = d.delivered_orders + excluded.delivered_orders`;

/** The SKU figures of `sales_sku_periods` (0960): what top SKUs and SKUs sold read. */
const SKU_PERIOD_COLUMNS = sql`paid_orders, units, paid_fen, refund_fen, refunded_units`;
const SKU_PERIOD_SUMS = sql`
      count(*) filter (where kind = 'paid') as paid_orders,
      coalesce(sum(quantity) filter (where kind = 'paid'), 0) as units,
      coalesce(sum(amount_fen) filter (where kind = 'paid'), 0) as paid_fen,
      coalesce(sum(amount_fen) filter (where kind = 'refund'), 0) as refund_fen,
      coalesce(sum(quantity) filter (where kind = 'refund'), 0) as refunded_units`;
const SKU_PERIOD_ADD = sql`
      paid_orders = p.paid_orders + excluded.paid_orders,
      units = p.units + excluded.units,
      paid_fen = p.paid_fen + excluded.paid_fen,
      refund_fen = p.refund_fen + excluded.refund_fen,
      refunded_units = p.refunded_units + excluded.refunded_units`;
/** Its rows a fact adds to: per shop by week and month, over all shops (shop '') by day, week and month. */
export const SKU_PERIOD_GRAINS = sql`(values ('week', false), ('month', false), ('day', true), ('week', true), ('month', true))`;

/**
 * Inserts the facts (those already there are skipped) and adds exactly the inserted ones to the
 * rollups, in one statement: the daily SKU rollup (`sales_daily`), its weeks and months
 * (`sales_sku_periods`), the order-level totals by day and shop (`sales_daily_totals`), the
 * buyers who paid each day (`sales_buyer_days`), the sets of SKUs sold per day, week and month
 * (`sales_skus_sold`: a SKU's first units in a unit set its bit). A rollup can never count a fact
 * twice or miss one. Paid lines then move the order's basket in the basket counts (basket-rollups.ts), and a
 * buyer's first payment of a day is counted in the buyer recency cells (buyer-recency.ts).
 */
async function append(trx: Trx, orderId: string, source: string, facts: Fact[]): Promise<void> {
  if (facts.length === 0) return;
  const rows = JSON.stringify(
    facts.map((f) => ({
      fact_key: f.key,
      kind: f.kind,
      line_id: f.lineId,
      sku_code: f.skuCode,
      quantity: f.quantity,
      amount_fen: f.amountFen,
      at: f.at,
    })),
  );
  // SKUs paid for the first time get their number first (its own statement: skus-sold.ts).
  await numberSkus(
    trx,
    facts.filter((f) => f.kind === 'paid' && f.skuCode !== '').map((f) => f.skuCode),
  );
  const written = await sql<{ paid_lines: string[]; buyer_days: BuyerDay[] }>`
    with o as (
      select platform, shop_id, buyer_id,
        coalesce(fx->>'originalCurrency', currency) as currency,
        (fx->>'rate')::numeric as fx_rate
      from orders where id = ${orderId}
    ), f as (
      insert into sales_facts (fact_key, kind, order_id, line_id, platform, shop_id, buyer_id,
        sku_code, quantity, amount_fen, currency, fx_rate, source, at, day)
      select x.fact_key, x.kind, ${orderId}, x.line_id, o.platform, o.shop_id, o.buyer_id,
        x.sku_code, x.quantity, x.amount_fen, o.currency, o.fx_rate, ${source}, x.at,
        (x.at at time zone ${REPORT_TIME_ZONE})::date
      from jsonb_to_recordset(${rows}::jsonb) as x(fact_key text, kind text, line_id text,
        sku_code text, quantity integer, amount_fen bigint, at timestamptz)
      cross join o
      on conflict (fact_key) do nothing
      returning *
    ), totals as (
      insert into sales_daily_totals as d (day, shop_id, platform, ${ROLLUP_COLUMNS})
      select day, shop_id, platform, ${rollupSums(true)}
      from f group by day, shop_id, platform
      on conflict (day, shop_id, platform) do update set ${ROLLUP_ADD}
    ), buyers as (
      insert into sales_buyer_days (day, shop_id, platform, buyer_id)
      select distinct day, shop_id, platform, buyer_id from f where kind = 'paid' and sku_code = ''
      on conflict do nothing
      returning day, shop_id, platform, buyer_id
    ), sku_in as (
      select g.grain, date_trunc(g.grain, f.day::timestamp)::date as starts,
        case when g.all_shops then '' else f.shop_id end as shop_id,
        case when g.all_shops then '' else f.platform end as platform,
        f.sku_code, ${SKU_PERIOD_SUMS}
      from f cross join ${SKU_PERIOD_GRAINS} as g(grain, all_shops)
      where f.sku_code <> '' and f.kind in ('paid', 'refund')
      group by 1, 2, 3, 4, 5
    ), skus as (
      insert into sales_sku_periods as p (grain, starts, shop_id, platform, sku_code, ${SKU_PERIOD_COLUMNS})
      select * from sku_in
      order by 1, 2, 3, 4, 5
      on conflict (grain, starts, shop_id, platform, sku_code) do update set ${SKU_PERIOD_ADD}
      returning p.grain, p.starts, p.shop_id, p.platform, p.sku_code, p.units
    ), daily as (
      insert into sales_daily as d (day, shop_id, platform, sku_code, ${ROLLUP_COLUMNS})
      select day, shop_id, platform, sku_code, ${rollupSums(false)}
      from f group by day, shop_id, platform, sku_code
      on conflict (day, shop_id, platform, sku_code) do update set ${ROLLUP_ADD}
      returning d.day, d.shop_id, d.platform, d.sku_code, d.units
    ), newly_sold as (
      -- A SKU's first units in a unit: the row's units are the units this statement added.
      select s.grain, s.starts, s.shop_id, s.platform, s.sku_code
      from skus s join sku_in i using (grain, starts, shop_id, platform, sku_code)
      where s.units > 0 and s.units = i.units
      union all
      select 'day', d.day, d.shop_id, d.platform, d.sku_code
      from daily d join (
        select day, shop_id, platform, sku_code, sum(quantity) as units from f
        where kind = 'paid' and sku_code <> '' group by 1, 2, 3, 4
      ) i using (day, shop_id, platform, sku_code)
      where d.units > 0 and d.units = i.units
    ), sold as (
      insert into sales_skus_sold as s (grain, starts, shop_id, platform, skus)
      select * from (${skuSetOf(
        sql`select n.grain, n.starts, n.shop_id, n.platform, k.n
          from newly_sold n join sales_sku_numbers k using (sku_code)`,
        ['grain', 'starts', 'shop_id', 'platform'],
      )}) x
      order by 1, 2, 3, 4
      on conflict (grain, starts, shop_id, platform) do update set skus = ${skuSetOr(sql`s.skus`, sql`excluded.skus`)}
    )
    select
      array(select fact_key from f where kind = 'paid' and sku_code <> '') as paid_lines,
      (select coalesce(jsonb_agg(b), '[]'::jsonb) from buyers b) as buyer_days`.execute(trx);
  const { paid_lines: paidLines, buyer_days: buyerDays } = written.rows[0]!;
  await rollOrderBaskets(trx, orderId, paidLines);
  // One order, one payment time: at most one new buyer day.
  for (const day of buyerDays) await rollBuyerRecency(trx, day);
}
