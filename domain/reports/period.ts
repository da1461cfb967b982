import { z } from 'zod';

/** A China calendar day, YYYY-MM-DD. */
export const ReportDaySchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date such as 2026-11-11')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), 'must be a real date');

export const GRANULARITIES = ['day', 'week', 'month'] as const;
export type Granularity = (typeof GRANULARITIES)[number];

/** Days from..to, both included. */
export interface Period {
  from: string;
  to: string;
}

const DAY_MS = 86_400_000;

function dayNumber(day: string): number {
  return Date.parse(`${day}T00:00:00Z`) / DAY_MS;
}

function dayOf(n: number): string {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

/** How many days the period covers. */
export function periodDays(p: Period): number {
  return dayNumber(p.to) - dayNumber(p.from) + 1;
}

/**
 * The period compared with: as many days, ending the day before this one starts (a week against
 * the week before, 11-01..11-11 against 10-21..10-31).
 */
export function previousPeriod(p: Period): Period {
  const days = periodDays(p);
  const from = dayNumber(p.from);
  return { from: dayOf(from - days), to: dayOf(from - 1) };
}

/** Relative change of a figure against the previous period; null when there is nothing to compare. */
export function change(current: number | null, previous: number | null): number | null {
  if (current === null || previous === null || previous === 0) return null;
  return Math.round(((current - previous) / Math.abs(previous)) * 10_000) / 10_000;
}

/**
 * A period in the rollups' units (the stage and carrier histograms, the SKU periods): its whole months, then the whole weeks (Monday first) of what
 * is left, then the days left over (at most six either side of each run of weeks).
 */
export function coverPeriod(p: Period): { months: string[]; weeks: string[]; days: Period[] } {
  const DAY = 86_400_000;
  const ms = (d: string) => Date.parse(`${d}T00:00:00Z`);
  const iso = (t: number) => new Date(t).toISOString().slice(0, 10);
  const nextMonth = (t: number) => {
    const d = new Date(t);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  };
  const from = ms(p.from);
  const to = ms(p.to);
  const months: string[] = [];
  let m = new Date(from).getUTCDate() === 1 ? from : nextMonth(from);
  const firstMonth = m;
  while (nextMonth(m) - DAY <= to) {
    months.push(iso(m));
    m = nextMonth(m);
  }
  const rest: Array<[number, number]> =
    months.length === 0
      ? [[from, to]]
      : [
          [from, firstMonth - DAY],
          [m, to],
        ];
  const weeks: string[] = [];
  const days: Period[] = [];
  for (const [a, b] of rest) {
    if (a > b) continue;
    let w = a + ((8 - new Date(a).getUTCDay()) % 7) * DAY; // the first Monday on or after a
    const firstWeek = w;
    while (w + 6 * DAY <= b) {
      weeks.push(iso(w));
      w += 7 * DAY;
    }
    const spans: Array<[number, number]> =
      firstWeek === w
        ? [[a, b]]
        : [
            [a, firstWeek - DAY],
            [w, b],
          ];
    for (const [x, y] of spans) if (x <= y) days.push({ from: iso(x), to: iso(y) });
  }
  return { months, weeks, days };
}

/** The period cut into its days, weeks (Monday first) or months, each cut to the period. */
export function periodBuckets(p: Period, granularity: Granularity): Period[] {
  const buckets: Period[] = [];
  let from = dayNumber(p.from);
  const to = dayNumber(p.to);
  while (from <= to) {
    const d = new Date(from * DAY_MS);
    const end =
      granularity === 'day'
        ? from
        : granularity === 'week'
          ? from + ((7 - d.getUTCDay()) % 7) // the Sunday ending the week
          : Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) / DAY_MS - 1;
    buckets.push({ from: dayOf(from), to: dayOf(Math.min(end, to)) });
    from = end + 1;
  }
  return buckets;
}
