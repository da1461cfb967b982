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
 * Runs `send` with a new key, and again with the same key while it fails in a retryable way
 * (up to IDEMPOTENCY_RETRIES more times, waiting a little longer each time).
 */
export async function humanAction<T>(
  send: (headers: { 'idempotency-key': string }) => Promise<T>,
  options: { newKey?: () => string; wait?: (ms: number) => Promise<void> } = {},
): Promise<T> {
  const key = (options.newKey ?? (() => globalThis.crypto.randomUUID()))();
  const wait = options.wait ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await send({ 'idempotency-key': key });
    } catch (err) {
      if (attempt >= IDEMPOTENCY_RETRIES || !retryable(err)) throw err;
      await wait(1000 * (attempt + 1));
    }
  }
}
