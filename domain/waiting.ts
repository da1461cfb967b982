/**
 * What an order, a parcel (shipment) or an after-sales case waits for, as a code with its
 * particulars. The workflows keep this structured value; their queries answer it as `waiting` and,
 * for clients that read words, as the English sentence `waitingFor` (`waitingText`). The UI says
 * each code in the reader's language (ui/src/i18n/waiting.ts); tests/ui/waiting.test.ts fails when a
 * code has no Chinese.
 *
 * Deterministic and free of I/O: imported by workflow code.
 */

export type WaitingParam = string | number | boolean | null;
export type WaitingParams = Readonly<Record<string, WaitingParam>>;

type Text = (p: WaitingParams) => string;
const s = (v: WaitingParam | undefined): string => (v === null || v === undefined ? '' : String(v));
const overdue = (p: WaitingParams) => (p.overdue ? ' (overdue: the platform decides)' : '');

/** A knob's length in words: `5 days`, `6 hours`, `20 minutes`, `30 seconds` (one decimal at most). */
export function spanText(seconds: number): string {
  const one = (n: number) => String(Math.round(n * 10) / 10);
  if (!Number.isFinite(seconds)) return '';
  if (seconds >= 86_400) return `${one(seconds / 86_400)} days`;
  if (seconds >= 3_600) return `${one(seconds / 3_600)} hours`;
  if (seconds >= 60) return `${one(seconds / 60)} minutes`;
  return `${one(seconds)} seconds`;
}

