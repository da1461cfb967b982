import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_POLICY,
  sellableQuantity,
  shareOf,
  type ShopStockPolicy,
  type WarehouseStock,
} from '../../domain/stock-sync/quantity.js';

const WAREHOUSES = ['WH-A', 'WH-B', 'WH-C'];
const SKUS = ['S1', 'S2'];

const stockRows = fc
  .array(
    fc.record({
      warehouse: fc.constantFrom(...WAREHOUSES),
      sku: fc.constantFrom(...SKUS),
      onHand: fc.nat(500),
      reservedPart: fc.double({ min: 0, max: 1, noNaN: true }),
    }),
    { maxLength: 6 },
  )
  .map((rows) => {
    // One row per warehouse × SKU, reserved within on hand as the ledger guarantees.
    const seen = new Map<string, WarehouseStock>();
    for (const r of rows)
      seen.set(`${r.warehouse}/${r.sku}`, {
        warehouse: r.warehouse,
        sku: r.sku,
        onHand: r.onHand,
        reserved: Math.floor(r.onHand * r.reservedPart),
      });
    return [...seen.values()];
  });

const policy: fc.Arbitrary<ShopStockPolicy> = fc.record({
  warehouses: fc.option(fc.subarray(WAREHOUSES), { nil: null }),
  share: fc.oneof(
    fc.record({ kind: fc.constant('ratio' as const), percent: fc.integer({ min: 0, max: 100 }) }),
    fc.record({ kind: fc.constant('fixed' as const), qty: fc.nat(600) }),
  ),
  safetyStock: fc.nat(50),
});

const available = (stock: WarehouseStock[], sku: string, warehouses: readonly string[] | null) =>
  stock
    .filter((r) => r.sku === sku && (!warehouses || warehouses.includes(r.warehouse)))
    .reduce((s, r) => s + r.onHand - r.reserved, 0);

const bundles = new Map([
  [
    'BOX',
    [
      { sku: 'S1', qty: 2 },
      { sku: 'S2', qty: 3 },
    ],
  ],
]);

describe('sellable quantity per shop', () => {
  it('is a whole number between 0 and what the serving warehouses have available', () => {
    fc.assert(
      fc.property(stockRows, policy, fc.constantFrom(...SKUS), (stock, p, sku) => {
        const q = sellableQuantity(sku, stock, p, bundles);
        expect(Number.isInteger(q)).toBe(true);
        expect(q).toBeGreaterThanOrEqual(0);
        expect(q).toBeLessThanOrEqual(available(stock, sku, p.warehouses));
      }),
    );
  });

  it('never shows the safety stock: with the whole pool shared, it is the pool minus the safety stock', () => {
    fc.assert(
      fc.property(stockRows, fc.nat(50), fc.constantFrom(...SKUS), (stock, safety, sku) => {
        const p = { ...DEFAULT_POLICY, safetyStock: safety };
        expect(sellableQuantity(sku, stock, p, bundles)).toBe(
          Math.max(0, available(stock, sku, null) - safety),
        );
      }),
    );
  });

  it('never rises when stock is reserved (a reservation can only lower what platforms show)', () => {
    fc.assert(
      fc.property(stockRows, policy, fc.nat(20), fc.nat(5), (stock, p, take, index) => {
        if (stock.length === 0) return;
        const row = stock[index % stock.length]!;
        const more = Math.min(take, row.onHand - row.reserved);
        const after = stock.map((r) => (r === row ? { ...r, reserved: r.reserved + more } : r));
        for (const sku of [...SKUS, 'BOX'])
          expect(sellableQuantity(sku, after, p, bundles)).toBeLessThanOrEqual(
            sellableQuantity(sku, stock, p, bundles),
          );
      }),
    );
  });

  it('a bundle shows how many whole bundles its components make, and no more than its rule allows', () => {
    fc.assert(
      fc.property(stockRows, policy, (stock, p) => {
        const whole = Math.min(
          Math.floor(available(stock, 'S1', p.warehouses) / 2),
          Math.floor(available(stock, 'S2', p.warehouses) / 3),
        );
        expect(sellableQuantity('BOX', stock, p, bundles)).toBe(shareOf(whole, p));
      }),
    );
  });

  it('ratio and fixed rules, by example', () => {
    const stock = [
      { warehouse: 'WH-A', sku: 'S1', onHand: 100, reserved: 10 },
      { warehouse: 'WH-B', sku: 'S1', onHand: 20, reserved: 0 },
    ];
    const only = (share: ShopStockPolicy['share'], safetyStock = 0, warehouses: string[] | null = null) =>
      sellableQuantity('S1', stock, { share, safetyStock, warehouses }, bundles);
    expect(only({ kind: 'ratio', percent: 100 })).toBe(110);
    expect(only({ kind: 'ratio', percent: 50 }, 5)).toBe(50);
    expect(only({ kind: 'ratio', percent: 100 }, 0, ['WH-B'])).toBe(20);
    expect(only({ kind: 'fixed', qty: 30 })).toBe(30);
    expect(only({ kind: 'fixed', qty: 500 })).toBe(110);
    expect(only({ kind: 'fixed', qty: 30 }, 0, ['WH-B'])).toBe(20);
    expect(sellableQuantity('S1', stock, DEFAULT_POLICY, bundles)).toBe(110);
  });
});
