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

function field(value: Cell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const text = typeof value === 'string' ? value : value.join(' + ');
  const safe = FORMULA.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The rows as CSV, columns in the order they first appear. */
export function toCsv(rows: readonly Row[]): string {
  const columns: string[] = [];
  for (const row of rows) for (const key of Object.keys(row)) if (!columns.includes(key)) columns.push(key);
  const cell = (row: Row, column: string) => field((row as Record<string, Cell>)[column]);
  const lines = [columns.map(field).join(','), ...rows.map((r) => columns.map((c) => cell(r, c)).join(','))];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
