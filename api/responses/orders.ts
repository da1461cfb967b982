import { z } from 'zod';
import { SHIPMENT_STAGES } from '../../workflows/messages.js';
import { WaitingSchema } from './waiting.js';

/**
 * What the order routes answer, for the OpenAPI document and the web UI's generated types. Dates
 * the handlers leave as `Date` are declared `z.date()`: they go out as ISO 8601 strings.
 */

const at = z.string().describe('ISO 8601 date-time');
const json = z.record(z.string(), z.unknown());

export const HoldViewSchema = z.object({
  key: z.string(),
  reason: z.string(),
  stage: z.number(),
  /** The role that clears it (admin always may). */
  clearedBy: z.string(),
  ruleId: z.string().nullable(),
  message: z.string().nullable(),
  detail: z.string(),
  openedAt: at,
  escalatedAt: at.nullable(),
  clearedAt: at.nullable(),
  clearedByActor: z.string().nullable(),
  decision: z.string().nullable(),
  note: z.string().nullable(),
});

/**
 * The order workflow's live `state` query. Parts added to the workflow over time are optional: an
 * order started on older code answers without them.
 */
export const OrderStateSchema = z.object({
  orderId: z.string(),
  platform: z.string(),
  shopId: z.string(),
  platformOrderId: z.string(),
  status: z.string(),
  platformStatus: z.string(),
  refundStatus: z.string(),
  waitingFor: z.string().nullable(),
  waiting: WaitingSchema,
  nextDeadline: z.object({ kind: z.string(), at }).nullable(),
  outcome: z.string().nullable().optional(),
  holds: z.array(HoldViewSchema),
  reviewStage: z.number().nullable().optional(),
  flags: z.array(z.string()),
  locked: z.boolean(),
  route: z.object({ group: z.string(), priority: z.number(), reason: z.string() }).nullable().optional(),
  shipBy: z.object({ at, atRisk: z.boolean() }).nullable().optional(),
  carrierPreference: z.string().nullable().optional(),
  edited: z.object({ receiver: z.boolean(), lines: z.boolean(), sellerMemo: z.boolean() }).optional(),
  parcels: z
    .array(
      z.object({
        parcelId: z.string(),
        shipmentId: z.string(),
        warehouse: z.string(),
        stage: z.enum(SHIPMENT_STAGES),
        mergedWith: z.array(z.string()),
        carrier: z.string().nullable(),
        trackingNumber: z.string().nullable(),
        lineIds: z.array(z.string()).optional(),
        /** Set when the parcel was lost: how it was declared lost and what a person decided. */
        lost: z
          .object({
            declaredBy: z.enum(['carrier', 'silence', 'person']),
            since: at,
            reason: z.string().nullable(),
            decision: z.enum(['reship', 'refund']).nullable(),
            decidedBy: z.string().nullable(),
            decidedAt: at.nullable(),
            note: z.string().nullable(),
            refunded: z.boolean().optional(),
          })
          .optional(),
      }),
    )
    .optional(),
  awaitingWave: z.array(z.string()).optional(),
  timeline: z.array(
    z.object({ seq: z.number(), stage: z.string(), status: z.string(), at, actor: z.string() }),
  ),
});

/** A decision or customer-service action taken: the order's state after it. */
export const OrderStateAnswer = z.object({ state: OrderStateSchema });

export const OrderListResponse = z.object({
  orders: z.array(
    z.object({
      id: z.string(),
      platform: z.string(),
      shop_id: z.string(),
      platform_order_id: z.string(),
      status: z.string(),
      platform_status: z.string(),
      refund_status: z.string(),
      order_type: z.string(),
      currency: z.string(),
      goods_fen: z.number(),
      discount_fen: z.number(),
      shipping_fen: z.number(),
      paid_fen: z.number(),
      buyer_nick: z.string().nullable(),
      flags: z.array(z.string()),
      locked: z.boolean(),
      held_since: z.date().nullable(),
      ship_by_at: z.date().nullable(),
      ship_by_at_risk: z.boolean(),
      captured_at: at,
      updated_at: at,
    }),
  ),
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: z.string().nullable(),
});

