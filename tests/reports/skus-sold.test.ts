import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import { SKUS_SOLD_FROM_ROLLUPS } from '../../db/queries/skus-sold.js';
import type { SalesFilter } from '../../db/queries/reports/sales.js';
import type { Platform } from '../../domain/platforms.js';
import type { Granularity } from '../../domain/reports/period.js';
import { createShop } from '../support/fixtures.js';
import { createHarness, type Harness } from '../support/harness.js';
import { expectBuckets, line, salesBuckets, timelineWriter } from './support.js';

/**
 * SKUs sold are a distinct count: the sets of SKUs sold per day, week and month kept on write
 * (migration 0964) must be the sets the SKU rollups give whatever order payments arrive in and
 * however many at once (SKUs paid for the first time by two orders at once included), and a period's
 * SKUs sold, for any period, filter and bucket, what counting the paid line facts distinct gives.
 */
let h: Harness;
let shops: Array<{ id: string; platform: Platform }>;
afterAll(() => h.teardown());
beforeAll(async () => {
  h = await createHarness();
  const platforms: Platform[] = ['taobao', 'taobao', 'jd'];
  shops = [];
  for (const platform of platforms) shops.push({ id: await createShop(h.db, platform), platform });
});

const START = '2026-09-01';
const DAYS = 75;
const dayOf = (i: number) =>
  new Date(Date.parse(`${START}T00:00:00Z`) + i * 86_400_000).toISOString().slice(0, 10);
/** Noon in Beijing of day i, plus minutes. */
const at = (i: number, minutes = 0) =>
  new Date(Date.parse(`${dayOf(i)}T12:00:00+08:00`) + minutes * 60_000).toISOString();

const order = fc.record({
  day: fc.integer({ min: 0, max: DAYS - 1 }),
  shop: fc.integer({ min: 0, max: 2 }),
  // SKUs of the run (some new to every run, so first payments of a SKU race) and a few shared.
  skus: fc.uniqueArray(fc.integer({ min: 0, max: 9 }), { minLength: 1, maxLength: 3 }),
  quantity: fc.integer({ min: 1, max: 2 }),
  // A line refunded on a later day: a SKU row of that day with no units, until a payment there.
  refundAfter: fc.option(fc.integer({ min: 1, max: 9 }), { nil: undefined }),
});

let run = 0;
const setsOnWrite = async (db: Db) =>
  (
    await sql<{ r: string }>`
      select concat_ws(' ', grain, starts, shop_id, platform, skus) as r from sales_skus_sold order by 1`.execute(
      db,
    )
  ).rows.map((x) => x.r);
const setsFromRollups = async (db: Db) =>
  (
    await sql<{ r: string }>`
      select concat_ws(' ', grain, starts, shop_id, platform, skus) as r from (${SKUS_SOLD_FROM_ROLLUPS}) c
      order by 1`.execute(db)
  ).rows.map((x) => x.r);

describe('sets of SKUs sold kept on write', () => {
  it('are the sets the SKU rollups give, whatever order payments arrive in and however many at once', async () => {
    const w = timelineWriter(h);
    await fc.assert(
      fc.asyncProperty(
        fc.array(order, { minLength: 1, maxLength: 16 }),
        fc.integer({ min: 1, max: 4 }),
        async (orders, lanes) => {
          run += 1;
          const code = (k: number) => (k < 5 ? `SKU-S${k}` : `SKU-R${run}-${k}`);
          let next = 0;
          await Promise.all(
            Array.from({ length: lanes }, async () => {
              while (next < orders.length) {
                const o = orders[next++]!;
                const shop = shops[o.shop]!;
                const lines = o.skus.map((k, i) => line(String(i + 1), code(k), o.quantity, 1_000 + k));
                const placed = await w.place(shop.platform, shop.id, {
                  buyer: `buyer-${o.day % 5}`,
                  createdAt: at(o.day),
                  paidAt: at(o.day, 5),
                  lines,
                });
                if (o.refundAfter !== undefined)
                  await placed.step('refund_lines_changed', 'shipped', at(o.day + o.refundAfter), {
                    refundStatus: 'partial',
                    lines: lines.map((l, i) => ({
                      lineId: l.lineId,
                      refundStatus: i === 0 ? 'refunded' : 'none',
                    })),
                  });
              }
            }),
          );
          expect(await setsOnWrite(h.db)).toEqual(await setsFromRollups(h.db));
        },
      ),
      { numRuns: 25 },
    );
    // Every SKU paid has one number, and the numbers are the SKUs'.
    const numbers = await sql<{ skus: number; numbered: number; distinct: number }>`
      select (select count(distinct sku_code) from sales_facts where kind = 'paid' and sku_code <> '')::int as skus,
        (select count(*) from sales_sku_numbers)::int as numbered,
        (select count(distinct n) from sales_sku_numbers)::int as distinct`.execute(h.db);
    expect(numbers.rows[0]!.numbered).toBe(numbers.rows[0]!.skus);
    expect(numbers.rows[0]!.distinct).toBe(numbers.rows[0]!.skus);
  });
});

/** The exact count: SKUs with units paid in the period and filter, per bucket. */
async function bruteForce(db: Db, f: SalesFilter, g: Granularity | null): Promise<Map<string, number>> {
  const bucket = g ? sql`to_char(date_trunc(${sql.lit(g)}, s.day), 'YYYY-MM-DD')` : sql`''`;
  const r = await sql<{ bucket: string; n: number }>`
    select ${bucket} as bucket, count(distinct s.sku_code)::int as n from sales_facts s
    where s.kind = 'paid' and s.sku_code <> '' and s.quantity > 0
      and s.day between ${f.period.from}::date and ${f.period.to}::date
      ${f.shopIds ? sql`and s.shop_id = any(${[...f.shopIds]}::text[])` : sql``}
      ${f.platform ? sql`and s.platform = ${f.platform}` : sql``}
    group by 1`.execute(db);
  return new Map(r.rows.map((x) => [x.bucket, x.n]));
}

describe('SKUs sold of any period', () => {
  it('counts each SKU once, for every period, filter and bucket', async () => {
    const filter: fc.Arbitrary<Omit<SalesFilter, 'period'>> = fc.oneof(
      fc.constant({}),
      fc.constantFrom('taobao', 'jd').map((platform) => ({ platform })),
      fc.integer({ min: 0, max: 2 }).map((i) => ({ shopIds: [shops[i]!.id] })),
      fc.subarray([0, 1, 2], { minLength: 2 }).map((ids) => ({ shopIds: ids.map((i) => shops[i]!.id) })),
    );
    // Any range (whole weeks and months among them), inside the data or past its ends.
    const period = fc
      .tuple(fc.integer({ min: -5, max: DAYS + 5 }), fc.integer({ min: 1, max: 70 }))
      .map(([from, days]) => ({ from: dayOf(from), to: dayOf(from + days - 1) }));
    await fc.assert(
      fc.asyncProperty(period, filter, fc.constantFrom(null, 'day', 'week', 'month'), async (p, rest, g) => {
        const f: SalesFilter = { period: p, ...rest };
        expectBuckets(
          await salesBuckets(h.db, f, g),
          await bruteForce(h.db, f, g),
          'skusSold',
          `${JSON.stringify(f)} by ${g}`,
        );
      }),
      { numRuns: 200 },
    );
  });
});
