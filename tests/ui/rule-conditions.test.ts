import { describe, expect, it } from 'vitest';
import { defaultAfterSaleRules } from '../../domain/after-sale-rules/defaults.js';
import { defaultAuditRules } from '../../domain/audit/defaults.js';
import { defaultRoutingRules } from '../../domain/routing/defaults.js';
import { afterSalesCodes } from '../../ui/src/i18n/after-sales.js';
import { channelNames } from '../../ui/src/i18n/channels.js';
import { describeCondition, ruleName, type ConditionLike } from '../../ui/src/i18n/conditions.js';

/** The 规则 page says every rule's condition as a sentence; these are the ones people read first. */
const CODES: Record<string, string> = { livestream: '直播', presale: '预售' };
const name = (code: string) =>
  channelNames.zh[code] ?? afterSalesCodes.zh[code as 'refund_only'] ?? CODES[code] ?? code;
const zh = (when: unknown) => describeCondition(when as ConditionLike, 'zh', name);
const en = (when: unknown) => describeCondition(when as ConditionLike, 'en', name);
const when = (rules: readonly { id: string; when: unknown }[], id: string) =>
  rules.find((r) => r.id === id)!.when;

describe('rule conditions in words', () => {
  it('says every default audit rule in Chinese', () => {
    expect(zh(when(defaultAuditRules, 'large-amount'))).toBe('实付金额 ≥ ¥5,000.00');
    expect(zh(when(defaultAuditRules, 'buyer-remark'))).toBe(
      '买家留言需要人工处理（超出常规要求或无法识别）',
    );
    expect(zh(when(defaultAuditRules, 'seller-memo-stop'))).toMatch(
      /^卖家备注包含“暂停”、“暂不发”、.*或“hold”$/,
    );
    expect(zh(when(defaultAuditRules, 'gift'))).toBe('买家留言要求“送礼”、“礼品包装”或“不放价格单”');
    expect(zh(when(defaultAuditRules, 'custom-made'))).toBe('含有标记为“定制”的商品');
    expect(zh(when(defaultAuditRules, 'cross-border'))).toBe('收货国家/地区不是中国大陆');
    expect(zh(when(defaultAuditRules, 'livestream-urgent'))).toBe('订单类型是直播');
    expect(zh(when(defaultAuditRules, 'blacklisted'))).toBe('买家、电话或地址在黑名单中');
    for (const rule of defaultAuditRules) {
      // Chinese words, no JSON and no codes (the seller memo's own keyword "hold" is quoted)
      expect(zh(rule.when), rule.id).toMatch(/[\u4e00-\u9fff]/);
      expect(zh(rule.when), rule.id).not.toMatch(/[{}"_]/);
      expect(rule.description ?? '中', rule.id).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('says routing and after-sales rules, groups and ranges included', () => {
    expect(zh(when(defaultRoutingRules, 'presale'))).toBe('订单类型是预售');
    expect(zh(when(defaultAfterSaleRules, 'as-hold-large'))).toBe('退款金额 ≥ ¥500.01');
    expect(zh(when(defaultAfterSaleRules, 'as-agree-unshipped-small'))).toBe(
      '售后类型是仅退款，并且商品尚未发出，并且退款金额 ≤ ¥100.00',
    );
    expect(zh(when(defaultAfterSaleRules, 'as-hold-frequent-refunds'))).toBe(
      '买家在此前 30 天内已有至少 3 个其他售后',
    );
    for (const rule of [...defaultRoutingRules, ...defaultAfterSaleRules]) {
      expect(zh(rule.when), rule.id).not.toMatch(/[{}"_]/);
    }
    expect(
      zh({
        type: 'any',
        conditions: [
          { type: 'platform', in: ['pdd', 'douyin'] },
          {
            type: 'all',
            conditions: [
              { type: 'quantity', scope: 'line', min: 5, max: 20 },
              { type: 'payment_age', minSeconds: 7200 },
            ],
          },
        ],
      }),
    ).toBe('平台是拼多多或抖店，或者（单行商品件数 在 5 至 20 之间，并且付款至今 ≥ 2 小时）');
    expect(en(when(defaultAuditRules, 'large-amount'))).toBe('amount paid ≥ ¥5,000.00');
    // A condition a newer API knows and this page does not reads as what the API stores.
    expect(zh({ type: 'weather', rain: true })).toBe('{"type":"weather","rain":true}');
  });

  it('shows the half of a bilingual rule name in the reader’s language', () => {
    expect(ruleName('黑名单买家 Blacklisted buyer', 'zh')).toBe('黑名单买家');
    expect(ruleName('黑名单买家 Blacklisted buyer', 'en')).toBe('Blacklisted buyer');
    expect(ruleName('大额订单财审', 'zh')).toBe('大额订单财审');
    expect(ruleName('VIP 客户', 'en')).toBe('VIP 客户');
  });
});
