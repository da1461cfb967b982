/**
 * Every stock movement is a ledger row; `stock.on_hand` and `stock.reserved` are always the sums of
 * the ledger's deltas for that warehouse × SKU (checked by `verifyLedger`).
 *
 * | kind           | on_hand | reserved | when                                             |
 * |----------------|---------|----------|--------------------------------------------------|
 * | receipt        | +q      |          | purchase or transfer arrives                     |
 * | reserve        |         | +q       | an order's allocation holds units                |
 * | release        |         | −q       | the order no longer needs them (cancel, re-plan)|
 * | pick           |         |          | units leave the bin for packing (still reserved) |
 * | ship           | −q      | −q       | the parcel is handed to the carrier              |
 * | return_restock | +q      |          | a returned or intercepted parcel is shelved again|
 * | adjust         | ±q      | ±q       | stock count, or units lost/damaged at pick       |
 */
export const LEDGER_KINDS = [
  'receipt',
  'reserve',
  'release',
  'pick',
  'ship',
  'return_restock',
  'adjust',
] as const;
export type LedgerKind = (typeof LEDGER_KINDS)[number];

/** reserved → picked → shipped; reserved or picked → released (order gone) or written_off (lost at pick). */
export const RESERVATION_STATUSES = ['reserved', 'picked', 'shipped', 'released', 'written_off'] as const;
export type ReservationStatus = (typeof RESERVATION_STATUSES)[number];

/** Reservations still holding units: releasing the order gives these back. */
export const HOLDING_STATUSES: readonly ReservationStatus[] = ['reserved', 'picked'];

export const RECEIPT_KINDS = ['purchase', 'transfer', 'return'] as const;
export type ReceiptKind = (typeof RECEIPT_KINDS)[number];

export const REPLENISHMENT_STATUSES = ['open', 'fulfilled', 'cancelled'] as const;
export type ReplenishmentStatus = (typeof REPLENISHMENT_STATUSES)[number];
