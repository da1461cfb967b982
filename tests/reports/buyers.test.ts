import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import { RECENCY_FROM_BUYER_DAYS, rollBuyerRecency, type BuyerDay } from '../../db/queries/buyer-recency.js';
import type { SalesFilter } from '../../db/queries/reports/sales.js';
import type { Granularity } from '../../domain/reports/period.js';
import { createHarness, type Harness } from '../support/harness.js';
import { seeded } from './generated.js';
import { expectBuckets, salesBuckets } from './support.js';

/**
 * Paying buyers (and so 客单价) are a distinct count: the recency cells kept on write must give, for
 * any period (whole weeks, whole months, custom ranges, each bucket of a series) and any filter,
 * exactly what counting the buyer days distinct gives — and the cells written payment by payment, in
 * any order and several at once, must be the cells the buyer days give.
 */
let h: Harness;
afterAll(() => h.teardown());
beforeAll(async () => {
  h = await createHarness();
});

/** Three Taobao shops (so a user can hold some, not all, of a platform's), two JD, one PDD. */
const SHOPS = [
  { id: 'b-tb-1', platform: 'taobao' },
  { id: 'b-tb-2', platform: 'taobao' },
  { id: 'b-tb-3', platform: 'taobao' },
  { id: 'b-jd-1', platform: 'jd' },
  { id: 'b-jd-2', platform: 'jd' },
  { id: 'b-pdd', platform: 'pdd' },
];
const START = '2026-09-01';
const DAYS = 190;
const dayOf = (i: number) =>
  new Date(Date.parse(`${START}T00:00:00Z`) + i * 86_400_000).toISOString().slice(0, 10);

/**
 * A buyer's payment as the sales facts' statement writes it: the buyer day inserted (nothing if the
 * buyer already paid that day in that shop), the order-level totals of the day, and the recency
 * cells — in one transaction, as a payment is.
 */
async function pay(db: Db, p: { day: number; shop: number; buyer: number }): Promise<void> {
  const shop = SHOPS[p.shop]!;
  await db.transaction().execute(async (trx) => {
    const inserted = await sql<BuyerDay>`
      insert into sales_buyer_days (day, shop_id, platform, buyer_id)
      values (${dayOf(p.day)}, ${shop.id}, ${shop.platform}, ${`buyer-${p.buyer}`})
      on conflict do nothing
      returning to_char(day, 'YYYY-MM-DD') as day, shop_id, platform, buyer_id`.execute(trx);
    await sql`
      insert into sales_daily_totals as d (day, shop_id, platform, paid_orders, paid_fen)
      values (${dayOf(p.day)}, ${shop.id}, ${shop.platform}, 1, 10000)
      on conflict (day, shop_id, platform) do update
        set paid_orders = d.paid_orders + 1, paid_fen = d.paid_fen + 10000`.execute(trx);
    for (const b of inserted.rows) await rollBuyerRecency(trx, b);
  });
}

/** Payments in `lanes` concurrent writers, each taking the next payment of the list. */
async function payAll(
  db: Db,
  payments: ReadonlyArray<{ day: number; shop: number; buyer: number }>,
  lanes: number,
) {
  let next = 0;
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      while (next < payments.length) await pay(db, payments[next++]!);
    }),
  );
}

async function clear(db: Db): Promise<void> {
  await sql`truncate sales_buyer_days, sales_daily_totals, sales_buyer_recency`.execute(db);
}

const cellsOnWrite = async (db: Db) =>
  (
    await sql<{ r: string }>`
      select concat_ws(' ', grain, starts, shop_id, platform, prev_grain, prev_starts, buyer_days) as r
      from sales_buyer_recency where buyer_days <> 0 order by 1`.execute(db)
  ).rows.map((x) => x.r);
const cellsFromBuyerDays = async (db: Db) =>
  (
    await sql<{ r: string }>`
      select concat_ws(' ', grain, starts, shop_id, platform, prev_grain, prev_starts, buyer_days) as r
      from (${RECENCY_FROM_BUYER_DAYS}) c order by 1`.execute(db)
  ).rows.map((x) => x.r);

