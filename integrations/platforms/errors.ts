/**
 * Failures an adapter reports. Activities turn them into Temporal failures: rate limits retry
 * after the platform's Retry-After, transient faults retry with backoff, the rest do not retry.
 */
export class PlatformError extends Error {
  constructor(
    message: string,
    readonly platform: string,
    /** The platform's own error code, when it gave one. */
    readonly code?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** HTTP 429 or the platform's "call limited" error: retry after `retryAfterMs`. */
export class RateLimitedError extends PlatformError {
  constructor(
    platform: string,
    readonly retryAfterMs: number,
    code?: string,
  ) {
    super(`${platform} rate limit hit; retry after ${retryAfterMs} ms`, platform, code);
  }
}

/** 5xx, timeouts, connection resets: safe to retry. */
export class TransientPlatformError extends PlatformError {}

/** Expired or invalid token/session: refresh the token, or a human must re-authorize the shop. */
export class AuthError extends PlatformError {}

/** The request itself is wrong (bad parameter, window too long, unknown order): retrying will not help. */
export class RequestRejectedError extends PlatformError {}

/**
 * The platform cannot take this ship confirmation through any API it documents (a second parcel of
 * a PDD order, an own store without a callback URL). Retrying will not help: the message says what
 * a person does instead, and the upload is recorded as skipped with it.
 */
export class ShipmentUnsupportedError extends PlatformError {}

export class WebhookSignatureError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookSignatureError';
  }
}
