/**
 * Runs `task` over `items` with at most `limit` running at once and answers in the items' order.
 * Each task reports its own answer as it finishes (bulk approval shows it then); a task that
 * throws rejects the run, so tasks turn their failures into answers. (The API's domain/map-limit.ts
 * does the same on the server; ui/ may not import it.)
 */
export async function eachLimited<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const queue = items.map((item, index) => ({ item, index }));
  const results: R[] = [];
  const lanes = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    for (let job = queue.shift(); job; job = queue.shift())
      results[job.index] = await task(job.item, job.index);
  });
  await Promise.all(lanes);
  return results;
}
