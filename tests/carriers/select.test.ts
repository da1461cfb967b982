import { describe, expect, it } from 'vitest';
import type { CarrierCode } from '../../domain/carriers/codes.js';
import { CARRIER_CODES } from '../../domain/carriers/codes.js';
import { carrierRequestedInRemark } from '../../domain/carriers/remark.js';
import {
  allCarrierProfiles,
  carrierProfile,
  CARRIER_REGISTRY,
  withOverrides,
} from '../../domain/carriers/registry.js';
import { selectCarrier, type CarrierSelectionInput } from '../../domain/carriers/select.js';
import { zoneBetween } from '../../domain/carriers/zones.js';

const HANGZHOU = { province: '浙江省', city: '杭州市' };
const small = { weightG: 1200, lengthMm: 200, widthMm: 150, heightMm: 100 };
const only = (...codes: CarrierCode[]) => codes.map(carrierProfile);

function pick(input: Partial<CarrierSelectionInput> & Pick<CarrierSelectionInput, 'destination'>) {
  return selectCarrier({ parcel: small, origin: HANGZHOU, ...input });
}

describe('carrier registry', () => {
  it('has a profile for every carrier code, with prices in whole fen', () => {
    for (const code of CARRIER_CODES) {
      const profile = CARRIER_REGISTRY[code];
      expect(profile.code).toBe(code);
      expect(profile.nameZh.length).toBeGreaterThan(0);
      for (const rate of Object.values(profile.rates)) {
        expect(Number.isInteger(rate.firstFen) && Number.isInteger(rate.additionalFen)).toBe(true);
      }
    }
  });

  it('prices SF above the 通达 networks and freight cheaper per kg than express', () => {
    const national = (code: CarrierCode) => carrierProfile(code).rates.national!;
    for (const cheap of ['ZTO', 'YTO', 'STO', 'YUNDA'] as const) {
      expect(national('SF').firstFen).toBeGreaterThan(national(cheap).firstFen);
    }
    expect(national('DBL').firstWeightG).toBe(30_000);
    expect(national('DBL').additionalFen).toBeLessThan(national('ZTO').additionalFen);
  });
});

describe('zones', () => {
  it.each([
    [{ province: '浙江', city: '杭州' }, { province: '浙江省', city: '杭州市' }, 'same_city'],
    [HANGZHOU, { province: '浙江省', city: '宁波市' }, 'same_province'],
    [HANGZHOU, { province: '江苏省', city: '南京市' }, 'neighbouring'],
    [HANGZHOU, { province: '北京市', city: '北京市' }, 'national'],
    [HANGZHOU, { province: '新疆维吾尔自治区', city: '乌鲁木齐市' }, 'remote'],
    [HANGZHOU, { province: '西藏', city: '拉萨' }, 'remote'],
    [HANGZHOU, { country: 'CN', province: '香港特别行政区' }, 'intl_hmt'],
    [HANGZHOU, { country: 'US', province: 'WA' }, 'intl_north_america'],
    [HANGZHOU, { country: 'DE' }, 'intl_europe'],
    [{ country: 'US', province: 'CA' }, { country: 'US', province: 'WA' }, 'overseas_domestic'],
  ])('%j → %j is %s', (origin, destination, zone) => {
    expect(zoneBetween(origin, destination)).toEqual({ ok: true, zone });
  });
});

