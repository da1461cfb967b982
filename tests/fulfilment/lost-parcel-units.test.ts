import { expect, it } from 'vitest';
import { lineUnitsInParcel, lostParcelRefundLines } from '../../domain/lost-parcels.js';

const perUnit = new Map([
  ['1', new Map([['TEE', 1]])],
  // A gift box: two cups and one saucer per unit of the line.
  [
    '2',
    new Map([
      ['CUP', 2],
      ['SAUCER', 1],
    ]),
  ],
]);
const quantities = new Map([
  ['1', 6],
  ['2', 3],
]);

it('counts the units of each line a parcel carried, not the whole line', () => {
  expect(lineUnitsInParcel([{ lineId: '1', sku: 'TEE', qty: 2 }], perUnit, quantities)).toEqual([
    { lineId: '1', quantity: 2 },
  ]);
});

it('counts a bundle split across parcels as a whole unit where part of it travelled, never more than the line', () => {
  // Three cups and no saucer: two boxes' worth of cups, partly.
  expect(lineUnitsInParcel([{ lineId: '2', sku: 'CUP', qty: 3 }], perUnit, quantities)).toEqual([
    { lineId: '2', quantity: 2 },
  ]);
  expect(
    lineUnitsInParcel(
      [
        { lineId: '2', sku: 'CUP', qty: 6 },
        { lineId: '2', sku: 'SAUCER', qty: 3 },
      ],
      perUnit,
      quantities,
    ),
  ).toEqual([{ lineId: '2', quantity: 3 }]);
});

it('leaves out what it cannot place on a line (unknown line or SKU)', () => {
  expect(lineUnitsInParcel([{ lineId: '9', sku: 'TEE', qty: 1 }], perUnit, quantities)).toEqual([]);
});

it('refunds what the lost units were paid: the whole line as paid, a split line pro rata, rounded down', () => {
  const lines = [
    { lineId: '1', quantity: 2, unitPriceFen: 9_900, discountFen: 2_000, taxFen: 0 },
    { lineId: '2', quantity: 3, unitPriceFen: 1_000, discountFen: 100, taxFen: 30 },
  ];
  expect(
    lostParcelRefundLines(lines, [
      { lineId: '1', quantity: 2 },
      { lineId: '2', quantity: 2 },
      { lineId: '9', quantity: 1 },
    ]),
  ).toEqual([
    { lineId: '1', quantity: 2, requestedFen: 17_800 },
    // Two of three units of a line that took 29.30: 19.53, never more than the line.
    { lineId: '2', quantity: 2, requestedFen: 1_953 },
  ]);
});
