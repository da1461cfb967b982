/**
 * Page-number paging, read from the last page back to the first. Lists are sorted by modified
 * time ascending; an order modified while we page leaves the (past) window, which shifts later
 * entries down by one. Reading backwards, a shift can only move an entry onto a page we have not
 * read yet (a harmless repeat), never onto one we already read (a lost order).
 *
 * The cursor is the next page index to read.
 */
export async function readPagesBackward<T>(
  cursor: string | null | undefined,
  pageSize: number,
  fetchPage: (page: number) => Promise<{ items: T[]; total: number }>,
): Promise<{ items: T[]; nextCursor: string | null }> {
  if (cursor === null || cursor === undefined || cursor === '') {
    const first = await fetchPage(0);
    const pages = Math.ceil(first.total / pageSize);
    if (pages <= 1) return { items: first.items, nextCursor: null };
    const last = await fetchPage(pages - 1);
    return { items: last.items, nextCursor: String(pages - 2) };
  }
  const page = Number(cursor);
  if (!Number.isInteger(page) || page < 0) throw new RangeError(`not a page cursor: ${cursor}`);
  const { items } = await fetchPage(page);
  return { items, nextCursor: page > 0 ? String(page - 1) : null };
}
