import { RateLimitedError, TransientPlatformError } from './errors.js';

export interface HttpCall {
  platform: string;
  url: string;
  method?: 'GET' | 'POST' | 'PUT';
  headers?: Record<string, string>;
  body?: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
  /** Read the body as bytes too (a file download); `text` is then its UTF-8 reading. */
  binary?: boolean;
}

export interface HttpResult {
  status: number;
  headers: Headers;
  /** Raw text: callers parse it themselves (big-int-safe where the platform sends 19-digit ids). */
  text: string;
  /** The body as it came, when the call asked for `binary`. */
  bytes?: Buffer;
}

/** Default wait when a platform says "slow down" without saying how long. */
export const DEFAULT_RETRY_AFTER_MS = 1_000;

/** Retry-After is seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * One HTTP exchange with a platform. 429 becomes RateLimitedError (honouring Retry-After), 5xx and
 * network faults become TransientPlatformError; everything else is returned for the adapter to read,
 * because platforms report most errors inside a 200 body.
 */
export async function httpCall(call: HttpCall): Promise<HttpResult> {
  const doFetch = call.fetch ?? fetch;
  let response: Response;
  try {
    response = await doFetch(call.url, {
      method: call.method ?? 'GET',
      headers: call.headers,
      body: call.body,
      signal: AbortSignal.timeout(call.timeoutMs ?? 15_000),
    });
  } catch (err) {
    throw new TransientPlatformError(
      `${call.platform} unreachable: ${(err as Error).message}`,
      call.platform,
    );
  }
  const bytes = call.binary ? Buffer.from(await response.arrayBuffer()) : undefined;
  const text = bytes ? bytes.toString('utf8') : await response.text();
  if (response.status === 429) {
    throw new RateLimitedError(
      call.platform,
      parseRetryAfter(response.headers.get('retry-after')) ?? DEFAULT_RETRY_AFTER_MS,
      '429',
    );
  }
  if (response.status >= 500) {
    throw new TransientPlatformError(
      `${call.platform} answered ${response.status}: ${text.slice(0, 200)}`,
      call.platform,
      String(response.status),
    );
  }
  return { status: response.status, headers: response.headers, text, ...(bytes ? { bytes } : {}) };
}
