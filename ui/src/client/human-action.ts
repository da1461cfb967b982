/**
 * A person's action (approve, lock, hand over, …) carries one Idempotency-Key from the click that
 * starts it to its last retry (docs/human-actions.md): a retry after a timeout or a busy answer
 * (503) repeats the same action, so the API answers the first outcome instead of acting twice.
 */

export const IDEMPOTENCY_RETRIES = 3;

/** Whether an attempt's failure is worth the same request again (busy, or the answer was lost). */
export function retryable(err: unknown): boolean {
  const status = (err as { status?: unknown } | null)?.status;
  if (typeof status === 'number') return status === 503 || status === 502 || status === 504;
  return err instanceof TypeError; // fetch failed: the request may or may not have arrived
}

/**
 * The pause before retry `attempt` (0-based): the answer's Retry-After when it gave one (at most
 * 10 s), else 1 s, 2 s, 3 s …; spread over 50–100 % so that actions failed together (a bulk
 * approval's lanes, several pages) do not come back in step.
 */
export function retryPauseMs(err: unknown, attempt: number, random: () => number = Math.random): number {
  const after = (err as { retryAfterSeconds?: unknown } | null)?.retryAfterSeconds;
  const seconds = typeof after === 'number' && after > 0 ? Math.min(10, after) : attempt + 1;
  return Math.round(seconds * 1000 * (0.5 + random() / 2));
}

/**
 * Runs `send` with a new key, and again with the same key while it fails in a retryable way
 * (up to IDEMPOTENCY_RETRIES more times, after retryPauseMs).
 */
export async function humanAction<T>(
  send: (headers: { 'idempotency-key': string }) => Promise<T>,
  options: { newKey?: () => string; wait?: (ms: number) => Promise<void>; random?: () => number } = {},
): Promise<T> {
  const key = (options.newKey ?? (() => globalThis.crypto.randomUUID()))();
  const wait = options.wait ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await send({ 'idempotency-key': key });
    } catch (err) {
      if (attempt >= IDEMPOTENCY_RETRIES || !retryable(err)) throw err;
      await wait(retryPauseMs(err, attempt, options.random));
    }
  }
}