describe('selectCarrier', () => {
  it('leaves global integrators out unless the shop enables them', () => {
    const result = pick({ destination: { country: 'US' } });
    expect(result.ok && result.carrier).toBe('EMS');
    expect(result.ok && result.alternatives.map((q) => q.carrier)).toEqual(['SF']);
    expect(result.rejected.some((r) => r.carrier === 'DHL')).toBe(false);
  });

  it('picks the cheapest carrier and says why in one line', () => {
    const result = pick({ destination: { province: '浙江省', city: '宁波市' } });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.carrier).toBe('JTSD');
    expect(result.basis).toBe('cheapest');
    expect(result.costFen).toBe(400);
    expect(result.chargeableWeightG).toBe(1200);
    expect(result.reason).toMatch(/^JTSD: cheapest of \d+ carriers covering 浙江 for 1\.2 kg \(¥4\.00\)$/);
    const costs = result.alternatives.map((q) => q.costFen);
    expect(costs).toEqual([...costs].sort((a, b) => a - b));
    expect(costs[0]).toBeGreaterThanOrEqual(400);
  });

  it('sends remote provinces with the post office, which is cheapest there', () => {
    const result = pick({ destination: { province: '新疆维吾尔自治区', city: '乌鲁木齐市' } });
    expect(result.ok && result.carrier).toBe('POSTB');
    expect(result.ok && result.costFen).toBe(1600);
    expect(result.ok && result.reason).toContain('covering 新疆 for 1.2 kg (¥16.00)');
    // ZTO adds its Xinjiang surcharge on top of the remote zone price.
    const zto = result.ok ? result.alternatives.find((q) => q.carrier === 'ZTO') : undefined;
    expect(zto).toMatchObject({ zone: 'remote', surchargeFen: 500, costFen: 3000 });
  });

  it('rejects carriers that exclude a region, naming it', () => {
    const result = pick({ destination: { province: '西藏自治区', city: '拉萨市' } });
    const jt = result.rejected.find((r) => r.carrier === 'JTSD');
    expect(jt?.reasons[0]).toEqual({
      code: 'excluded_region',
      message: 'does not deliver to 西藏',
      why: { code: 'excluded_province', params: { province: '西藏' } },
    });
  });

  it.each([
    [1000, 550],
    [1001, 950],
    [2000, 950],
    [5000, 2150],
  ])('charges ZTO first weight plus started kilograms: %i g → %i fen', (weightG, fen) => {
    const result = selectCarrier({
      parcel: { weightG, lengthMm: 100, widthMm: 100, heightMm: 100 },
      origin: HANGZHOU,
      destination: { province: '北京市' },
      candidates: only('ZTO'),
    });
    expect(result.ok && result.costFen).toBe(fen);
  });

  it('bills volumetric weight when the box is light but large, with each carrier’s divisor', () => {
    const result = selectCarrier({
      parcel: { weightG: 500, lengthMm: 400, widthMm: 300, heightMm: 300 },
      origin: HANGZHOU,
      destination: { province: '北京市' },
      candidates: only('SF', 'ZTO'),
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.carrier).toBe('ZTO');
    expect(result.quote).toMatchObject({
      actualWeightG: 500,
      volumetricWeightG: 4500,
      chargeableWeightG: 4500,
    });
    expect(result.costFen).toBe(550 + 4 * 400);
    expect(result.alternatives[0]).toMatchObject({
      carrier: 'SF',
      chargeableWeightG: 6000,
      costFen: 2300 + 5 * 1000,
    });
  });

  it('only considers carriers with the handling the goods need', () => {
    const result = pick({ destination: { province: '北京市' }, parcel: { ...small, needs: ['cold_chain'] } });
    expect(result.ok && result.carrier).toBe('JD');
    expect(result.ok && result.alternatives.map((q) => q.carrier)).toEqual(['SF']);
    expect(result.rejected.find((r) => r.carrier === 'ZTO')?.reasons).toEqual([
      {
        code: 'lacks_capability',
        message: 'does not offer cold_chain',
        why: { code: 'lacks_capability', params: { needs: 'cold_chain' } },
      },
    ]);
  });

  it('keeps same-city couriers within the city', () => {
    const sameCity = pick({
      destination: { province: '浙江省', city: '杭州市' },
      parcel: { ...small, needs: ['same_city'] },
    });
    expect(sameCity.ok && sameCity.carrier).toBe('SHANSONG');
    const elsewhere = pick({
      destination: { province: '浙江省', city: '宁波市' },
      parcel: { ...small, needs: ['same_city'] },
    });
    expect(elsewhere.ok).toBe(false);
    expect(elsewhere.rejected.find((r) => r.carrier === 'SHANSONG')?.reasons[0]?.message).toBe(
      'delivers within the same city only',
    );
  });

  it('ships abroad with the carriers that go there', () => {
    const result = selectCarrier({
      parcel: { weightG: 2000, lengthMm: 300, widthMm: 200, heightMm: 100 },
      origin: HANGZHOU,
      destination: { country: 'US', province: 'WA', city: 'Seattle' },
      candidates: allCarrierProfiles(),
    });
    expect(result.ok && result.carrier).toBe('EMS');
    expect(result.ok && result.costFen).toBe(9500 + 3 * 3000);
    expect(result.ok && result.alternatives.map((q) => q.carrier).sort()).toEqual([
      'DHL',
      'FEDEX',
      'SF',
      'UPS',
    ]);
    expect(result.rejected.find((r) => r.carrier === 'USPS')?.reasons[0]?.message).toBe(
      'does not pick up in CN',
    );
    expect(result.rejected.find((r) => r.carrier === 'ZTO')?.reasons[0]?.message).toBe(
      'does not deliver to US',
    );
  });

  it('follows a platform or buyer preference over price', () => {
    const result = pick({
      destination: { province: '北京市' },
      preferred: { carrier: 'SF', source: 'PDD free_sf tag' },
    });
    expect(result.ok && result.carrier).toBe('SF');
    expect(result.ok && result.basis).toBe('preference');
    expect(result.ok && result.reason).toBe('SF: requested by PDD free_sf tag for 1.2 kg to 北京 (¥33.00)');
  });

  it('lets a reviewer override beat a preference', () => {
    const result = pick({
      destination: { province: '北京市' },
      preferred: { carrier: 'SF', source: 'buyer remark' },
      override: { carrier: 'YTO', by: 'reviewer li' },
    });
    expect(result.ok && result.carrier).toBe('YTO');
    expect(result.ok && result.basis).toBe('override');
  });

  it('never follows an override or preference to a carrier that cannot take the parcel, and says why', () => {
    const heavy = { weightG: 45_000, lengthMm: 600, widthMm: 500, heightMm: 400 };
    const result = selectCarrier({
      parcel: heavy,
      origin: HANGZHOU,
      destination: { province: '江苏省' },
      candidates: only('ZTO', 'SF', 'DBKD'),
      override: { carrier: 'ZTO', by: 'reviewer li' },
      preferred: { carrier: 'SF', source: 'buyer remark' },
    });
    expect(result.ok && result.carrier).toBe('SF');
    expect(result.declined).toEqual([
      { kind: 'override', carrier: 'ZTO', source: 'reviewer li', why: 'weighs 45 kg, over its 40 kg limit' },
    ]);
    expect(result.ok && result.reason).toContain(
      'override for ZTO (reviewer li) not followed: weighs 45 kg, over its 40 kg limit',
    );
  });

  it('declines a preference for a carrier the shop has not enabled', () => {
    const result = pick({
      destination: { province: '北京市' },
      candidates: only('ZTO', 'YTO'),
      preferred: { carrier: 'SF', source: 'buyer remark' },
    });
    expect(result.ok && result.carrier).toBe('ZTO');
    expect(result.declined[0]?.why).toBe('not among the shop’s enabled carriers');
  });

  it('uses the seller’s contract rates when given', () => {
    const cheapSf = withOverrides(carrierProfile('SF'), {
      rates: { national: { firstWeightG: 1000, firstFen: 300, additionalUnitG: 1000, additionalFen: 100 } },
    });
    const result = pick({
      destination: { province: '北京市' },
      candidates: [carrierProfile('ZTO'), cheapSf],
    });
    expect(result.ok && result.carrier).toBe('SF');
    expect(result.ok && result.costFen).toBe(400);
  });

  it('returns a typed failure naming the reasons when nothing can carry the parcel', () => {
    const result = selectCarrier({
      parcel: { weightG: 45_000, lengthMm: 600, widthMm: 500, heightMm: 400 },
      origin: HANGZHOU,
      destination: { province: '北京市' },
      candidates: only('ZTO', 'YTO', 'STO'),
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.reason).toBe(
      'no carrier can take 45 kg to 北京: weighs 45 kg, over its 40 kg limit (3 carriers)',
    );
    expect(result.rejected.map((r) => r.carrier)).toEqual(['ZTO', 'YTO', 'STO']);
  });

  it('reports an over-size box separately from weight', () => {
    const result = selectCarrier({
      parcel: { weightG: 3000, lengthMm: 1800, widthMm: 300, heightMm: 300 },
      origin: HANGZHOU,
      destination: { province: '北京市' },
      candidates: only('ZTO', 'DBKD'),
    });
    expect(result.ok && result.carrier).toBe('DBKD');
    expect(result.rejected[0]?.reasons).toEqual([
      {
        code: 'over_size',
        message: 'longest side 1800 mm exceeds 1500 mm',
        why: { code: 'longest_side', params: { sideMm: 1800, maxMm: 1500 } },
      },
    ]);
  });
});

describe('carrierRequestedInRemark', () => {
  it.each([
    ['请发顺丰', 'SF'],
    ['麻烦顺丰到付，谢谢', 'SF'],
    ['只收中通，谢谢', 'ZTO'],
    ['发顺丰快运吧', 'SFKY'],
    ['可以发EMS吗', 'EMS'],
    ['不要发韵达，请发圆通', 'YTO'],
    ['不要发韵达', undefined],
    ['别走中通', undefined],
    ['顺丰的短信收到了', undefined],
    ['请周末送货', undefined],
    ['', undefined],
  ])('%s → %s', (remark, carrier) => {
    expect(carrierRequestedInRemark(remark)).toBe(carrier);
  });
});
