import { z } from 'zod';
import { builtOnce } from './built-once.js';
import { actorSchema } from './review.js';

/**
 * After-sales cases (docs/after-sales.md). Kinds follow the platforms' own split: refund only
 * before or after shipment, return and refund, exchange, reship, price-difference refund.
 */
export const AFTER_SALE_KINDS = [
  'refund_only',
  'return_refund',
  'exchange',
  'reship',
  'price_difference',
] as const;
export const afterSaleKindSchema = builtOnce(() => z.enum(AFTER_SALE_KINDS));
export type AfterSaleKind = (typeof AFTER_SALE_KINDS)[number];

/**
 * Where a case stands: `open` waits for a decision; `returning` waits for the goods to come back
 * and be inspected; `exchanging` ships the replacement (`exchanged` once it is with the carrier) or
 * a reship's parcel (`reshipped` once it is with the carrier on an own store, once the platform
 * ended the case on a marketplace); `refunding` sends the money; `refunded`,
 * `refused`, `closed` have ended; `needs_person` waits for someone because the channel could not
 * finish (ABNORMAL, refused) or the case is of a path not built yet.
 */
export const AFTER_SALE_STATUSES = [
  'open',
  'returning',
  'exchanging',
  'exchanged',
  'reshipped',
  'refunding',
  'refunded',
  'refused',
  'closed',
  'needs_person',
] as const;
export type AfterSaleStatus = (typeof AFTER_SALE_STATUSES)[number];

export const caseFenSchema = builtOnce(() =>
  z.number().int('must be an integer in fen').min(0, 'must not be negative'),
);

export function afterSaleWorkflowId(platform: string, shopId: string, platformCaseId: string): string {
  return `aftersale:${platform}:${shopId}:${platformCaseId}`;
}

export interface CaseLine {
  lineId: string;
  quantity: number;
  requestedFen: number;
  /** Exchanges and reships: the SKU code the replacement ships as, when not the one sold. */
  exchangeSku?: string;
}

/** What a line took from the buyer: price × quantity − its discount + its tax. */
export function linePaidFen(line: {
  unitPriceFen: number;
  quantity: number;
  discountFen: number;
  taxFen: number;
}): number {
  return Math.max(0, line.unitPriceFen * line.quantity - line.discountFen + line.taxFen);
}

/**
 * How much of each line may still go back: what the line took less what earlier refunds on it
 * returned (or are returning). A case never refunds a line beyond that, whatever it asked for.
 */
export function refundablePerLine(
  lines: ReadonlyArray<{ lineId: string; paidFen: number }>,
  alreadyRefunded: ReadonlyArray<{ lineId: string; amountFen: number }>,
): Map<string, number> {
  const left = new Map(lines.map((line) => [line.lineId, line.paidFen]));
  for (const refund of alreadyRefunded) {
    if (left.has(refund.lineId))
      left.set(refund.lineId, Math.max(0, left.get(refund.lineId)! - refund.amountFen));
  }
  return left;
}

/**
 * Splits an agreed amount over the case's lines, each capped at what it asked and what it may still
 * refund; returns what goes to each line (the total may be below `agreedFen` when capped).
 */
export function allocateRefund(
  caseLines: ReadonlyArray<CaseLine>,
  agreedFen: number,
  refundable: ReadonlyMap<string, number>,
): Array<{ lineId: string; amountFen: number }> {
  let remaining = agreedFen;
  const out: Array<{ lineId: string; amountFen: number }> = [];
  for (const line of caseLines) {
    const amount = Math.min(remaining, line.requestedFen, refundable.get(line.lineId) ?? 0);
    if (amount > 0) out.push({ lineId: line.lineId, amountFen: amount });
    remaining -= amount;
  }
  return out;
}

/**
 * An exchange's replacement SKUs as a person names them when agreeing (the buyer asked for another
 * size or colour): per case line, the SKU code (ours) its replacement ships as.
 */
export const replacementsSchema = builtOnce(() =>
  z
    .array(
      z.object({
        lineId: z.string().trim().min(1, 'must not be empty').max(64),
        skuCode: z.string().trim().min(1, 'must not be empty').max(64),
      }),
    )
    .min(1, 'must name at least one line')
    .max(100),
);

/**
 * The case's lines with the replacement SKUs a person named on agreeing (they take the place of
 * what the push named).
 */
