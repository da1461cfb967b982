import { describe, expect, it } from 'vitest';
import {
  attributeParts,
  BundleError,
  expandBundles,
  type SkuFacts,
} from '../../domain/allocation/order-lines.js';

const sku = (code: string, extra: Partial<SkuFacts> = {}): SkuFacts => ({
  code,
  weightG: 100,
  lengthMm: 10,
  widthMm: 10,
  heightMm: 10,
  flags: [],
  ...extra,
});

const catalog = new Map<string, SkuFacts>([
  ['TEA', sku('TEA')],
  ['CUP', sku('CUP', { flags: ['fragile'] })],
  [
    'GIFT',
    sku('GIFT', {
      components: [
        { code: 'TEA', qty: 2 },
        { code: 'CUP', qty: 1 },
      ],
    }),
  ],
  ['GIFT-2', sku('GIFT-2', { components: [{ code: 'GIFT', qty: 2 }] })],
  ['LOOP', sku('LOOP', { components: [{ code: 'LOOP', qty: 1 }] })],
]);

describe('bundles', () => {
  it('a bundle line reserves its components, nested bundles included', () => {
    const lines = expandBundles(
      [
        { lineId: '1', sku: 'GIFT-2', qty: 3 },
        { lineId: '2', sku: 'TEA', qty: 1 },
      ],
      catalog,
    );
    expect(lines.map((l) => [l.lineId, l.sku, l.qty, l.bundle])).toEqual([
      ['1', 'TEA', 12, 'GIFT-2'],
      ['1', 'CUP', 6, 'GIFT-2'],
      ['2', 'TEA', 1, null],
    ]);
    expect(lines[1]!.flags).toEqual(['fragile']);
  });

  it('a bundle that contains itself is refused', () => {
    expect(() => expandBundles([{ lineId: '1', sku: 'LOOP', qty: 1 }], catalog)).toThrow(BundleError);
  });

  it('split quantities are attributed back to the order lines they came from', () => {
    const lines = expandBundles(
      [
        { lineId: '1', sku: 'TEA', qty: 3 },
        { lineId: '2', sku: 'TEA', qty: 2 },
      ],
      catalog,
    );
    const attributed = attributeParts(lines, [
      { warehouse: 'HZ', lines: [{ sku: 'TEA', qty: 4 }] },
      { warehouse: 'SH', lines: [{ sku: 'TEA', qty: 1 }] },
    ]);
    expect(attributed.map((l) => [l.warehouse, l.lineId, l.qty])).toEqual([
      ['HZ', '1', 3],
      ['HZ', '2', 1],
      ['SH', '2', 1],
    ]);
  });
});
