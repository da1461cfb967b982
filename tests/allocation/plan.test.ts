import { describe, expect, it } from 'vitest';
import {
  planAllocation,
  type AllocationRequest,
  type WarehouseProfile,
} from '../../domain/allocation/plan.js';
import { normalizeProvince } from '../../domain/allocation/regions.js';

const HZ: WarehouseProfile = {
  code: 'HZ',
  name: '杭州仓',
  active: true,
  capabilities: ['fragile'],
  coverage: [
    { province: '浙江省', priority: 1 },
    { province: '上海', priority: 2 },
  ],
};
const SH: WarehouseProfile = {
  code: 'SH',
  name: '上海冷链仓',
  active: true,
  capabilities: ['cold_chain', 'fragile'],
  coverage: [
    { province: '上海市', priority: 1 },
    { province: '浙江', priority: 2 },
  ],
};
const GZ: WarehouseProfile = {
  code: 'GZ',
  name: '广州仓',
  active: true,
  capabilities: [],
  coverage: [{ province: '广东', priority: 1 }],
};
const OFF: WarehouseProfile = {
  ...GZ,
  code: 'OFF',
  active: false,
  coverage: [{ province: '浙江', priority: 0 }],
};
const ALL = [HZ, SH, GZ, OFF];

const line = (sku: string, qty: number, flags: string[] = []) => ({ sku, qty, flags });
const stock = (entries: Record<string, Record<string, number>>) =>
  Object.entries(entries).flatMap(([warehouse, skus]) =>
    Object.entries(skus).map(([sku, available]) => ({ warehouse, sku, available })),
  );

interface Case {
  name: string;
  request: Omit<AllocationRequest, 'warehouses'> & { warehouses?: WarehouseProfile[] };
  expect: {
    kind: string;
    parts?: Record<string, Record<string, number>>;
    short?: Record<string, [needed: number, available: number]>;
    /** SKU → warehouse asked to restock it. */
    replenish?: Record<string, string>;
    reason?: RegExp;
  };
}

