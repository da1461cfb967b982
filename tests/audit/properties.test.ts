import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CONDITION_TYPES } from '../../domain/audit/conditions.js';
import { decideAudit, prepareAudit } from '../../domain/audit/decide.js';
import { ORDER_FLAGS } from '../../domain/audit/flags.js';
import { evaluateAuditRules } from '../../domain/audit/evaluate.js';
import { ROLES } from '../../domain/audit/roles.js';
import { buildAuditSubject } from '../../domain/audit/subject.js';
import { amountDue, ORDER_TYPES, type NormalizedOrder } from '../../domain/order.js';
import { PLATFORMS } from '../../domain/platforms.js';
import { REMARK_INTENTS } from '../../domain/remarks/intents.js';
import { routeOrder } from '../../domain/routing/route.js';

const text = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom(
    '浙江',
    '北京市',
    '省直辖县级行政区划',
    '东莞市',
    '济源市',
    '朝阳区',
    '',
    '  ',
    '加急 要发票 改地址',
  ),
);
const fen = fc.integer({ min: 0, max: 10_000_000_000 });
const iso = fc
  .date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
  .map((d) => d.toISOString());

const orderArb: fc.Arbitrary<NormalizedOrder> = fc.record({
  platform: fc.constantFrom(...PLATFORMS),
  shopId: fc.constantFrom('s1', 'shop-2'),
  platformOrderId: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,20}$/),
  status: fc.constantFrom('awaiting_payment', 'paid', 'shipped', 'cancelled'),
  refundStatus: fc.constantFrom('none', 'requested'),
  type: fc.constantFrom(...ORDER_TYPES),
  createdAt: iso,
  paidAt: fc.option(iso, { nil: undefined }),
  modifiedAt: iso,
  currency: fc.constantFrom('CNY', 'USD'),
  amounts: fc.record({ goodsFen: fen, discountFen: fen, shippingFen: fen, paidFen: fen }),
  buyer: fc.record({ id: text, nick: fc.option(text, { nil: undefined }) }),
  receiver: fc.record({
    name: text,
    phone: text,
    country: fc.constantFrom('CN', 'US', 'SG', 'ZZ', 'cn'),
    province: text,
    city: text,
    district: text,
    detail: text,
    postalCode: fc.option(text, { nil: undefined }),
    protected: fc.boolean(),
  }),
  lines: fc.array(
    fc.record({
      lineId: text,
      platformSkuId: text,
      skuCode: fc.constantFrom('A', 'B', 'C'),
      title: text,
      quantity: fc.integer({ min: 1, max: 100_000 }),
      unitPriceFen: fen,
      discountFen: fen,
    }),
    { minLength: 1, maxLength: 4 },
  ),
  buyerRemark: fc.option(text, { nil: undefined }),
  sellerMemo: fc.option(text, { nil: undefined }),
}) as fc.Arbitrary<NormalizedOrder>;

const leaf = fc.oneof(
  fc.record({ type: fc.constant('amount'), basis: fc.constantFrom('paid', 'due', 'goods'), minFen: fen }),
  fc.record({
    type: fc.constant('remark_keywords'),
    keywords: fc.array(fc.string({ minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 3 }),
  }),
  fc.record({
    type: fc.constant('remark_intent'),
    intents: fc.subarray([...REMARK_INTENTS], { minLength: 1 }),
  }),
  fc.record({
    type: fc.constantFrom('remark_present', 'remark_needs_review', 'blacklisted', 'address_invalid'),
  }),
  fc.record({
    type: fc.constant('sku_flag'),
    flags: fc.subarray(['fragile', 'cold_chain', 'custom_made'], { minLength: 1 }),
  }),
  fc.record({ type: fc.constant('platform'), in: fc.subarray([...PLATFORMS], { minLength: 1 }) }),
  fc.record({ type: fc.constant('order_type'), in: fc.subarray([...ORDER_TYPES], { minLength: 1 }) }),
  fc.record({
    type: fc.constant('quantity'),
    scope: fc.constantFrom('total', 'line', 'lines'),
    max: fc.nat(50),
  }),
  fc.record({ type: fc.constant('payment_age'), minSeconds: fc.nat() }),
  fc.record({ type: fc.constantFrom(...CONDITION_TYPES) }),
  fc.anything(),
);
const { condition } = fc.letrec((tie) => ({
  condition: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.record({
      type: fc.constantFrom('all', 'any'),
      conditions: fc.array(tie('condition'), { maxLength: 3 }),
    }),
    fc.record({ type: fc.constant('not'), condition: tie('condition') }),
  ),
}));
const ruleArb = fc.oneof(
  fc.record({
    id: fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/),
    name: fc.constant('generated'),
    order: fc.nat(100),
    enabled: fc.boolean(),
    when: condition,
    action: fc.oneof(
      fc.record({
        type: fc.constant('hold'),
        reason: fc.constantFrom('r_one', 'r_two', 'r_three'),
        clearedBy: fc.constantFrom(...ROLES),
        stage: fc.integer({ min: 1, max: 3 }),
      }),
      fc.record({ type: fc.constant('flag'), flag: fc.constantFrom(...ORDER_FLAGS) }),
      fc.record({ group: fc.constantFrom('standard', 'cold_chain'), priority: fc.nat(100) }),
    ),
  }),
  fc.anything(),
);
const contextArb = fc.record({
  skuFlags: fc.dictionary(
    fc.constantFrom('A', 'B', 'C'),
    fc.array(fc.constantFrom('fragile', 'Cold-Chain', 'custom_made')),
  ),
  blacklistHits: fc.array(
    fc.record({
      entryId: fc.nat().map(String),
      kind: fc.constantFrom('buyer', 'phone', 'address'),
      value: text,
      reason: text,
    }),
    { maxLength: 2 },
  ),
  now: iso,
});

