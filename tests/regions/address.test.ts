import { describe, expect, it } from 'vitest';
import {
  provinceCode,
  provinceOfCode,
  regionCodes,
  validateChineseAddress,
} from '../../domain/regions/index.js';

const person = { name: '张三', phone: '13800001234' };
const cn = (province: string, city: string, district: string, detail = '文三路100号') =>
  validateChineseAddress({ ...person, country: 'CN', province, city, district, detail });

describe('validateChineseAddress', () => {
  it('accepts a complete address and returns canonical names and GB/T 2260 codes', () => {
    const result = cn('浙江', '杭州', '西湖');
    expect(result.ok).toBe(true);
    expect(result.normalized).toMatchObject({ province: '浙江省', city: '杭州市', district: '西湖区' });
    expect(result.codes).toEqual({ province: '330000', city: '330100', district: '330106' });
  });

  it('knows districts created after 2021 (杭州 临平区, 钱塘区)', () => {
    expect(cn('浙江省', '杭州市', '临平区').ok).toBe(true);
    expect(cn('浙江省', '杭州市', '钱塘区').ok).toBe(true);
  });

  it('reads autonomous regions and prefectures in their short forms', () => {
    expect(cn('广西', '南宁', '青秀区').normalized.province).toBe('广西壮族自治区');
    const enshi = cn('湖北省', '恩施州', '利川市');
    expect(enshi.ok).toBe(true);
    expect(enshi.normalized.city).toBe('恩施土家族苗族自治州');
    expect(cn('新疆', '伊犁', '伊宁市').normalized.city).toBe('伊犁哈萨克自治州');
  });

  it('handles 直辖市 written as Taobao does (北京/北京市/朝阳区) and as JD does (district in the city field)', () => {
    const taobao = cn('北京', '北京市', '朝阳区');
    expect(taobao.ok).toBe(true);
    expect(taobao.normalized).toMatchObject({ province: '北京市', city: '北京市', district: '朝阳区' });
    expect(taobao.codes).toEqual({ province: '110000', city: '110100', district: '110105' });

    const jd = cn('北京', '朝阳区', '三环到四环之间');
    expect(jd.ok).toBe(true);
    expect(jd.normalized).toMatchObject({ city: '北京市', district: '朝阳区', town: '三环到四环之间' });

    expect(cn('上海', '市辖区', '浦东').normalized.district).toBe('浦东新区');
    expect(cn('重庆', '重庆市', '城口县').codes.district).toBe('500229');
  });

  it('accepts 省直辖县级 cities with no district, however the platform writes them', () => {
    const jiyuan = cn('河南省', '济源市', '');
    expect(jiyuan.ok).toBe(true);
    expect(jiyuan.codes).toEqual({ province: '410000', city: '419001' });
    const grouped = cn('河南省', '省直辖县级行政区划', '济源市');
    expect(grouped.ok).toBe(true);
    expect(grouped.normalized).toMatchObject({ city: '济源市', district: '' });
    for (const city of ['仙桃市', '潜江市', '天门市']) expect(cn('湖北', city, '').ok).toBe(true);
    expect(cn('湖北', '仙桃市', '干河街道').normalized.district).toBe('干河街道');
  });

  it('accepts cities without districts (东莞, 中山, 儋州, 嘉峪关) with or without a town', () => {
    expect(cn('广东省', '东莞市', '').ok).toBe(true);
    const changan = cn('广东省', '东莞市', '长安镇');
    expect(changan.ok).toBe(true);
    expect(changan.codes.district).toBe('441900119');
    expect(cn('广东', '中山市', '石岐街道').ok).toBe(true);
    expect(cn('海南', '儋州市', '那大镇').ok).toBe(true);
    expect(cn('甘肃', '嘉峪关市', '嘉峪关市').normalized.district).toBe('');
  });

  it('finds the prefecture of a county-level city written as the city', () => {
    const yiwu = cn('浙江', '义乌市', '');
    expect(yiwu.ok).toBe(true);
    expect(yiwu.normalized).toMatchObject({ city: '金华市', district: '义乌市' });
  });

  it('names each problem by field: unknown province, city in another province, unknown or missing district', () => {
    expect(cn('火星省', '杭州市', '西湖区').problems).toEqual([
      { field: 'province', code: 'unknown', problem: 'is not a province of China: "火星省"' },
    ]);
    const wrongProvince = cn('浙江省', '苏州市', '姑苏区');
    expect(wrongProvince.ok).toBe(false);
    expect(wrongProvince.problems[0]).toMatchObject({ field: 'city', code: 'unknown' });
    expect(wrongProvince.problems[0]!.problem).toContain('苏州市 is in 江苏省');
    expect(cn('浙江省', '杭州市', '朝阳区').problems).toEqual([
      { field: 'district', code: 'unknown', problem: 'is not a district of 杭州市: "朝阳区"' },
    ]);
    expect(cn('浙江省', '杭州市', '').problems[0]).toMatchObject({ field: 'district', code: 'missing' });
    expect(cn('浙江省', '', '').problems[0]).toMatchObject({ field: 'city', code: 'missing' });
  });

  it('flags an incomplete street address and a phone that is no phone number', () => {
    const result = validateChineseAddress({
      name: '张三',
      phone: '12',
      province: '浙江省',
      city: '杭州市',
      district: '西湖区',
      detail: '浙江省杭州市西湖区',
    });
    expect(result.problems.map((p) => `${p.field}:${p.code}`)).toEqual(['phone:format', 'detail:too_short']);
    expect(cn('浙江省', '杭州市', '西湖区', '').problems[0]).toMatchObject({
      field: 'detail',
      code: 'missing',
    });
  });

  it('does not check the format of masked receivers (Taobao OAID, PDD ciphertext)', () => {
    const masked = validateChineseAddress({
      name: '张*',
      phone: '138****1234',
      province: '浙江省',
      city: '杭州市',
      district: '西湖区',
      detail: '文**路**号',
      protected: true,
    });
    expect(masked.ok).toBe(true);
  });

  it('checks only country code and required fields for cross-border receivers', () => {
    const us = validateChineseAddress({
      ...person,
      country: 'US',
      province: 'CA',
      city: 'Los Angeles',
      detail: '1 Main St',
      postalCode: '90001',
    });
    expect(us.ok).toBe(true);
    expect(us.codes).toEqual({});
    const sg = validateChineseAddress({ ...person, country: 'SG', province: 'SG', detail: '1 Orchard Rd' });
    expect(sg.problems).toEqual([
      { field: 'postalCode', code: 'missing', problem: 'is missing (required for SG)' },
    ]);
    const bad = validateChineseAddress({ ...person, country: 'ZZ', province: 'x', detail: '' });
    expect(bad.problems.map((p) => p.field)).toEqual(['country', 'city', 'detail']);
  });
});

describe('region codes', () => {
  it('finds province codes from any common spelling, and the province of a code', () => {
    expect(provinceCode('浙江')).toBe('330000');
    expect(provinceCode('内蒙古')).toBe('150000');
    expect(provinceCode('宁夏回族自治区')).toBe('640000');
    expect(provinceCode('香港')).toBe('810000');
    expect(provinceCode('火星')).toBeUndefined();
    expect(provinceOfCode('330106')).toEqual({ code: '330000', name: '浙江省' });
    expect(regionCodes({ province: '江苏', city: '苏州', district: '姑苏区' })).toEqual({
      province: '320000',
      city: '320500',
      district: '320508',
    });
  });
});
