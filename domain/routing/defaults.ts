import { RoutingRuleSchema, type RoutingRule, type RoutingRuleInput } from './rule.js';

/** Routing a new installation starts with; anything unmatched is group `standard`, priority 50. */
const DEFAULTS: RoutingRuleInput[] = [
  {
    id: 'cold-chain',
    name: '冷链商品走冷链组',
    order: 10,
    when: { type: 'sku_flag', flags: ['cold_chain'] },
    action: { group: 'cold_chain', priority: 80 },
  },
  {
    id: 'livestream',
    name: '直播订单优先',
    order: 20,
    when: { type: 'order_type', in: ['livestream'] },
    action: { group: 'livestream', priority: 100 },
  },
  {
    id: 'presale',
    name: '预售订单',
    order: 30,
    when: { type: 'order_type', in: ['presale'] },
    action: { group: 'presale', priority: 30 },
  },
];

export const defaultRoutingRules: readonly RoutingRule[] = DEFAULTS.map((rule) =>
  RoutingRuleSchema.parse(rule),
);