describe('rule evaluation properties', () => {
  it('never throws, whatever the order and the rules, and answers the same every time', () => {
    fc.assert(
      fc.property(orderArb, contextArb, fc.array(ruleArb, { maxLength: 6 }), (order, context, rules) => {
        const s = buildAuditSubject(order, context);
        const first = evaluateAuditRules(rules, s);
        const again = evaluateAuditRules(rules, structuredClone(s));
        expect(again).toEqual(first);
        // Evaluation order comes from the rules, not their position in the list.
        const ids = rules.map((r) => (r && typeof r === 'object' ? (r as { id?: unknown }).id : undefined));
        if (new Set(ids).size === ids.length) {
          expect(evaluateAuditRules([...rules].reverse(), s).holds).toEqual(first.holds);
        }
        const route = routeOrder(rules, s);
        expect(routeOrder(rules, s)).toEqual(route);
        for (const hold of first.holds) expect(hold.stage).toBeGreaterThanOrEqual(1);
        expect(first.holds.map((h) => h.stage)).toEqual(
          [...first.holds.map((h) => h.stage)].sort((a, b) => a - b),
        );
      }),
      { numRuns: 200 },
    );
  });

  it('never throws on input that is not a rule list at all', () => {
    fc.assert(
      fc.property(orderArb, fc.anything(), (order, junk) => {
        const s = buildAuditSubject(order, { skuFlags: {}, blacklistHits: [], now: order.modifiedAt });
        expect(() => evaluateAuditRules(junk as unknown[], s)).not.toThrow();
        expect(() => routeOrder(junk as unknown[], s)).not.toThrow();
      }),
      { numRuns: 100 },
    );
  });

  it('decides the whole audit (mapping, paid = due, rules) without throwing, built-in holds always present', () => {
    const resolutionArb = fc.record({
      matches: fc.array(fc.record({ lineId: text, sku: fc.constantFrom('A', 'B', 'BUNDLE') }), {
        maxLength: 3,
      }),
      components: fc.array(
        fc.record({ lineId: text, flags: fc.array(fc.constantFrom('cold_chain', 'fragile')) }),
        { maxLength: 3 },
      ),
      unmapped: fc.array(fc.record({ lineId: text, problem: text }), { maxLength: 2 }),
    });
    fc.assert(
      fc.property(
        orderArb,
        contextArb,
        resolutionArb,
        fc.nat(1000),
        fc.array(ruleArb, { maxLength: 6 }),
        (order, context, resolution, tolerance, rules) => {
          const prepared = prepareAudit(
            order,
            { skuFlags: context.skuFlags, blacklistHits: context.blacklistHits, resolution },
            { paymentToleranceFen: tolerance },
            context.now,
          );
          const decision = decideAudit(prepared, rules);
          const reasons = decision.holds.map((h) => h.reason);
          expect(reasons.includes('unmapped_sku')).toBe(resolution.unmapped.length > 0);
          const off = Math.abs(order.amounts.paidFen - amountDue(order.amounts)) > tolerance;
          expect(reasons.at(-1) === 'payment_mismatch').toBe(off);
          expect(decideAudit(prepared, rules)).toEqual(decision);
        },
      ),
      { numRuns: 200 },
    );
  });
});