/** A remark's stored machine translation into Chinese, shown beside the original. */
const RemarkTranslationView = z.object({
  text: z.string(),
  /** The language the service detected (ISO 639-1). */
  source_language: z.string(),
  provider: z.string(),
  /** The Chinese operator instructions read from the translation. */
  instructions: z.array(z.string()),
});

export const OrderDetailResponse = z.object({
  order: z.object({
    id: z.string(),
    platform: z.string(),
    shop_id: z.string(),
    platform_order_id: z.string(),
    status: z.string(),
    platform_status: z.string(),
    refund_status: z.string(),
    order_type: z.string(),
    buyer_id: z.string(),
    buyer_nick: z.string().nullable(),
    receiver: json,
    /** The receiver after reviewer edits; null when unedited. */
    effective_receiver: json.nullable(),
    currency: z.string(),
    goods_fen: z.number(),
    discount_fen: z.number(),
    shipping_fen: z.number(),
    paid_fen: z.number(),
    buyer_remark: z.string().nullable(),
    /** The machine translation the audit read a foreign buyer remark through (docs/remarks.md); null: none. */
    buyer_remark_translation: RemarkTranslationView.nullable(),
    seller_memo: z.string().nullable(),
    seller_memo_translation: RemarkTranslationView.nullable(),
    internal_memo: z.string().nullable(),
    flags: z.array(z.string()),
    locked: z.boolean(),
    route_group: z.string().nullable(),
    priority: z.number(),
    held_since: z.date().nullable(),
    ship_by_at: z.date().nullable(),
    ship_by_at_risk: z.boolean(),
    carrier_preference: z.string().nullable(),
    outcome: z.string().nullable(),
    original_currency: z.string().nullable(),
    fx: json.nullable(),
    instructions: z.array(z.string()),
    platform_created_at: at,
    paid_at: at.nullable(),
    platform_modified_at: at,
    captured_at: at,
    updated_at: at,
    last_event_seq: z.number(),
  }),
  lines: z.array(
    z.object({
      order_id: z.string(),
      line_id: z.string(),
      sku_code: z.string(),
      platform_sku_id: z.string(),
      title: z.string(),
      quantity: z.number(),
      unit_price_fen: z.number(),
      discount_fen: z.number(),
      /** The line's own refund state; null: the order's `refund_status` is every line's. */
      refund_status: z.string().nullable(),
    }),
  ),
  timeline: z.array(
    z.object({
      seq: z.number(),
      stage: z.string(),
      status: z.string(),
      actor: z.string(),
      detail: z.unknown(),
      at,
    }),
  ),
  /** Null when the workflow did not answer in time (`stateError` says why). */
  state: OrderStateSchema.nullable(),
  stateError: z.string().nullable(),
  temporal: z.object({ workflowId: z.string(), url: z.string() }),
});

export const ReviewQueueResponse = z.object({
  items: z.array(
    z.object({
      orderId: z.string(),
      platform: z.string(),
      shopId: z.string(),
      platformOrderId: z.string(),
      stage: z.number(),
      locked: z.boolean(),
      flags: z.array(z.string()),
      amountDueFen: z.number(),
      paidFen: z.number(),
      heldSince: at,
      /** When the hold escalates (held since + the shop's hold SLA). */
      slaDueAt: at,
      overdue: z.boolean(),
      /** Whether the caller's roles clear every hold of this stage. */
      mayDecide: z.boolean(),
      /** The buyer remark as written, and its machine translation when the audit needed one. */
      buyerRemark: z.string().nullable(),
      buyerRemarkTranslation: z
        .object({ text: z.string(), sourceLanguage: z.string(), provider: z.string() })
        .nullable(),
      holds: z.array(
        z.object({
          key: z.string(),
          reason: z.string(),
          clearedBy: z.string(),
          ruleId: z.string().nullable(),
          message: z.string().nullable(),
          detail: z.string(),
          openedAt: at,
          escalatedAt: at.nullable(),
        }),
      ),
    }),
  ),
});

export const AtRiskResponse = z.object({
  orders: z.array(
    z.object({
      id: z.string(),
      platform: z.string(),
      shop_id: z.string(),
      platform_order_id: z.string(),
      status: z.string(),
      ship_by_at: at,
      ship_by_at_risk: z.boolean(),
      flags: z.array(z.string()),
      route_group: z.string().nullable(),
      priority: z.number(),
      overdue: z.boolean(),
    }),
  ),
});
