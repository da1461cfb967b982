import { z } from 'zod';
import { RuleConditionSchema } from '../audit/conditions.js';
import { RuleIdSchema } from '../audit/rule.js';

export const GroupSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,39}$/, 'must be a snake_case processing group such as cold_chain');

/** Processing priority: higher is picked, packed and waved first. */
export const RoutingPrioritySchema = z
  .number()
  .int('must be a whole number')
  .min(0, 'must be at least 0')
  .max(100, 'must be at most 100');

export const RoutingActionSchema = z
  .object({ group: GroupSchema.optional(), priority: RoutingPrioritySchema.optional() })
  .refine((a) => a.group !== undefined || a.priority !== undefined, {
    message: 'must set a group, a priority or both',
    path: ['group'],
  });

export const RoutingRuleSchema = z.object({
  id: RuleIdSchema,
  name: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters'),
  description: z.string().trim().max(500, 'must be at most 500 characters').optional(),
  /** Evaluation order: lower first; the first matching rule that names a group decides it. */
  order: z.number().int('must be a whole number').min(0).max(100_000).default(100),
  enabled: z.boolean().default(true),
  when: RuleConditionSchema,
  action: RoutingActionSchema,
});
export type RoutingRule = z.infer<typeof RoutingRuleSchema>;
export type RoutingRuleInput = z.input<typeof RoutingRuleSchema>;
