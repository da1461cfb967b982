import { describe, expect, it } from 'vitest';
import { decodeCsv, parseRateTableCsv } from '../../domain/carriers/rate-table-csv.js';

describe('rate table CSV (运费模板 as the branch sends it)', () => {
  it('reads the branch’s sheet: Chinese headers, kilograms and yuan, 其他 for every other province', () => {
    const csv = [
      '\uFEFF目的省份,首重（kg）,首重价格（元）,续重（kg）,续重价格（元）',
      '浙江,1,3.00,1,1',
      '"广东省",0.5,¥4.5,0.5,0.8元',
      '其他,1,8,1,4',
      '',
    ].join('\r\n');
    const parsed = parseRateTableCsv(csv);
    expect(parsed).toEqual({
      ok: true,
      lines: [2, 3, 4],
      table: {
        rows: [
          { province: '浙江', firstWeightG: 1000, firstFen: 300, additionalUnitG: 1000, additionalFen: 100 },
          { province: '广东省', firstWeightG: 500, firstFen: 450, additionalUnitG: 500, additionalFen: 80 },
          { province: '*', firstWeightG: 1000, firstFen: 800, additionalUnitG: 1000, additionalFen: 400 },
        ],
      },
    });
  });

  it('takes English headers in grams and fen, and a sheet pasted with tabs', () => {
    const english = parseRateTableCsv(
      'province,first_weight_g,first_price_fen,additional_unit_g,additional_price_fen\n江苏,1000,300,1000,100\n',
    );
    expect(english.ok && english.table.rows[0]).toEqual({
      province: '江苏',
      firstWeightG: 1000,
      firstFen: 300,
      additionalUnitG: 1000,
      additionalFen: 100,
    });
    const pasted = parseRateTableCsv('省份\t首重\t首重(元)\t续重\t续重(元)\n上海\t1\t3\t1\t1');
    expect(pasted.ok && pasted.table.rows[0]).toMatchObject({ firstWeightG: 1000, firstFen: 300 });
  });

  it('names every bad cell by line and column as the file heads them, and takes nothing', () => {
    const parsed = parseRateTableCsv(
      [
        '目的省份,首重(kg),首重价格(元),续重(kg),续重价格(元)',
        '浙江,1,三元,1,1',
        '江苏,一公斤,3,1,1.005',
      ].join('\n'),
    );
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.issues).toEqual([
      expect.objectContaining({
        line: 2,
        column: 'firstFen',
        heading: '首重价格(元)',
        value: '三元',
        kind: 'not_a_price',
      }),
      expect.objectContaining({ line: 3, column: 'firstWeightG', heading: '首重(kg)', kind: 'not_a_weight' }),
      expect.objectContaining({ line: 3, column: 'additionalFen', value: '1.005', kind: 'not_a_price' }),
    ]);
    expect(!parsed.ok && parsed.issues[0]!.problem).toBe(
      'line 2, 首重价格(元): "三元" is not a price in yuan (such as 3 or 3.50)',
    );
  });

  it('names an unknown or twice-priced province by the file’s lines, and a header missing a column', () => {
    const provinces = parseRateTableCsv(
      ['目的省份,首重,首重价格,续重,续重价格', '', '浙江,1,3,1,1', '火星,1,3,1,1', '浙江省,1,4,1,1'].join(
        '\n',
      ),
    );
    expect(!provinces.ok && provinces.issues).toEqual([
      expect.objectContaining({ line: 4, column: 'province', value: '火星', kind: 'unknown_province' }),
      expect.objectContaining({
        line: 5,
        column: 'province',
        kind: 'priced_twice',
        firstLine: 3,
        problem: 'line 5, 目的省份: 浙江省 is priced twice (lines 3 and 5)',
      }),
    ]);
    const header = parseRateTableCsv('省份,首重,首重价格,续重\n浙江,1,3,1');
    expect(!header.ok && header.issues).toEqual([
      expect.objectContaining({ line: 1, column: 'additionalFen', kind: 'missing_column' }),
    ]);
    expect(!parseRateTableCsv('').ok).toBe(true);
  });
});

describe('decodeCsv', () => {
  it('reads UTF-8 and the GB18030 a Chinese Excel saves plain CSV in', () => {
    expect(decodeCsv(new TextEncoder().encode('浙江,1'))).toBe('浙江,1');
    expect(decodeCsv(Uint8Array.from([0xd5, 0xe3, 0xbd, 0xad, 0x2c, 0x31]))).toBe('浙江,1');
  });
});

describe('a quote’s optional columns: city, origin, surcharge', () => {
  it('reads them, blank cells meaning none, and names a city not of its province', () => {
    const parsed = parseRateTableCsv(
      [
        '目的省份,目的城市,始发省份,首重(kg),首重价格(元),续重(kg),续重价格(元),偏远附加费(元)',
        '广东,深圳,,1,2,1,1,',
        '广东,,浙江,1,4,1,1,',
        '新疆,,,1,9,1,5,3',
      ].join('\n'),
    );
    expect(parsed.ok && parsed.table.rows).toEqual([
      {
        province: '广东',
        city: '深圳',
        firstWeightG: 1000,
        firstFen: 200,
        additionalUnitG: 1000,
        additionalFen: 100,
      },
      {
        province: '广东',
        origin: '浙江',
        firstWeightG: 1000,
        firstFen: 400,
        additionalUnitG: 1000,
        additionalFen: 100,
      },
      {
        province: '新疆',
        firstWeightG: 1000,
        firstFen: 900,
        additionalUnitG: 1000,
        additionalFen: 500,
        surchargeFen: 300,
      },
    ]);
    const wrong = parseRateTableCsv(
      ['省份,城市,首重,首重价格,续重,续重价格,附加费', '广东,杭州,1,2,1,1,', '浙江,杭州,1,2,1,1,两元'].join(
        '\n',
      ),
    );
    expect(!wrong.ok && wrong.issues).toEqual([
      expect.objectContaining({ line: 3, column: 'surchargeFen', heading: '附加费', kind: 'not_a_price' }),
    ]);
    const city = parseRateTableCsv(['省份,城市,首重,首重价格,续重,续重价格', '广东,杭州,1,2,1,1'].join('\n'));
    expect(!city.ok && city.issues).toEqual([
      expect.objectContaining({
        line: 2,
        column: 'city',
        heading: '城市',
        value: '杭州',
        kind: 'unknown_city',
        problem: 'line 2, 城市: 杭州 is not a city of 广东省',
      }),
    ]);
  });
});
