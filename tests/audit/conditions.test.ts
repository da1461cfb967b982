import { describe, expect, it } from 'vitest';
import type { Condition } from '../../domain/audit/conditions.js';
import { evaluateAuditRules, RULE_FAILED_REASON } from '../../domain/audit/evaluate.js';
import type { AuditRuleInput } from '../../domain/audit/rule.js';
import type { AuditSubject } from '../../domain/audit/subject.js';
import { subject } from './support.js';

const holdIf = (when: unknown, extra: Partial<AuditRuleInput> = {}) => ({
  id: 'r1',
  name: 'rule under test',
  when,
  action: { type: 'hold', reason: 'check_me', clearedBy: 'reviewer' },
  ...extra,
});

function holds(when: Condition | Record<string, unknown>, s: AuditSubject): boolean {
  return evaluateAuditRules([holdIf(when)], s).holds.length === 1;
}

describe('conditions', () => {
  it('amount: paid, due or goods value within a range', () => {
    const big = subject({
      amounts: { goodsFen: 600_000, discountFen: 50_000, shippingFen: 1_000, paidFen: 551_000 },
    });
    expect(holds({ type: 'amount', minFen: 500_000 }, big)).toBe(true);
    expect(holds({ type: 'amount', minFen: 500_000 }, subject())).toBe(false);
    expect(holds({ type: 'amount', basis: 'goods', minFen: 600_000, maxFen: 600_000 }, big)).toBe(true);
    expect(holds({ type: 'amount', basis: 'due', maxFen: 550_000 }, big)).toBe(false);
    const out = evaluateAuditRules([holdIf({ type: 'amount', minFen: 500_000 })], big);
    expect(out.holds[0]!.detail).toBe('paid ¥5510.00 ≥ ¥5000.00');
  });

  it('remark_present and remark_keywords on the buyer remark or the seller memo', () => {
    const s = subject({ buyerRemark: '周末送', sellerMemo: '等通知再发 HOLD' });
    expect(holds({ type: 'remark_present', field: 'buyer_remark' }, s)).toBe(true);
    expect(holds({ type: 'remark_present', field: 'seller_memo' }, subject())).toBe(false);
    expect(holds({ type: 'remark_keywords', field: 'seller_memo', keywords: ['等通知'] }, s)).toBe(true);
    expect(holds({ type: 'remark_keywords', field: 'seller_memo', keywords: ['hold'] }, s)).toBe(true);
    expect(holds({ type: 'remark_keywords', field: 'buyer_remark', keywords: ['等通知'] }, s)).toBe(false);
  });

  it('remark_intent and remark_needs_review read the analysed remark', () => {
    const gift = subject({ buyerRemark: 'please gift wrap' });
    expect(holds({ type: 'remark_intent', intents: ['gift_wrap'] }, gift)).toBe(true);
    expect(holds({ type: 'remark_intent', intents: ['invoice'] }, gift)).toBe(false);
    expect(holds({ type: 'remark_needs_review' }, gift)).toBe(false);
    expect(holds({ type: 'remark_needs_review' }, subject({ buyerRemark: '要发票，抬头某某公司' }))).toBe(
      true,
    );
  });

  it('blacklisted, optionally by kind', () => {
    const hit = { entryId: '7', kind: 'phone' as const, value: '13800001234', reason: '恶意退款' };
    const s = subject({}, { blacklistHits: [hit] });
    expect(holds({ type: 'blacklisted' }, s)).toBe(true);
    expect(holds({ type: 'blacklisted', kinds: ['phone'] }, s)).toBe(true);
    expect(holds({ type: 'blacklisted', kinds: ['buyer'] }, s)).toBe(false);
    expect(holds({ type: 'blacklisted' }, subject())).toBe(false);
  });

  it('address_invalid, optionally by field or kind of problem', () => {
    const receiver = { ...subject().order.receiver, district: '朝阳区' };
    const s = subject({ receiver });
    expect(holds({ type: 'address_invalid' }, s)).toBe(true);
    expect(holds({ type: 'address_invalid', fields: ['district'], problems: ['unknown'] }, s)).toBe(true);
    expect(holds({ type: 'address_invalid', problems: ['missing'] }, s)).toBe(false);
    expect(holds({ type: 'address_invalid' }, subject())).toBe(false);
  });

  it('sku_flag matches master-data flags however they are spelled', () => {
    const s = subject({}, { skuFlags: { 'TEE-RED-M': ['Cold-Chain'] } });
    expect(holds({ type: 'sku_flag', flags: ['cold_chain'] }, s)).toBe(true);
    expect(holds({ type: 'sku_flag', flags: ['fragile'] }, s)).toBe(false);
  });

  it('platform, shop, order type and country', () => {
    const s = subject({ type: 'livestream', platform: 'douyin', shopId: 'dy-1' });
    expect(holds({ type: 'platform', in: ['douyin', 'pdd'] }, s)).toBe(true);
    expect(holds({ type: 'platform', in: ['jd'] }, s)).toBe(false);
    expect(holds({ type: 'shop', in: ['dy-1'] }, s)).toBe(true);
    expect(holds({ type: 'order_type', in: ['livestream'] }, s)).toBe(true);
    expect(holds({ type: 'order_type', in: ['presale'] }, s)).toBe(false);
    expect(holds({ type: 'country', in: ['CN'] }, s)).toBe(true);
  });

  it('quantity: units in the order, units on one line, number of lines', () => {
    const lines = [
      { ...subject().order.lines[0]!, lineId: '1', quantity: 3 },
      { ...subject().order.lines[0]!, lineId: '2', quantity: 9 },
    ];
    const s = subject({ lines });
    expect(holds({ type: 'quantity', min: 12 }, s)).toBe(true);
    expect(holds({ type: 'quantity', scope: 'line', min: 10 }, s)).toBe(false);
    expect(holds({ type: 'quantity', scope: 'lines', min: 2, max: 2 }, s)).toBe(true);
  });

  it('payment_age: seconds since payment at evaluation time; unpaid orders never match', () => {
    const s = subject({ paidAt: '2026-03-10T09:00:00.000Z' });
    expect(s.paymentAgeSeconds).toBe(3600);
    expect(holds({ type: 'payment_age', minSeconds: 3600 }, s)).toBe(true);
    expect(holds({ type: 'payment_age', maxSeconds: 60 }, s)).toBe(false);
    const { paidAt: _paidAt, ...unpaid } = subject().order;
    expect(holds({ type: 'payment_age', minSeconds: 0 }, subject({ ...unpaid, paidAt: undefined }))).toBe(
      false,
    );
  });

  it('all, any and not combine conditions', () => {
    const s = subject({ type: 'presale' });
    const presale = { type: 'order_type', in: ['presale'] };
    const taobao = { type: 'platform', in: ['taobao'] };
    const jd = { type: 'platform', in: ['jd'] };
    expect(holds({ type: 'all', conditions: [presale, taobao] }, s)).toBe(true);
    expect(holds({ type: 'all', conditions: [presale, jd] }, s)).toBe(false);
    expect(holds({ type: 'any', conditions: [jd, presale] }, s)).toBe(true);
    expect(holds({ type: 'not', condition: jd }, s)).toBe(true);
  });
});

