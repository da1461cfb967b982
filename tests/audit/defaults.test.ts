import { describe, expect, it } from 'vitest';
import { defaultAuditRules } from '../../domain/audit/defaults.js';
import { evaluateAuditRules, type AuditHold } from '../../domain/audit/evaluate.js';
import { canClearHold, currentReviewStage } from '../../domain/audit/stages.js';
import { subject } from './support.js';

const audit = (s: ReturnType<typeof subject>) => {
  const out = evaluateAuditRules(defaultAuditRules, s);
  return { reasons: out.holds.map((h) => h.reason), flags: out.flags.map((f) => f.flag), out };
};

describe('default audit rules on realistic orders', () => {
  it('let an ordinary paid order with a routine remark through', () => {
    expect(audit(subject({ buyerRemark: '请周末送货，谢谢' }))).toMatchObject({ reasons: [], flags: [] });
  });

  it('hold a remark that asks for something a person must do, for customer service', () => {
    const { out } = audit(subject({ buyerRemark: '麻烦改地址：上海市浦东新区世纪大道1号' }));
    expect(out.holds).toEqual([
      expect.objectContaining({ reason: 'buyer_remark', clearedBy: 'customer-service', stage: 1 }),
    ]);
  });

  it('hold a seller memo that says to wait', () => {
    expect(audit(subject({ sellerMemo: '客户要求暂停发货' })).reasons).toEqual(['seller_memo']);
  });

  it('hold an address that names no real district', () => {
    const receiver = { ...subject().order.receiver, city: '杭州市', district: '浦东新区' };
    const { out } = audit(subject({ receiver }));
    expect(out.holds[0]).toMatchObject({ reason: 'address_invalid', clearedBy: 'customer-service' });
    expect(out.holds[0]!.detail).toContain('district is not a district of 杭州市');
  });

  it('hold blacklisted buyers and custom-made goods; flag fragile and cold-chain goods', () => {
    const hit = { entryId: '1', kind: 'buyer' as const, value: 'buyer-1', reason: '多次恶意退款' };
    expect(audit(subject({}, { blacklistHits: [hit] })).reasons).toEqual(['blacklisted']);
    expect(audit(subject({}, { skuFlags: { 'TEE-RED-M': ['custom_made'] } })).reasons).toEqual([
      'custom_made',
    ]);
    expect(audit(subject({}, { skuFlags: { 'TEE-RED-M': ['fragile', 'cold-chain'] } }))).toMatchObject({
      reasons: [],
      flags: ['fragile', 'cold_chain'],
    });
  });

  it('flag livestream orders and buyers in a hurry as urgent, and gifts as gifts', () => {
    expect(audit(subject({ type: 'livestream' })).flags).toEqual(['urgent']);
    expect(audit(subject({ buyerRemark: '急用，尽快发' })).flags).toEqual(['urgent']);
    expect(audit(subject({ buyerRemark: 'please gift wrap' })).flags).toEqual(['gift']);
  });

  it('flag cross-border orders', () => {
    const receiver = {
      ...subject().order.receiver,
      country: 'SG',
      province: 'Singapore',
      city: '',
      district: '',
      detail: '1 Orchard Road #05-01',
      postalCode: '238823',
    };
    expect(audit(subject({ platform: 'shopee', receiver }))).toMatchObject({
      reasons: [],
      flags: ['cross_border'],
    });
  });

  it('send a large order to finance only after customer service has cleared its remark (客审 then 财审)', () => {
    const { out } = audit(
      subject({
        amounts: { goodsFen: 800_000, discountFen: 0, shippingFen: 0, paidFen: 800_000 },
        buyerRemark: '要开专票，税号稍后发',
      }),
    );
    expect(out.holds.map((h) => [h.reason, h.clearedBy, h.stage])).toEqual([
      ['buyer_remark', 'customer-service', 1],
      ['large_amount', 'finance', 2],
    ]);

    let open: AuditHold[] = out.holds;
    expect(currentReviewStage(open)).toMatchObject({ stage: 1, holds: [open[0]] });
    const financeHold = open[1]!;
    expect(canClearHold(financeHold, ['finance'], open)).toEqual({
      allowed: false,
      reason: 'hold "large_amount" is review stage 2; stage 1 holds must be cleared first',
    });
    expect(canClearHold(open[0]!, ['finance'], open)).toMatchObject({ allowed: false });
    expect(canClearHold(open[0]!, ['customer-service'], open)).toEqual({ allowed: true });

    open = open.filter((h) => h.stage !== 1);
    expect(currentReviewStage(open)).toMatchObject({ stage: 2 });
    expect(canClearHold(financeHold, ['finance'], open)).toEqual({ allowed: true });
    expect(canClearHold(financeHold, ['admin'], open)).toEqual({ allowed: true });
    expect(currentReviewStage([])).toBeNull();
  });
});
