import { describe, expect, it } from 'vitest';
import { frequentItemsets, itemsetBundles, itemsetRules } from '../../domain/reports/fpgrowth.js';

/**
 * 100 baskets with a planted triple: 20 × {A, B, C}, 10 × {A, B}, 10 × {C}, 5 × {A, B, C, D},
 * 55 × {E}. So |A∩B∩C| = 25, |A∩B| = 35, |C| = 35, N = 100.
 */
const baskets: string[][] = [
  ...Array.from({ length: 20 }, () => ['A', 'B', 'C']),
  ...Array.from({ length: 10 }, () => ['B', 'A']),
  ...Array.from({ length: 10 }, () => ['C']),
  ...Array.from({ length: 5 }, () => ['A', 'B', 'C', 'D']),
  ...Array.from({ length: 55 }, () => ['E']),
];

describe('FP-growth for itemsets larger than pairs', () => {
  it('finds the planted triple with its support, confidence and lift', async () => {
    const itemsets = await frequentItemsets(baskets, { minOrders: 5, maxSize: 4 });
    const count = (...items: string[]) => itemsets.find((s) => s.items.join() === items.join())?.count;
    expect(count('A', 'B', 'C')).toBe(25);
    expect(count('A', 'B')).toBe(35);
    expect(count('A', 'B', 'C', 'D')).toBe(5);
    expect(count('C', 'E')).toBeUndefined();
    // Every itemset found is counted exactly: check against a brute-force count of the baskets.
    for (const s of itemsets)
      expect(s.count, s.items.join()).toBe(baskets.filter((b) => s.items.every((i) => b.includes(i))).length);
    expect(itemsets).toHaveLength(5 + 6 + 4 + 1); // singles; pairs of A–D; triples of A–D; ABCD

    const rules = itemsetRules(itemsets, baskets.length);
    const abToC = rules.find((r) => r.antecedent.join() === 'A,B' && r.consequent === 'C');
    // 25/35 of the orders with A and B hold C; C alone is in 35 of 100: lift 0.7143 / 0.35.
    expect(abToC).toEqual({
      antecedent: ['A', 'B'],
      consequent: 'C',
      orders: 25,
      support: 0.25,
      confidence: 0.7143,
      lift: 2.0408,
    });
    const bundles = itemsetBundles(rules, { minLift: 1.5, minConfidence: 0.5 });
    expect(bundles[0]).toMatchObject({ skus: ['A', 'B', 'C'], orders: 25 });
  });

  it('resumes: items already mined are skipped and the rest complete the same answer', async () => {
    const mined: Array<{ item: string; found: string[] }> = [];
    const key = (s: { items: string[]; count: number }) => `${s.items.join()}:${s.count}`;
    const full = await frequentItemsets(baskets, {
      minOrders: 5,
      maxSize: 3,
      onItemMined: (item, found) => {
        mined.push({ item, found: found.map(key) });
      },
    });
    // Least frequent first: D (5 baskets) is mined before the others.
    expect(mined[0]!.item).toBe('D');
    // A retry after two items (their itemsets heartbeated) mines only the others.
    const done = new Set(mined.slice(0, 2).map((m) => m.item));
    const rest = await frequentItemsets(baskets, { minOrders: 5, maxSize: 3, done });
    expect(rest.some((s) => s.items.length === 1 && done.has(s.items[0]!))).toBe(false);
    const before = mined.slice(0, 2).flatMap((m) => m.found);
    expect([...before, ...rest.map(key)].sort()).toEqual(full.map(key).sort());
  });
});
