import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeyFor, bearer } from '../auth/support.js';
import { createShop } from '../support/fixtures.js';
import { createHarness, type Harness } from '../support/harness.js';
import { line, timelineWriter } from './support.js';

/**
 * Carrier timeliness by destination province on orders paid on 2026-06-01 (China time) whose
 * handover, first scan and delivery times are known to the second:
 * - SF to 广东省: first scan 1, 2 and 3 hours after handover, delivered 24, 36 and 48 hours after it;
 * - SF to 浙江省: scanned after 2 hours, not delivered yet;
 * - ZTO to 广东省: scanned after 30 and 90 minutes, delivered a day after the scan;
 * - an order not handed over, and one paid the next day: neither counts.
 */
let h: Harness;
let app: FastifyInstance;
let ops: string;
let shop: string;

const HOUR = 3_600_000;
const HANDOVER = Date.parse('2026-06-01T06:00:00Z');
const at = (ms: number) => new Date(ms).toISOString();

beforeAll(async () => {
  h = await createHarness();
  app = await h.api();
  ops = await apiKeyFor(h.db, ['ops']);
  shop = await createShop(h.db, 'taobao');
  const w = timelineWriter(h);
  let n = 0;
  const ship = async (
    carrier: string | null,
    province: string,
    scanAfterHours: number | null,
    deliveredAfterScanHours: number | null,
    paidAt = '2026-06-01T02:00:00Z',
  ) => {
    n += 1;
    const o = await w.place('taobao', shop, {
      buyer: `b${n}`,
      createdAt: paidAt,
      paidAt,
      province,
      lines: [line('1', 'SKU-A', 1, 1_000)],
    });
    if (!carrier) return;
    await o.step('shipped', 'shipped', at(HANDOVER), { carrier });
    if (scanAfterHours === null) return;
    const scan = HANDOVER + scanAfterHours * HOUR;
    await o.step('in_transit', 'shipped', at(scan));
    // A later scan does not move the first one.
    await o.step('out_for_delivery', 'shipped', at(scan + HOUR / 2));
    if (deliveredAfterScanHours === null) return;
    await o.step('completed', 'completed', at(scan + deliveredAfterScanHours * HOUR), {
      outcome: 'delivered',
    });
  };
  await ship('SF', '广东省', 1, 24);
  await ship('SF', '广东省', 2, 36);
  await ship('SF', '广东省', 3, 48);
  await ship('SF', '浙江省', 2, null);
  await ship('ZTO', '广东省', 0.5, 24);
  await ship('ZTO', '广东省', 1.5, 24);
  await ship(null, '广东省', null, null);
  await ship('SF', '广东省', 10, 10, '2026-06-02T02:00:00Z');
});
afterAll(() => h.teardown());

describe('carrier timeliness by destination province', () => {
  it('gives handover → first scan → delivered per carrier and province, p50 and p90', async () => {
    const res = await app.inject({
      method: 'GET',
      url: `/reports/efficiency?from=2026-06-01&to=2026-06-01&shopId=${shop}`,
      headers: bearer(ops),
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().carriers).toEqual([
      {
        carrier: 'SF',
        province: '广东省',
        orders: 3,
        delivered: 3,
        // 1, 2, 3 h: p90 interpolates 2 h + 0.8 × 1 h.
        handoverToScanP50Seconds: 7_200,
        handoverToScanP90Seconds: 10_080,
        // 24, 36, 48 h after the scan.
        scanToDeliveredP50Seconds: 129_600,
        scanToDeliveredP90Seconds: 164_160,
        // 25, 38, 51 h after handover.
        handoverToDeliveredP50Seconds: 136_800,
        handoverToDeliveredP90Seconds: 174_240,
      },
      {
        carrier: 'SF',
        province: '浙江省',
        orders: 1,
        delivered: 0,
        handoverToScanP50Seconds: 7_200,
        handoverToScanP90Seconds: 7_200,
        scanToDeliveredP50Seconds: null,
        scanToDeliveredP90Seconds: null,
        handoverToDeliveredP50Seconds: null,
        handoverToDeliveredP90Seconds: null,
      },
      {
        carrier: 'ZTO',
        province: '广东省',
        orders: 2,
        delivered: 2,
        // 30 and 90 minutes: p90 = 30 min + 0.9 × 60 min.
        handoverToScanP50Seconds: 3_600,
        handoverToScanP90Seconds: 5_040,
        scanToDeliveredP50Seconds: 86_400,
        scanToDeliveredP90Seconds: 86_400,
        handoverToDeliveredP50Seconds: 90_000,
        handoverToDeliveredP90Seconds: 91_440,
      },
    ]);
  });

  it('exports the table with Chinese headings', async () => {
    const res = await app.inject({
      method: 'GET',
      url: `/reports/export?report=efficiency&table=carriers&format=xlsx&from=2026-06-01&to=2026-06-01&shopId=${shop}`,
      headers: bearer(ops),
    });
    expect(res.statusCode, res.body).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.rawPayload as unknown as Parameters<typeof workbook.xlsx.load>[0]);
    const sheet = workbook.getWorksheet('快递时效')!;
    expect((sheet.getRow(1).values as unknown[]).slice(1, 5)).toEqual([
      '快递公司',
      '目的省份',
      '订单数',
      '已签收',
    ]);
    expect((sheet.getRow(4).values as unknown[]).slice(1, 6)).toEqual(['ZTO', '广东省', 2, 2, 3_600]);
  });
});
