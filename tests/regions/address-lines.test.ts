import { describe, expect, it } from 'vitest';
import {
  latinProvince,
  regionFromAddressLines,
  resolveProvince,
  validateChineseAddress,
} from '../../domain/regions/index.js';

describe('resolveProvince: provinces as shops built for the world write them', () => {
  it.each([
    ['浙江省', '浙江省'],
    ['浙江', '浙江省'],
    ['Zhejiang', '浙江省'],
    ['ZJ', '浙江省'],
    ['CN-ZJ', '浙江省'],
    ['zhejiang sheng', '浙江省'],
    ['Inner Mongolia', '内蒙古自治区'],
    ['Nei Mongol', '内蒙古自治区'],
    ['Guangxi Zhuang Autonomous Region', '广西壮族自治区'],
    ['Ningxia Hui', '宁夏回族自治区'],
    ['Tibet', '西藏自治区'],
    ['XZ', '西藏自治区'],
    ['Shanxi', '山西省'],
    ['Shaanxi', '陕西省'],
    ['Beijing Shi', '北京市'],
    ['Macau', '澳门特别行政区'],
    ['330000', '浙江省'],
  ])('%s → %s', (text, name) => expect(resolveProvince(text)?.name).toBe(name));

  it('names none for what is no province', () => {
    for (const text of ['', 'California', 'Mars', 'ZZ', 'CN12', '999999']) {
      expect(resolveProvince(text), text).toBeUndefined();
    }
    expect(latinProvince('西藏自治区')).toEqual({ name: 'Xizang', iso: 'XZ' });
  });
});

describe('regionFromAddressLines', () => {
  it.each([
    // province, city field, address lines → province, city, district
    ['Zhejiang', '杭州市', ['西湖区文三路100号'], '浙江省', '杭州市', '西湖区'],
    ['浙江', '杭州', ['西湖 文三路100号'], '浙江省', '杭州市', '西湖区'],
    ['Zhejiang', 'Hangzhou', ['浙江省杭州市西湖区文三路100号'], '浙江省', '杭州市', '西湖区'],
    ['', '', ['浙江省杭州市西湖区文三路100号'], '浙江省', '杭州市', '西湖区'],
    ['Zhejiang', 'Hangzhou', ['西湖区文三路100号'], '浙江省', '杭州市', '西湖区'],
    ['Zhejiang', '杭州市西湖区', ['文三路100号'], '浙江省', '杭州市', '西湖区'],
    ['Zhejiang', '杭州市', ['钱塘区下沙街道1号'], '浙江省', '杭州市', '钱塘区'],
    // 县级市 under a prefecture: in the lines, or written as the city.
    ['Zhejiang', '金华市', ['义乌市稠城街道工人北路1号'], '浙江省', '金华市', '义乌市'],
    ['Zhejiang', '义乌市', ['稠城街道工人北路1号'], '浙江省', '金华市', '义乌市'],
    ['Guangdong', '深圳市', ['南山区科技园南路1号'], '广东省', '深圳市', '南山区'],
    // 直辖市: the province is the city; the district may be in the city field.
    ['Beijing', '北京市', ['朝阳区望京街1号'], '北京市', '北京市', '朝阳区'],
    ['Beijing', '朝阳区', ['望京街1号'], '北京市', '北京市', '朝阳区'],
    ['Shanghai', '上海', ['浦东世纪大道1号'], '上海市', '上海市', '浦东新区'],
    ['Tianjin', 'Tianjin', ['天津市和平区南京路1号'], '天津市', '天津市', '和平区'],
    ['Chongqing', '重庆市', ['城口县葛城街道1号'], '重庆市', '重庆市', '城口县'],
    // 省直辖县: no district level.
    ['Henan', '济源市', ['沁园街道济源大道1号'], '河南省', '济源市', ''],
    ['Henan', 'Jiyuan', ['济源市沁园街道济源大道1号'], '河南省', '济源市', ''],
    ['Hubei', '仙桃', ['干河街道汉江路1号'], '湖北省', '仙桃市', ''],
    ['Xinjiang', '石河子市', ['新城街道北一路1号'], '新疆维吾尔自治区', '石河子市', ''],
    // Prefecture cities without districts go straight to the town.
    ['Guangdong', '东莞市', ['长安镇长安振安中路1号'], '广东省', '东莞市', ''],
    // Short forms of autonomous prefectures and regions.
    ['Hubei', '恩施州', ['利川市都亭街道1号'], '湖北省', '恩施土家族苗族自治州', '利川市'],
    ['Inner Mongolia', '呼和浩特', ['赛罕区昭乌达路1号'], '内蒙古自治区', '呼和浩特市', '赛罕区'],
    // The same name in another province (长春 朝阳区, not 北京): the province decides.
    ['Jilin', '吉林省长春市', ['朝阳区人民大街1号'], '吉林省', '长春市', '朝阳区'],
  ])('%s / %s / %j → %s %s %s', (province, city, lines, ...expected) => {
    const region = regionFromAddressLines({ province, city, lines });
    expect([region.province, region.city, region.district]).toEqual(expected);
  });

  it.each([
    ['a road named like the district', 'Zhejiang', '杭州市', ['西湖大道1号']],
    ['a gate named like the district', 'Beijing', '北京市', ['朝阳门外大街1号']],
    ['a district of another city', 'Zhejiang', '杭州市', ['鄞州区天童南路1号']],
    ['no district at all', 'Zhejiang', '杭州市', ['文三路100号']],
  ])('finds no district in %s', (_case, province, city, lines) => {
    expect(regionFromAddressLines({ province, city, lines }).district).toBe('');
  });

  it('keeps what it cannot resolve as given: a pinyin city with no Chinese in the lines, an ambiguous district', () => {
    expect(
      regionFromAddressLines({ province: 'Zhejiang', city: 'Hangzhou', lines: ['100 Wensan Rd'] }),
    ).toEqual({ province: '浙江省', city: 'Hangzhou', district: '' });
    // 鼓楼区 is in both 南京 and 徐州.
    expect(
      regionFromAddressLines({ province: 'Jiangsu', city: 'Nanjing', lines: ['鼓楼区中山北路1号'] }),
    ).toEqual({ province: '江苏省', city: 'Nanjing', district: '' });
    expect(regionFromAddressLines({ province: 'Atlantis', city: 'X', lines: ['1 Main St'] })).toEqual({
      province: 'Atlantis',
      city: 'X',
      district: '',
    });
  });
});

describe('the address check on a missing district', () => {
  const hangzhou = { province: '浙江省', city: '杭州市', district: '' };
  const check = (detail: string) =>
    validateChineseAddress({ name: '李四', phone: '13912345678', ...hangzhou, detail }).problems;

  it('says the district could not be found in the address lines, or which one they name', () => {
    expect(check('文三路100号')).toEqual([
      {
        field: 'district',
        code: 'missing',
        problem: 'is missing and could not be found in the address lines (a district of 杭州市)',
      },
    ]);
    expect(check('浙江省杭州市西湖区文三路100号')).toEqual([
      {
        field: 'district',
        code: 'missing',
        problem: 'is missing (the address lines name 西湖区, a district of 杭州市)',
      },
    ]);
  });
});
