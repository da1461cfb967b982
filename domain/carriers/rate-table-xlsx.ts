import ExcelJS from 'exceljs';
import { parseRateTableGrid, type RateCsvParse, type RateGridLine } from './rate-table-csv.js';

/** The media type of an .xlsx workbook. */
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * A rate table (运费模板) as the branch's workbook (.xlsx) itself, not saved as CSV first: the same
 * columns, units and checks as the CSV (`parseRateTableCsv`), read from the first sheet that has a
 * row; an issue's line is the sheet's row number, as Excel shows it.
 *
 * A cell is read as it shows: numbers as numbers (0.5, 3.5 — a price with more than two decimals
 * is refused as in the CSV), a formula by its cached result, rich text by its text; dates and
 * errors are text the row then refuses.
 */
export async function parseRateTableXlsx(bytes: Uint8Array): Promise<RateCsvParse> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch (err) {
    return unreadable(`the file is not an Excel workbook (.xlsx): ${(err as Error).message}`);
  }
  const sheet = workbook.worksheets.find((ws) => ws.actualRowCount > 0);
  if (!sheet) return unreadable('the workbook has no sheet with a row');
  const grid: RateGridLine[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = [];
    for (let c = 1; c <= row.cellCount; c++) cells.push(cellText(row.getCell(c).value));
    grid.push({ line: rowNumber, cells });
  });
  return parseRateTableGrid(grid);
}

function unreadable(problem: string): RateCsvParse {
  return {
    ok: false,
    issues: [{ line: 1, column: null, heading: null, value: null, kind: 'not_a_workbook', problem }],
  };
}

/** A cell's value as the sheet shows it. */
function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(Number(value.toFixed(6)));
  if (typeof value === 'string' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if ('richText' in value) return value.richText.map((r) => r.text).join('');
  if ('formula' in value || 'sharedFormula' in value) {
    const result = (value as ExcelJS.CellFormulaValue).result;
    return result === undefined || typeof result === 'object' ? '' : cellText(result);
  }
  if ('text' in value) return String(value.text);
  if ('error' in value) return String(value.error);
  return '';
}
