import { AfterSaleRuleSchema, type AfterSaleRule, type AfterSaleRuleInput } from './rule.js';

/**
 * The rule set seeded on first read. Holds are on: they only keep for a person what a person
 * decides anyway, and say why. The auto-agree rules and the frequent-refunder hold are seeded off:
 * a shop switches them on after a dry run over its own past cases shows what they would do.
 */
const DEFAULTS: AfterSaleRuleInput[] = [
  {
    id: 'as-hold-blacklisted',
    name: '黑名单买家 Blacklisted buyer',
    order: 10,
    when: { type: 'blacklisted' },
    action: { type: 'hold', reason: 'buyer_blacklisted', clearedBy: 'customer-service' },
  },
  {
    id: 'as-hold-frequent-refunds',
    name: '频繁退款 Buyer with many refunds',
    order: 20,
    enabled: false,
    when: { type: 'buyer_cases', minCount: 3, days: 30 },
    action: { type: 'hold', reason: 'frequent_refunds', clearedBy: 'customer-service' },
  },
  {
    id: 'as-hold-quality',
    name: '质量问题 Quality complaint',
    order: 30,
    when: {
      type: 'reason_keywords',
      keywords: ['质量', '破损', '坏了', '瑕疵', '假货', '过期', 'quality', 'defect', 'damaged', 'broken'],
    },
    action: {
      type: 'hold',
      reason: 'quality_claim',
      clearedBy: 'customer-service',
      message: 'check the evidence before agreeing',
    },
  },
  {
    id: 'as-hold-large',
    name: '大额退款 Large refund',
    order: 40,
    when: { type: 'amount', minFen: 50_001 },
    action: { type: 'hold', reason: 'large_refund', clearedBy: 'finance' },
  },
  {
    id: 'as-agree-unshipped-small',
    name: '未发货小额仅退款自动同意 Auto-agree small refund before shipment',
    order: 100,
    enabled: false,
    when: {
      type: 'all',
      conditions: [
        { type: 'kind', kinds: ['refund_only'] },
        { type: 'shipped', shipped: false },
        { type: 'amount', maxFen: 10_000 },
      ],
    },
    action: { type: 'agree' },
  },
  {
    id: 'as-agree-return-resaleable',
    name: '退货验收可售自动同意 Auto-agree a return inspected resaleable',
    order: 110,
    enabled: false,
    when: {
      type: 'all',
      conditions: [
        { type: 'kind', kinds: ['return_refund'] },
        { type: 'inspection', results: ['resaleable'] },
      ],
    },
    action: { type: 'agree' },
  },
];

export const defaultAfterSaleRules: readonly AfterSaleRule[] = DEFAULTS.map((rule) =>
  AfterSaleRuleSchema.parse(rule),
);
