import type { TrackingSnapshot } from '../../domain/carriers/tracking.js';
import { RequestRejectedError, WebhookSignatureError } from '../platforms/errors.js';
import { PushPayloadError, PushTokenError } from './push-errors.js';
import type { PushRequest, TrackingProvider } from './types.js';

export interface TrackingPushOutcome {
  /** HTTP status to answer with. */
  status: 200 | 400 | 401;
  /** JSON body in the service's own reply format. */
  body: string;
  snapshots: TrackingSnapshot[];
  /** The service stopped following a parcel (Kuaidi100 `abort`): subscribe again later. */
  resubscribe: boolean;
}

/**
 * What a webhook route does with a tracking push: verify it over the raw body and answer in the
 * service's format — success after reading it, or the service's failure reply when the
 * signature does not match (400), the push token is missing or wrong (401), or the body is not
 * the service's push (400: a carrier we do not know, a missing field), so a forged or garbled
 * push changes nothing.
 */
export function handleTrackingPush(
  provider: TrackingProvider,
  rawBody: string,
  request: PushRequest = {},
): TrackingPushOutcome {
  if (!provider.parsePush) throw new Error(`${provider.name} does not push`);
  try {
    const push = provider.parsePush(rawBody, request);
    return {
      status: 200,
      body: push.reply,
      snapshots: push.snapshots,
      resubscribe: push.resubscribe ?? false,
    };
  } catch (err) {
    const refused =
      err instanceof WebhookSignatureError ||
      err instanceof PushPayloadError ||
      err instanceof RequestRejectedError;
    if (!refused) throw err;
    const reason = (err as Error).message;
    const body = provider.pushRejectionReply?.(reason) ?? JSON.stringify({ error: reason });
    return { status: err instanceof PushTokenError ? 401 : 400, body, snapshots: [], resubscribe: false };
  }
}
