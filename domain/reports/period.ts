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
