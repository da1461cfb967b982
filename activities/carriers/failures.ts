import { ApplicationFailure } from '@temporalio/common';
import {
  AuthError,
  RateLimitedError,
  RequestRejectedError,
  type PlatformError,
} from '../../integrations/platforms/errors.js';

/** Failure types a workflow can branch on. */
export const CARRIER_FAILURE = {
  rejected: 'Carrier.Rejected',
  auth: 'Carrier.Auth',
  rateLimited: 'Carrier.RateLimited',
  notConfigured: 'Carrier.NotConfigured',
} as const;

export function carrierNotConfigured(message: string): ApplicationFailure {
  return ApplicationFailure.create({ type: CARRIER_FAILURE.notConfigured, message, nonRetryable: true });
}

/**
 * Runs a carrier call as an activity: a refused request or bad credentials give the same answer on
 * every retry, so they fail at once (typed, non-retryable); a rate limit retries after the
 * service's own delay; transient faults are thrown as they are and retried with backoff.
 */
export async function asCarrierActivity<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof RateLimitedError) {
      throw ApplicationFailure.create({
        type: CARRIER_FAILURE.rateLimited,
        message: err.message,
        nextRetryDelay: err.retryAfterMs,
      });
    }
    if (err instanceof RequestRejectedError || err instanceof AuthError) {
      throw ApplicationFailure.create({
        type: err instanceof AuthError ? CARRIER_FAILURE.auth : CARRIER_FAILURE.rejected,
        message: err.message,
        nonRetryable: true,
        details: [{ service: (err as PlatformError).platform, code: (err as PlatformError).code ?? null }],
      });
    }
    throw err;
  }
}
