import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import { addBaskets } from '../../db/queries/basket-rollups.js';
import {
  alsoBought,
  basketPairs,
  PAIR_FLOOR_SUPPORT,
  type PairRule,
} from '../../db/queries/reports/basket.js';
import type { SalesFilter } from '../../db/queries/reports/sales.js';
import { createHarness, type Harness } from '../support/harness.js';
import { seeded } from './generated.js';

/**
 * Basket pairs over long periods read whole weeks and months from their own counts (0965) and sum
 * only the pairs frequent in at least one part (docs/reports.md). These tests hold that to the
 * daily counts' answer and to counting the baskets themselves: the week and month counts kept on
 * write are the sums of the daily ones (baskets changed after payment taken out and put back
 * included), and pairs, support, confidence and lift are the same by either path for any period
 * (whole weeks, whole months, days either side), shops, platform, bar and SKU.
 */
let h: Harness;
afterAll(() => h.teardown());
beforeAll(async () => {
  h = await createHarness();
});

const SHOPS = [
  { id: 'bp-tb-1', platform: 'taobao' },
  { id: 'bp-tb-2', platform: 'taobao' },
  { id: 'bp-jd', platform: 'jd' },
  { id: 'bp-pdd', platform: 'pdd' },
];

interface Basket {
  day: string;
  shop: number;
  skus: string[];
}

/**
 * A basket written as rollOrderBaskets writes one: in its own transaction, added (1) or taken out
 * (−1). Its SKUs' paid lines counted in their month over all shops too, as the statement appending
 * the facts does (the days' pairs of a long period are read only for SKUs paid often enough there).
 */
async function write(db: Db, b: Basket, sign: 1 | -1): Promise<void> {
  const shop = SHOPS[b.shop]!;
  await db.transaction().execute(async (trx) => {
    await addBaskets(
      trx,
      sql`select ${b.day}::date as day, ${shop.id}::text as shop_id, ${shop.platform}::text as platform,
        ${b.skus}::text[] as skus, ${sign}::int as sign`,
    );
    // Lines are paid once: a basket taken out and put back keeps the lines it had.
    if (sign === 1)
      await sql`
        insert into sales_sku_periods as p (grain, starts, shop_id, platform, sku_code, paid_orders)
        select 'month', date_trunc('month', ${b.day}::date)::date, '', '', s, 1 from unnest(${b.skus}::text[]) s
        on conflict (grain, starts, shop_id, platform, sku_code) do update set paid_orders = p.paid_orders + 1`.execute(
        trx,
      );
  });
}

async function clear(db: Db): Promise<void> {
  await sql`truncate basket_daily_orders, basket_daily_items, basket_daily_pairs,
    basket_period_orders, basket_period_items, basket_period_pairs, sales_sku_periods`.execute(db);
}

const pairsOf = (rules: PairRule[]) =>
  rules
    .filter((r) => r.antecedent < r.consequent)
    .map((r) => [r.antecedent, r.consequent, r.orders, r.antecedentOrders, r.consequentOrders]);

/** The pairs counted from the baskets themselves: what both paths must give. */
function bruteForce(
  baskets: readonly Basket[],
  f: SalesFilter,
  o: { minSupport: number; minOrders: number; limit: number; sku?: string },
) {
  const kept = baskets.filter(
    (b) =>
      b.day >= f.period.from &&
      b.day <= f.period.to &&
      (!f.shopIds || f.shopIds.includes(SHOPS[b.shop]!.id)) &&
      (!f.platform || SHOPS[b.shop]!.platform === f.platform),
  );
  const n = kept.length;
  const items = new Map<string, number>();
  const pairs = new Map<string, number>();
  for (const b of kept) {
    const skus = [...new Set(b.skus)].sort();
    for (const s of skus) items.set(s, (items.get(s) ?? 0) + 1);
    for (let i = 0; i < skus.length; i += 1)
      for (let j = i + 1; j < skus.length; j += 1) {
        const key = `${skus[i]} ${skus[j]}`;
        pairs.set(key, (pairs.get(key) ?? 0) + 1);
      }
  }
  const bar = Math.max(o.minOrders, Math.ceil(o.minSupport * n));
  const rows = [...pairs]
    .map(([k, ab]) => [...k.split(' '), ab] as [string, string, number])
    .filter(([a, b, ab]) => ab >= bar && (!o.sku || a === o.sku || b === o.sku))
    .sort((x, y) => y[2] - x[2] || (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : x[1] < y[1] ? -1 : 1))
    .slice(0, o.limit)
    .map(([a, b, ab]) => [a, b, ab, items.get(a)!, items.get(b)!]);
  return { orders: n, pairs: rows };
}

