import { ApplicationFailure } from '@temporalio/common';
import { WAYBILL_REFUSED_FAILURE, type WaybillRefusal } from '../../domain/carriers/refusal.js';
import { classifyWaybillRefusal } from '../../integrations/carriers/refusal.js';
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
  /** A waybill request refused for good; details[0] is the `WaybillRefusal`. */
  waybillRefused: WAYBILL_REFUSED_FAILURE,
} as const;

/**
 * A waybill request that failed for a business reason (the service refused it, our account or
 * service for the carrier is missing) becomes one typed failure the shipment branches on, with the
 * kind and the carrier's own words; anything else (transient) is returned as it is.
 */
export function asWaybillRefusal(carrier: string, err: unknown): unknown {
  if (!(err instanceof ApplicationFailure) || !err.nonRetryable) return err;
  const details = (err.details?.[0] ?? {}) as { code?: string | null };
  const code = details.code ?? null;
  const refusal: WaybillRefusal = {
    kind: classifyWaybillRefusal({ code, message: err.message, auth: err.type === CARRIER_FAILURE.auth }),
    carrier,
    reason: err.message,
    code,
  };
  return ApplicationFailure.create({
    type: CARRIER_FAILURE.waybillRefused,
    message: `${carrier} refused the waybill: ${err.message}`,
    nonRetryable: true,
    details: [refusal],
  });
}

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