/** Every code, with the English sentence the API has always answered for it. */
export const WAITING_TEXT = {
  // Orders
  order_review: (p) => `review by ${s(p.roles)} (stage ${s(p.stage)}: ${s(p.reasons)})`,
  order_locked: (p) => `unlock by customer service (locked: ${s(p.reason) || 'no reason given'})`,
  order_locked_parcel: (p) =>
    `unlock by customer service (locked: ${s(p.reason) || 'no reason given'}); the parcel waits at the warehouse`,
  order_deposit: (p) => `presale deposit from the buyer${overdue(p)}`,
  order_balance: (p) => `presale balance payment from the buyer${overdue(p)}`,
  order_payment: (p) => `payment from the buyer${overdue(p)}`,
  order_payment_platform: (p) =>
    `payment from the buyer (the platform closes the order if it never comes)${overdue(p)}`,
  order_group_forming: (p) => `the group to form on ${s(p.platform)} (拼团中)`,
  order_line_refunds: () => 'the platform’s decision on the refund requests of every line',
  order_stock_short: (p) => `stock to arrive (short: ${s(p.short) || 'see reason'})`,
  order_stock_together: () => 'stock to arrive so that one warehouse ships the whole order together',
  order_wave: (p) => `wave at ${s(p.warehouses)}`,
  order_warehouse: () => 'the warehouse (pick, pack, hand over)',
  order_delivery: () => 'delivery',
  order_shipment_exception: () => 'a person to resolve a shipment exception',
  order_lost_decision: (p) => `a person to decide: reship or refund lost parcel ${s(p.parcelId)}`,
  order_lost_refund: (p) =>
    `the refund of lost parcel ${s(p.parcelId)}'s lines (on the platform or by after-sales)`,
  order_lost_reship: (p) => `the reshipment of lost parcel ${s(p.parcelId)}`,
  // Parcels (shipments)
  shipment_picking: () => 'picking in the warehouse',
  shipment_packing: () => 'packing',
  shipment_carrier_selection: () => 'carrier selection',
  shipment_platform_arranging: (p) =>
    `${s(p.platform)} logistics: arranging the parcel and its tracking number`,
  shipment_platform_tracking: (p) => `${s(p.platform)} logistics: the tracking number (${s(p.method)})`,
  shipment_handover: (p) => (p.carrier ? `handover to ${s(p.carrier)}` : 'handover to the carrier'),
  shipment_locked: (p) =>
    `unlock by customer service ${p.at === 'waybill' ? 'before a waybill is issued' : 'before handover'}: ${s(p.locked)}`,
  shipment_exception: (p) => `a person to resolve the ${s(p.kind).replace(/_/g, ' ')} (resume or mark lost)`,
  shipment_delivery: () => 'delivery',
  shipment_delivery_followed: (p) => `delivery by ${s(p.carrier)} (followed through ${s(p.platform)})`,
  shipment_delivery_unfollowed: (p) =>
    `delivery by ${s(p.carrier)} (not followed: ${s(p.platform)} tracks it)`,
  // After-sales cases
  case_decision: () => 'a decision',
  case_buyer_return: () => 'the buyer to send the goods back',
  case_return_parcel: (p) =>
    p.trackingNo
      ? `the return parcel ${s(p.carrier)} ${s(p.trackingNo)} at the warehouse`
      : 'the return parcel at the warehouse',
  /** The return parcel had no new scan for `seconds`: a person looks into it (the receipt still ends the wait). */
  case_return_stalled: (p) =>
    `a person to look into the return parcel ${s(p.carrier)} ${s(p.trackingNo)}: no new scan for ${spanText(Number(p.seconds))} (or the warehouse to receive it)`,
  /** The carrier reported the return parcel `tracking` (delivered, back, refused) `seconds` ago and the warehouse has not received it. */
  case_return_unreceived: (p) =>
    `a person to find the return parcel ${s(p.carrier)} ${s(p.trackingNo)}: ${s(p.tracking) || 'delivered'} ${spanText(Number(p.seconds))} ago, not received at the warehouse (or the warehouse to receive it)`,
  /** No tracking service follows the return parcel (no scans will come): the warehouse's receipt. */
  case_return_untracked: (p) =>
    `the return parcel ${s(p.carrier)} ${s(p.trackingNo)} at the warehouse (not followed by tracking: no tracking service follows it)`,
  /** The untracked return parcel was sent `seconds` ago and is not at the warehouse: a person was reminded. */
  case_return_overdue: (p) =>
    `a person to look for the return parcel ${s(p.carrier)} ${s(p.trackingNo)}: sent back ${spanText(Number(p.seconds))} ago, not at the warehouse yet (not followed by tracking; or the warehouse to receive it)`,
  case_platform_refund: (p) => `${s(p.platform)} to refund the buyer`,
  case_refund_settle: (p) => `the ${s(p.channel)} refund to settle`,
  case_exchange_handover: () => 'the exchange parcel to be handed to the carrier',
  /**
   * An exchange's goods came back not as sold (`found`): a reviewer refuses the exchange at second
   * review or turns it into a refund (`choices`: refuse, refund).
   */
  case_exchange_review: (p) =>
    `a reviewer to ${s(p.choices)
      .split(',')
      .map((c) => (c === 'refuse' ? 'refuse the exchange' : 'turn it into a refund'))
      .join(' or ')} (the goods came back: ${s(p.found)})`,
  /** The platform takes no exchange answer by API (PDD): a person agrees it in its back office. */
  case_exchange_back_office: (p) =>
    `a person to agree the exchange in ${s(p.platform)}'s back office (it takes no answer by API); then the buyer's parcel back (or the warehouse to receive it)`,
  /** A refund above the shop's approval limit (minor units of `currency`), before the platform is told. */
  case_finance_approval: (p) =>
    `finance approval of the refund of ${s(p.amountMinor)} ${s(p.currency)} minor units (above the shop's limit ${s(p.aboveMinor)})`,
  /** A person must act; `step` says on what (the case's timeline step), `why` in English. */
  case_person: (p) => s(p.why),
  /** Carried over from a run that kept only words (a parcel continued before codes existed). */
  legacy: (p) => s(p.text),
} satisfies Record<string, Text>;

export type WaitingCode = keyof typeof WAITING_TEXT;
export const WAITING_CODES = Object.keys(WAITING_TEXT) as [WaitingCode, ...WaitingCode[]];

export interface Waiting {
  code: WaitingCode;
  params: WaitingParams;
}

export function waiting(code: WaitingCode, params: WaitingParams = {}): Waiting {
  return { code, params };
}

/** The English sentence of a waiting state (the API's `waitingFor`). */
export function waitingText(w: Waiting | null): string | null {
  return w ? (WAITING_TEXT[w.code] as Text)(w.params) : null;
}

/** A state saved as words only (older continued runs): kept as those words. */
export function waitingFromText(text: string | null | undefined): Waiting | null {
  return text ? waiting('legacy', { text }) : null;
}

/** Sets what a view waits for: the code and, for clients that read words, its sentence. */
export function waitFor(
  view: { waitingFor: string | null; waiting?: Waiting | null },
  w: Waiting | null,
): void {
  view.waiting = w;
  view.waitingFor = waitingText(w);
}
