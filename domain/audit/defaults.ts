import { AuditRuleSchema, type AuditRule, type AuditRuleInput } from './rule.js';

/**
 * The rule set a new installation starts with. Stage 1 is 客审 (customer service / reviewers),
 * stage 2 is 财审 (finance). Amount mismatches and unmapped SKUs are not rules: the audit itself
 * (decide.ts) holds them, whatever rule set is in force.
 */
const DEFAULTS: AuditRuleInput[] = [
  {
    id: 'blacklisted',
    name: '黑名单买家/电话/地址',
    description: '买家账号、电话或地址在黑名单中。',
    order: 10,
    when: { type: 'blacklisted' },
    action: { type: 'hold', reason: 'blacklisted', clearedBy: 'reviewer', stage: 1 },
  },
  {
    id: 'address-invalid',
    name: '地址不完整或省市区不存在',
    description: '收货地址不完整，或省市区不存在。',
    order: 20,
    when: { type: 'address_invalid' },
    action: {
      type: 'hold',
      reason: 'address_invalid',
      clearedBy: 'customer-service',
      stage: 1,
      message: '核对收货地址，必要时联系买家',
    },
  },
  {
    id: 'buyer-remark',
    name: '买家留言需人工处理',
    description: '买家留言超出常规要求（开发票、改地址、定制、指定快递等）或无法识别。',
    order: 30,
    when: { type: 'remark_needs_review', field: 'buyer_remark' },
    action: { type: 'hold', reason: 'buyer_remark', clearedBy: 'customer-service', stage: 1 },
  },
  {
    id: 'seller-memo-stop',
    name: '卖家备注要求暂停',
    description: '卖家备注要求仓库暂缓发货。',
    order: 40,
    when: {
      type: 'remark_keywords',
      field: 'seller_memo',
      keywords: ['暂停', '暂不发', '不要发', '别发', '缓发', '等通知', '拦截', '退款', '补差价', 'hold'],
    },
    action: { type: 'hold', reason: 'seller_memo', clearedBy: 'customer-service', stage: 1 },
  },
  {
    id: 'custom-made',
    name: '定制商品',
    description: '订单含定制商品：生产前需核对定制内容。',
    order: 50,
    when: { type: 'sku_flag', flags: ['custom_made', 'custom'] },
    action: { type: 'hold', reason: 'custom_made', clearedBy: 'reviewer', stage: 1 },
  },
  {
    id: 'large-amount',
    name: '大额订单财审',
    description: '实付 ¥5,000 及以上：财务确认收款后再发货。',
    order: 60,
    when: { type: 'amount', basis: 'paid', minFen: 500_000 },
    action: { type: 'hold', reason: 'large_amount', clearedBy: 'finance', stage: 2 },
  },
  {
    id: 'livestream-urgent',
    name: '直播订单加急',
    order: 100,
    when: { type: 'order_type', in: ['livestream'] },
    action: { type: 'flag', flag: 'urgent' },
  },
  {
    id: 'remark-urgent',
    name: '买家要求加急',
    order: 110,
    when: { type: 'remark_intent', field: 'buyer_remark', intents: ['urgent'] },
    action: { type: 'flag', flag: 'urgent' },
  },
  {
    id: 'gift',
    name: '送礼订单',
    order: 120,
    when: { type: 'remark_intent', field: 'buyer_remark', intents: ['gift', 'gift_wrap', 'no_price_slip'] },
    action: { type: 'flag', flag: 'gift' },
  },
  {
    id: 'fragile',
    name: '易碎品',
    order: 130,
    when: { type: 'sku_flag', flags: ['fragile'] },
    action: { type: 'flag', flag: 'fragile' },
  },
  {
    id: 'cold-chain',
    name: '冷链商品',
    order: 140,
    when: { type: 'sku_flag', flags: ['cold_chain'] },
    action: { type: 'flag', flag: 'cold_chain' },
  },
  {
    id: 'cross-border',
    name: '跨境订单',
    order: 150,
    when: { type: 'not', condition: { type: 'country', in: ['CN'] } },
    action: { type: 'flag', flag: 'cross_border' },
  },
];

export const defaultAuditRules: readonly AuditRule[] = DEFAULTS.map((rule) => AuditRuleSchema.parse(rule));
