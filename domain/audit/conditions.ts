import { z } from 'zod';
import { formatMinor } from '../money.js';
import { OrderTypeSchema } from '../order.js';
import { PlatformSchema } from '../platforms.js';
import { RemarkIntentSchema } from '../remarks/intents.js';
import { BlacklistKindSchema } from './blacklist.js';
import { normalizeSkuFlag } from './flags.js';
import type { AuditSubject } from './subject.js';

/**
 * The condition language shared by audit and routing rules: typed leaf conditions, combined with
 * `all`, `any` and `not`. Every condition is a plain JSON object with a `type`, so rules are stored
 * as jsonb and edited through the API.
 */

const fen = z.number().int('must be a whole number of fen').min(0, 'must not be negative');
const count = z.number().int('must be a whole number').min(0, 'must not be negative');
const remarkField = z.enum(['buyer_remark', 'seller_memo']).default('buyer_remark');
const ADDRESS_FIELDS = [
  'name',
  'phone',
  'country',
  'province',
  'city',
  'district',
  'detail',
  'postalCode',
] as const;
const ADDRESS_PROBLEMS = ['missing', 'unknown', 'format', 'too_short'] as const;
const MAX_DEPTH = 6;

function bounded<T extends { min?: number | undefined; max?: number | undefined }>(value: T): boolean {
  return value.min === undefined || value.max === undefined || value.min <= value.max;
}

const AmountCondition = z
  .object({
    type: z.literal('amount'),
    /** paid: what the buyer paid; due: goods − discounts + shipping; goods: goods value. */
    basis: z.enum(['paid', 'due', 'goods']).default('paid'),
    minFen: fen.optional(),
    maxFen: fen.optional(),
  })
  .refine((c) => c.minFen !== undefined || c.maxFen !== undefined, {
    message: 'needs minFen or maxFen',
    path: ['minFen'],
  })
  .refine((c) => bounded({ min: c.minFen, max: c.maxFen }), {
    message: 'must not be above maxFen',
    path: ['minFen'],
  });

const RemarkPresentCondition = z.object({ type: z.literal('remark_present'), field: remarkField });

const RemarkKeywordsCondition = z.object({
  type: z.literal('remark_keywords'),
  field: remarkField,
  keywords: z
    .array(z.string().trim().min(1, 'must not be empty').max(50, 'must be at most 50 characters'))
    .min(1, 'must list at least one keyword')
    .max(100, 'must list at most 100 keywords'),
});

const RemarkIntentCondition = z.object({
  type: z.literal('remark_intent'),
  field: remarkField,
  intents: z.array(RemarkIntentSchema).min(1, 'must list at least one intent'),
});

const RemarkNeedsReviewCondition = z.object({ type: z.literal('remark_needs_review'), field: remarkField });

const BlacklistedCondition = z.object({
  type: z.literal('blacklisted'),
  /** Omitted: any kind of hit. */
  kinds: z.array(BlacklistKindSchema).min(1, 'must list at least one kind').optional(),
});

const AddressInvalidCondition = z.object({
  type: z.literal('address_invalid'),
  /** Only problems with these fields count; omitted: any field. */
  fields: z.array(z.enum(ADDRESS_FIELDS)).min(1).optional(),
  /** Only these kinds of problem count; omitted: any. */
  problems: z.array(z.enum(ADDRESS_PROBLEMS)).min(1).optional(),
});

const SkuFlagCondition = z.object({
  type: z.literal('sku_flag'),
  flags: z
    .array(z.string().trim().min(1, 'must not be empty').max(40))
    .min(1, 'must list at least one flag')
    .max(50),
});

const PlatformCondition = z.object({
  type: z.literal('platform'),
  in: z.array(PlatformSchema).min(1, 'must list at least one platform'),
});

const ShopCondition = z.object({
  type: z.literal('shop'),
  in: z.array(z.string().min(1).max(64)).min(1, 'must list at least one shop id').max(1000),
});

