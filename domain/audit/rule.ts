import { z } from 'zod';
import { RuleConditionSchema } from './conditions.js';
import { OrderFlagSchema } from './flags.js';
import { RoleSchema } from './roles.js';

export const RuleIdSchema = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9_-]{0,63}$/,
    'must be 1-64 lowercase letters, digits, "_" or "-", starting with a letter or digit',
  );

export const ReasonCodeSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_]{1,63}$/, 'must be a snake_case code such as address_invalid');

/** Holds the order until a person in `clearedBy` (or an admin) releases it. */
export const HoldActionSchema = z.object({
  type: z.literal('hold'),
  reason: ReasonCodeSchema,
  clearedBy: RoleSchema,
  /**
   * Review stage: every stage-1 hold (客审) must be cleared before stage-2 holds (财审) are shown,
   * and so on.
   */
  stage: z
    .number()
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(9, 'must be at most 9')
    .default(1),
  /** What the reviewer should check, shown with the hold. */
  message: z.string().trim().max(200, 'must be at most 200 characters').optional(),
});
export type HoldAction = z.infer<typeof HoldActionSchema>;

/** Labels the order without stopping it. */
export const FlagActionSchema = z.object({ type: z.literal('flag'), flag: OrderFlagSchema });
export type FlagAction = z.infer<typeof FlagActionSchema>;

export const AuditActionSchema = z.discriminatedUnion('type', [HoldActionSchema, FlagActionSchema], {
  error: () => 'must have a "type" of hold or flag',
});
export type AuditAction = z.infer<typeof AuditActionSchema>;

export const AuditRuleSchema = z.object({
  id: RuleIdSchema,
  name: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters'),
  description: z.string().trim().max(500, 'must be at most 500 characters').optional(),
  /** Evaluation order: lower first. Ties are broken by id, so evaluation is deterministic. */
  order: z.number().int('must be a whole number').min(0).max(100_000).default(100),
  enabled: z.boolean().default(true),
  when: RuleConditionSchema,
  action: AuditActionSchema,
});
export type AuditRule = z.infer<typeof AuditRuleSchema>;
export type AuditRuleInput = z.input<typeof AuditRuleSchema>;

/** Sorted by order, then id: the sequence rules are evaluated and reported in. */
export function byRuleOrder<T extends { order: number; id: string }>(a: T, b: T): number {
  return a.order - b.order || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
