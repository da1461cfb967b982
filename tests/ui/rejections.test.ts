import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { stoppedCarriers } from '../../domain/carriers/account-selection.js';
import { carrierProfile, allCarrierProfiles } from '../../domain/carriers/registry.js';
import type { Rejection } from '../../domain/carriers/quote.js';
import { selectCarrier } from '../../domain/carriers/select.js';
import { accountPricing, type WaybillAccount } from '../../domain/carriers/waybill-account.js';
import { REJECTION_CODE_ZH, REJECTION_WHY_ZH, rejectionZh } from '../../ui/src/i18n/rejections.js';

/**
 * 运费试算's rejected carriers read in Chinese: every finer reason carrier selection gives
 * (`RejectionWhy` in domain/carriers/quote.ts) has Chinese, and the reasons real selections give
 * read without the API's English frame.
 */
const HANGZHOU = { province: '浙江省', city: '杭州市' };
const small = { weightG: 800, lengthMm: 300, widthMm: 200, heightMm: 100 };

/** What is left when the kept particulars (carrier codes, country codes, numbers, units) are taken out. */
const english = (text: string) =>
  text.replace(/\b[A-Z]{2,}\b|\d+(\.\d+)?|kg/g, '').match(/[A-Za-z]{3,}/g) ?? [];

function rejections(input: Parameters<typeof selectCarrier>[0]): Rejection[] {
  return selectCarrier(input).rejected.flatMap((r) => r.reasons);
}

describe('rejected carriers in Chinese', () => {
  it('has Chinese for every finer reason and every kind the domain declares', () => {
    const source = readFileSync('domain/carriers/quote.ts', 'utf8');
    const union = source.slice(source.indexOf('export type RejectionWhy'));
    const whys = [...union.slice(0, union.indexOf(';\n')).matchAll(/code: '([a-z_]+)'/g)].map((m) => m[1]!);
    expect(whys.length).toBeGreaterThan(10);
    expect(whys.filter((c) => !REJECTION_WHY_ZH[c])).toEqual([]);
    const kinds = source.slice(
      source.indexOf('export type RejectionCode'),
      source.indexOf('export interface Rejection'),
    );
    const codes = [...kinds.matchAll(/\| '([a-z_]+)'/g)].map((m) => m[1]!);
    expect(codes.length).toBeGreaterThan(5);
    expect(codes.filter((c) => !REJECTION_CODE_ZH[c])).toEqual([]);
  });

  it('says what real selections give without the English frame, particulars kept', () => {
    const seen: string[] = [];
    const say = (rs: Rejection[]) => rs.map((r) => (seen.push(r.why?.code ?? r.code), rejectionZh(r)));

    const heavy = say(
      rejections({
        parcel: { ...small, weightG: 80_000, lengthMm: 1800 },
        origin: HANGZHOU,
        destination: { province: '北京市' },
        candidates: [carrierProfile('ZTO')],
      }),
    );
    expect(heavy).toContain('包裹 80kg，超过限重 40kg');
    expect(heavy).toContain('最长边 1800 毫米，超过 1500 毫米');
    const cold = say(
      rejections({
        parcel: { ...small, needs: ['cold_chain'] },
        origin: HANGZHOU,
        destination: { province: '北京市' },
        candidates: [carrierProfile('ZTO')],
      }),
    );
    expect(cold).toEqual(['不提供冷链服务']);
    const sameCity = say(
      rejections({
        parcel: { ...small, needs: ['same_city'] },
        origin: HANGZHOU,
        destination: { province: '浙江省', city: '宁波市' },
        candidates: [carrierProfile('SHANSONG')],
      }),
    );
    expect(sameCity).toContain('只送同城');
    const abroad = say(
      rejections({
        parcel: { weightG: 2000, lengthMm: 300, widthMm: 200, heightMm: 100 },
        origin: HANGZHOU,
        destination: { country: 'US', province: 'WA', city: 'Seattle' },
        candidates: allCarrierProfiles(),
      }),
    );
    expect(abroad).toContain('不送美国');
    expect(abroad).toContain('不在中国揽收');
    const far = say(
      rejections({
        parcel: small,
        origin: HANGZHOU,
        destination: { province: '西藏自治区', city: '拉萨市' },
        candidates: allCarrierProfiles().filter((p) => p.kind !== 'international'),
      }),
    );
    expect(far.some((t) => /^不送西藏/.test(t))).toBe(true);

    // The shop's accounts: a table that leaves the province out, and every account stopped.
    const account = (over: Partial<WaybillAccount>): WaybillAccount => ({
      id: 'wba_1',
      shopId: 's',
      warehouseCode: null,
      carrier: 'YTO',
      service: 'cainiao',
      name: '圆通杭州',
      branchCode: null,
      branchName: null,
      monthlyAccount: null,
      productType: null,
      priority: 0,
      enabled: true,
      balance: 100,
      balanceCheckedAt: null,
      lowBalanceAt: 0,
      state: 'ok',
      stateReason: null,
      rateTable: null,
      labelSize: '100x150',
      ...over,
    });
    const unpriced = accountPricing(
      [
        account({
          rateTable: [
            {
              provinceCode: '330000',
              province: '浙江省',
              firstWeightG: 1000,
              firstFen: 500,
              additionalUnitG: 1000,
              additionalFen: 100,
            },
          ],
        }),
      ],
      'YTO',
      { province: '广东省' },
      small,
      8000,
    );
    expect(unpriced.kind).toBe('unpriced');
    if (unpriced.kind === 'unpriced') {
      const words = rejectionZh({ code: 'no_rate', message: unpriced.reason, why: unpriced.why });
      expect(words).toBe('YTO账号的运费模板都没有广东省的价格（圆通杭州）');
      seen.push(unpriced.why.code);
    }
    const stopped = stoppedCarriers(
      [{ account: { carrier: 'YTO', rateOverrides: {} }, profile: carrierProfile('YTO') }],
      [account({ state: 'no_balance', stateReason: '余额不足' })],
    ).get('YTO');
    expect(stopped && rejectionZh({ code: 'no_waybill_account', ...stopped })).toBe(
      '本店YTO的面单账号都已停用（圆通杭州）',
    );
    seen.push(stopped?.why.code ?? '');

    for (const text of [...heavy, ...cold, ...sameCity, ...abroad, ...far])
      expect(english(text), text).toEqual([]);
    expect(new Set(seen).size).toBeGreaterThanOrEqual(8);
  });

  it('says a reason without a finer code by its kind, the API’s words kept', () => {
    expect(rejectionZh({ code: 'untracked', message: 'no tracking service follows DANNIAO' })).toBe(
      '没有可用的物流跟踪服务（no tracking service follows DANNIAO）',
    );
    expect(rejectionZh({ code: 'something_new', message: 'as the API said' })).toBe('as the API said');
  });
});
