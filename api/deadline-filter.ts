import { z } from 'zod';

/**
 * The deadline filter of the order and after-sales lists: "due within N hours" and "overdue".
 * Given both, a row matches either (everything due by now + N hours). The deadline is the order's
 * ship-by time or the case's seller deadline; rows past the work it bounds (shipped orders, ended
 * cases) never match, and rows without a deadline never do.
 */
export const DeadlineQuery = z.object({
  dueWithinHours: z.coerce
    .number()
    .gt(0, 'must be more than 0 hours')
    .max(24 * 30)
    .optional()
    .describe('only rows whose deadline falls within the next N hours (not yet passed)'),
  overdue: z
    .enum(['true', 'false'])
    .optional()
    .describe('`true`: only rows whose deadline has passed and whose work is not done'),
});
export type DeadlineFilter = z.infer<typeof DeadlineQuery>;

/** Deadlines up to `upTo` (and after `after` when given): the rows the filter keeps, at `now`. */
export interface DeadlineWindow {
  after?: Date;
  upTo: Date;
}

/** The window the filter asks for at `now`; undefined when it asks for nothing. */
export function deadlineWindow(filter: DeadlineFilter, now = new Date()): DeadlineWindow | undefined {
  const overdue = filter.overdue === 'true';
  if (filter.dueWithinHours === undefined && !overdue) return undefined;
  const upTo =
    filter.dueWithinHours === undefined ? now : new Date(now.getTime() + filter.dueWithinHours * 3_600_000);
  // Overdue alone: passed. Within alone: from now to the horizon. Both: anything up to the horizon.
  return overdue ? { upTo } : { after: now, upTo };
}
