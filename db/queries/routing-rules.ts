import { defaultRoutingRules } from '../../domain/routing/defaults.js';
import { RoutingRuleSchema, type RoutingRule } from '../../domain/routing/rule.js';
import type { Db } from '../connect.js';
import { ruleStore } from './audit-rules.js';

export const routingRuleStore = ruleStore<RoutingRule>({
  kind: 'routing',
  table: 'routing_rules',
  schema: RoutingRuleSchema,
  defaults: defaultRoutingRules,
});

/** The enabled routing rules, in evaluation order (the default set is seeded on first read). */
export function loadActiveRoutingRules(db: Db): Promise<RoutingRule[]> {
  return routingRuleStore.loadActive(db);
}
