import type { TrackingSnapshot } from '../../domain/carriers/tracking.js';
import { WebhookSignatureError } from '../platforms/errors.js';
import type { TrackingProvider } from './types.js';

export interface TrackingPushOutcome {
  /** HTTP status to answer with. */
  status: 200 | 400;
  /** JSON body in the service's own reply format. */
  body: string;
  snapshots: TrackingSnapshot[];
  /** The service stopped following a parcel (Kuaidi100 `abort`): subscribe again later. */
  resubscribe: boolean;
}

/**
 * What a webhook route does with a tracking push: verify it over the raw form body and answer in
 * the service's format — success after reading it, or the service's failure reply (with 400) when
 * the signature does not match, so a forged push changes nothing.
 */
export function handleTrackingPush(provider: TrackingProvider, rawBody: string): TrackingPushOutcome {
  if (!provider.parsePush) throw new Error(`${provider.name} does not push`);
  try {
    const push = provider.parsePush(rawBody);
    return {
      status: 200,
      body: push.reply,
      snapshots: push.snapshots,
      resubscribe: push.resubscribe ?? false,
    };
  } catch (err) {
    if (!(err instanceof WebhookSignatureError)) throw err;
    const body = provider.pushRejectionReply?.(err.message) ?? JSON.stringify({ error: err.message });
    return { status: 400, body, snapshots: [], resubscribe: false };
  }
}
