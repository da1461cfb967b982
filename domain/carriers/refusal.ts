/**
 * Why a carrier's waybill service refused a parcel. Every kind is a business answer that repeats on
 * a retry until someone changes something (tops up the balance, authorises again, subscribes the
 * carrier), so a shipment never retries it blindly: the parcel goes into exception with the
 * carrier's own words and, where the carrier choice allows, the next carrier is tried.
 */
export type WaybillRefusalKind =
  | 'no_balance'
  | 'authorisation_expired'
  | 'address_not_served'
  | 'account_not_configured'
  /** Anything else the service refused (an incomplete receiver, an unsupported product). */
  | 'rejected';

export interface WaybillRefusal {
  kind: WaybillRefusalKind;
  carrier: string;
  /** The service's own message, as it gave it. */
  reason: string;
  /** The service's error code, when it gave one. */
  code: string | null;
}

export const WAYBILL_REFUSAL_TEXT: Record<WaybillRefusalKind, string> = {
  no_balance: 'no waybill balance left',
  authorisation_expired: 'the authorisation expired',
  address_not_served: 'the address is outside the service area',
  account_not_configured: 'the account is not set up for this carrier',
  rejected: 'the request was refused',
};

/** The failure type of a refused waybill request (an `ApplicationFailure`, details[0] the refusal). */
export const WAYBILL_REFUSED_FAILURE = 'Carrier.WaybillRefused';
