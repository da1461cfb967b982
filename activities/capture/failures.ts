import { ApplicationFailure } from '@temporalio/common';
import {
  AuthError,
  PlatformError,
  RateLimitedError,
  RequestRejectedError,
  TransientPlatformError,
} from '../../integrations/platforms/errors.js';

/** Failure types the shop sync workflow branches on. */
export const SYNC_FAILURE = {
  /** The platform refused the shop's credentials: pause until a person fixes them. */
  auth: 'Sync.Auth',
  /** The platform refused the request itself, or the shop cannot be synced as configured. */
  rejected: 'Sync.Rejected',
  rateLimited: 'Sync.RateLimited',
  unavailable: 'Sync.Unavailable',
} as const;

/** Failures that retrying cannot cure: the sync pauses on these and raises an alert. */
export const PAUSING_FAILURES: readonly string[] = [SYNC_FAILURE.auth, SYNC_FAILURE.rejected];

export function shopNotSyncable(message: string): ApplicationFailure {
  return ApplicationFailure.create({ type: SYNC_FAILURE.rejected, message, nonRetryable: true });
}

/**
 * Runs a platform call inside an activity: a rate limit retries after the platform's own delay,
 * outages retry with backoff, refused credentials or requests fail at once (typed), so the
 * workflow can pause the shop instead of hammering the platform.
 */
export async function asPlatformCall<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof RateLimitedError) {
      throw ApplicationFailure.create({
        type: SYNC_FAILURE.rateLimited,
        message: err.message,
        nextRetryDelay: Math.max(1, err.retryAfterMs),
      });
    }
    if (err instanceof AuthError || err instanceof RequestRejectedError) {
      throw ApplicationFailure.create({
        type: err instanceof AuthError ? SYNC_FAILURE.auth : SYNC_FAILURE.rejected,
        message: err.message,
        nonRetryable: true,
        details: [{ platform: err.platform, code: err.code ?? null }],
      });
    }
    if (err instanceof TransientPlatformError || err instanceof PlatformError) {
      throw ApplicationFailure.create({
        type: SYNC_FAILURE.unavailable,
        message: err.message,
        details: [{ platform: err.platform, code: err.code ?? null }],
      });
    }
    throw err;
  }
}
