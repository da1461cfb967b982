import { z } from 'zod';
import { CarrierCodeSchema } from './carriers/codes.js';
import { waybillRequestId } from './carriers/waybill-id.js';

/**
 * Returns on after-sales cases (docs/after-sales.md, "Return and refund"). The warehouse scans the
 * parcel (its return tracking number, or the case id written on it), counts each line and says what
 * it found: resaleable units go back to available stock through the ledger, damaged ones are written
 * off with a reason, wrong items (not what we sold) are held for a person.
 */
export const RETURN_CONDITIONS = ['resaleable', 'damaged', 'wrong_item'] as const;
export type ReturnCondition = (typeof RETURN_CONDITIONS)[number];

/** Where the return waybill came from: the buyer's own, or one we issued with a return service. */
export const RETURN_WAYBILL_SOURCES = ['buyer', 'sf', 'cainiao'] as const;

/**
 * Who provides the return label, per shop (`settings.returnLabel`): absent, the buyer sends the
 * parcel back with a courier of their own choosing (and may give its tracking number); set, the
 * seller issues a return waybill for every agreed return or exchange through the carrier's return
 * service — `sf` (SF's return order, 退货下单) or `cainiao` (a Cainiao e-waybill from the buyer to
 * the return address with door pick-up) — on the shop's account with `carrier`, whose sender
 * address is where the parcel comes back to.
 */
export const ReturnLabelSettingSchema = z
  .object({
    issuer: z.enum(['sf', 'cainiao'], { message: 'must be sf or cainiao' }),
    carrier: CarrierCodeSchema,
  })
  .strict()
  .refine((s) => s.issuer !== 'sf' || s.carrier === 'SF', {
    message: 'SF return orders carry SF waybills only',
    path: ['carrier'],
  });
export type ReturnLabelSetting = z.infer<typeof ReturnLabelSettingSchema>;

/** The shop's return-label rule; null when the buyer provides the label (or the setting is bad). */
export function returnLabelSetting(
  settings: Record<string, unknown> | null | undefined,
): ReturnLabelSetting | null {
  const parsed = ReturnLabelSettingSchema.safeParse(settings?.['returnLabel']);
  return parsed.success ? parsed.data : null;
}

/** The return waybill's idempotency key: one return waybill per case (pure: workflows may derive it). */
export function returnWaybillRequestId(caseId: string): string {
  return waybillRequestId(`RET-${caseId}`);
}

export const ReturnWaybillSchema = z.object({
  carrierCode: z
    .string()
    .trim()
    .regex(/^[A-Z0-9]{2,16}$/, 'must be a carrier code such as SF, ZTO, YTO'),
  trackingNo: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9-]{6,40}$/, 'must be 6–40 letters, digits or "-"'),
});
export type ReturnWaybill = z.infer<typeof ReturnWaybillSchema>;

export const ReturnReceiptLineSchema = z
  .object({
    lineId: z.string().trim().min(1, 'must not be empty').max(64),
    qty: z.number().int('must be a whole number').min(1, 'must be at least 1').max(10_000),
    condition: z.enum(RETURN_CONDITIONS),
    reason: z.string().trim().min(1).max(200).optional(),
  })
  .refine((line) => line.condition !== 'damaged' || line.reason !== undefined, {
    message: 'a damaged unit is written off with a reason',
    path: ['reason'],
  });

export const ReturnReceiptSchema = z.object({
  warehouse: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'must be 1-64 letters, digits, "_", "." or "-"'),
  /** What was scanned on the parcel: the return tracking number or the case id. */
  scan: z.string().trim().min(1, 'must not be empty').max(300),
  lines: z.array(ReturnReceiptLineSchema).min(1, 'must count at least one line').max(200),
});
export type ReturnReceipt = z.infer<typeof ReturnReceiptSchema>;
export type ReturnReceiptLine = z.infer<typeof ReturnReceiptLineSchema>;

export interface ReturnLineOutcome {
  lineId: string;
  expected: number;
  restock: number;
  writeOff: number;
  held: number;
  /** Fewer units of the line than the case covers arrived (counted as resaleable, damaged or wrong). */
  missing: number;
  notes: string[];
}

export interface ReturnInspection {
  lines: ReturnLineOutcome[];
  /** The case may refund: every unit it covers came back as ours (resaleable or damaged). */
  refundable: boolean;
  /** Why a person has to look, when `refundable` is false. */
  problems: string[];
}

/**
 * What a receipt means for each of the case's lines. Only the units the case covers go back to
 * stock, and never more than the order line sold less what earlier returns on it took back
 * (`room`, per line): extra units are held, they were not part of the return; a wrong item is
 * never shelved.
 */
export function inspectReturn(
  caseLines: ReadonlyArray<{ lineId: string; quantity: number }>,
  counted: ReadonlyArray<ReturnReceiptLine>,
  room: ReadonlyMap<string, number> = new Map(),
): ReturnInspection {
  const problems: string[] = [];
  const lines = caseLines.map((line): ReturnLineOutcome => {
    const mine = counted.filter((c) => c.lineId === line.lineId);
    const sum = (condition: ReturnCondition) =>
      mine.filter((c) => c.condition === condition).reduce((total, c) => total + c.qty, 0);
    let left = Math.max(0, Math.min(line.quantity, room.get(line.lineId) ?? line.quantity));
    const take = (qty: number) => {
      const taken = Math.min(left, qty);
      left -= taken;
      return taken;
    };
    const restock = take(sum('resaleable'));
    const writeOff = take(sum('damaged'));
    const wrong = sum('wrong_item');
    const extra = sum('resaleable') - restock + (sum('damaged') - writeOff);
    const missing = Math.max(0, line.quantity - restock - writeOff);
    const notes = mine.flatMap((c) => (c.reason ? [`${c.condition}: ${c.reason}`] : []));
    if (wrong > 0) problems.push(`line ${line.lineId}: ${wrong} wrong item(s) received`);
    if (extra > 0) problems.push(`line ${line.lineId}: ${extra} unit(s) more than the case covers`);
    if (missing > 0) problems.push(`line ${line.lineId}: ${missing} unit(s) did not come back`);
    return {
      lineId: line.lineId,
      expected: line.quantity,
      restock,
      writeOff,
      held: wrong + extra,
      missing,
      notes,
    };
  });
  return { lines, refundable: problems.length === 0, problems };
}

/** Lines named on a receipt that the case does not cover (a 422 for the scanner). */
export function unknownReceiptLines(
  caseLines: ReadonlyArray<{ lineId: string }>,
  counted: ReadonlyArray<{ lineId: string }>,
): string[] {
  const known = new Set(caseLines.map((line) => line.lineId));
  return [...new Set(counted.filter((c) => !known.has(c.lineId)).map((c) => c.lineId))];
}
