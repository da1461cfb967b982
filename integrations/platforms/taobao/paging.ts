import { z } from 'zod';
import { RequestRejectedError } from '../errors.js';

/**
 * Backward paging over a modified-time window, as TOP and PDD document it: read page 1 once to
 * learn the total, then the last page, then towards page 1. Results are newest-first; an order
 * modified while we page leaves the (past) window, which shifts later items towards the front.
 * Going backwards, a shift can only move an item we already read into a page we have not read
 * yet, so it is seen twice rather than missed (consumers are idempotent). Forward paging would
 * skip it. The window must end in the past for this to hold: poll with a small lag.
 */

const CursorSchema = z.object({
  v: z.literal(1),
  from: z.string(),
  to: z.string(),
  /** Next page to read; 0 = the phase has not started (read page 1 to learn the total). */
  page: z.number().int().min(0),
  size: z.number().int().min(1),
  /** Which listing the cursor belongs to when one call walks several (JD refunds: apply, check). */
  phase: z.string().optional(),
});
export type PageCursor = z.infer<typeof CursorSchema>;

export function encodeCursor(cursor: PageCursor): string {
  return Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');
}

export function decodeCursor(platform: string, text: string, window: { from: Date; to: Date }): PageCursor {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw new RequestRejectedError(`${platform}: cursor is not one we issued`, platform);
  }
  const parsed = CursorSchema.safeParse(decoded);
  if (!parsed.success) throw new RequestRejectedError(`${platform}: cursor is not one we issued`, platform);
  if (parsed.data.from !== window.from.toISOString() || parsed.data.to !== window.to.toISOString()) {
    throw new RequestRejectedError(`${platform}: cursor belongs to a different window`, platform);
  }
  return parsed.data;
}

export interface PageResult<T> {
  items: T[];
  total: number;
}

export interface BackwardPagingInput<T> {
  platform: string;
  window: { from: Date; to: Date };
  cursor: PageCursor | null;
  pageSize: number;
  phase?: string;
  /** Highest page number the platform serves (JD: 100); more pages means the window is too long. */
  maxPage?: number;
  fetchPage(page: number): Promise<PageResult<T>>;
}

export async function pageBackwards<T>(
  input: BackwardPagingInput<T>,
): Promise<{ items: T[]; next: PageCursor | null }> {
  const cursorFor = (page: number): PageCursor | null =>
    page < 1
      ? null
      : {
          v: 1,
          from: input.window.from.toISOString(),
          to: input.window.to.toISOString(),
          page,
          size: input.pageSize,
          ...(input.phase ? { phase: input.phase } : {}),
        };

  if (input.cursor && input.cursor.page > 0) {
    const result = await input.fetchPage(input.cursor.page);
    return { items: result.items, next: cursorFor(input.cursor.page - 1) };
  }
  const first = await input.fetchPage(1);
  const lastPage = Math.max(1, Math.ceil(first.total / input.pageSize));
  if (lastPage === 1) return { items: first.items, next: null };
  if (input.maxPage !== undefined && lastPage > input.maxPage) {
    throw new RequestRejectedError(
      `${input.platform}: ${first.total} results exceed the ${input.maxPage} pages the platform serves; list a shorter window`,
      input.platform,
    );
  }
  // Page 1 is read again last: it is the page most likely to have changed meanwhile.
  const last = await input.fetchPage(lastPage);
  return { items: last.items, next: cursorFor(lastPage - 1) };
}

/** Rejects windows the platform would refuse, before spending a call on them. */
export function assertWindow(
  platform: string,
  window: { from: Date; to: Date },
  maxWindowSeconds: number,
): void {
  const span = (window.to.getTime() - window.from.getTime()) / 1000;
  if (!(span > 0)) throw new RequestRejectedError(`${platform}: window must end after it starts`, platform);
  if (span > maxWindowSeconds) {
    throw new RequestRejectedError(
      `${platform}: window of ${span} s exceeds the platform's ${maxWindowSeconds} s limit`,
      platform,
    );
  }
}

/** A cursor that starts `phase` of the same window from scratch. */
export function phaseStartCursor(window: { from: Date; to: Date }, size: number, phase: string): PageCursor {
  return { v: 1, from: window.from.toISOString(), to: window.to.toISOString(), page: 0, size, phase };
}