export function withReplacements(
  lines: readonly CaseLine[],
  replacements: ReadonlyArray<{ lineId: string; skuCode: string }> | undefined,
): CaseLine[] {
  if (!replacements?.length) return [...lines];
  const to = new Map(replacements.map((r) => [r.lineId, r.skuCode]));
  return lines.map((line) => (to.has(line.lineId) ? { ...line, exchangeSku: to.get(line.lineId)! } : line));
}

/** People's decisions on a case (the API and the workflow validate with the same schema). */
export const afterSaleDecisionSchema = builtOnce(() =>
  z.discriminatedUnion('decision', [
    z.object({
      decision: z.literal('agree'),
      actor: actorSchema(),
      note: z.string().trim().max(500).optional(),
      /** Exchanges: the SKU each named line's replacement ships as (another size or colour). */
      replacements: replacementsSchema().optional(),
    }),
    z.object({
      decision: z.literal('partial'),
      amountFen: caseFenSchema().min(1, 'must be at least 1 fen'),
      actor: actorSchema(),
      note: z.string().trim().max(500).optional(),
    }),
    z.object({
      decision: z.literal('refuse'),
      reason: z.string().trim().min(1, 'must say why the case is refused').max(500),
      actor: actorSchema(),
    }),
    /**
     * Turns an exchange into a refund the platform pays (Douyin operate 321 换货转退款), where the
     * case offers it (`exchangeChoices`): the replacement cannot be served, or a person's choice.
     */
    z.object({
      decision: z.literal('refund'),
      reason: z.string().trim().min(1, 'must say why the exchange becomes a refund').max(500),
      actor: actorSchema(),
    }),
    /** Asks the buyer for evidence (photos, a video): noted on the timeline, the case stays open. */
    z.object({
      decision: z.literal('evidence'),
      note: z.string().trim().min(1, 'must say what evidence is needed').max(500),
      actor: actorSchema(),
    }),
  ]),
);
export type AfterSaleDecision = z.infer<ReturnType<typeof afterSaleDecisionSchema>>;

/**
 * A person sends a case's stuck step again (`POST /after-sales/:id/retry`): a refund the payment
 * channel refused, closed or could not take, once whatever stopped it was put right (the trade is
 * there now, the channel is configured, the refund settled at the channel). Customer service or
 * finance; the note goes on the case's timeline.
 */
export const afterSaleRetrySchema = builtOnce(() =>
  z.object({
    actor: actorSchema(),
    note: z.string().trim().max(500).optional(),
  }),
);
export type AfterSaleRetry = z.infer<ReturnType<typeof afterSaleRetrySchema>>;

/**
 * Finance's answer to a refund waiting for its approval (`POST /after-sales/:id/approval`, Update
 * `approveRefund`): a marketplace refund above the shop's `refundApprovalAboveFen` goes to the
 * platform only once finance approved it; a rejection gives the case to a person (docs/after-sales.md
 * "Finance approval above the shop's limit").
 */
export const afterSaleApprovalSchema = builtOnce(() =>
  z.discriminatedUnion('decision', [
    z.object({
      decision: z.literal('approve'),
      actor: actorSchema(),
      note: z.string().trim().max(500).optional(),
    }),
    z.object({
      decision: z.literal('reject'),
      reason: z.string().trim().min(1, 'must say why the refund is not approved').max(500),
      actor: actorSchema(),
    }),
  ]),
);
export type AfterSaleApproval = z.infer<ReturnType<typeof afterSaleApprovalSchema>>;

/**
 * The shop's refund approval limit (setting `refundApprovalAboveFen`, CNY fen): a marketplace refund
 * above it waits for finance's approval before the platform is told to refund. Absent: no such step
 * (the case keeps `AFTER_SALE_FINANCE_ABOVE_FEN`'s rule: finance decides above it).
 */
export const refundApprovalAboveFenSchema = builtOnce(() =>
  z
    .number()
    .int('must be whole fen')
    .min(0, 'must not be negative')
    .max(100_000_000_00, 'must be at most 100000000.00 yuan in fen'),
);

/** The shop's refund approval limit from its settings; null where it sets none (or a wrong value). */
export function refundApprovalAboveFen(settings: Record<string, unknown> | null | undefined): number | null {
  const parsed = refundApprovalAboveFenSchema().safeParse(settings?.['refundApprovalAboveFen']);
  return parsed.success ? parsed.data : null;
}