const cases: Case[] = [
  {
    name: 'the covering warehouse with the best priority ships everything',
    request: {
      lines: [line('A', 2), line('B', 1)],
      receiver: { province: '浙江省' },
      stock: stock({ HZ: { A: 5, B: 5 }, SH: { A: 5, B: 5 } }),
    },
    expect: {
      kind: 'single',
      parts: { HZ: { A: 2, B: 1 } },
      reason: /HZ \(杭州仓\) covers 浙江 at priority 1/,
    },
  },
  {
    name: 'province spelled differently (GB code) still matches coverage',
    request: {
      lines: [line('A', 1)],
      receiver: { province: '310000' },
      stock: stock({ HZ: { A: 5 }, SH: { A: 5 } }),
    },
    expect: { kind: 'single', parts: { SH: { A: 1 } } },
  },
  {
    name: 'a better-priority warehouse short of one SKU is passed over for one that has everything',
    request: {
      lines: [line('A', 2), line('B', 3)],
      receiver: { province: '浙江' },
      stock: stock({ HZ: { A: 5, B: 1 }, SH: { A: 5, B: 5 } }),
    },
    expect: {
      kind: 'single',
      parts: { SH: { A: 2, B: 3 } },
      reason: /passed over HZ \(杭州仓\) is short of B \(1\/3\)/,
    },
  },
  {
    name: 'a cold-chain item never goes to a warehouse without cold chain, however much stock it has',
    request: {
      lines: [line('ICE', 1, ['cold_chain'])],
      receiver: { province: '浙江' },
      stock: stock({ HZ: { ICE: 100 }, SH: { ICE: 1 } }),
    },
    expect: { kind: 'single', parts: { SH: { ICE: 1 } }, reason: /HZ \(杭州仓\) lacks cold_chain for ICE/ },
  },
  {
    name: 'a warehouse outside coverage ships when no covering one can',
    request: { lines: [line('A', 1)], receiver: { province: '浙江' }, stock: stock({ GZ: { A: 3 } }) },
    expect: { kind: 'single', parts: { GZ: { A: 1 } }, reason: /from outside its coverage/ },
  },
  {
    name: 'an inactive warehouse is never chosen',
    request: {
      lines: [line('A', 1)],
      receiver: { province: '浙江' },
      stock: stock({ OFF: { A: 9 }, GZ: { A: 1 } }),
    },
    expect: { kind: 'single', parts: { GZ: { A: 1 } } },
  },
  {
    name: 'lines split across the fewest warehouses when none has everything',
    request: {
      lines: [line('A', 1), line('B', 1), line('C', 1)],
      receiver: { province: '浙江' },
      stock: stock({ HZ: { A: 1 }, SH: { B: 1 }, GZ: { B: 1, C: 1 } }),
    },
    // HZ must ship A; GZ alone covers both B and C, so two warehouses, not three.
    expect: { kind: 'split', parts: { HZ: { A: 1 }, GZ: { B: 1, C: 1 } }, reason: /no single warehouse/ },
  },
  {
    name: 'cold-chain and normal items split between a cold warehouse and a normal one',
    request: {
      lines: [line('ICE', 1, ['cold_chain']), line('TEE', 2)],
      receiver: { province: '浙江' },
      stock: stock({ HZ: { TEE: 5, ICE: 5 }, SH: { ICE: 5 } }),
    },
    expect: { kind: 'split', parts: { HZ: { TEE: 2 }, SH: { ICE: 1 } } },
  },
  {
    name: 'one SKU split across warehouses when none holds the whole quantity',
    request: {
      lines: [line('A', 5)],
      receiver: { province: '浙江' },
      stock: stock({ HZ: { A: 3 }, SH: { A: 3 } }),
    },
    expect: { kind: 'split', parts: { HZ: { A: 3 }, SH: { A: 2 } } },
  },
  {
    name: 'out of stock reports what is short across every capable warehouse',
    request: {
      lines: [line('A', 5), line('B', 1)],
      receiver: { province: '浙江' },
      stock: stock({ HZ: { A: 2, B: 1 }, GZ: { A: 1 } }),
    },
    expect: {
      kind: 'out_of_stock',
      short: { A: [5, 3] },
      replenish: { A: 'HZ' },
      reason: /A needs 5, 3 available/,
    },
  },
  {
    name: 'cold-chain stock in a normal warehouse does not count as available',
    request: {
      lines: [line('ICE', 2, ['cold_chain'])],
      receiver: { province: '浙江' },
      stock: stock({ HZ: { ICE: 10 }, SH: { ICE: 1 } }),
    },
    // Replenishment goes where the item can be stored: the cold warehouse serving 浙江.
    expect: { kind: 'out_of_stock', short: { ICE: [2, 1] }, replenish: { ICE: 'SH' } },
  },
  {
    name: 'replenishment goes to the best-ranked warehouse that stocks the SKU, not the top-ranked one',
    request: {
      lines: [line('X', 2)],
      receiver: { province: '浙江' },
      // HZ ranks first for 浙江 but has never carried X; SH and GZ hold it at zero.
      stock: stock({ SH: { X: 0 }, GZ: { X: 0 } }),
    },
    expect: { kind: 'out_of_stock', short: { X: [2, 0] }, replenish: { X: 'SH' } },
  },
  {
    name: 'each short SKU is restocked where that SKU is carried',
    request: {
      lines: [line('A', 3), line('X', 1)],
      receiver: { province: '浙江' },
      stock: stock({ HZ: { A: 1 }, GZ: { X: 0 } }),
    },
    expect: { kind: 'out_of_stock', short: { A: [3, 1], X: [1, 0] }, replenish: { A: 'HZ', X: 'GZ' } },
  },
  {
    name: 'a SKU no warehouse carries is asked of the top-ranked warehouse, and the reason says so',
    request: {
      lines: [line('NEW', 1)],
      receiver: { province: '浙江' },
      stock: [],
    },
    expect: { kind: 'out_of_stock', short: { NEW: [1, 0] }, replenish: { NEW: 'HZ' } },
  },
  {
    name: 'an item needing a capability no warehouse has is unfulfillable, not out of stock',
    request: {
      lines: [line('ICE', 1, ['cold_chain'])],
      receiver: { province: '浙江' },
      warehouses: [HZ, GZ],
      stock: stock({ HZ: { ICE: 10 } }),
    },
    expect: { kind: 'unfulfillable', reason: /no active warehouse can handle ICE \(needs cold_chain\)/ },
  },
  {
    name: 'the same SKU on two lines is reserved as one quantity',
    request: {
      lines: [line('A', 2), line('A', 2)],
      receiver: { province: '浙江' },
      stock: stock({ HZ: { A: 3 }, SH: { A: 4 } }),
    },
    expect: { kind: 'single', parts: { SH: { A: 4 } } },
  },
];

