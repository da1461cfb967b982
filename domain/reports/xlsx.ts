import ExcelJS from 'exceljs';
import { bundleBecause, type BundleBasis } from './bundle-reason.js';
import { columnsOf, neutralise, type Cell, type Row } from './csv.js';

/**
 * Report tables as an Excel workbook, one sheet per table, headed in Chinese for the people who
 * open it (the CSV keeps the API's field names, for scripts). Values stay as the JSON gives them:
 * money in fen, rates as fractions, durations in seconds; numbers stay numbers so a spreadsheet
 * can sum them.
 *
 * No cell is ever a formula: every value is written as a plain number or text (exceljs writes a
 * formula only from a `{ formula }` object, which this module never builds), and text a
 * spreadsheet would run as a formula once someone edits the cell (=, +, -, @ first) carries a
 * leading apostrophe, the same rule as the CSV export.
 */

/** Chinese column headings by field name; a field without one keeps its name. */
export const COLUMN_LABELS: Readonly<Record<string, string>> = {
  // sales figures (totals, series)
  figure: '指标',
  value: '本期',
  previous: '上期',
  change: '环比',
  bucket: '时间',
  placedOrders: '下单笔数',
  gmvFen: 'GMV(分)',
  paidOrders: '支付笔数',
  payingBuyers: '支付买家数',
  paidFen: '支付金额(分)',
  refundFen: '退款金额(分)',
  netSalesFen: '净销售额(分)',
  aovFen: '客单价(分)',
  units: '件数',
  unitsPerOrder: '连带率',
  refundedUnits: '退款件数',
  cancelledOrders: '取消笔数',
  shippedOrders: '发货笔数',
  deliveredOrders: '签收笔数',
  skusSold: '动销SKU数',
  // top SKUs
  skuCode: 'SKU',
  paidLines: '支付行数',
  // basket
  antecedent: '前项SKU',
  consequent: '后项SKU',
  orders: '订单数',
  support: '支持度',
  confidence: '置信度',
  lift: '提升度',
  antecedentOrders: '含前项订单数',
  consequentOrders: '含后项订单数',
  skus: 'SKU组合',
  size: '件数(种)',
  because: '理由',
  // efficiency
  stage: '环节',
  key: '维度',
  p50Seconds: 'P50(秒)',
  p90Seconds: 'P90(秒)',
  p99Seconds: 'P99(秒)',
  avgSeconds: '平均(秒)',
  waitingNow: '当前等待',
  shippedWithin24h: '24小时内发货',
  shippedWithin48h: '48小时内发货',
  rate24h: '24小时发货率',
  rate48h: '48小时发货率',
  payToShipP50Seconds: '付款到发货P50(秒)',
  reason: '挂起原因',
  holds: '挂起次数',
  open: '未解除',
  // carrier timeliness
  carrier: '快递公司',
  province: '目的省份',
  handoverToScanP50Seconds: '交接到首扫P50(秒)',
  handoverToScanP90Seconds: '交接到首扫P90(秒)',
  scanToDeliveredP50Seconds: '首扫到签收P50(秒)',
  scanToDeliveredP90Seconds: '首扫到签收P90(秒)',
  handoverToDeliveredP50Seconds: '交接到签收P50(秒)',
  handoverToDeliveredP90Seconds: '交接到签收P90(秒)',
  delivered: '已签收',
};

/** Chinese sheet names by table name (Excel allows 31 characters, no []:*?/\). */
export const SHEET_LABELS: Readonly<Record<string, string>> = {
  totals: '汇总',
  series: '趋势',
  topSkus: '热销SKU',
  rules: '关联规则',
  bundles: '推荐组合',
  itemsets: '频繁项集',
  stages: '环节耗时',
  shipping: '发货时效',
  holds: '挂起原因',
  carriers: '快递时效',
};

export interface Sheet {
  /** The table's name (`totals`, `rules`, …); the sheet is named by SHEET_LABELS. */
  table: string;
  rows: readonly Row[];
}

function cellValue(value: Cell): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  return neutralise(typeof value === 'string' ? value : value.join(' + '));
}

function isBundleBasis(row: unknown): row is BundleBasis {
  const r = row as Partial<BundleBasis>;
  return Array.isArray(r.antecedent) && typeof r.consequent === 'string' && typeof r.lift === 'number';
}

/** The tables as an .xlsx file: a sheet per table, a bold frozen Chinese header row. */
export async function toXlsx(sheets: readonly Sheet[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'order-erp';
  for (const { table, rows } of sheets) {
    const sheet = workbook.addWorksheet(SHEET_LABELS[table] ?? table, {
      views: [{ state: 'frozen', ySplit: 1 }],
    });
    const columns = columnsOf(rows);
    sheet.columns = columns.map((c) => {
      const header = COLUMN_LABELS[c] ?? c;
      return { header, key: c, width: Math.max(10, header.length * 2 + 2) };
    });
    sheet.getRow(1).font = { bold: true };
    for (const row of rows)
      sheet.addRow(
        columns.map((c) => {
          const value = (row as Record<string, Cell>)[c];
          // The totals table names its figures by field name: those read in Chinese too.
          if (c === 'figure' && typeof value === 'string') return COLUMN_LABELS[value] ?? value;
          // A bundle's reason is said again in Chinese from its rule's figures.
          if (c === 'because' && isBundleBasis(row)) return bundleBecause(row, 'zh');
          return cellValue(value);
        }),
      );
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