/** The exact count: buyer days of the period and filter, distinct per platform, per bucket. */
async function bruteForce(db: Db, f: SalesFilter, g: Granularity | null): Promise<Map<string, number>> {
  const bucket = g ? sql`to_char(date_trunc(${sql.lit(g)}, b.day), 'YYYY-MM-DD')` : sql`''`;
  const r = await sql<{ bucket: string; n: number }>`
    select ${bucket} as bucket, count(distinct (b.platform, b.buyer_id))::int as n from sales_buyer_days b
    where b.day between ${f.period.from}::date and ${f.period.to}::date
      ${f.shopIds ? sql`and b.shop_id = any(${[...f.shopIds]}::text[])` : sql``}
      ${f.platform ? sql`and b.platform = ${f.platform}` : sql``}
    group by 1`.execute(db);
  return new Map(r.rows.map((x) => [x.bucket, x.n]));
}

const payment = fc.record({
  day: fc.integer({ min: 0, max: DAYS - 1 }),
  shop: fc.integer({ min: 0, max: SHOPS.length - 1 }),
  buyer: fc.integer({ min: 0, max: 11 }),
});

describe('buyer recency cells kept on write', () => {
  it('are the cells the buyer days give, whatever order payments arrive in and however many at once', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(payment, { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 4 }),
        async (payments, lanes) => {
          await clear(h.db);
          await payAll(h.db, payments, lanes);
          expect(await cellsOnWrite(h.db)).toEqual(await cellsFromBuyerDays(h.db));
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('paying buyers of any period', () => {
  beforeAll(async () => {
    await clear(h.db);
    // Half a year of payments (two whole months, partial ones either side), in random order and
    // four at once: 60 buyers over six shops, most of them on several days and in several shops.
    const r = seeded(2027);
    const payments = Array.from({ length: 1_500 }, () => ({
      day: r.int(DAYS),
      shop: r.int(SHOPS.length),
      buyer: r.int(60),
    }));
    await payAll(h.db, payments, 4);
    expect(await cellsOnWrite(h.db)).toEqual(await cellsFromBuyerDays(h.db));
  });

  const filter: fc.Arbitrary<Omit<SalesFilter, 'period'>> = fc.oneof(
    fc.constant({}),
    fc.constantFrom('taobao', 'jd', 'pdd').map((platform) => ({ platform })),
    fc.constantFrom(...SHOPS.map((s) => s.id)).map((id) => ({ shopIds: [id] })),
    // A user's shops: any of them, with or without a platform chosen.
    fc.record({
      shopIds: fc.subarray(
        SHOPS.map((s) => s.id),
        { minLength: 2 },
      ),
      platform: fc.option(fc.constantFrom('taobao', 'jd'), { nil: undefined }),
    }),
  );
  /** Any range, or whole weeks (Monday to Sunday), or whole months, inside the data or past its ends. */
  const period = fc.oneof(
    fc
      .tuple(fc.integer({ min: -10, max: DAYS + 10 }), fc.integer({ min: 1, max: 200 }))
      .map(([from, days]) => ({ from: dayOf(from), to: dayOf(from + days - 1) })),
    // 2026-08-31 is a Monday.
    fc
      .tuple(fc.integer({ min: 0, max: 27 }), fc.integer({ min: 1, max: 20 }))
      .map(([week, weeks]) => ({ from: dayOf(7 * week - 1), to: dayOf(7 * (week + weeks) - 2) })),
    fc.tuple(fc.integer({ min: 8, max: 14 }), fc.integer({ min: 1, max: 4 })).map(([month, months]) => {
      const at = (m: number) => new Date(Date.UTC(2026, m, 1)).toISOString().slice(0, 10);
      const end = new Date(Date.UTC(2026, month + months, 0)).toISOString().slice(0, 10);
      return { from: at(month), to: end };
    }),
  );

  it('counts each buyer once, exactly, and 客单价 divides by that count', async () => {
    await fc.assert(
      fc.asyncProperty(period, filter, fc.constantFrom(null, 'day', 'week', 'month'), async (p, rest, g) => {
        const f: SalesFilter = { period: p, ...rest };
        const got = await salesBuckets(h.db, f, g);
        const what = `${JSON.stringify(f)} by ${g}`;
        expectBuckets(got, await bruteForce(h.db, f, g), 'payingBuyers', what);
        for (const b of got)
          expect(b.aovFen, `${what} ${b.bucket}`).toBe(
            b.payingBuyers > 0 ? Math.round(b.paidFen / b.payingBuyers) : null,
          );
      }),
      { numRuns: 300 },
    );
  });
});
