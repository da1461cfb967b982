import { sql, type RawBuilder, type Transaction } from 'kysely';
import type { Database } from '../schema.js';

/**
 * Paying buyers counted exactly over any period from a few rows (migration 0963, docs/reports.md).
 *
 * A distinct count cannot be summed across days, but it can be counted as rows: the buyers who paid
 * in days a..b are the buyer days of a..b whose buyer's previous payment day (in the same scope:
 * the shop, or all shops of the platform) is before a — each buyer's first day in the period, once.
 * `sales_buyer_recency` keeps how many buyer days each day, week (Monday first) and month has, by
 * when their buyer last paid before: that previous day's month (`prev_grain` 'month', '-infinity'
 * for a first payment) and the day itself (`prev_grain` 'day'). A period's unit (its months, weeks
 * and days, `coverPeriod`) then counts its month cells of previous months before a's month plus its
 * day cells from a's month start to the day before a: at most a few dozen rows per unit and scope,
 * however many buyers paid.
 */

/** The rollup units a buyer day is counted in. */
const GRAINS = sql`(values ('day'), ('week'), ('month'))`;

/**
 * The recency cells of buyer days `rows` (day, shop_id, platform, prev, delta: prev the buyer's
 * previous day in that scope, null for a first payment), summed per cell: a month cell for every
 * row, a day cell for those with a previous day.
 */
export function recencyCells(rows: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`
    select g.grain, date_trunc(g.grain, b.day::timestamp)::date as starts, b.shop_id, b.platform,
      p.grain as prev_grain,
      case when b.prev is null then '-infinity'::date else date_trunc(p.grain, b.prev::timestamp)::date end
        as prev_starts,
      sum(b.delta)::int as buyer_days
    from (${rows}) b cross join ${GRAINS} as g(grain)
    join (values ('month'), ('day')) p(grain) on p.grain = 'month' or b.prev is not null
    group by 1, 2, 3, 4, 5, 6`;
}

/**
 * Every buyer day with its previous day, per shop and over all shops of its platform (shop ''),
 * from `sales_buyer_days`: what the migration backfills and the tests compare the cells kept on
 * write with.
 */
export const RECENCY_FROM_BUYER_DAYS = recencyCells(sql`
  select day, shop_id, platform, lag(day) over (partition by shop_id, platform, buyer_id order by day) as prev,
    1 as delta
  from sales_buyer_days
  union all
  select day, '', platform, lag(day) over (partition by platform, buyer_id order by day), 1
  from (select distinct day, platform, buyer_id from sales_buyer_days) d`);

export interface BuyerDay {
  day: string;
  shop_id: string;
  platform: string;
  buyer_id: string;
}

/**
 * Counts a buyer day just inserted into `sales_buyer_days` (by this transaction) in the recency
 * cells, per shop and over all shops of its platform (unless the buyer already paid that day in
 * another shop of it). A payment reported late — a day before days already counted — also moves
 * the buyer's next day from the previous day to this one, so the cells stay what the buyer days
 * give (`RECENCY_FROM_BUYER_DAYS`) whatever order payments arrive in.
 *
 * Two payments of one buyer on different days, written at once, would each miss the other: the
 * buyer is locked first (an advisory lock until commit), and the cells are read in a statement that
 * starts after the lock, so it sees every earlier writer's days (READ COMMITTED takes a snapshot per
 * statement). Called last in the transaction's sales writes, so nothing waits on this lock while
 * holding rows another payment needs before it.
 */
export async function rollBuyerRecency(trx: Transaction<Database>, b: BuyerDay): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`sales_buyer:${b.platform}:${b.buyer_id}`}, 0))`.execute(
    trx,
  );
  await sql`
    with days as (
      select day, shop_id from sales_buyer_days
      where platform = ${b.platform} and buyer_id = ${b.buyer_id}
    ), scoped as (
      select ${b.shop_id}::text as shop_id,
        (select max(day) from days where shop_id = ${b.shop_id} and day < ${b.day}::date) as prev,
        (select min(day) from days where shop_id = ${b.shop_id} and day > ${b.day}::date) as next
      union all
      select '', (select max(day) from days where day < ${b.day}::date),
        (select min(day) from days where day > ${b.day}::date)
      where not exists (
        select 1 from sales_buyer_days where platform = ${b.platform} and buyer_id = ${b.buyer_id}
          and day = ${b.day}::date and shop_id <> ${b.shop_id})
    ), changes as (
      select ${b.day}::date as day, shop_id, ${b.platform}::text as platform, prev, 1 as delta from scoped
      union all select next, shop_id, ${b.platform}::text, prev, -1 from scoped where next is not null
      union all select next, shop_id, ${b.platform}::text, ${b.day}::date, 1 from scoped where next is not null
    )
    insert into sales_buyer_recency as r (grain, starts, shop_id, platform, prev_grain, prev_starts, buyer_days)
    select * from (${recencyCells(sql`select * from changes`)}) c
    where c.buyer_days <> 0
    order by 1, 2, 3, 5, 6, 4
    on conflict (grain, starts, shop_id, prev_grain, prev_starts, platform)
      do update set buyer_days = r.buyer_days + excluded.buyer_days`.execute(trx);
}
