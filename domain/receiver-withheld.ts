/**
 * The platform would not give a parcel's receiver for its waybill: the shop's authorization was
 * refused (an expired or revoked token, a shop re-authorized elsewhere — Amazon answers
 * `Unauthorized`, Taobao `Invalid session`) or the request was refused for good. A retry gets the
 * same answer until a person acts (re-authorizes the shop), so the shipment stops for a person
 * instead of retrying forever (docs/carriers.md).
 */
export interface ReceiverWithheld {
  kind: 'unauthorized' | 'refused';
  platform: string;
  reason: string;
  code: string | null;
}

/** The failure type of a withheld receiver (an `ApplicationFailure`, details[0] the ReceiverWithheld). */
export const RECEIVER_WITHHELD_FAILURE = 'Platform.ReceiverWithheld';
