import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CarrierActivities } from '../../activities/carriers/activities.js';
import { upsertCarrierAccount } from '../../db/queries/carriers.js';
import { XLSX_TYPE } from '../../domain/carriers/rate-table-xlsx.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { createShop } from '../support/fixtures.js';
import { createHarness, type Harness } from '../support/harness.js';
import { RECEIVER, SENDER, accountCarrierActivities, startBranchSandbox } from './support.js';

const SESSION = 'seller-session-rates';
const parcel = { weightG: 1200, lengthMm: 200, widthMm: 150, heightMm: 100 };

/** 首重 1 kg at `first` yuan, 续重 per kg at `extra` yuan. */
const row = (province: string, first: number, extra: number) => ({
  province,
  firstWeightG: 1000,
  firstFen: first * 100,
  additionalUnitG: 1000,
  additionalFen: extra * 100,
});

describe('rate tables per waybill account', () => {
  let h: Harness;
  let api: FastifyInstance;
  let server: FastifyInstance;
  let activities: CarrierActivities;
  let shopId: string;
  let ops: { authorization: string };
  let warehouse: { authorization: string };
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    const carriers = await startBranchSandbox({
      appKey: '20000002',
      sessions: [SESSION],
      branches: [
        { session: SESSION, carrier: 'ZTO', code: '571001', name: '中通杭州西湖网点', quantity: 50 },
        { session: SESSION, carrier: 'ZTO', code: '571002', name: '中通杭州余杭网点', quantity: 50 },
        { session: SESSION, carrier: 'YTO', code: '572001', name: '圆通杭州网点', quantity: 50 },
      ],
    });
    server = carriers.server;
    h = await createHarness(carriers.config);
    api = await h.api();
    shopId = await createShop(h.db);
    ops = bearer(await apiKeyFor(h.db, ['ops']));
    warehouse = bearer(await apiKeyFor(h.db, ['warehouse']));
    for (const carrier of ['ZTO', 'YTO'] as const)
      await upsertCarrierAccount(h.db, shopId, { carrier, waybillChannel: 'cainiao', sender: SENDER });
    for (const [name, carrier, branchCode] of [
      ['西湖', 'ZTO', '571001'],
      ['余杭', 'ZTO', '571002'],
      ['圆通', 'YTO', '572001'],
    ] as const) {
      const res = await api.inject({
        method: 'POST',
        url: `/shops/${shopId}/waybill-accounts`,
        headers: ops,
        payload: { carrier, service: 'cainiao', name, branchCode, credentials: { session: SESSION } },
      });
      expect(res.statusCode, res.body).toBe(201);
      ids[name] = res.json().id;
    }
    activities = accountCarrierActivities(h);
  });
  afterAll(async () => {
    await server.close();
    await h.teardown();
  });

  const putRates = (account: string, body: unknown, headers = ops) =>
    api.inject({
      method: 'PUT',
      url: `/shops/${shopId}/waybill-accounts/${ids[account] ?? account}/rates`,
      headers,
      payload: body as Record<string, unknown>,
    });

  it('takes a table by province, refusing a bad one with the field named', async () => {
    const badProvince = await putRates('西湖', { rows: [row('浙江省', 3, 1), row('火星', 9, 9)] });
    expect(badProvince.statusCode).toBe(400);
    expect(badProvince.json().issues).toEqual([
      expect.objectContaining({ field: 'body.rows.1.province', problem: expect.stringContaining('火星') }),
    ]);
    const twice = await putRates('西湖', { rows: [row('浙江', 3, 1), row('浙江省', 4, 1)] });
    expect(twice.statusCode).toBe(400);
    expect(twice.json().issues[0]).toMatchObject({ field: 'body.rows.1.province' });
    const negative = await putRates('西湖', { rows: [{ ...row('浙江', 3, 1), firstFen: -1 }] });
    expect(negative.statusCode).toBe(400);
    expect(negative.json().issues[0]).toMatchObject({ field: 'body.rows.0.firstFen' });
    expect((await putRates('西湖', { rows: [] })).json().issues[0]).toMatchObject({ field: 'body.rows' });
    expect((await putRates('wba_nope', { rows: [row('*', 5, 1)] })).statusCode).toBe(404);
    expect((await putRates('西湖', { rows: [row('*', 5, 1)] }, warehouse)).statusCode).toBe(403);

    const saved = await putRates('西湖', { rows: [row('浙江', 3, 1), row('*', 8, 4)] });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json().rateTable).toEqual([
      {
        provinceCode: '33',
        province: '浙江省',
        firstWeightG: 1000,
        firstFen: 300,
        additionalUnitG: 1000,
        additionalFen: 100,
      },
      {
        provinceCode: '*',
        province: '*',
        firstWeightG: 1000,
        firstFen: 800,
        additionalUnitG: 1000,
        additionalFen: 400,
      },
    ]);
    const listed = await api.inject({
      method: 'GET',
      url: `/shops/${shopId}/waybill-accounts`,
      headers: warehouse,
    });
    expect(listed.json().accounts.find((a: { id: string }) => a.id === ids['西湖']).rateTable).toHaveLength(
      2,
    );
  });

  const putCsv = (account: string, csv: string, headers = ops) =>
    api.inject({
      method: 'PUT',
      url: `/shops/${shopId}/waybill-accounts/${ids[account] ?? account}/rates/csv`,
      headers: { ...headers, 'content-type': 'text/csv' },
      payload: csv,
    });

  it('takes the branch’s CSV, refusing a bad cell with its line and column and changing nothing', async () => {
    const bad = await putCsv(
      '余杭',
      ['目的省份,首重(kg),首重价格(元),续重(kg),续重价格(元)', '浙江,1,三元,1,1', '火星,1,3,1,1'].join('\n'),
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.json().issues).toEqual([
      {
        field: 'body.lines.2.firstFen',
        problem: 'line 2, 首重价格(元): "三元" is not a price in yuan (such as 3 or 3.50)',
        code: 'rate_csv_not_a_price',
        params: { line: 2, column: '首重价格(元)', value: '三元' },
      },
    ]);
    const unknown = await putCsv(
      '余杭',
      ['目的省份,首重(kg),首重价格(元),续重(kg),续重价格(元)', '浙江,1,3,1,1', '火星,1,3,1,1'].join('\n'),
    );
    expect(unknown.json().issues).toEqual([
      expect.objectContaining({ field: 'body.lines.3.province', code: 'rate_csv_unknown_province' }),
    ]);
    const before = await api.inject({
      method: 'GET',
      url: `/shops/${shopId}/waybill-accounts`,
      headers: ops,
    });
    expect(before.json().accounts.find((a: { id: string }) => a.id === ids['余杭']).rateTable).toBeNull();
    expect((await putCsv('余杭', '浙江,1,3,1,1', warehouse)).statusCode).toBe(403);
    expect((await putCsv('wba_nope', '目的省份,首重,首重价格,续重,续重价格\n浙江,1,3,1,1')).statusCode).toBe(
      404,
    );

    const saved = await putCsv(
      '余杭',
      '\uFEFF目的省份,首重(kg),首重价格(元),续重(kg),续重价格(元)\r\n浙江,1,3,1,1.5\r\n',
    );
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json().rateTable).toEqual([
      {
        provinceCode: '33',
        province: '浙江省',
        firstWeightG: 1000,
        firstFen: 300,
        additionalUnitG: 1000,
        additionalFen: 150,
      },
    ]);
    // A JSON table refused afterwards leaves the CSV's in place.
    expect((await putRates('余杭', { rows: [] })).statusCode).toBe(400);
    const kept = await api.inject({ method: 'GET', url: `/shops/${shopId}/waybill-accounts`, headers: ops });
    expect(kept.json().accounts.find((a: { id: string }) => a.id === ids['余杭']).rateTable).toHaveLength(1);
    expect(
      (
        await api.inject({
          method: 'DELETE',
          url: `/shops/${shopId}/waybill-accounts/${ids['余杭']}/rates`,
          headers: ops,
        })
      ).statusCode,
    ).toBe(200);
  });

  it('takes the branch’s workbook (.xlsx) as it takes the CSV, naming a refused row by its row number', async () => {
    const book = async (rows: unknown[][]) => {
      const wb = new ExcelJS.Workbook();
      const sheet = wb.addWorksheet('报价单');
      for (const r of rows) sheet.addRow(r);
      return Buffer.from(await wb.xlsx.writeBuffer());
    };
    const putXlsx = async (account: string, bytes: Buffer) =>
      api.inject({
        method: 'PUT',
        url: `/shops/${shopId}/waybill-accounts/${ids[account] ?? account}/rates/xlsx`,
        headers: { ...ops, 'content-type': XLSX_TYPE },
        payload: bytes,
      });
    const header = ['中通网点报价单'];
    const columns = ['目的省份', '首重(kg)', '首重价格(元)', '续重(kg)', '续重价格(元)'];
    const bad = await putXlsx(
      '余杭',
      await book([header, columns, ['浙江', 1, 3, 1, 1], ['火星', 1, 3, 1, 1]]),
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.json().issues).toEqual([
      expect.objectContaining({
        field: 'body.lines.4.province',
        code: 'rate_csv_unknown_province',
        params: { line: 4, column: '目的省份', value: '火星' },
      }),
    ]);
    const notBook = await putXlsx('余杭', Buffer.from('目的省份,首重\n'));
    expect(notBook.json().issues).toEqual([expect.objectContaining({ code: 'rate_csv_not_a_workbook' })]);
    const saved = await putXlsx('余杭', await book([header, columns, ['浙江', 1, 3, 1, 1.5]]));
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json().rateTable).toEqual([
      {
        provinceCode: '33',
        province: '浙江省',
        firstWeightG: 1000,
        firstFen: 300,
        additionalUnitG: 1000,
        additionalFen: 150,
      },
    ]);
    const removed = await api.inject({
      method: 'DELETE',
      url: `/shops/${shopId}/waybill-accounts/${ids['余杭']}/rates`,
      headers: ops,
    });
    expect(removed.statusCode).toBe(200);
  });

  it('takes weight bands as columns headed by their range from the CSV and the workbook; a malformed band is a 400 naming its row and column; .xls is a 415', async () => {
    const BANDED = ['目的省份', '0-0.5kg', '0.5-1kg', '1-2kg', '续重(kg)', '续重价格(元)'];
    const putXlsx = async (bytes: Buffer, type = XLSX_TYPE) =>
      api.inject({
        method: 'PUT',
        url: `/shops/${shopId}/waybill-accounts/${ids['余杭']}/rates/xlsx`,
        headers: { ...ops, 'content-type': type },
        payload: bytes,
      });
    const stored = {
      provinceCode: '44',
      province: '广东省',
      bands: [
        { upToG: 500, fen: 300 },
        { upToG: 1000, fen: 350 },
        { upToG: 2000, fen: 450 },
      ],
      additionalUnitG: 1000,
      additionalFen: 120,
    };

    const gap = await putCsv(
      '余杭',
      ['目的省份,0-0.5kg,1-2kg,续重(kg),续重价格(元)', '广东,3,4.5,1,1.2'].join('\n'),
    );
    expect(gap.statusCode).toBe(400);
    expect(gap.json().issues).toEqual([
      expect.objectContaining({
        field: 'body.lines.1.bands.1',
        code: 'rate_csv_bad_band',
        params: expect.objectContaining({ line: 1, column: '1-2kg' }),
      }),
    ]);
    const partly = await putCsv('余杭', [BANDED.join(','), '广东,3,,4.5,1,1.2'].join('\n'));
    expect(partly.json().issues).toEqual([
      expect.objectContaining({
        field: 'body.lines.2.bands.1',
        code: 'rate_csv_band_missing',
        params: { line: 2, column: '0.5-1kg', value: '' },
      }),
    ]);
    const csv = await putCsv('余杭', [BANDED.join(','), '广东,3,3.5,4.5,1,1.2'].join('\n'));
    expect(csv.statusCode, csv.body).toBe(200);
    expect(csv.json().rateTable).toEqual([expect.objectContaining(stored)]);

    const wb = new ExcelJS.Workbook();
    const sheet = wb.addWorksheet('报价单');
    for (const r of [['按重量段报价'], BANDED, ['广东', 3, 3.5, 4.5, 1, 1.2], ['浙江', 3, '三块', 4, 1, 1]])
      sheet.addRow(r);
    const badBook = await putXlsx(Buffer.from(await wb.xlsx.writeBuffer()));
    expect(badBook.statusCode).toBe(400);
    expect(badBook.json().issues).toEqual([
      expect.objectContaining({
        field: 'body.lines.4.bands.1',
        code: 'rate_csv_not_a_price',
        params: { line: 4, column: '0.5-1kg', value: '三块' },
      }),
    ]);
    sheet.spliceRows(4, 1);
    const book = await putXlsx(Buffer.from(await wb.xlsx.writeBuffer()));
    expect(book.statusCode, book.body).toBe(200);
    expect(book.json().rateTable).toEqual([expect.objectContaining(stored)]);

    // An old .xls (an OLE2 compound file) is refused, however it is labelled, saying what to do.
    const xls = Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(504)]);
    for (const res of [
      await putXlsx(xls, 'application/vnd.ms-excel'),
      await putXlsx(xls),
      await api.inject({
        method: 'PUT',
        url: `/shops/${shopId}/waybill-accounts/${ids['余杭']}/rates/csv`,
        headers: { ...ops, 'content-type': 'text/csv' },
        payload: xls,
      }),
    ]) {
      expect(res.statusCode).toBe(415);
      expect(res.json()).toMatchObject({
        code: 'OLD_EXCEL_WORKBOOK',
        message: expect.stringMatching(/\.xls\) cannot be read.*另存为/),
      });
    }
    const kept = await api.inject({ method: 'GET', url: `/shops/${shopId}/waybill-accounts`, headers: ops });
    expect(kept.json().accounts.find((a: { id: string }) => a.id === ids['余杭']).rateTable).toEqual([
      expect.objectContaining(stored),
    ]);
    const removed = await api.inject({
      method: 'DELETE',
      url: `/shops/${shopId}/waybill-accounts/${ids['余杭']}/rates`,
      headers: ops,
    });
    expect(removed.statusCode).toBe(200);
  });

  it('prices carriers with the cheapest account’s table, leaves out a carrier no table prices, and says where prices come from', async () => {
    await putRates('圆通', { rows: [row('浙江', 4, 1)] });
    // To 浙江: ZTO's 西湖 table (¥3 + ¥1) beats YTO's (¥4 + ¥1).
    const local = await activities.chooseCarrier({
      shopId,
      parcel,
      origin: { province: '浙江省' },
      destination: { province: '浙江省', city: '杭州市' },
    });
    expect(local).toMatchObject({ ok: true, carrier: 'ZTO', costFen: 400 });
    expect(local.ok && local.reason).toBe(
      'ZTO: cheapest of 2 carriers covering 浙江 for 1.2 kg (¥4.00, rate table of waybill account 西湖 (首重1kg ¥3.00，续重每1kg ¥1.00))',
    );
    // To 广东: YTO's only account has a table without 广东 — YTO is not priced from list prices.
    const far = await activities.chooseCarrier({
      shopId,
      parcel,
      origin: { province: '浙江省' },
      destination: { province: '广东省', city: '广州市' },
    });
    expect(far).toMatchObject({ ok: true, carrier: 'ZTO', costFen: 1200 });
    expect(far.rejected).toEqual([
      {
        carrier: 'YTO',
        reasons: [
          {
            code: 'no_rate',
            message: "no YTO account's rate table prices 广东省 (圆通)",
            why: { code: 'no_table_price', params: { carrier: 'YTO', province: '广东省', accounts: '圆通' } },
          },
        ],
      },
    ]);
    // The seller edits YTO's table: now YTO is cheaper to 广东 and is chosen.
    await putRates('圆通', { rows: [row('浙江', 4, 1), row('广东', 5, 1)] });
    const edited = await activities.chooseCarrier({
      shopId,
      parcel,
      origin: { province: '浙江省' },
      destination: { province: '广东省', city: '广州市' },
    });
    expect(edited).toMatchObject({ ok: true, carrier: 'YTO', costFen: 600 });
  });

  it('issues from the account whose table is cheaper for the parcel when priorities are equal; without tables the registry prices are named as invented', async () => {
    // 余杭 charges less than 西湖 to 浙江 (¥2 + ¥1): it issues the waybill.
    await putRates('余杭', { rows: [row('浙江', 2, 1)] });
    const waybill = await activities.issueWaybill({
      shopId,
      shipmentId: `shipment:rates:${Date.now()}`,
      carrier: 'ZTO',
      receiver: {
        protected: false,
        ...RECEIVER,
        address: { ...RECEIVER.address, province: '浙江省', city: '杭州市', district: '西湖区' },
      },
      parcel: { weightG: 1200, items: [{ name: '纯棉T恤', quantity: 1 }] },
      orderIds: ['RATES-1'],
    });
    expect(waybill.accountId).toBe(ids['余杭']);

    // YTO's table removed: its price is the registry's, and the reason says so.
    const removed = await api.inject({
      method: 'DELETE',
      url: `/shops/${shopId}/waybill-accounts/${ids['圆通']}/rates`,
      headers: ops,
    });
    expect(removed.statusCode).toBe(200);
    expect(removed.json().rateTable).toBeNull();
    const choice = await activities.chooseCarrier({
      shopId,
      parcel,
      origin: { province: '浙江省' },
      destination: { province: '浙江省', city: '杭州市' },
      override: { carrier: 'YTO', by: 'reviewer' },
    });
    expect(choice.ok && choice.reason).toMatch(
      /^YTO: chosen by reviewer for 1\.2 kg to 浙江 \(¥[\d.]+, registry list price \(an invented default, not a contract\)\)$/,
    );
  });

  it('prices a city apart, by the warehouse’s province and with the table’s own remote surcharge instead of the registry’s', async () => {
    const saved = await putCsv(
      '圆通',
      [
        '目的省份,目的城市,始发省份,首重(kg),首重价格(元),续重(kg),续重价格(元),偏远附加费(元)',
        '广东,,,1,5,1,1,',
        '广东,深圳,,1,2,1,1,',
        '广东,,浙江,1,4,1,1,',
        '新疆,,,1,9,1,5,3',
      ].join('\n'),
    );
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json().rateTable[1]).toMatchObject({ province: '广东省', city: '深圳市' });
    expect(saved.json().rateTable[2]).toMatchObject({ originProvinceCode: '33', originProvince: '浙江省' });
    const choose = (from: string, province: string, city: string, override?: 'YTO') =>
      activities.chooseCarrier({
        shopId,
        parcel,
        origin: { province: from },
        destination: { province, city },
        ...(override ? { override: { carrier: override, by: 'reviewer' } } : {}),
      });
    // 深圳's own row (¥2 + ¥1) before the row for parcels from 浙江.
    expect(await choose('浙江省', '广东省', '深圳市')).toMatchObject({
      ok: true,
      carrier: 'YTO',
      costFen: 300,
    });
    // 广州 from 浙江: the origin's row (¥4 + ¥1); from 江苏 the province's (¥5 + ¥1).
    expect(await choose('浙江省', '广东省', '广州市')).toMatchObject({
      ok: true,
      carrier: 'YTO',
      costFen: 500,
    });
    expect(await choose('江苏省', '广东省', '广州市')).toMatchObject({
      ok: true,
      carrier: 'YTO',
      costFen: 600,
    });
    // 新疆: YTO's row with its 偏远附加费 (¥9 + ¥5 + ¥3); ZTO's 西湖 table (* ¥8 + ¥4) carries no
    // surcharge, and the registry's invented one for 新疆 is not added to a table's price.
    expect(await choose('浙江省', '新疆维吾尔自治区', '乌鲁木齐市')).toMatchObject({
      ok: true,
      carrier: 'ZTO',
      costFen: 1200,
    });
    const remote = await choose('浙江省', '新疆维吾尔自治区', '乌鲁木齐市', 'YTO');
    expect(remote).toMatchObject({ ok: true, carrier: 'YTO', costFen: 1700 });
    expect(remote.ok && remote.reason).toContain('首重1kg ¥9.00，续重每1kg ¥5.00，偏远附加费 ¥3.00');
  });
  it('refuses a quote for an unknown warehouse or province, naming the field', async () => {
    const quote = (query: string) =>
      api.inject({ method: 'GET', url: `/shops/${shopId}/waybill-accounts/quote?${query}`, headers: ops });
    const mars = await quote('warehouseCode=NOPE&province=%E7%81%AB%E6%98%9F&weightG=1200');
    expect(mars.statusCode).toBe(400);
    expect(mars.json().issues).toEqual([
      { field: 'querystring.warehouseCode', problem: 'no warehouse "NOPE"' },
      { field: 'querystring.province', problem: 'no mainland province "火星"' },
    ]);
  });
});
