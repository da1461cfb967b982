import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import { periodSkus, type SalesFilter } from '../../db/queries/reports/sales.js';
import type { Platform } from '../../domain/platforms.js';
import { createShop, TEST_SKU } from '../support/fixtures.js';
import { createHarness, type Harness } from '../support/harness.js';
import { seeded } from './generated.js';
import { line, skuFiguresFromFacts, timelineWriter } from './support.js';

/**
 * Top SKUs read each part of a period (its whole months, whole weeks and days, per shop or over all
 * shops) most paid first, down to a threshold, and sum only the SKUs read (docs/reports.md, "Top
 * SKUs"); SKUs sold and SKUs in stock come from the sets of SKUs sold. These tests hold them to what
 * the paid and refund facts give for any period, filter and top size: many SKUs of few prices (so
 * amounts paid tie, and ties are broken by units, then code), refunds on later days (SKU rows of a
 * day with nothing paid), shops of one platform and of others.
 */
let h: Harness;
let shops: Array<{ id: string; platform: Platform }>;
afterAll(() => h.teardown());

const START = '2026-08-24';
const DAYS = 100; // 08-24 .. 12-01: September, October and November whole, weeks and days around them
const dayOf = (i: number) =>
  new Date(Date.parse(`${START}T00:00:00Z`) + i * 86_400_000).toISOString().slice(0, 10);
/** Beijing time on day i, at minute m of the day. */
const at = (i: number, m: number) =>
  new Date(Date.parse(`${dayOf(i)}T00:00:00+08:00`) + m * 60_000).toISOString();

beforeAll(async () => {
  h = await createHarness();
  const platforms: Platform[] = ['taobao', 'taobao', 'jd', 'pdd'];
  shops = [];
  for (const platform of platforms) shops.push({ id: await createShop(h.db, platform), platform });
  const r = seeded(966);
  const w = timelineWriter(h);
  // 30 SKUs of uneven popularity at three prices; quantities 1–3.
  const sku = () => 1 + Math.floor(30 * r.next() ** 2.5);
  for (let i = 0; i < 320; i += 1) {
    const shop = shops[r.int(shops.length)]!;
    const day = r.int(DAYS);
    const skus = new Set<number>();
    const size = 1 + r.int(3);
    while (skus.size < size) skus.add(sku());
    const lines = [...skus].map((k, n) =>
      line(String(n + 1), `SKU-T${String(k).padStart(2, '0')}`, 1 + r.int(3), 1_000 * (1 + (k % 3))),
    );
    const placed = await w.place(shop.platform, shop.id, {
      buyer: `buyer-${r.int(40)}`,
      createdAt: at(day, r.int(1_400)),
      paidAt: at(day, 1_400 + r.int(30)),
      lines,
    });
    // A line in six refunded one to nine days later.
    if (r.chance(0.35)) {
      const refunded = r.int(lines.length);
      await placed.step('refund_lines_changed', 'shipped', at(day + 1 + r.int(9), 600), {
        refundStatus: 'partial',
        lines: lines.map((l, n) => ({
          lineId: l.lineId,
          refundStatus: n === refunded ? 'refunded' : 'none',
        })),
      });
    }
  }
  // SKU kinds in stock now: some that sell, some that never did.
  const stocked = ['SKU-T01', 'SKU-T07', 'SKU-T29', 'SKU-X1', 'SKU-X2'];
  await h.db
    .insertInto('skus')
    .values(stocked.map((code) => ({ ...TEST_SKU, code, name: code })))
    .execute();
  await h.db
    .insertInto('warehouses')
    .values({ code: 'WH-TOP', name: 'WH-TOP', province: '浙江省', coverage: '[]' })
    .execute();
  await h.db
    .insertInto('stock')
    .values(stocked.map((sku_code, n) => ({ warehouse_code: 'WH-TOP', sku_code, on_hand: n === 1 ? 0 : 3 })))
    .execute();
});

