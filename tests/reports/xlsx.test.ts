import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeyFor, bearer } from '../auth/support.js';
import { createShop } from '../support/fixtures.js';
import { createHarness, type Harness } from '../support/harness.js';
import { line, timelineWriter } from './support.js';

/**
 * The XLSX export read back with exceljs: two orders paid on 2026-05-20 (China time), one line
 * refunded just after midnight (05-21 in China, still 05-20 in UTC), and a SKU code a spreadsheet
 * would run as a formula.
 */
const FORMULA_SKU = '=HYPERLINK("http://example.invalid","点我")';
let h: Harness;
let app: FastifyInstance;
let finance: string;
let shop: string;

beforeAll(async () => {
  h = await createHarness();
  app = await h.api();
  finance = await apiKeyFor(h.db, ['finance']);
  shop = await createShop(h.db, 'taobao');
  const w = timelineWriter(h);
  // 2 × A at ¥10 + 1 × the formula SKU at ¥5 + ¥6 postage = ¥31 paid.
  await w.place('taobao', shop, {
    buyer: 'b1',
    createdAt: '2026-05-20T01:55:00Z',
    paidAt: '2026-05-20T02:00:00Z',
    lines: [line('1', 'SKU-A', 2, 1_000), line('2', FORMULA_SKU, 1, 500)],
    shippingFen: 600,
  });
  // 1 × A at ¥10, refunded at 01:00 on 05-21 in Shanghai.
  const two = await w.place('taobao', shop, {
    buyer: 'b2',
    createdAt: '2026-05-20T03:00:00Z',
    paidAt: '2026-05-20T03:05:00Z',
    lines: [line('1', 'SKU-A', 1, 1_000)],
  });
  await two.step('refund_lines_changed', 'auditing', '2026-05-20T17:00:00Z', {
    refundStatus: 'full',
    lines: [{ lineId: '1', refundStatus: 'refunded' }],
  });
});
afterAll(() => h.teardown());

async function exportXlsx(query: string) {
  const res = await app.inject({ method: 'GET', url: `/reports/export?${query}`, headers: bearer(finance) });
  expect(res.statusCode, res.body).toBe(200);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(res.rawPayload as unknown as Parameters<typeof workbook.xlsx.load>[0]);
  return { res, workbook };
}

/** A sheet as its header row and data rows, the way a person reads it. */
function read(sheet: ExcelJS.Worksheet | undefined) {
  if (!sheet) throw new Error('no such sheet');
  const rows: unknown[][] = [];
  sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  return { header: rows[0], rows: rows.slice(1) };
}

describe('XLSX export', () => {
  it('puts every table of the sales report in one workbook, headed in Chinese, with the figures of the JSON', async () => {
    const { res, workbook } = await exportXlsx(
      `report=sales&format=xlsx&from=2026-05-20&to=2026-05-21&shopId=${shop}`,
    );
    expect(res.headers['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(res.headers['content-disposition']).toBe(
      'attachment; filename="sales-2026-05-20_2026-05-21.xlsx"',
    );
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['汇总', '趋势', '热销SKU']);

    const totals = read(workbook.getWorksheet('汇总'));
    expect(totals.header).toEqual(['指标', '本期', '上期', '环比']);
    const figure = (name: string) => totals.rows.find((r) => r[0] === name)?.slice(1);
    expect(figure('支付金额(分)')).toEqual([4_100, 0]);
    expect(figure('退款金额(分)')).toEqual([1_000, 0]);
    expect(figure('净销售额(分)')).toEqual([3_100, 0]);
    expect(figure('支付买家数')).toEqual([2, 0]);
    expect(figure('客单价(分)')).toEqual([2_050]);
    expect(figure('连带率')).toEqual([2]);

    const series = read(workbook.getWorksheet('趋势'));
    const col = (name: string) => series.header!.indexOf(name);
    expect(series.rows.map((r) => [r[col('时间')], r[col('支付金额(分)')], r[col('退款金额(分)')]])).toEqual([
      ['2026-05-20', 4_100, 0],
      ['2026-05-21', 0, 1_000],
    ]);

    const top = read(workbook.getWorksheet('热销SKU'));
    expect(top.header).toEqual(['SKU', '支付行数', '件数', '支付金额(分)', '退款金额(分)', '退款件数']);
    expect(top.rows).toEqual([
      ['SKU-A', 2, 3, 3_000, 1_000, 1],
      [`'${FORMULA_SKU}`, 1, 1, 500, 0, 0],
    ]);
  });

  it('never writes a formula: text a spreadsheet would run stays text', async () => {
    const { workbook } = await exportXlsx(
      `report=sales&table=topSkus&format=xlsx&from=2026-05-20&to=2026-05-20&shopId=${shop}`,
    );
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['热销SKU']);
    const cells: ExcelJS.Cell[] = [];
    workbook.getWorksheet('热销SKU')!.eachRow((row) => row.eachCell((cell) => cells.push(cell)));
    expect(cells.filter((c) => c.type === ExcelJS.ValueType.Formula)).toEqual([]);
    const sku = cells.find((c) => String(c.value).includes('HYPERLINK'))!;
    expect(sku.type).toBe(ExcelJS.ValueType.String);
    expect(sku.value).toBe(`'${FORMULA_SKU}`);
  });

  it('exports one table of another report and asks for a table when the format is CSV', async () => {
    const { res, workbook } = await exportXlsx(
      `report=efficiency&table=shipping&format=xlsx&from=2026-05-20&to=2026-05-20&shopId=${shop}`,
    );
    expect(res.headers['content-disposition']).toBe(
      'attachment; filename="efficiency-shipping-2026-05-20_2026-05-20.xlsx"',
    );
    const shipping = read(workbook.getWorksheet('发货时效'));
    expect(shipping.header).toEqual([
      '支付笔数',
      '24小时内发货',
      '48小时内发货',
      '24小时发货率',
      '48小时发货率',
      '付款到发货P50(秒)',
    ]);
    expect(shipping.rows).toEqual([[2, 0, 0, 0, 0]]);
    const csv = await app.inject({
      method: 'GET',
      url: `/reports/export?report=sales&from=2026-05-20&to=2026-05-20`,
      headers: bearer(finance),
    });
    expect(csv.statusCode).toBe(400);
    expect(csv.json().issues).toEqual([
      { field: 'query.table', problem: 'must be one of totals, series, topSkus for sales' },
    ]);
  });
});
