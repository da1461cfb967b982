import { z } from 'zod';
import { ReturnWaybillSchema } from './after-sale-returns.js';
import { PlatformOrderIdSchema } from './ids.js';
import {
  afterHandoverModeSchema,
  afterSaleApprovalSchema,
  afterSaleDecisionSchema,
  afterSaleKindSchema,
  afterSaleRetrySchema,
  caseFenSchema,
  refundApprovalAboveFenSchema,
  replacementsSchema,
  platformRefundModeSchema,
  returnReceiptModeSchema,
} from './lazy/after-sales.js';
import { PaymentRefSchema } from './order.js';

/**
 * After-sales cases (docs/after-sales.md): defined in domain/lazy/after-sales.ts, whose schemas the
 * workflow bundle builds only on first use; the push an own store sends is the API's alone.
 */
export * from './lazy/after-sales.js';

export const AfterSaleKindSchema = afterSaleKindSchema();
export const ReplacementsSchema = replacementsSchema();
export const AfterSaleDecisionSchema = afterSaleDecisionSchema();
export const AfterSaleRetrySchema = afterSaleRetrySchema();
export const AfterSaleApprovalSchema = afterSaleApprovalSchema();
export const RefundApprovalAboveFenSchema = refundApprovalAboveFenSchema();
export const AfterHandoverModeSchema = afterHandoverModeSchema();
export const ReturnReceiptModeSchema = returnReceiptModeSchema();
export const PlatformRefundModeSchema = platformRefundModeSchema();

const isoDateTime = () =>
  z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time with a zone' });

/** A case as an own store pushes it (`POST /webhooks/own/{shopId}/after-sales`, docs/after-sales.md). */
export const AfterSalePushSchema = z
  .object({
    /** The store's case number. */
    caseId: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be 1–64 letters, digits, "_", "." or "-"'),
    platformOrderId: PlatformOrderIdSchema,
    kind: afterSaleKindSchema(),
    reason: z.string().trim().max(200, 'must be at most 200 characters').default(''),
    createdAt: isoDateTime(),
    /** The lines the buyer wants refunded, how many, and how much for each line. */
    lines: z
      .array(
        z.object({
          lineId: z.string().trim().min(1, 'must not be empty').max(64),
          quantity: z.number().int().min(1, 'must be at least 1'),
          refundFen: caseFenSchema(),
          /**
           * Exchanges for another size or colour: the SKU code (ours) the replacement ships as.
           * Absent: the replacement is the SKU sold.
           */
          exchangeSku: z.string().trim().min(1, 'must not be empty').max(64).optional(),
        }),
      )
      .min(1, 'must name at least one line')
      .max(100),
    /** How the buyer paid: the refund goes back the same way. */
    payment: PaymentRefSchema,
    /** Return and exchange cases: the waybill the buyer sends the goods back with, when they have one. */
    returnWaybill: ReturnWaybillSchema.optional(),
  })
  .superRefine((push, ctx) => {
    if (push.kind === 'exchange') return;
    push.lines.forEach((line, i) => {
      if (line.exchangeSku !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['lines', i, 'exchangeSku'],
          message: 'only an exchange names the SKU its replacement ships as',
        });
    });
  });
export type AfterSalePush = z.infer<typeof AfterSalePushSchema>;
