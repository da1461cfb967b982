import { z } from 'zod';
import { AfterSaleKindSchema } from '../after-sales.js';
import { ReasonCodeSchema, RuleIdSchema } from '../audit/rule.js';
import { PlatformSchema } from '../platforms.js';

/**
 * Automatic refund audit rules for after-sales cases (docs/after-sales.md, "Automatic refund
 * audit"). Stored like the order audit rules (jsonb definition, versions, revisions) and evaluated
 * by the case workflow at its decision point: a matching `hold` keeps the case for a person (and
 * may name the role that must decide it), a matching `agree` decides it with the rule as actor
 * when no hold matched.
 */

const fen = z.number().int('must be a whole number of fen').min(0, 'must not be negative');
const MAX_DEPTH = 5;

/** How the returned goods were found at the warehouse (set once a return is inspected). */
export const INSPECTION_RESULTS = ['resaleable', 'damaged', 'wrong_item', 'mixed'] as const;
export const InspectionResultSchema = z.enum(INSPECTION_RESULTS);
export type InspectionResult = z.infer<typeof InspectionResultSchema>;

const KindCondition = z.object({
  type: z.literal('kind'),
  kinds: z.array(AfterSaleKindSchema).min(1, 'must list at least one kind'),
});
/** Whether a parcel with the case's lines had left with the carrier when the case was audited. */
const ShippedCondition = z.object({ type: z.literal('shipped'), shipped: z.boolean() });
const AmountCondition = z
  .object({ type: z.literal('amount'), minFen: fen.optional(), maxFen: fen.optional() })
  .refine((c) => c.minFen !== undefined || c.maxFen !== undefined, {
    message: 'needs minFen or maxFen',
    path: ['minFen'],
  })
  .refine((c) => c.minFen === undefined || c.maxFen === undefined || c.minFen <= c.maxFen, {
    message: 'must not be above maxFen',
    path: ['minFen'],
  });
const InspectionCondition = z.object({
  type: z.literal('inspection'),
  results: z.array(InspectionResultSchema).min(1, 'must list at least one result'),
});
const ReasonKeywordsCondition = z.object({
  type: z.literal('reason_keywords'),
  keywords: z
    .array(z.string().trim().min(1, 'must not be empty').max(50, 'must be at most 50 characters'))
    .min(1, 'must list at least one keyword')
    .max(100, 'must list at most 100 keywords'),
});
/** The buyer opened at least `minCount` other cases in the `days` before this one. */
const BuyerCasesCondition = z.object({
  type: z.literal('buyer_cases'),
  minCount: z.number().int('must be a whole number').min(1, 'must be at least 1').max(1000),
  days: z.number().int('must be a whole number').min(1, 'must be at least 1').max(365).default(30),
});
/** The buyer is on the blacklist (`GET /blacklist`, kind buyer). */
const BlacklistedCondition = z.object({ type: z.literal('blacklisted') });
const PlatformCondition = z.object({
  type: z.literal('platform'),
  platforms: z.array(PlatformSchema).min(1, 'must list at least one platform'),
});
const ShopCondition = z.object({
  type: z.literal('shop'),
  shopIds: z.array(z.string().min(1)).min(1, 'must list at least one shop'),
});

export type AfterSaleLeafCondition =
  | z.infer<typeof KindCondition>
  | z.infer<typeof ShippedCondition>
  | z.infer<typeof AmountCondition>
  | z.infer<typeof InspectionCondition>
  | z.infer<typeof ReasonKeywordsCondition>
  | z.infer<typeof BuyerCasesCondition>
  | z.infer<typeof BlacklistedCondition>
  | z.infer<typeof PlatformCondition>
  | z.infer<typeof ShopCondition>;

export type AfterSaleCondition =
  | AfterSaleLeafCondition
  | { type: 'all'; conditions: AfterSaleCondition[] }
  | { type: 'any'; conditions: AfterSaleCondition[] }
  | { type: 'not'; condition: AfterSaleCondition };

export const AFTER_SALE_CONDITION_TYPES = [
  'kind',
  'shipped',
  'amount',
  'inspection',
  'reason_keywords',
  'buyer_cases',
  'blacklisted',
  'platform',
  'shop',
  'all',
  'any',
  'not',
] as const;

const group = (type: 'all' | 'any') =>
  z.object({
    type: z.literal(type),
    get conditions(): z.ZodArray<z.ZodType<AfterSaleCondition>> {
      return z.array(AfterSaleConditionSchema).min(1, 'must contain at least one condition').max(50);
    },
  });
const NotCondition = z.object({
  type: z.literal('not'),
  get condition(): z.ZodType<AfterSaleCondition> {
    return AfterSaleConditionSchema;
  },
});

const ConditionUnion = z.discriminatedUnion(
  'type',
  [
    KindCondition,
    ShippedCondition,
    AmountCondition,
    InspectionCondition,
    ReasonKeywordsCondition,
    BuyerCasesCondition,
    BlacklistedCondition,
    PlatformCondition,
    ShopCondition,
    group('all'),
    group('any'),
    NotCondition,
  ],
  { error: () => `must have a "type" of ${AFTER_SALE_CONDITION_TYPES.join(', ')}` },
);

// Named, so the OpenAPI document describes the recursive tree once.
export const AfterSaleConditionSchema: z.ZodType<AfterSaleCondition> = ConditionUnion.meta({
  id: 'AfterSaleCondition',
}) as unknown as z.ZodType<AfterSaleCondition>;

function depth(condition: AfterSaleCondition): number {
  if (condition.type === 'all' || condition.type === 'any') {
    return 1 + Math.max(0, ...condition.conditions.map(depth));
  }
  if (condition.type === 'not') return 1 + depth(condition.condition);
  return 1;
}

/** Who must decide a held case: customer service, or finance as well (财审). */
export const HoldRoleSchema = z.enum(['customer-service', 'finance']);

export const AfterSaleRuleActionSchema = z.discriminatedUnion(
  'type',
  [
    /** Decides the case: the refund the buyer asked for, with the rule as actor. */
    z.object({ type: z.literal('agree') }),
    /** Keeps the case for a person; `clearedBy: finance` needs the finance role to decide it. */
    z.object({
      type: z.literal('hold'),
      reason: ReasonCodeSchema,
      clearedBy: HoldRoleSchema.default('customer-service'),
      message: z.string().trim().max(200, 'must be at most 200 characters').optional(),
    }),
  ],
  { error: () => 'must have a "type" of agree or hold' },
);
export type AfterSaleRuleAction = z.infer<typeof AfterSaleRuleActionSchema>;

export const AfterSaleRuleSchema = z.object({
  id: RuleIdSchema,
  name: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters'),
  description: z.string().trim().max(500, 'must be at most 500 characters').optional(),
  /** Evaluation order: lower first, ties by id. */
  order: z.number().int('must be a whole number').min(0).max(100_000).default(100),
  enabled: z.boolean().default(true),
  when: AfterSaleConditionSchema.refine((c) => depth(c) <= MAX_DEPTH, {
    message: `must not nest groups more than ${MAX_DEPTH} deep`,
  }),
  action: AfterSaleRuleActionSchema,
});
export type AfterSaleRule = z.infer<typeof AfterSaleRuleSchema>;
export type AfterSaleRuleInput = z.input<typeof AfterSaleRuleSchema>;