describe('basket pairs over weeks and months: a hand-made period', () => {
  // November whole (the month's counts), 10-28..10-31 and 12-01..12-03 either side (the days'):
  // {A, B} in 10 of the month's 40 baskets of one shop and 2 of the 6 days' baskets of another;
  // {D, E} only in 3 of the first days' 4 baskets; {A, C} in 2 baskets of the month.
  const baskets: Basket[] = [
    ...Array.from({ length: 10 }, () => ({ day: '2026-11-10', shop: 0, skus: ['A', 'B'] })),
    ...Array.from({ length: 28 }, (_, i) => ({
      day: `2026-11-${String(1 + (i % 30)).padStart(2, '0')}`,
      shop: 0,
      skus: ['C'],
    })),
    ...Array.from({ length: 2 }, () => ({ day: '2026-11-30', shop: 0, skus: ['A', 'C'] })),
    ...Array.from({ length: 3 }, () => ({ day: '2026-10-30', shop: 0, skus: ['D', 'E'] })),
    { day: '2026-10-31', shop: 0, skus: ['A'] },
    ...Array.from({ length: 2 }, () => ({ day: '2026-12-02', shop: 2, skus: ['A', 'B'] })),
    ...Array.from({ length: 4 }, () => ({ day: '2026-12-03', shop: 2, skus: ['C'] })),
    // Outside the period: not counted.
    { day: '2026-10-27', shop: 0, skus: ['D', 'E'] },
    { day: '2026-12-04', shop: 2, skus: ['A', 'B'] },
  ];
  const f: SalesFilter = { period: { from: '2026-10-28', to: '2026-12-03' } };

  beforeAll(async () => {
    await clear(h.db);
    for (const b of baskets) await write(h.db, b, 1);
  });

  it('keeps the pairs at the bar by either path, with the figures a seller reads', async () => {
    // 50 baskets; a bar of 6 % is 3 orders. The month's share of it is ⌈3 × 40 ÷ 50⌉ = 3 of its 40
    // baskets ({A, B}: 10, {A, C}: 2 is not), the first and last days' 0.6 of their 10 ({D, E}: 3).
    const o = { minSupport: 0.06, minOrders: 2, limit: 100 };
    for (const via of ['units', 'days'] as const) {
      const got = await basketPairs(h.db, f, { ...o, via });
      expect(got.orders, via).toBe(50);
      expect(got.rules, via).toEqual([
        {
          antecedent: 'A',
          consequent: 'B',
          orders: 12,
          support: 0.24,
          confidence: 0.8,
          lift: 3.3333,
          antecedentOrders: 15,
          consequentOrders: 12,
        },
        {
          antecedent: 'B',
          consequent: 'A',
          orders: 12,
          support: 0.24,
          confidence: 1,
          lift: 3.3333,
          antecedentOrders: 12,
          consequentOrders: 15,
        },
        {
          antecedent: 'D',
          consequent: 'E',
          orders: 3,
          support: 0.06,
          confidence: 1,
          lift: 16.6667,
          antecedentOrders: 3,
          consequentOrders: 3,
        },
        {
          antecedent: 'E',
          consequent: 'D',
          orders: 3,
          support: 0.06,
          confidence: 1,
          lift: 16.6667,
          antecedentOrders: 3,
          consequentOrders: 3,
        },
      ]);
    }
    // Left to choose, a 6 % bar reads the month's counts; the same answer.
    expect(await basketPairs(h.db, f, o)).toEqual(await basketPairs(h.db, f, { ...o, via: 'days' }));
  });

  it('also bought over the period and in one shop', async () => {
    const o = { minSupport: 0, minOrders: 2, limit: 10 };
    for (const via of ['units', 'days'] as const) {
      const all = await alsoBought(h.db, f, 'A', { ...o, via });
      expect(
        all.rules.map((r) => [r.consequent, r.orders, r.confidence]),
        via,
      ).toEqual([
        ['B', 12, 0.8],
        ['C', 2, 0.1333],
      ]);
      const jd = await alsoBought(h.db, { ...f, shopIds: ['bp-jd'] }, 'A', { ...o, via });
      expect(jd.orders, via).toBe(6);
      expect(
        jd.rules.map((r) => [r.consequent, r.orders, r.confidence, r.lift]),
        via,
      ).toEqual([['B', 2, 1, 3]]);
    }
  });
});

