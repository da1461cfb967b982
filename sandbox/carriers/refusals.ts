/**
 * Waybill refusals a test (or the demo) can script: the carrier's service answers a waybill
 * request for a carrier with a business refusal instead of a number, the way a seller's account
 * goes wrong in its first week — no balance left for electronic waybills, the authorisation
 * expired, the address outside the carrier's service area, the seller never subscribed the
 * carrier. Each simulator answers in its own wire format (`cainiao.ts`, `sf.ts`).
 */
export type WaybillRefusalKind =
  'no_balance' | 'authorisation_expired' | 'address_not_served' | 'account_not_configured';

export const WAYBILL_REFUSAL_KINDS: readonly WaybillRefusalKind[] = [
  'no_balance',
  'authorisation_expired',
  'address_not_served',
  'account_not_configured',
];

export class WaybillRefusals {
  private readonly byCarrier = new Map<string, WaybillRefusalKind>();

  /** Refuses every waybill for `carrier` (the network's key, e.g. `ZTO`; `*` for all) until allowed. */
  refuse(carrier: string, kind: WaybillRefusalKind): void {
    this.byCarrier.set(carrier, kind);
  }

  allow(carrier: string): void {
    this.byCarrier.delete(carrier);
  }

  for(carrier: string): WaybillRefusalKind | undefined {
    return this.byCarrier.get(carrier) ?? this.byCarrier.get('*');
  }
}
