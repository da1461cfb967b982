import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { parseRateTableCsv } from '../../domain/carriers/rate-table-csv.js';
import { parseRateTableXlsx } from '../../domain/carriers/rate-table-xlsx.js';

/** A workbook as a branch sends it: a title sheet first, the quote on its own sheet, values as typed. */
async function workbook(rows: unknown[][], { titleSheet = true } = {}): Promise<Uint8Array> {
  const book = new ExcelJS.Workbook();
  if (titleSheet) book.addWorksheet('说明');
  const sheet = book.addWorksheet('报价单');
  for (const row of rows) sheet.addRow(row);
  return new Uint8Array(await book.xlsx.writeBuffer());
}

const HEADER = ['目的省份', '首重(kg)', '首重价格(元)', '续重(kg)', '续重价格(元)'];

describe('rate table workbook (运费模板 as the branch’s .xlsx)', () => {
  it('reads the first sheet with rows as the CSV reads its lines: numbers, text and formulas', async () => {
    const bytes = await workbook([
      ['广东省网点报价（2026 年 12 月起）'],
      [],
      HEADER,
      ['浙江', 1, 3, 1, 1],
      ['广东省', 0.5, '4.50', 0.5, { formula: '0.4*2', result: 0.8 }],
      [{ richText: [{ text: '其他' }] }, '1kg', '¥8', 1, 4],
    ]);
    const parsed = await parseRateTableXlsx(bytes);
    // The same rows as the same table saved as CSV; lines are the sheet's row numbers.
    const csv = parseRateTableCsv(
      [HEADER.join(','), '浙江,1,3,1,1', '广东省,0.5,4.50,0.5,0.8', '其他,1kg,¥8,1,4'].join('\n'),
    );
    expect(parsed.ok && csv.ok && parsed.table).toEqual(csv.ok && csv.table);
    expect(parsed.ok && parsed.lines).toEqual([4, 5, 6]);
  });

  it('refuses a bad cell naming its row and column as Excel shows them, and takes nothing', async () => {
    const parsed = await parseRateTableXlsx(
      await workbook([HEADER, ['浙江', 1, '三元', 1, 1], ['火星', 1, 3, 1, 1], ['江苏', 1, 3.005, 1, 1]]),
    );
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.issues).toEqual([
      expect.objectContaining({ line: 2, column: 'firstFen', heading: '首重价格(元)', kind: 'not_a_price' }),
      expect.objectContaining({ line: 4, column: 'firstFen', value: '3.005', kind: 'not_a_price' }),
    ]);
    const unknown = await parseRateTableXlsx(
      await workbook([HEADER, ['浙江', 1, 3, 1, 1], ['火星', 1, 3, 1, 1]]),
    );
    expect(!unknown.ok && unknown.issues).toEqual([
      expect.objectContaining({ line: 3, column: 'province', value: '火星', kind: 'unknown_province' }),
    ]);
    const missing = await parseRateTableXlsx(
      await workbook([
        ['目的省份', '首重(kg)'],
        ['浙江', 1],
      ]),
    );
    expect(!missing.ok && missing.issues.map((i) => i.heading)).toEqual([
      '首重价格(元)',
      '续重(kg)',
      '续重价格(元)',
    ]);
  });

  it('says a file that is not a workbook, or an empty one, is not a rate table', async () => {
    const csvBytes = new TextEncoder().encode(`${HEADER.join(',')}\n浙江,1,3,1,1\n`);
    const notBook = await parseRateTableXlsx(csvBytes);
    expect(!notBook.ok && notBook.issues).toEqual([
      expect.objectContaining({ line: 1, kind: 'not_a_workbook' }),
    ]);
    const empty = await parseRateTableXlsx(await workbook([]));
    expect(!empty.ok && empty.issues[0]).toMatchObject({ kind: 'not_a_workbook' });
  });

  it('reads weight band columns from the workbook, numbers as typed, naming a bad band cell by its row', async () => {
    const bands = ['目的省份', '0-0.5kg', '0.5-1kg', '1-2kg', '续重(kg)', '续重价格(元)'];
    const parsed = await parseRateTableXlsx(
      await workbook([['按重量段报价'], bands, ['广东', 3, 3.5, 4.5, 1, 1.2], ['其他', 5, 6, 8, 1, 3]]),
    );
    expect(parsed.ok && parsed.lines).toEqual([3, 4]);
    expect(parsed.ok && parsed.table.rows[0]).toEqual({
      province: '广东',
      bands: [
        { upToG: 500, fen: 300 },
        { upToG: 1000, fen: 350 },
        { upToG: 2000, fen: 450 },
      ],
      additionalUnitG: 1000,
      additionalFen: 120,
    });
    const bad = await parseRateTableXlsx(await workbook([bands, ['广东', 3, null, 4.5, 1, 1.2]]));
    expect(!bad.ok && bad.issues).toEqual([
      expect.objectContaining({ line: 2, column: 'bands.1', heading: '0.5-1kg', kind: 'band_missing' }),
    ]);
  });
});
