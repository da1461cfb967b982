import { describe, expect, it } from 'vitest';
import { CARRIER_CODES } from '../../domain/carriers/codes.js';
import type { ExternalCodes } from '../../domain/carriers/profile.js';
import { allCarrierProfiles, carrierByExternalCode } from '../../domain/carriers/registry.js';

const SERVICES = ['kuaidi100', 'kdniao', 'cainiao'] as const satisfies ReadonlyArray<keyof ExternalCodes>;

describe('carrier codes in each service', () => {
  it('every carrier has a Kuaidi100 code, so the default aggregator follows all 32', () => {
    expect(allCarrierProfiles()).toHaveLength(32);
    const missing = allCarrierProfiles().filter((p) => !p.codes.kuaidi100);
    expect(missing.map((p) => p.code)).toEqual([]);
  });

  it('every code says where it comes from, and no service has one without a source', () => {
    for (const profile of allCarrierProfiles()) {
      for (const service of SERVICES) {
        expect(profile.codeSources[service] !== undefined, `${profile.code} ${service}`).toBe(
          profile.codes[service] !== undefined,
        );
      }
    }
  });

  it('marks every Cainiao cp_code unverified: none has a source yet', () => {
    const sourced = allCarrierProfiles().filter(
      (p) => p.codes.cainiao && p.codeSources.cainiao !== 'unverified',
    );
    expect(sourced.map((p) => p.code)).toEqual([]);
  });

  it('calls official only the Kuaidi100 codes of its own demo and API-FACTS ✅ rows', () => {
    const official = allCarrierProfiles()
      .filter((p) => p.codeSources.kuaidi100 === 'official')
      .map((p) => p.codes.kuaidi100)
      .sort();
    expect(official).toEqual(
      [
        'debangkuaidi',
        'ems',
        'huitongkuaidi',
        'jd',
        'jtexpress',
        'shansong',
        'shentong',
        'shunfeng',
        'yuantong',
        'yunda',
        'zhaijisong',
        'zhongtong',
      ].sort(),
    );
    expect(allCarrierProfiles().some((p) => p.codeSources.kdniao === 'official')).toBe(false);
  });

  it('maps each code back to exactly one carrier (pushes name the carrier by code)', () => {
    for (const service of SERVICES) {
      const codes = allCarrierProfiles().flatMap((p) => (p.codes[service] ? [p.codes[service]] : []));
      expect(new Set(codes).size, service).toBe(codes.length);
      for (const code of CARRIER_CODES) {
        const external = allCarrierProfiles().find((p) => p.code === code)!.codes[service];
        if (external) expect(carrierByExternalCode(service, external)).toBe(code);
      }
    }
  });

  it('the freight networks have their own codes, not their express sisters’', () => {
    const codes = Object.fromEntries(allCarrierProfiles().map((p) => [p.code, p.codes]));
    expect(codes.YDKY).toMatchObject({ kuaidi100: 'yundakuaiyun', kdniao: 'YDKY' });
    expect(codes.JDKY).toEqual({ kuaidi100: 'jingdongkuaiyun' });
    expect(codes.DANNIAO).toEqual({ kuaidi100: 'danniao' });
    expect(codes.DBL).toMatchObject({ kuaidi100: 'debangwuliu', kdniao: 'DBLKY' });
    expect(codes.DBKD).toMatchObject({ kuaidi100: 'debangkuaidi', kdniao: 'DBL' });
  });
});