describe('basket pairs over weeks and months: any period', () => {
  const FROM = Date.parse('2026-09-20T00:00:00Z');
  const DAYS = 90; // 09-20 .. 12-18: October and November whole, weeks and days either side
  const day = (i: number) => new Date(FROM + i * 86_400_000).toISOString().slice(0, 10);
  const baskets: Basket[] = [];

  beforeAll(async () => {
    await clear(h.db);
    const r = seeded(965);
    // SKUs of uneven popularity, P1 often with P2; one basket in ten changed after payment (taken
    // out as it was and put back with another SKU, as a line added to a paid order is).
    const sku = () => `P${1 + Math.floor(12 * r.next() ** 2)}`;
    for (let i = 0; i < 700; i += 1) {
      const skus = new Set<string>();
      const size = 1 + r.int(4);
      while (skus.size < size) skus.add(sku());
      if (skus.has('P1') && r.chance(0.6)) skus.add('P2');
      const b: Basket = { day: day(r.int(DAYS)), shop: r.int(SHOPS.length), skus: [...skus] };
      await write(h.db, b, 1);
      if (r.chance(0.1)) {
        await write(h.db, b, -1);
        b.skus = [...new Set([...b.skus, sku()])];
        await write(h.db, b, 1);
      }
      baskets.push(b);
    }
  });

  it('keeps the week and month counts the sums of the daily ones', async () => {
    const units = sql`cross join lateral (values ('week', date_trunc('week', d.day)::date),
      ('month', date_trunc('month', d.day)::date)) as u(grain, starts)`;
    const both = async (kept: string, daily: string, keys: string[], allShops: boolean) => {
      const key = sql.raw(keys.map((k) => `, ${k}`).join(''));
      const onWrite = await sql<{ r: string }>`
        select concat_ws(' ', grain, starts, shop_id, platform ${key}, orders) as r
        from ${sql.table(kept)} where orders <> 0 order by 1`.execute(h.db);
      const scopes = allShops
        ? sql`cross join lateral (values (d.shop_id, d.platform), ('', '')) as s(shop_id, platform)`
        : sql`cross join lateral (values (d.shop_id, d.platform)) as s(shop_id, platform)`;
      const fromDays = await sql<{ r: string }>`
        select concat_ws(' ', u.grain, u.starts, s.shop_id, s.platform ${key}, sum(d.orders)) as r
        from ${sql.table(daily)} d ${units} ${scopes}
        group by u.grain, u.starts, s.shop_id, s.platform ${key} having sum(d.orders) <> 0
        order by 1`.execute(h.db);
      expect(onWrite.rows.length, kept).toBeGreaterThan(10);
      expect(onWrite.rows, kept).toEqual(fromDays.rows);
    };
    await both('basket_period_orders', 'basket_daily_orders', [], false);
    await both('basket_period_items', 'basket_daily_items', ['sku_code'], true);
    await both('basket_period_pairs', 'basket_daily_pairs', ['sku_a', 'sku_b'], true);
  });

  const period = fc.oneof(
    // Any range of 1–90 days.
    fc
      .tuple(fc.integer({ min: 0, max: DAYS - 1 }), fc.integer({ min: 0, max: DAYS - 1 }))
      .map(([a, b]) => ({ from: day(Math.min(a, b)), to: day(Math.max(a, b)) })),
    // Whole months, with or without days either side.
    fc
      .tuple(
        fc.constantFrom('2026-10-01', '2026-11-01'),
        fc.integer({ min: 0, max: 12 }),
        fc.integer({ min: 0, max: 12 }),
      )
      .map(([m, before, after]) => {
        // October and November, or November alone.
        const start = Date.parse(`${m}T00:00:00Z`);
        const end = Date.parse('2026-11-30T00:00:00Z');
        const iso = (t: number) => new Date(t).toISOString().slice(0, 10);
        return { from: iso(start - before * 86_400_000), to: iso(end + after * 86_400_000) };
      }),
  );
  const filter = fc.constantFrom<Omit<SalesFilter, 'period'>>(
    {},
    { shopIds: ['bp-tb-1'] },
    { shopIds: ['bp-tb-1', 'bp-jd'] },
    { shopIds: ['bp-tb-1', 'bp-tb-2'] },
    { platform: 'taobao' },
    { platform: 'jd', shopIds: ['bp-jd', 'bp-tb-1'] },
  );
  const bar = fc.record({
    minSupport: fc.constantFrom(0, PAIR_FLOOR_SUPPORT / 2, 0.01, 0.02, 0.05, 0.1),
    minOrders: fc.integer({ min: 1, max: 8 }),
    limit: fc.constantFrom(3, 100),
  });

  it('gives the pairs counting the baskets gives, by either path', async () => {
    await fc.assert(
      fc.asyncProperty(
        period,
        filter,
        bar,
        fc.constantFrom(undefined, 'P1', 'P5'),
        async (p, rest, o, sku) => {
          const f: SalesFilter = { period: p, ...rest };
          const what = `${JSON.stringify(f)} ${JSON.stringify(o)} ${sku ?? ''}`;
          const expected = bruteForce(baskets, f, { ...o, ...(sku ? { sku } : {}) });
          for (const via of ['units', 'days', undefined] as const) {
            const got = await basketPairs(h.db, f, { ...o, sku, via });
            expect(got.orders, `${what} ${via}`).toBe(expected.orders);
            expect(pairsOf(got.rules), `${what} ${via}`).toEqual(expected.pairs);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
