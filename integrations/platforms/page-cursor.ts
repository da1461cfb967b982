import { RequestRejectedError } from './errors.js';

/**
 * Numbered pages over a list that changes while it is read (Youzan warns of it, §4.3; AliExpress
 * and Weidian page the same way): an order updated mid-read leaves the window and the pages behind
 * it shift by one, so an order could slip between two pages. The cursor keeps the page and the
 * total the first page reported; a page reporting another total starts the window over from page
 * one (orders read twice are taken in once), at most `MAX_RESTARTS` times.
 */
const MAX_RESTARTS = 3;

interface PageCursor {
  page: number;
  total?: number;
  restarts: number;
}

function readCursor(platform: string, cursor: string | null | undefined): PageCursor {
  if (!cursor) return { page: 1, restarts: 0 };
  try {
    const c = JSON.parse(cursor) as { page?: unknown; total?: unknown; restarts?: unknown };
    if (Number.isInteger(c.page) && (c.page as number) >= 1)
      return {
        page: c.page as number,
        ...(Number.isInteger(c.total) ? { total: c.total as number } : {}),
        restarts: Number.isInteger(c.restarts) ? (c.restarts as number) : 0,
      };
  } catch {
    // not ours
  }
  throw new RequestRejectedError(
    `${platform} list cursor we did not write: ${cursor}`,
    platform,
    'bad_cursor',
  );
}

/** One page of the window, and the cursor of the next (null after the last). */
export async function readNumberedPage<T>(
  platform: string,
  cursor: string | null | undefined,
  pageSize: number,
  fetch: (page: number) => Promise<{ total: number; items: T[] }>,
): Promise<{ items: T[]; nextCursor: string | null }> {
  const at = readCursor(platform, cursor);
  let page = at.page;
  let restarts = at.restarts;
  let data = await fetch(page);
  if (at.total !== undefined && data.total !== at.total && restarts < MAX_RESTARTS) {
    restarts += 1;
    page = 1;
    data = await fetch(page);
  }
  const more = page * pageSize < data.total && data.items.length > 0;
  return {
    items: data.items,
    nextCursor: more ? JSON.stringify({ page: page + 1, total: data.total, restarts }) : null,
  };
}