/**
 * What a shop does when a refund case names lines already with the carrier (shop setting
 * `afterHandover`, docs/after-sales.md "After handover"): `intercept` asks the platform to
 * intercept the parcel where it offers the call (Taobao/Tmall `taobao.rp.refund.intercept`, Douyin
 * `/afterSale/applyLogisticsIntercept`) and gives the case to a person to ask the carrier where it
 * does not; `person` (the default) leaves the parcel going and the case to a person.
 */
export const afterHandoverModeSchema = builtOnce(() => z.enum(['intercept', 'person']));
export type AfterHandoverMode = z.infer<ReturnType<typeof afterHandoverModeSchema>>;

/** The shop's after-handover mode from its settings; anything else is the default, `person`. */
export function afterHandoverMode(settings: Record<string, unknown> | null | undefined): AfterHandoverMode {
  const parsed = afterHandoverModeSchema().safeParse(settings?.['afterHandover']);
  return parsed.success ? parsed.data : 'person';
}

/**
 * Who tells the platform that a marketplace return is back at the warehouse (shop setting
 * `returnReceipt`, docs/after-sales.md "Returns received here"): `platform` — the case calls the
 * platform's goods-received call (JD `asc.receive.register`) once the warehouse received the goods
 * and they were inspected as sold; `person` (the default) — a person does it on the platform.
 */
export const returnReceiptModeSchema = builtOnce(() => z.enum(['platform', 'person']));
export type ReturnReceiptMode = z.infer<ReturnType<typeof returnReceiptModeSchema>>;

/** The shop's return-receipt mode from its settings; anything else is the default, `person`. */
export function returnReceiptMode(settings: Record<string, unknown> | null | undefined): ReturnReceiptMode {
  const parsed = returnReceiptModeSchema().safeParse(settings?.['returnReceipt']);
  return parsed.success ? parsed.data : 'person';
}

/**
 * Who refunds a marketplace return the platform takes no agreement for but takes a refund by API
 * (shop setting `platformRefund`, docs/platforms/amazon-returns.md "Refunds by feed"): `api` — once
 * the goods are back and inspected as sold, the case sends the refund itself (Amazon: a
 * `POST_FLAT_FILE_PAYMENT_ADJUSTMENT_DATA` feed) and ends refunded when the processing report
 * takes it; `person` (the default, as before) — a person refunds in the platform's back office.
 */
export const platformRefundModeSchema = builtOnce(() => z.enum(['api', 'person']));
export type PlatformRefundMode = z.infer<ReturnType<typeof platformRefundModeSchema>>;

/** The shop's platform-refund mode from its settings; anything else is the default, `person`. */
export function platformRefundMode(settings: Record<string, unknown> | null | undefined): PlatformRefundMode {
  const parsed = platformRefundModeSchema().safeParse(settings?.['platformRefund']);
  return parsed.success ? parsed.data : 'person';
}

/** Above this agreed amount a case needs finance as well as customer service (docs/access.md). */
export const DEFAULT_FINANCE_APPROVAL_ABOVE_FEN = 50_000;

/**
 * The platform order id of an exchange's replacement parcel: the original order's id and the case's
 * own number, within the 64 characters an order id may have.
 */
export function exchangeOrderId(platformOrderId: string, platformCaseId: string): string {
  const suffix = `-EX-${platformCaseId}`;
  return `${platformOrderId.slice(0, Math.max(1, 64 - suffix.length))}${suffix}`.slice(0, 64);
}

/**
 * The platform order id of a reship's parcel (补寄 / 补发: the case's lines sent again, nothing back):
 * the original order's id and the case's own number, told apart from an exchange's by `-RS-`.
 */
export function reshipOrderId(platformOrderId: string, platformCaseId: string): string {
  const suffix = `-RS-${platformCaseId}`;
  return `${platformOrderId.slice(0, Math.max(1, 64 - suffix.length))}${suffix}`.slice(0, 64);
}

/** Whether a platform order id is a reship's parcel (`reshipOrderId`). */
export function isReshipOrderId(platformOrderId: string): boolean {
  return /-RS-[^-]/.test(platformOrderId);
}

/**
 * Whether a platform order id is an after-sales replacement (an exchange's, `exchangeOrderId`, or a
 * reship's, `reshipOrderId`), not the platform's own order.
 */
export function isExchangeOrderId(platformOrderId: string): boolean {
  return /-EX-[^-]/.test(platformOrderId) || isReshipOrderId(platformOrderId);
}
