/**
 * Lanes shared by every request a page sends for one job: at most `limit` tasks run at once, the
 * others wait their turn in the order they asked. A task waiting for its turn holds no lane, and
 * neither does anything a caller does between two tasks (a pause before asking again). (The API's
 * domain/map-limit.ts bounds work on the server; ui/ may not import it.)
 */
export function limiter(limit: number): <R>(task: () => Promise<R>) => Promise<R> {
  const most = Math.max(1, limit);
  const queue: Array<() => void> = [];
  let running = 0;
  const next = () => {
    if (running >= most) return;
    const start = queue.shift();
    if (start) start();
  };
  return (task) =>
    new Promise((resolve, reject) => {
      queue.push(() => {
        running += 1;
        task()
          .then(resolve, reject)
          .finally(() => {
            running -= 1;
            next();
          });
      });
      next();
    });
}