describe('actions and evaluation', () => {
  it('a hold carries its reason, the role that clears it, its stage and why it matched', () => {
    const out = evaluateAuditRules(
      [
        holdIf(
          { type: 'order_type', in: ['normal'] },
          {
            action: {
              type: 'hold',
              reason: 'big_buyer',
              clearedBy: 'finance',
              stage: 2,
              message: '核对付款',
            },
          },
        ),
      ],
      subject(),
    );
    expect(out.holds).toEqual([
      {
        ruleId: 'r1',
        ruleName: 'rule under test',
        reason: 'big_buyer',
        clearedBy: 'finance',
        stage: 2,
        message: '核对付款',
        detail: 'normal order',
      },
    ]);
    expect(out.flags).toEqual([]);
  });

  it('a flag labels the order without holding it', () => {
    const out = evaluateAuditRules(
      [
        {
          id: 'vip',
          name: 'VIP shop',
          when: { type: 'shop', in: ['shop-hz-1'] },
          action: { type: 'flag', flag: 'vip' },
        },
      ],
      subject(),
    );
    expect(out.holds).toEqual([]);
    expect(out.flags).toEqual([{ flag: 'vip', ruleId: 'vip', detail: 'shop shop-hz-1' }]);
  });

  it('runs rules in order, keeps the first rule for a reason or flag and skips disabled ones', () => {
    const always = { type: 'platform', in: ['taobao'] };
    const out = evaluateAuditRules(
      [
        {
          id: 'b',
          name: 'second',
          order: 20,
          when: always,
          action: { type: 'hold', reason: 'dup', clearedBy: 'ops' },
        },
        {
          id: 'a',
          name: 'first',
          order: 10,
          when: always,
          action: { type: 'hold', reason: 'dup', clearedBy: 'reviewer' },
        },
        {
          id: 'c',
          name: 'off',
          order: 5,
          enabled: false,
          when: always,
          action: { type: 'flag', flag: 'vip' },
        },
      ],
      subject(),
    );
    expect(out.holds.map((h) => [h.ruleId, h.clearedBy])).toEqual([['a', 'reviewer']]);
    expect(out.trace.map((t) => [t.ruleId, t.outcome])).toEqual([
      ['c', 'disabled'],
      ['a', 'matched'],
      ['b', 'matched'],
    ]);
  });

  it('reports malformed and duplicate rules in the trace instead of throwing', () => {
    const good = holdIf({ type: 'platform', in: ['taobao'] });
    const out = evaluateAuditRules(
      [
        null,
        42,
        { id: 'bad', name: 'bad', when: { type: 'amount', minFen: -1 }, action: { type: 'hold' } },
        good,
        good,
      ],
      subject(),
    );
    expect(out.holds).toHaveLength(1);
    expect(out.trace.filter((t) => t.outcome === 'malformed').map((t) => t.ruleId)).toEqual([
      '#0',
      '#1',
      'bad',
    ]);
    expect(out.trace.find((t) => t.ruleId === 'bad')!.detail).toContain('when.minFen: must not be negative');
    expect(out.trace.find((t) => t.outcome === 'duplicate')).toMatchObject({ ruleId: 'r1' });
  });

  it('holds the order when a hold rule fails at run time, rather than letting it through', () => {
    const broken = { ...subject(), lines: null } as unknown as AuditSubject;
    const out = evaluateAuditRules([holdIf({ type: 'sku_flag', flags: ['fragile'] })], broken);
    expect(out.holds[0]).toMatchObject({ reason: RULE_FAILED_REASON, clearedBy: 'reviewer' });
    expect(out.trace[0]).toMatchObject({ outcome: 'failed' });
  });
});
