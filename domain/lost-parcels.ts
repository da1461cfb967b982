import { z } from 'zod';
import type { Role } from './audit/roles.js';
import { linePaidFen, type CaseLine } from './lazy/after-sales.js';
import { builtOnce } from './lazy/built-once.js';
import { actorSchema } from './lazy/review.js';

/**
 * A parcel the carrier lost (its scan says so, it went silent past PARCEL_LOST_AFTER_SECONDS, or
 * a person closed its shipment as lost) comes to a person on each order it carried: reship the
 * order's lines in it (a new parcel, stock reserved again, a new waybill) or refund them
 * (docs/order-semantics.md, "A lost parcel is reshipped or refunded").
 */
export const LOST_PARCEL_DECISIONS = ['reship', 'refund'] as const;
export type LostParcelChoice = (typeof LOST_PARCEL_DECISIONS)[number];

/** Customer service talks to the buyer; ops owns the carrier relationship (docs/access.md). */
export const LOST_PARCEL_ROLES: readonly Role[] = ['customer-service', 'ops'];

/** Built on first use: the workflow bundle imports this module (domain/lazy/built-once.ts). */
export const lostParcelDecisionSchema = builtOnce(() =>
  z.object({
    parcelId: z.string().min(1).max(200),
    decision: z.enum(LOST_PARCEL_DECISIONS),
    reason: z.string().trim().min(1, 'say why').max(500, 'must be at most 500 characters'),
    actor: actorSchema(),
  }),
);
export type LostParcelDecision = z.infer<ReturnType<typeof lostParcelDecisionSchema>>;

/** A lost parcel as the order shows it. */
export interface LostParcelView {
  /** `carrier`: its scan said lost; `silence`: no scan past the threshold; `person`: closed as lost. */
  declaredBy: 'carrier' | 'silence' | 'person';
  since: string;
  reason: string | null;
  decision: LostParcelChoice | null;
  decidedBy: string | null;
  decidedAt: string | null;
  note: string | null;
  /** For a refund: true once every line it carried is refunded on the order. */
  refunded?: boolean;
}

/**
 * How many units of each order line a parcel carried, from what it held (SKU units per line, bundle
 * components expanded) and what one unit of each line is made of. A bundle split across parcels
 * counts as a whole unit in each parcel that holds part of it (rounded up), never more than the line.
 */
export function lineUnitsInParcel(
  contents: ReadonlyArray<{ lineId: string; sku: string; qty: number }>,
  /** Per line: SKU units in one unit of the line. */
  perUnit: ReadonlyMap<string, ReadonlyMap<string, number>>,
  quantities: ReadonlyMap<string, number>,
): Array<{ lineId: string; quantity: number }> {
  const units = new Map<string, number>();
  for (const c of contents) {
    const each = perUnit.get(c.lineId)?.get(c.sku);
    const whole = quantities.get(c.lineId);
    if (!each || whole === undefined) continue;
    units.set(c.lineId, Math.min(whole, Math.max(units.get(c.lineId) ?? 0, Math.ceil(c.qty / each))));
  }
  return [...units].filter(([, n]) => n > 0).map(([lineId, quantity]) => ({ lineId, quantity }));
}

/**
 * The after-sales case that refunds an own-store order's share of a lost parcel through the
 * channel the buyer paid with. One per parcel and order: a merged parcel carries several orders of
 * the shop, each paid under its own trade. The colon keeps it apart from every case id a store can
 * push (those never contain one).
 */
export function lostParcelCaseId(shopId: string, parcelId: string, platformOrderId: string): string {
  return `aftersale:own:${shopId}:lost-${parcelId}:${platformOrderId}`;
}

/**
 * What each line's units in a lost parcel took from the buyer: the line's paid amount (price ×
 * quantity − its discount + its tax) for the share of its units the parcel carried, rounded down so
 * the parts of a split line never add up to more than the line.
 */
export function lostParcelRefundLines(
  lines: ReadonlyArray<{
    lineId: string;
    quantity: number;
    unitPriceFen: number;
    discountFen: number;
    taxFen: number;
  }>,
  units: ReadonlyArray<{ lineId: string; quantity: number }>,
): CaseLine[] {
  const out: CaseLine[] = [];
  for (const unit of units) {
    const line = lines.find((l) => l.lineId === unit.lineId);
    if (!line || line.quantity <= 0) continue;
    const quantity = Math.min(unit.quantity, line.quantity);
    const requestedFen = Math.floor((linePaidFen(line) * quantity) / line.quantity);
    out.push({ lineId: line.lineId, quantity, requestedFen });
  }
  return out;
}
