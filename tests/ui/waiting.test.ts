import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeWaiting, personStepText, waitingZh } from '../../ui/src/i18n/waiting.js';
import { WAITING_CODES, WAITING_TEXT, waiting, waitingFromText, waitingText } from '../../domain/waiting.js';
import { holdReasons } from '../../ui/src/i18n/hold-reasons.js';
import { defaultAuditRules } from '../../domain/audit/defaults.js';
import { UNMAPPED_SKU_REASON } from '../../domain/audit/decide.js';
import { RULE_FAILED_REASON } from '../../domain/audit/evaluate.js';
import { PAYMENT_MISMATCH_REASON } from '../../domain/audit/payment-check.js';
import { ADDRESS_UNREACHABLE_REASON } from '../../domain/carriers/reachability.js';

// Particulars as the workflows fill them, for every parameter any code reads.
const sample = {
  roles: 'reviewer or finance',
  stage: 1,
  reasons: 'high_value, address_suspect',
  reason: '买家要求改地址',
  platform: 'taobao',
  short: 'SKU-1 ×2',
  warehouses: 'HZ, SH',
  parcelId: 'P-1',
  method: 'dropoff',
  carrier: '顺丰速运',
  at: 'handover',
  locked: 'order-1 (no reason given)',
  kind: 'address_problem',
  trackingNo: 'SF123',
  channel: 'alipay',
  step: 'platform-agree-refused',
  why: 'a person: taobao did not take the agreement: closed',
  text: 'something older',
  overdue: true,
  seconds: 432_000,
  tracking: 'delivered',
};
// The page's words for the codes a waiting state names (ui/src/i18n/messages.ts `codes.zh`).
const names: Record<string, string> = {
  'stage.1': '客审',
  blacklisted: '黑名单买家',
  buyer_remark: '买家留言需处理',
  reviewer: '审单员',
  taobao: '淘宝',
};
const zhCode = (value: string) => names[value] ?? value;
const hasChinese = /[\u4e00-\u9fff]/;

describe('waiting states in the reader’s language', () => {
  it('every code the workflows can wait on has a Chinese sentence', () => {
    const missing = WAITING_CODES.filter((c) => !(c in waitingZh));
    expect(missing).toEqual([]);
    const stale = Object.keys(waitingZh).filter((c) => !(WAITING_CODES as readonly string[]).includes(c));
    expect(stale).toEqual([]);
  });

  it.each(WAITING_CODES.filter((c) => c !== 'legacy'))('%s reads in Chinese', (code) => {
    const zh = describeWaiting(waiting(code, sample), waitingText(waiting(code, sample)), 'zh', zhCode)!;
    expect(zh).toMatch(hasChinese);
    // No English sentence of the API leaks into the Chinese page (particulars aside).
    expect(zh).not.toMatch(/\b(waiting|the buyer|a person to|handover to|delivery by|unlock by)\b/);
  });

  it('every step a marketplace case hands to a person says why in Chinese', () => {
    // The steps as the case workflow names them where it hands a case over (a new one without
    // Chinese would read only 见说明 and the API's English particulars).
    const source = readFileSync(
      new URL('../../workflows/after-sale/platform-case.ts', import.meta.url),
      'utf8',
    );
    const steps = [...source.matchAll(/handOver\(\s*'([a-z-]+)'/g)].map((m) => m[1]!);
    expect(steps).toEqual(
      expect.arrayContaining(['return-damaged', 'return-receipt-refused', 'after-handover']),
    );
    expect(steps.filter((step) => personStepText(step) === '见说明')).toEqual([]);
  });

  it('names every hold reason the system raises in Chinese in the review queue', () => {
    const raised = [
      ...defaultAuditRules.flatMap((rule) => (rule.action.type === 'hold' ? [rule.action.reason] : [])),
      UNMAPPED_SKU_REASON,
      RULE_FAILED_REASON,
      PAYMENT_MISMATCH_REASON,
      ADDRESS_UNREACHABLE_REASON,
      // Raised by the order workflow (workflows/order/line-refunds.ts, fulfilment.ts, audit).
      'refund_in_packed_parcel',
      'short_after_partial_shipment',
      'no_exchange_rate',
    ];
    expect(raised.filter((reason) => !hasChinese.test(holdReasons.zh[reason] ?? ''))).toEqual([]);
  });

  it('says hold reasons, roles and review stages by their Chinese names', () => {
    const w = waiting('order_review', { roles: 'reviewer', stage: 1, reasons: 'blacklisted, buyer_remark' });
    const zh = describeWaiting(w, waitingText(w), 'zh', zhCode)!;
    expect(zh).toContain(names['stage.1']!);
    expect(zh).toContain(names.blacklisted!);
    expect(zh).toContain(names.buyer_remark!);
    expect(zh).toContain(names.reviewer!);
  });

  it('English pages read the API’s sentence, unchanged from before codes', () => {
    expect(waitingText(waiting('order_review', { roles: 'reviewer', stage: 1, reasons: 'a, b' }))).toBe(
      'review by reviewer (stage 1: a, b)',
    );
    expect(waitingText(waiting('order_payment', { overdue: true }))).toBe(
      'payment from the buyer (overdue: the platform decides)',
    );
    expect(waitingText(waiting('shipment_handover'))).toBe('handover to the carrier');
    expect(waitingText(waiting('shipment_locked', { at: 'waybill', locked: 'o (x)' }))).toBe(
      'unlock by customer service before a waybill is issued: o (x)',
    );
    expect(waitingText(waiting('case_return_parcel', { carrier: 'SF', trackingNo: null }))).toBe(
      'the return parcel at the warehouse',
    );
    expect(waitingText(waiting('case_decision'))).toBe('a decision');
    const w = waiting('order_delivery');
    expect(describeWaiting(w, waitingText(w), 'en', zhCode)).toBe('delivery');
    for (const code of WAITING_CODES) expect(typeof WAITING_TEXT[code](sample)).toBe('string');
  });

  it('a parcel continued before codes keeps its words; an unknown code reads as the API said it', () => {
    expect(waitingFromText('packing')).toEqual({ code: 'legacy', params: { text: 'packing' } });
    expect(waitingFromText(null)).toBeNull();
    expect(describeWaiting({ code: 'from_a_newer_api', params: {} }, 'later words', 'zh', zhCode)).toBe(
      'later words',
    );
    expect(describeWaiting(null, 'words only', 'zh', zhCode)).toBe('words only');
  });
});
