import { describe, expect, it } from 'vitest';
import { accountPricing, type WaybillAccount } from '../../domain/carriers/waybill-account.js';
import {
  RateTableInputSchema,
  rateTableRows,
  rateText,
  tableCostFen,
} from '../../domain/carriers/rate-table.js';

/** A branch's banded quote to 广东: 0–0.5 kg ¥3, 0.5–1 kg ¥3.5, 1–2 kg ¥4.5, then ¥1.2 per started kg. */
const banded = RateTableInputSchema.parse({
  rows: [
    {
      province: '广东',
      bands: [
        { upToG: 500, fen: 300 },
        { upToG: 1000, fen: 350 },
        { upToG: 2000, fen: 450 },
      ],
      additionalUnitG: 1000,
      additionalFen: 120,
    },
  ],
});
/** The other branch: 首重 1 kg ¥4, 续重 ¥1 per kg. */
const flat = RateTableInputSchema.parse({
  rows: [{ province: '广东', firstWeightG: 1000, firstFen: 400, additionalUnitG: 1000, additionalFen: 100 }],
});

const account = (id: string, table: ReturnType<typeof rateTableRows>): WaybillAccount =>
  ({
    id,
    name: id,
    shopId: 's',
    carrier: 'ZTO',
    service: 'cainiao',
    warehouseCode: null,
    enabled: true,
    state: 'ok',
    balance: 100,
    priority: 100,
    rateTable: table,
  }) as unknown as WaybillAccount;

describe('weight bands in a rate table', () => {
  const rows = rateTableRows(banded);
  const route = { province: '广东省' };
  it('prices a parcel in each band at that band’s price, and beyond the last by the additional unit', () => {
    expect(
      [300, 500, 501, 1000, 1001, 2000, 2001, 3000, 3500].map((g) => tableCostFen(rows, route, g)),
    ).toEqual([300, 300, 350, 350, 450, 450, 570, 570, 690]);
    expect(rateText(rows[0]!)).toBe('0–0.5kg ¥3.00，0.5–1kg ¥3.50，1–2kg ¥4.50，续重每1kg ¥1.20');
  });

  it('refuses bands that do not rise, and a row with neither bands nor a first weight', () => {
    const bad = RateTableInputSchema.safeParse({
      rows: [
        {
          province: '广东',
          bands: [
            { upToG: 1000, fen: 3 },
            { upToG: 500, fen: 4 },
          ],
          additionalUnitG: 1000,
          additionalFen: 1,
        },
        { province: '浙江', additionalUnitG: 1000, additionalFen: 1 },
      ],
    });
    expect(!bad.success && bad.error.issues.map((i) => i.path.join('.'))).toEqual([
      'rows.0.bands.1.upToG',
      'rows.1.firstWeightG',
      'rows.1.firstFen',
    ]);
  });

  it('selection takes the account cheaper for the parcel’s weight: the banded one light, the flat one heavy', () => {
    const accounts = [account('banded', rows), account('flat', rateTableRows(flat))];
    const price = (weightG: number) =>
      accountPricing(accounts, 'ZTO', route, { weightG, lengthMm: 1, widthMm: 1, heightMm: 1 }, 8000);
    expect(price(800)).toMatchObject({ kind: 'table', account: { id: 'banded' }, costFen: 350 });
    expect(price(1500)).toMatchObject({ kind: 'table', account: { id: 'banded' }, costFen: 450 });
    // 3.5 kg: banded ¥4.5 + 2 × ¥1.2 = ¥6.90; flat ¥4 + 3 × ¥1 = ¥7.00 … 4.5 kg: ¥8.10 against ¥8.00.
    expect(price(3500)).toMatchObject({ account: { id: 'banded' }, costFen: 690 });
    expect(price(4500)).toMatchObject({ account: { id: 'flat' }, costFen: 800 });
  });
});