/** What the facts give: every SKU paid or refunded in the period, most paid first; SKUs sold; in stock. */
async function bruteForce(db: Db, f: SalesFilter) {
  const where = sql`s.day between ${f.period.from}::date and ${f.period.to}::date
    ${f.shopIds ? sql`and s.shop_id = any(${[...f.shopIds]}::text[])` : sql``}
    ${f.platform ? sql`and s.platform = ${f.platform}` : sql``}`;
  const counts = await sql<{ sold: number; stocked: number }>`
    with sold as (
      select distinct sku_code from sales_facts s
      where kind = 'paid' and sku_code <> '' and quantity > 0 and ${where}
    )
    select (select count(*) from sold)::int as sold,
      (select count(*) from (select sku_code from stock where on_hand > 0 union select sku_code from sold) k)::int
        as stocked`.execute(db);
  return {
    rows: await skuFiguresFromFacts(db, f),
    skusSold: counts.rows[0]!.sold,
    skusInStock: counts.rows[0]!.stocked,
  };
}

describe('top SKUs of any period', () => {
  it('are the SKUs the facts rank first, with their exact figures, for any period, filter and top size', async () => {
    const filter: fc.Arbitrary<Omit<SalesFilter, 'period'>> = fc.oneof(
      fc.constant({}),
      fc.constantFrom<Platform>('taobao', 'jd').map((platform) => ({ platform })),
      fc.integer({ min: 0, max: 3 }).map((i) => ({ shopIds: [shops[i]!.id] })),
      fc.subarray([0, 1, 2, 3], { minLength: 2 }).map((ids) => ({ shopIds: ids.map((i) => shops[i]!.id) })),
      fc.constant({ platform: 'taobao', shopIds: [shops[0]!.id, shops[2]!.id] }),
    );
    const period = fc.oneof(
      // Any range inside the data or past its ends.
      fc
        .tuple(fc.integer({ min: -5, max: DAYS + 5 }), fc.integer({ min: 1, max: DAYS }))
        .map(([from, days]) => ({ from: dayOf(from), to: dayOf(from + days - 1) })),
      // Whole months with days either side.
      fc
        .tuple(
          fc.constantFrom('2026-09-01', '2026-10-01', '2026-11-01'),
          fc.integer({ min: 0, max: 2 }),
          fc.integer({ min: 0, max: 12 }),
          fc.integer({ min: 0, max: 12 }),
        )
        .map(([m, more, before, after]) => {
          const start = Date.parse(`${m}T00:00:00Z`);
          const d = new Date(start);
          const end = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1 + more, 0);
          const iso = (t: number) => new Date(t).toISOString().slice(0, 10);
          return { from: iso(start - before * 86_400_000), to: iso(end + after * 86_400_000) };
        }),
    );
    let ranked = 0;
    let tiedAtCut = 0;
    await fc.assert(
      fc.asyncProperty(period, filter, fc.constantFrom(1, 2, 3, 5, 8, 40), async (p, rest, limit) => {
        const f: SalesFilter = { period: p, ...rest };
        const what = `${JSON.stringify(f)} top ${limit}`;
        const expected = await bruteForce(h.db, f);
        const got = await periodSkus(h.db, f, limit);
        expect(
          got.top.map((t) => [t.skuCode, t.paidLines, t.paidFen, t.units, t.refundFen, t.refundedUnits]),
          what,
        ).toEqual(expected.rows.slice(0, limit));
        expect(got.skusSold, what).toBe(expected.skusSold);
        expect(got.skusInStock, what).toBe(expected.skusInStock);
        if (expected.rows.length > limit) {
          ranked += 1;
          // The SKU just below the top paid as much as the last one in it (broken by units, code).
          if (expected.rows[limit]![2] === expected.rows[limit - 1]![2]) tiedAtCut += 1;
        }
      }),
      { numRuns: 300 },
    );
    // Most runs had more SKUs than the top holds, so the threshold decided what was read.
    expect(ranked).toBeGreaterThan(150);
    expect(tiedAtCut).toBeGreaterThan(10);
  });
});
