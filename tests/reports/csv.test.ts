import { describe, expect, it } from 'vitest';
import { toCsv } from '../../domain/reports/csv.js';

describe('report tables as CSV', () => {
  it('quotes what needs quoting, keeps numbers, and never lets a cell run as a formula', () => {
    expect(
      toCsv([
        { sku: 'T恤, 红', note: 'say "hi"', fen: -1_200, rate: null },
        { sku: '=HYPERLINK("x")', note: 'two\nlines', fen: 0, extra: ['A', 'B'] },
      ]),
    ).toBe(
      '\uFEFFsku,note,fen,rate,extra\r\n' +
        '"T恤, 红","say ""hi""",-1200,,\r\n' +
        `"'=HYPERLINK(""x"")","two\nlines",0,,A + B\r\n`,
    );
    expect(toCsv([])).toBe('\uFEFF\r\n');
  });
});
