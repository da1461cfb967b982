import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CARRIER_CODES } from '../../domain/carriers/codes.js';
import { CAPABILITIES } from '../../domain/carriers/profile.js';
import { PROVINCES } from '../../domain/carriers/regions.js';
import { selectCarrier } from '../../domain/carriers/select.js';

const province = fc.constantFrom(...PROVINCES.map((p) => p.name));
const parcel = fc.record({
  weightG: fc.integer({ min: 1, max: 80_000 }),
  lengthMm: fc.integer({ min: 10, max: 2_500 }),
  widthMm: fc.integer({ min: 10, max: 1_200 }),
  heightMm: fc.integer({ min: 10, max: 1_200 }),
  needs: fc.subarray(CAPABILITIES.filter((c) => c !== 'international' && c !== 'same_city')),
});
const request = fc.option(fc.constantFrom(...CARRIER_CODES), { nil: undefined });

describe('selectCarrier, for any parcel and route', () => {
  it('never picks a carrier it rejected, bills at least the actual weight, and picks the cheapest without a request', () => {
    fc.assert(
      fc.property(parcel, province, province, request, request, (p, from, to, preferred, override) => {
        const result = selectCarrier({
          parcel: p,
          origin: { province: from },
          destination: { province: to },
          ...(preferred ? { preferred: { carrier: preferred, source: 'test' } } : {}),
          ...(override ? { override: { carrier: override, by: 'test' } } : {}),
        });
        if (!result.ok) {
          expect(result.rejected.length).toBeGreaterThan(0);
          return;
        }
        expect(result.rejected.map((r) => r.carrier)).not.toContain(result.carrier);
        expect(result.chargeableWeightG).toBeGreaterThanOrEqual(p.weightG);
        expect(Number.isInteger(result.costFen)).toBe(true);
        if (result.basis === 'cheapest') {
          for (const alternative of result.alternatives)
            expect(alternative.costFen).toBeGreaterThanOrEqual(result.costFen);
        }
        if (override && result.basis !== 'override') {
          expect(result.declined.some((d) => d.kind === 'override' && d.carrier === override)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('selectCarrier with an address it cannot place', () => {
  it('gives one reason to hold the order instead of one per carrier', () => {
    const result = selectCarrier({
      parcel: { weightG: 500, lengthMm: 100, widthMm: 100, heightMm: 100 },
      origin: { province: '浙江省' },
      destination: { province: '火星省' },
    });
    expect(result).toEqual({
      ok: false,
      reason: 'cannot route the parcel: unknown destination province "火星省"',
      rejected: [],
      declined: [],
    });
  });
});