describe('planAllocation', () => {
  it.each(cases)('$name', ({ request, expect: want }) => {
    const plan = planAllocation({ warehouses: ALL, ...request });
    expect(plan.kind).toBe(want.kind);
    if (want.reason) expect(plan.reason).toMatch(want.reason);
    if (want.parts && (plan.kind === 'single' || plan.kind === 'split')) {
      const parts = Object.fromEntries(
        plan.parts.map((p) => [p.warehouse, Object.fromEntries(p.lines.map((l) => [l.sku, l.qty]))]),
      );
      expect(parts).toEqual(want.parts);
    }
    if (want.short && plan.kind === 'out_of_stock') {
      expect(Object.fromEntries(plan.short.map((s) => [s.sku, [s.needed, s.available]]))).toEqual(want.short);
      expect(Object.fromEntries(plan.replenish.map((r) => [r.sku, r.warehouse]))).toEqual(want.replenish);
    }
  });

  it('explains where each replenishment request goes', () => {
    const plan = planAllocation({
      warehouses: ALL,
      lines: [line('A', 3), line('NEW', 1)],
      receiver: { province: '浙江' },
      stock: stock({ SH: { A: 1 } }),
    });
    expect(plan.kind).toBe('out_of_stock');
    if (plan.kind !== 'out_of_stock') return;
    expect(plan.replenish).toEqual([
      { sku: 'A', warehouse: 'SH', qty: 2, reason: 'order out of stock; SH stocks A' },
      {
        sku: 'NEW',
        warehouse: 'HZ',
        qty: 1,
        reason: 'order out of stock; no warehouse stocks NEW, asking the top-ranked HZ',
      },
    ]);
  });

  it('is deterministic: warehouse order in the input does not change the answer', () => {
    const request = {
      lines: [line('A', 1), line('B', 1)],
      receiver: { province: '浙江' },
      stock: stock({ HZ: { A: 1 }, SH: { B: 1 }, GZ: { A: 1, B: 1 } }),
    };
    const a = planAllocation({ ...request, warehouses: ALL });
    const b = planAllocation({ ...request, warehouses: [...ALL].reverse() });
    expect(b).toEqual(a);
  });
});

describe('normalizeProvince', () => {
  it.each([
    ['浙江省', '浙江'],
    ['浙江', '浙江'],
    ['330000', '浙江'],
    ['33', '浙江'],
    ['Zhejiang Province', '浙江'],
    ['广西壮族自治区', '广西'],
    ['新疆维吾尔自治区', '新疆'],
    ['上海市', '上海'],
    ['香港特别行政区', '香港'],
    ['ＢＥＩＪＩＮＧ', '北京'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeProvince(input)).toBe(expected);
  });
});

describe('replenishment target', () => {
  it('a warehouse with a bin set up for the SKU counts as stocking it', () => {
    const plan = planAllocation({
      warehouses: ALL,
      lines: [line('X', 1)],
      receiver: { province: '浙江' },
      stock: [],
      setUpFor: [{ warehouse: 'SH', sku: 'X' }],
    });
    expect(plan.kind === 'out_of_stock' && plan.replenish.map((r) => r.warehouse)).toEqual(['SH']);
  });
});
