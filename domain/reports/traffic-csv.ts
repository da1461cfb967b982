import { ReportDaySchema } from './period.js';

export interface TrafficRow {
  shopId: string;
  day: string;
  visitors: number;
  pageViews: number | null;
}

export type TrafficParse =
  { ok: true; rows: TrafficRow[] } | { ok: false; issues: Array<{ line: number; problem: string }> };

const COUNT = /^\d{1,10}$/;

/**
 * Visitors per shop and day as a seller exports them (生意参谋 and the other back offices export
 * CSV): a header `shop_id,day,visitors[,page_views]`, then one row per shop and China calendar day.
 * Every bad line is reported (by its 1-based line number), and nothing is taken from a file with any.
 */
export function parseTrafficCsv(text: string): TrafficParse {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = (lines[0] ?? '').split(',').map((c) => c.trim().toLowerCase());
  const col = (name: string) => header.indexOf(name);
  const [shop, day, visitors, views] = [col('shop_id'), col('day'), col('visitors'), col('page_views')];
  if (shop < 0 || day < 0 || visitors < 0)
    return { ok: false, issues: [{ line: 1, problem: 'the header must name shop_id, day and visitors' }] };
  const rows: TrafficRow[] = [];
  const issues: Array<{ line: number; problem: string }> = [];
  const seen = new Set<string>();
  lines.slice(1).forEach((raw, i) => {
    const line = i + 2;
    if (raw.trim() === '') return;
    const cells = raw.split(',').map((c) => c.trim());
    const v = cells[visitors] ?? '';
    const pv = views >= 0 ? (cells[views] ?? '') : '';
    const row = { shopId: cells[shop] ?? '', day: cells[day] ?? '' };
    if (!row.shopId) issues.push({ line, problem: 'shop_id is empty' });
    else if (!ReportDaySchema.safeParse(row.day).success)
      issues.push({ line, problem: `day "${row.day}" is not a date such as 2026-11-11` });
    else if (!COUNT.test(v)) issues.push({ line, problem: `visitors "${v}" is not a whole number` });
    else if (pv !== '' && !COUNT.test(pv))
      issues.push({ line, problem: `page_views "${pv}" is not a whole number` });
    else if (seen.has(`${row.shopId}|${row.day}`))
      issues.push({ line, problem: `${row.shopId} on ${row.day} appears twice` });
    else {
      seen.add(`${row.shopId}|${row.day}`);
      rows.push({ ...row, visitors: Number(v), pageViews: pv === '' ? null : Number(pv) });
    }
  });
  if (rows.length === 0 && issues.length === 0) issues.push({ line: 1, problem: 'no rows' });
  return issues.length > 0 ? { ok: false, issues } : { ok: true, rows };
}
