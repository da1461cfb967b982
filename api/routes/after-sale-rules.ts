import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { afterSaleRuleStore, loadPastCases } from '../../db/queries/after-sale-rules.js';
import {
  AfterSaleRuleSchema,
  evaluateAfterSaleRules,
  summarizeAfterSaleDryRun,
} from '../../domain/after-sale-rules/index.js';
import type { ApiDeps } from '../deps.js';
import { DRY_RUN_ROLES, dryRunWindow, DryRunWindowSchema, registerRuleRoutes } from './audit-rules.js';

const at = z.string().describe('ISO 8601 date-time');

const AfterSaleDryRunSummary = z.object({
  evaluated: z.number(),
  autoAgreed: z.number(),
  autoAgreedFen: z.number(),
  held: z.number(),
  toPerson: z.number(),
  /** Cases the rules would have agreed that a person refused. */
  agreedButRefused: z.object({ count: z.number(), sampleCaseIds: z.array(z.string()) }),
  byRule: z.array(
    z.object({
      ruleId: z.string(),
      ruleName: z.string(),
      action: z.enum(['agree', 'hold']),
      reason: z.string().nullable(),
      clearedBy: z.string().nullable(),
      count: z.number(),
      sampleCaseIds: z.array(z.string()),
    }),
  ),
  ruleProblems: z.array(z.object({ ruleId: z.string(), outcome: z.string(), detail: z.string() })),
  cases: z
    .array(
      z.object({
        caseId: z.string(),
        verdict: z.enum(['agree', 'hold', 'person']),
        ruleIds: z.array(z.string()),
        requestedFen: z.number(),
        actual: z.string(),
      }),
    )
    .optional(),
});

const DryRunBody = DryRunWindowSchema.omit({ includeOrders: true }).extend({
  /** Also list each evaluated case with its verdict. */
  includeCases: z.boolean().default(false),
  /** The draft rule set; omitted: the rules in force now. */
  rules: z.array(AfterSaleRuleSchema).max(500, 'must contain at most 500 rules').optional(),
});

/**
 * The automatic refund audit's rules (docs/after-sales.md): the same CRUD, versions and roles as
 * the order audit rules, and a dry run over the cases of the last N days.
 */
export const afterSaleRuleRoutes: FastifyPluginAsyncZod<ApiDeps> = async (app, { db, config }) => {
  registerRuleRoutes(app, {
    db,
    prefix: '/after-sale-rules',
    tag: 'after-sales',
    noun: 'after-sales rule',
    schema: AfterSaleRuleSchema,
    store: afterSaleRuleStore,
  });

  app.post(
    '/after-sale-rules/dry-run',
    {
      config: { roles: DRY_RUN_ROLES },
      schema: {
        tags: ['after-sales'],
        summary:
          'Evaluate a draft after-sales rule set against the cases of the last N days, changing nothing',
        body: DryRunBody,
        response: {
          200: z.object({
            window: z.object({ days: z.number(), from: at, to: at }),
            draft: z.boolean(),
            truncated: z.boolean(),
            summary: AfterSaleDryRunSummary,
          }),
        },
      },
    },
    async (request) => {
      const body = request.body;
      const rules = body.rules ?? (await afterSaleRuleStore.loadActive(db));
      const past = await loadPastCases(db, { days: body.days, limit: body.limit });
      return {
        window: dryRunWindow(body.days),
        draft: body.rules !== undefined,
        truncated: past.truncated,
        summary: summarizeAfterSaleDryRun(
          past.cases.map(({ caseId, requestedFen, actual, subject }) => ({
            caseId,
            requestedFen,
            actual,
            outcome: evaluateAfterSaleRules(rules, subject, config.AFTER_SALE_FINANCE_ABOVE_FEN),
          })),
          { sampleSize: body.sampleSize, includeCases: body.includeCases },
        ),
      };
    },
  );
};
