import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { summarizeRoutingDryRun } from '../../domain/routing/dry-run.js';
import { routeOrder } from '../../domain/routing/route.js';
import { RoutingRuleSchema } from '../../domain/routing/rule.js';
import { routingRuleStore } from '../../db/queries/routing-rules.js';
import { dataKeyring } from '../../db/crypto/data-keys.js';
import type { ApiDeps } from '../deps.js';
import { RoutingDryRunSummary } from '../responses/rules.js';
import { registerRuleRoutes } from './audit-rules.js';

export const routingRuleRoutes: FastifyPluginAsyncZod<ApiDeps> = async (app, { db, config }) => {
  registerRuleRoutes(app, {
    db,
    ring: dataKeyring(config),
    prefix: '/routing-rules',
    tag: 'routing',
    noun: 'routing rule',
    schema: RoutingRuleSchema,
    store: routingRuleStore,
    dryRunSummary: RoutingDryRunSummary,
    dryRun: (rules, subjects, sampleSize) =>
      summarizeRoutingDryRun(
        subjects.map(({ orderId, subject }) => ({ orderId, decision: routeOrder(rules, subject) })),
        sampleSize,
      ),
  });
};
