import { describe, expect, it } from 'vitest';
import { accountPricing, type WaybillAccount } from '../../domain/carriers/waybill-account.js';
import { parseRateTableCsv, readBandHeading } from '../../domain/carriers/rate-table-csv.js';
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

describe('weight bands in the branch’s sheet (band columns headed by their range)', () => {
  const sheet = (...lines: string[]) => parseRateTableCsv(lines.join('\n'));

  it('reads band headers as sellers write them, in kg, g or 公斤, and knows a column that is no band', () => {
    expect(
      ['0-0.5kg', '0.5~1kg', '1kg-2kg', '0~500g', '1-2公斤', '0.5kg以内', '≤0.5kg', '0.5-1千克'].map((h) =>
        readBandHeading(h),
      ),
    ).toEqual([
      { fromG: 0, toG: 500 },
      { fromG: 500, toG: 1000 },
      { fromG: 1000, toG: 2000 },
      { fromG: 0, toG: 500 },
      { fromG: 1000, toG: 2000 },
      { fromG: 0, toG: 500 },
      { fromG: 0, toG: 500 },
      { fromG: 500, toG: 1000 },
    ]);
    for (const h of ['0-0.5', '0.5kg', '首重', '1-2件']) expect(readBandHeading(h)).toBeUndefined();
  });

  it('takes a banded sheet as the JSON bands, a flat row beside it, and prices them alike', () => {
    const parsed = sheet(
      '中通网点报价单（按重量段）',
      '目的省份,0-0.5kg,0.5-1kg,1-2kg(元),首重(kg),首重价格(元),续重(kg),续重价格(元)',
      '广东,3,3.50,4.5,,,1,1.20',
      '浙江省,,,,1,3,1,1',
    );
    expect(parsed.ok && parsed.lines).toEqual([3, 4]);
    expect(parsed.ok && parsed.table).toEqual({
      rows: [
        { ...banded.rows[0], province: '广东' },
        { province: '浙江省', firstWeightG: 1000, firstFen: 300, additionalUnitG: 1000, additionalFen: 100 },
      ],
    });
    const rows = rateTableRows(RateTableInputSchema.parse(parsed.ok && parsed.table));
    expect([500, 1500, 3000].map((g) => tableCostFen(rows, { province: '广东省' }, g))).toEqual([
      300, 450, 570,
    ]);
    // Bands in grams and fen, without any 首重 column.
    const grams = sheet(
      'province,0-500g(分),500-1000g(分),additional_unit_g,additional_price_fen',
      '广东,300,350,1000,120',
    );
    expect(grams.ok && grams.table.rows[0]).toEqual({
      province: '广东',
      bands: [
        { upToG: 500, fen: 300 },
        { upToG: 1000, fen: 350 },
      ],
      additionalUnitG: 1000,
      additionalFen: 120,
    });
  });

  it('refuses bands that leave a gap, overlap or do not start at 0, naming the header’s column', () => {
    const gap = sheet('目的省份,0-0.5kg,1-2kg,续重(kg),续重价格(元)', '广东,3,4,1,1');
    expect(!gap.ok && gap.issues).toEqual([
      expect.objectContaining({ line: 1, column: 'bands.1', heading: '1-2kg', kind: 'bad_band' }),
    ]);
    expect(!gap.ok && gap.issues[0]!.problem).toContain('does not start where 0-0.5kg ends (500 g)');
    const late = sheet('目的省份,0.5-1kg,续重(kg),续重价格(元)', '广东,3,1,1');
    expect(!late.ok && late.issues).toEqual([
      expect.objectContaining({
        column: 'bands.0',
        kind: 'bad_band',
        problem: expect.stringContaining('start at 0'),
      }),
    ]);
    const down = sheet('目的省份,0-1kg,1-0.5kg,续重(kg),续重价格(元)', '广东,3,4,1,1');
    expect(!down.ok && down.issues.map((i) => [i.column, i.kind])).toEqual([['bands.1', 'bad_band']]);
  });

  it('refuses a row pricing some bands only, both bands and a first weight, or nothing, by line and column', () => {
    const parsed = sheet(
      '目的省份,0-0.5kg,0.5-1kg,首重(kg),首重价格(元),续重(kg),续重价格(元)',
      '广东,3,,,,1,1.2',
      '浙江,3,3.5,1,3,1,1',
      '江苏,,,,,1,1',
      '上海,3,三块五,,,1,1',
    );
    expect(!parsed.ok && parsed.issues.map((i) => [i.line, i.column, i.heading, i.kind])).toEqual([
      [2, 'bands.1', '0.5-1kg', 'band_missing'],
      [3, 'firstWeightG', '首重(kg)', 'bands_and_first_weight'],
      [4, 'bands.0', '0-0.5kg', 'band_missing'],
      [5, 'bands.1', '0.5-1kg', 'not_a_price'],
    ]);
    // Without a 首重 column a row without bands is the band's refusal, not a missing first weight.
    const noFirst = sheet('目的省份,0-0.5kg,续重(kg),续重价格(元)', '广东,,1,1');
    expect(!noFirst.ok && noFirst.issues).toEqual([
      expect.objectContaining({ line: 2, column: 'bands.0', kind: 'band_missing' }),
    ]);
    // A sheet with neither bands nor 首重 columns still misses them.
    const neither = sheet('目的省份,续重(kg),续重价格(元)', '广东,1,1');
    expect(!neither.ok && neither.issues.map((i) => i.heading)).toEqual(['首重(kg)', '首重价格(元)']);
  });
});
