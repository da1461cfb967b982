/**
 * A report table as CSV (RFC 4180) for spreadsheets: a UTF-8 byte-order mark so Excel reads
 * Chinese right, CRLF line ends, fields quoted when they hold a comma, quote or line break. Text
 * that a spreadsheet would run as a formula (=, +, -, @ first) is prefixed with an apostrophe;
 * numbers are written as they are.
 */
export type Cell = string | number | boolean | null | undefined | readonly (string | number)[];
/** A row: an object whose fields are cells (interfaces welcome: no index signature needed). */
export type Row = object;

const FORMULA = /^[=+\-@\t\r]/;

/** Text with a leading apostrophe when a spreadsheet would otherwise run it as a formula. */
export function neutralise(text: string): string {
  return FORMULA.test(text) ? `'${text}` : text;
}

/** The columns of the rows, in the order they first appear. */
export function columnsOf(rows: readonly Row[]): string[] {
  const columns: string[] = [];
  for (const row of rows) for (const key of Object.keys(row)) if (!columns.includes(key)) columns.push(key);
  return columns;
}

function field(value: Cell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const safe = neutralise(typeof value === 'string' ? value : value.join(' + '));
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The rows as CSV, columns in the order they first appear. */
export function toCsv(rows: readonly Row[]): string {
  const columns = columnsOf(rows);
  const cell = (row: Row, column: string) => field((row as Record<string, Cell>)[column]);
  const lines = [columns.map(field).join(','), ...rows.map((r) => columns.map((c) => cell(r, c)).join(','))];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
