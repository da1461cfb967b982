import { z } from 'zod';

/** What the audit and routing rule routes answer (OpenAPI and the web UI's types). */

const at = z.string().describe('ISO 8601 date-time');

/** A stored rule: the rule as written plus its version and who changed it last. */
export function storedRule<S extends z.ZodObject>(schema: S) {
  return schema.extend({ version: z.number(), updatedBy: z.string(), updatedAt: at, createdAt: at });
}

const TraceEntry = z.object({ ruleId: z.string(), outcome: z.string(), detail: z.string() });

export const AuditDryRunSummary = z.object({
  evaluated: z.number(),
  held: z.number(),
  flagged: z.number(),
  passed: z.number(),
  byReason: z.array(
    z.object({
      reason: z.string(),
      clearedBy: z.string(),
      stage: z.number(),
      count: z.number(),
      sampleOrderIds: z.array(z.string()),
    }),
  ),
  byStage: z.array(z.object({ stage: z.number(), count: z.number() })),
  byFlag: z.array(z.object({ flag: z.string(), count: z.number(), sampleOrderIds: z.array(z.string()) })),
  /** Rules of the draft that are malformed or duplicated (they were skipped). */
  ruleProblems: z.array(TraceEntry),
  orders: z
    .array(
      z.object({
        orderId: z.string(),
        auditedAt: at.nullable(),
        holds: z.array(z.object({ reason: z.string(), stage: z.number(), clearedBy: z.string() })),
        flags: z.array(z.string()),
      }),
    )
    .optional(),
});

export const RoutingDryRunSummary = z.object({
  evaluated: z.number(),
  byGroup: z.array(
    z.object({
      group: z.string(),
      count: z.number(),
      averagePriority: z.number(),
      sampleOrderIds: z.array(z.string()),
    }),
  ),
  ruleProblems: z.array(TraceEntry),
});

export function dryRunResponse<S extends z.ZodType>(summary: S) {
  return z.object({
    window: z.object({ days: z.number(), from: at, to: at }),
    /** True when a draft rule set was evaluated, false for the rules in force. */
    draft: z.boolean(),
    truncated: z.boolean(),
    notAudited: z.number(),
    /** Orders whose stored audit input could not be read, and why. */
    skipped: z.array(z.object({ orderId: z.string(), problem: z.string() })),
    summary,
  });
}

export const BlacklistEntry = z.object({
  id: z.string(),
  kind: z.string(),
  value: z.string(),
  displayValue: z.string(),
  platform: z.string().nullable(),
  reason: z.string(),
  createdBy: z.string(),
  createdAt: at,
});