const OrderTypeCondition = z.object({
  type: z.literal('order_type'),
  in: z.array(OrderTypeSchema).min(1, 'must list at least one order type'),
});

const QuantityCondition = z
  .object({
    type: z.literal('quantity'),
    /** total: units in the order; line: units of any single line; lines: number of lines. */
    scope: z.enum(['total', 'line', 'lines']).default('total'),
    min: count.optional(),
    max: count.optional(),
  })
  .refine((c) => c.min !== undefined || c.max !== undefined, { message: 'needs min or max', path: ['min'] })
  .refine(bounded, { message: 'must not be above max', path: ['min'] });

const PaymentAgeCondition = z
  .object({
    type: z.literal('payment_age'),
    minSeconds: count.optional(),
    maxSeconds: count.optional(),
  })
  .refine((c) => c.minSeconds !== undefined || c.maxSeconds !== undefined, {
    message: 'needs minSeconds or maxSeconds',
    path: ['minSeconds'],
  })
  .refine((c) => bounded({ min: c.minSeconds, max: c.maxSeconds }), {
    message: 'must not be above maxSeconds',
    path: ['minSeconds'],
  });

const CountryCondition = z.object({
  type: z.literal('country'),
  in: z
    .array(z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as CN'))
    .min(1, 'must list at least one country'),
});

export type LeafCondition =
  | z.infer<typeof AmountCondition>
  | z.infer<typeof RemarkPresentCondition>
  | z.infer<typeof RemarkKeywordsCondition>
  | z.infer<typeof RemarkIntentCondition>
  | z.infer<typeof RemarkNeedsReviewCondition>
  | z.infer<typeof BlacklistedCondition>
  | z.infer<typeof AddressInvalidCondition>
  | z.infer<typeof SkuFlagCondition>
  | z.infer<typeof PlatformCondition>
  | z.infer<typeof ShopCondition>
  | z.infer<typeof OrderTypeCondition>
  | z.infer<typeof QuantityCondition>
  | z.infer<typeof PaymentAgeCondition>
  | z.infer<typeof CountryCondition>;

export type Condition =
  | LeafCondition
  | { type: 'all'; conditions: Condition[] }
  | { type: 'any'; conditions: Condition[] }
  | { type: 'not'; condition: Condition };

export const CONDITION_TYPES = [
  'amount',
  'remark_present',
  'remark_keywords',
  'remark_intent',
  'remark_needs_review',
  'blacklisted',
  'address_invalid',
  'sku_flag',
  'platform',
  'shop',
  'order_type',
  'quantity',
  'payment_age',
  'country',
  'all',
  'any',
  'not',
] as const;

const AllCondition = z.object({
  type: z.literal('all'),
  get conditions(): z.ZodArray<z.ZodType<Condition>> {
    return z.array(ConditionSchema).min(1, 'must contain at least one condition').max(50);
  },
});
const AnyCondition = z.object({
  type: z.literal('any'),
  get conditions(): z.ZodArray<z.ZodType<Condition>> {
    return z.array(ConditionSchema).min(1, 'must contain at least one condition').max(50);
  },
});
const NotCondition = z.object({
  type: z.literal('not'),
  get condition(): z.ZodType<Condition> {
    return ConditionSchema;
  },
});

const ConditionUnion = z.discriminatedUnion(
  'type',
  [
    AmountCondition,
    RemarkPresentCondition,
    RemarkKeywordsCondition,
    RemarkIntentCondition,
    RemarkNeedsReviewCondition,
    BlacklistedCondition,
    AddressInvalidCondition,
    SkuFlagCondition,
    PlatformCondition,
    ShopCondition,
    OrderTypeCondition,
    QuantityCondition,
    PaymentAgeCondition,
    CountryCondition,
    AllCondition,
    AnyCondition,
    NotCondition,
  ],
  { error: () => `must have a "type" of ${CONDITION_TYPES.join(', ')}` },
);

// Named, so the API's OpenAPI document describes the recursive tree once and refers to it.
export const ConditionSchema: z.ZodType<Condition> = ConditionUnion.meta({
  id: 'Condition',
}) as unknown as z.ZodType<Condition>;

/** A rule's condition tree, no deeper than people can reason about (and safe to evaluate). */
export const RuleConditionSchema = ConditionSchema.refine((c) => depth(c) <= MAX_DEPTH, {
  message: `must not nest groups more than ${MAX_DEPTH} deep`,
});

function depth(condition: Condition): number {
  if (condition.type === 'all' || condition.type === 'any') {
    return 1 + Math.max(0, ...condition.conditions.map(depth));
  }
  if (condition.type === 'not') return 1 + depth(condition.condition);
  return 1;
}

export interface ConditionResult {
  matched: boolean;
  /** Why it matched (or, for `not`, why the inner condition did not). */
  detail: string;
}

const yuan = (minor: number) => `¥${formatMinor(minor)}`;
const no = (detail: string): ConditionResult => ({ matched: false, detail });
const yes = (detail: string): ConditionResult => ({ matched: true, detail });

function inRange(value: number, min: number | undefined, max: number | undefined): boolean {
  return (min === undefined || value >= min) && (max === undefined || value <= max);
}

function rangeText(min: number | undefined, max: number | undefined, show: (n: number) => string): string {
  if (min !== undefined && max !== undefined) return `between ${show(min)} and ${show(max)}`;
  return min !== undefined ? `≥ ${show(min)}` : `≤ ${show(max ?? 0)}`;
}

/** Evaluates one condition (recursively) against a subject. */
export function evaluateCondition(condition: Condition, subject: AuditSubject): ConditionResult {
  switch (condition.type) {
    case 'all': {
      const results = condition.conditions.map((c) => evaluateCondition(c, subject));
      const failed = results.find((r) => !r.matched);
      return failed ? no(failed.detail) : yes(results.map((r) => r.detail).join('; '));
    }
    case 'any': {
      const results = condition.conditions.map((c) => evaluateCondition(c, subject));
      const hit = results.find((r) => r.matched);
      return hit ? hit : no(results.map((r) => r.detail).join('; '));
    }
    case 'not': {
      const inner = evaluateCondition(condition.condition, subject);
      return { matched: !inner.matched, detail: `not (${inner.detail})` };
    }
    case 'amount': {
      const amounts = subject.order.amounts;
      const value =
        condition.basis === 'due'
          ? subject.amountDueFen
          : condition.basis === 'goods'
            ? amounts.goodsFen
            : amounts.paidFen;
      const text = `${condition.basis} ${yuan(value)} ${rangeText(condition.minFen, condition.maxFen, yuan)}`;
      return inRange(value, condition.minFen, condition.maxFen) ? yes(text) : no(`not: ${text}`);
    }
    case 'remark_present': {
      const remark = remarkOf(subject, condition.field);
      return remark
        ? yes(`${condition.field} present: "${clip(remark.original)}"`)
        : no(`no ${condition.field}`);
    }
    case 'remark_keywords': {
      const remark = remarkOf(subject, condition.field);
      if (!remark) return no(`no ${condition.field}`);
      // The translation too: a keyword rule acts on what a foreign remark says.
      const text = [remark.original, remark.translation?.text ?? '']
        .join('\n')
        .normalize('NFKC')
        .toLowerCase();
      const found = condition.keywords.filter((k) => text.includes(k.normalize('NFKC').toLowerCase()));
      return found.length
        ? yes(`${condition.field} contains ${found.map((k) => `"${k}"`).join(', ')}`)
        : no(`${condition.field} has none of the keywords`);
    }
    case 'remark_intent': {
      const remark = remarkOf(subject, condition.field);
      if (!remark) return no(`no ${condition.field}`);
      const found = remark.intents.filter((i) => condition.intents.includes(i.intent));
      return found.length
        ? yes(`${condition.field} asks for ${found.map((i) => `${i.intent} ("${i.matched}")`).join(', ')}`)
        : no(`${condition.field} has none of the intents`);
    }
    case 'remark_needs_review': {
      const remark = remarkOf(subject, condition.field);
      if (!remark) return no(`no ${condition.field}`);
      if (!remark.needsReview) return no(`${condition.field} only has routine requests`);
      const reasons = [
        ...remark.intents.filter((i) => !i.benign).map((i) => i.instruction),
        ...remark.unrecognized.map((u) => `unrecognized "${clip(u)}"`),
        ...(remark.translation
          ? [`machine translation (${remark.translation.provider}): "${clip(remark.translation.text)}"`]
          : []),
        ...(remark.translationUnavailable
          ? [`translation unavailable: ${remark.translationUnavailable}`]
          : []),
      ];
      return yes(`${condition.field} needs a person: ${reasons.join('; ')}`);
    }
    case 'blacklisted': {
      const hits = subject.blacklistHits.filter((h) => !condition.kinds || condition.kinds.includes(h.kind));
      return hits.length
        ? yes(`blacklisted ${hits.map((h) => `${h.kind} (${h.reason || 'no reason given'})`).join(', ')}`)
        : no('not blacklisted');
    }
    case 'address_invalid': {
      const problems = subject.address.problems.filter(
        (p) =>
          (!condition.fields || condition.fields.includes(p.field)) &&
          (!condition.problems || condition.problems.includes(p.code)),
      );
      return problems.length
        ? yes(`address: ${problems.map((p) => `${p.field} ${p.problem}`).join('; ')}`)
        : no('address is complete');
    }
    case 'sku_flag': {
      const wanted = new Set(condition.flags.map(normalizeSkuFlag));
      const lines = subject.lines.filter((l) => l.skuFlags.some((f) => wanted.has(f)));
      return lines.length
        ? yes(
            `SKU ${lines
              .map((l) => `${l.skuCode} is ${l.skuFlags.filter((f) => wanted.has(f)).join('/')}`)
              .join(', ')}`,
          )
        : no(`no SKU flagged ${[...wanted].join('/')}`);
    }
    case 'platform':
      return condition.in.includes(subject.platform)
        ? yes(`platform ${subject.platform}`)
        : no(`platform ${subject.platform} not listed`);
    case 'shop':
      return condition.in.includes(subject.shopId)
        ? yes(`shop ${subject.shopId}`)
        : no(`shop ${subject.shopId} not listed`);
    case 'order_type':
      return condition.in.includes(subject.order.type)
        ? yes(`${subject.order.type} order`)
        : no(`${subject.order.type} order not listed`);
    case 'quantity': {
      const value =
        condition.scope === 'lines'
          ? subject.lines.length
          : condition.scope === 'line'
            ? Math.max(0, ...subject.lines.map((l) => l.quantity))
            : subject.totalQuantity;
      const label =
        condition.scope === 'lines' ? 'lines' : condition.scope === 'line' ? 'units on a line' : 'units';
      const text = `${value} ${label} ${rangeText(condition.min, condition.max, String)}`;
      return inRange(value, condition.min, condition.max) ? yes(text) : no(`not: ${text}`);
    }
    case 'payment_age': {
      if (subject.paymentAgeSeconds === null) return no('not paid');
      const text = `paid ${subject.paymentAgeSeconds}s ago, ${rangeText(
        condition.minSeconds,
        condition.maxSeconds,
        (n) => `${n}s`,
      )}`;
      return inRange(subject.paymentAgeSeconds, condition.minSeconds, condition.maxSeconds)
        ? yes(text)
        : no(`not: ${text}`);
    }
    case 'country': {
      const country = subject.address.normalized.country;
      return condition.in.includes(country)
        ? yes(`ships to ${country}`)
        : no(`ships to ${country}, not listed`);
    }
  }
}

function remarkOf(subject: AuditSubject, field: 'buyer_remark' | 'seller_memo') {
  return field === 'buyer_remark' ? subject.buyerRemark : subject.sellerMemo;
}

function clip(text: string, max = 60): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
