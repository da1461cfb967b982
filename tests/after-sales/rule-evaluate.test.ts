import { describe, expect, it } from 'vitest';
import {
  ABOVE_FINANCE_LIMIT,
  defaultAfterSaleRules,
  evaluateAfterSaleRules,
  summarizeAfterSaleDryRun,
  type AfterSaleSubject,
} from '../../domain/after-sale-rules/index.js';

const LIMIT = 50_000;
const allOn = defaultAfterSaleRules.map((r) => ({ ...r, enabled: true }));
const subject = (over: Partial<AfterSaleSubject> = {}): AfterSaleSubject => ({
  caseId: 'c1',
  platform: 'own',
  shopId: 's1',
  kind: 'refund_only',
  reason: '不想要了',
  requestedFen: 5_000,
  openedAt: '2026-12-01T10:00:00Z',
  shipped: false,
  inspection: null,
  buyerCaseTimes: [],
  blacklisted: false,
  ...over,
});

describe('after-sales rules', () => {
  it('agrees a small refund before shipment, and a return inspected resaleable', () => {
    expect(evaluateAfterSaleRules(allOn, subject(), LIMIT)).toMatchObject({
      verdict: 'agree',
      agreedBy: { ruleId: 'as-agree-unshipped-small' },
    });
    const ret = subject({
      kind: 'return_refund',
      shipped: true,
      requestedFen: 30_000,
      inspection: 'resaleable',
    });
    expect(evaluateAfterSaleRules(allOn, ret, LIMIT).agreedBy?.ruleId).toBe('as-agree-return-resaleable');
    expect(evaluateAfterSaleRules(allOn, { ...ret, inspection: 'damaged' }, LIMIT).verdict).toBe('person');
  });

  it('leaves it to a person when shipped or above the amount, and with the agree rules off', () => {
    expect(evaluateAfterSaleRules(allOn, subject({ shipped: true }), LIMIT).verdict).toBe('person');
    expect(evaluateAfterSaleRules(allOn, subject({ requestedFen: 10_001 }), LIMIT).verdict).toBe('person');
    expect(evaluateAfterSaleRules(defaultAfterSaleRules, subject(), LIMIT).verdict).toBe('person');
  });

  it('holds blacklisted buyers, frequent refunders, quality claims and large refunds, over any agree', () => {
    const three = ['2026-11-20T00:00:00Z', '2026-11-25T00:00:00Z', '2026-11-30T00:00:00Z'];
    const outcome = evaluateAfterSaleRules(
      allOn,
      subject({ blacklisted: true, buyerCaseTimes: three, reason: '收到就破损了', requestedFen: 60_000 }),
      LIMIT,
    );
    expect(outcome.verdict).toBe('hold');
    expect(outcome.holds.map((h) => [h.reason, h.clearedBy])).toEqual([
      ['buyer_blacklisted', 'customer-service'],
      ['frequent_refunds', 'customer-service'],
      ['quality_claim', 'customer-service'],
      ['large_refund', 'finance'],
    ]);
    // Cases older than the window do not count.
    const old = subject({ buyerCaseTimes: ['2026-10-01T00:00:00Z', ...three.slice(1)] });
    expect(evaluateAfterSaleRules(allOn, old, LIMIT).verdict).toBe('agree');
  });

  it('never auto-agrees past the finance limit, and skips malformed rules', () => {
    const outcome = evaluateAfterSaleRules(allOn, subject({ requestedFen: 6_000 }), 5_000);
    expect(outcome).toMatchObject({
      verdict: 'hold',
      holds: [{ reason: ABOVE_FINANCE_LIMIT, clearedBy: 'finance' }],
    });
    const broken = evaluateAfterSaleRules(
      [{ id: 'x', name: 'x', when: { type: 'nope' } }, ...allOn],
      subject(),
      LIMIT,
    );
    expect(broken.verdict).toBe('agree');
    expect(broken.trace[0]).toMatchObject({ ruleId: 'x', outcome: 'malformed' });
  });

  it('summarizes a dry run, naming agreed cases a person refused', () => {
    const agreed = evaluateAfterSaleRules(allOn, subject(), LIMIT);
    const held = evaluateAfterSaleRules(allOn, subject({ caseId: 'c2', blacklisted: true }), LIMIT);
    const summary = summarizeAfterSaleDryRun([
      { caseId: 'c1', requestedFen: 5_000, actual: 'refused', outcome: agreed },
      { caseId: 'c2', requestedFen: 5_000, actual: 'refunded', outcome: held },
      {
        caseId: 'c3',
        requestedFen: 9_000,
        actual: 'open',
        outcome: evaluateAfterSaleRules([], subject(), LIMIT),
      },
    ]);
    expect(summary).toMatchObject({
      evaluated: 3,
      autoAgreed: 1,
      autoAgreedFen: 5_000,
      held: 1,
      toPerson: 1,
      agreedButRefused: { count: 1, sampleCaseIds: ['c1'] },
    });
    expect(summary.byRule.map((r) => [r.ruleId, r.count])).toEqual([
      ['as-agree-unshipped-small', 1],
      ['as-hold-blacklisted', 1],
    ]);
  });
});
