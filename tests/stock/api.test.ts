import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StockEvent } from '../../api/routes/stock.js';
import type { Db } from '../../db/connect.js';
import { reserveStock } from '../../db/queries/stock.js';
import { createHarness, type Harness } from '../support/harness.js';
import { uniqueId } from '../support/fixtures.js';
import { routesApp } from '../wms/support.js';
import { closeDb, openDb, seedSku, seedWarehouse, stockRow } from './seed.js';

let h: Harness;
let db: Db;
let api: FastifyInstance;
const stockEvents: StockEvent[] = [];

beforeAll(async () => {
  h = await createHarness();
  db = openDb(h.databaseUrl, 5);
  api = await routesApp(h, db, { onStockEvent: (e) => void stockEvents.push(e) });
});
afterAll(async () => {
  await api.close();
  await closeDb(db, h.databaseUrl);
  await h.teardown();
});

const post = (url: string, payload: object, headers: Record<string, string> = {}) =>
  api.inject({ method: 'POST', url, payload, headers });

describe('warehouses', () => {
  it('creates, lists and changes a warehouse; bad input names the field', async () => {
    const code = uniqueId('WH');
    const created = await post('/warehouses', {
      code,
      name: '杭州仓',
      province: '浙江省',
      coverage: [{ province: '浙江', priority: 1 }],
      capabilities: ['fragile'],
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ code, capabilities: ['fragile'], active: true });

    const dup = await post('/warehouses', { code, name: 'x', province: '浙江' });
    expect(dup.statusCode).toBe(409);

    const bad = await post('/warehouses', {
      code: uniqueId('WH'),
      name: 'x',
      province: '浙江',
      capabilities: ['freezer'],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().issues[0].field).toBe('body.capabilities.0');

    const patched = await api.inject({
      method: 'PATCH',
      url: `/warehouses/${code}`,
      payload: { capabilities: ['fragile', 'cold_chain'], active: false },
    });
    expect(patched.json()).toMatchObject({
      capabilities: ['fragile', 'cold_chain'],
      active: false,
      name: '杭州仓',
    });
    const missing = await api.inject({ method: 'PATCH', url: '/warehouses/NOPE', payload: { active: true } });
    expect(missing.statusCode).toBe(422);
  });
});

describe('receipts and adjustments', () => {
  it('receives stock, tells the integrator which SKUs arrived, and replays a repeated key', async () => {
    const warehouse = await seedWarehouse(db);
    const sku = await seedSku(db);
    const body = { warehouse, kind: 'purchase', reference: 'PO-1', lines: [{ sku, qty: 12 }] };
    stockEvents.length = 0;
    const first = await post('/stock/receipts', body, { 'idempotency-key': 'po-1-delivery-1' });
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({
      replayed: false,
      lines: [{ sku, qty: 12, onHand: 12, available: 12 }],
    });
    const second = await post('/stock/receipts', body, { 'idempotency-key': 'po-1-delivery-1' });
    expect(second.statusCode).toBe(200);
    expect(second.json().replayed).toBe(true);
    expect(await stockRow(db, warehouse, sku)).toEqual({ on_hand: 12, reserved: 0 });
    expect(stockEvents.map((e) => [e.type, e.skus, e.replayed])).toEqual([
      ['stock_received', [sku], false],
      ['stock_received', [sku], true],
    ]);

    const list = await api.inject({ method: 'GET', url: `/stock?warehouse=${warehouse}` });
    expect(list.json().stock).toEqual([
      expect.objectContaining({ sku, onHand: 12, reserved: 0, available: 12 }),
    ]);
  });

  it('an unknown SKU is refused by name and nothing of the receipt is written', async () => {
    const warehouse = await seedWarehouse(db);
    const sku = await seedSku(db);
    const res = await post('/stock/receipts', {
      warehouse,
      lines: [
        { sku, qty: 5 },
        { sku: 'NO-SUCH-SKU', qty: 1 },
      ],
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().issues).toEqual([{ field: 'body.lines.1.sku', problem: 'unknown SKU "NO-SUCH-SKU"' }]);
    expect(await stockRow(db, warehouse, sku)).toBeUndefined();

    const noWarehouse = await post('/stock/receipts', { warehouse: 'NOWHERE', lines: [{ sku, qty: 1 }] });
    expect(noWarehouse.statusCode).toBe(422);
    expect(noWarehouse.json().message).toMatch(/body.warehouse: unknown warehouse "NOWHERE"/);

    const zero = await post('/stock/receipts', { warehouse, lines: [{ sku, qty: 0 }] });
    expect(zero.statusCode).toBe(400);
    expect(zero.json().issues[0]).toEqual({ field: 'body.lines.0.qty', problem: 'must be at least 1' });
  });

  it('an adjustment needs a reason and cannot take away units promised to orders', async () => {
    const warehouse = await seedWarehouse(db);
    const sku = await seedSku(db);
    await post('/stock/receipts', { warehouse, lines: [{ sku, qty: 10 }] });

    const noReason = await post('/stock/adjustments', { warehouse, lines: [{ sku, delta: -1 }] });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().issues[0].field).toBe('body.reason');

    const counted = await post('/stock/adjustments', {
      warehouse,
      reason: 'cycle count',
      lines: [{ sku, delta: -3 }],
    });
    expect(counted.statusCode).toBe(201);
    expect(await stockRow(db, warehouse, sku)).toEqual({ on_hand: 7, reserved: 0 });

    await reserveStock(db, {
      key: uniqueId('alloc'),
      orderId: 'order-1',
      allocationId: 'order-1:1',
      parts: [{ warehouse, lines: [{ sku, qty: 5 }] }],
      actor: 'test',
    });
    const tooMuch = await post('/stock/adjustments', {
      warehouse,
      reason: 'lost',
      lines: [{ sku, delta: -3 }],
    });
    expect(tooMuch.statusCode).toBe(409);
    expect(tooMuch.json().message).toMatch(/7 on hand, 5 reserved for orders/);
    expect(await stockRow(db, warehouse, sku)).toEqual({ on_hand: 7, reserved: 5 });

    const ledger = await api.inject({ method: 'GET', url: `/stock/ledger?sku=${sku}` });
    expect(
      ledger.json().movements.map((m: { kind: string; reason: string | null }) => [m.kind, m.reason]),
    ).toEqual([
      ['reserve', null],
      ['adjust', 'cycle count'],
      ['receipt', 'purchase receipt'],
    ]);
    const consistency = await api.inject({ method: 'GET', url: '/stock/consistency' });
    expect(consistency.json().mismatches).toEqual([]);
  });
});

describe('catalog', () => {
  it('creates SKUs and bundles, and refuses a bundle of an unknown component by name', async () => {
    const tea = uniqueId('TEA');
    const cup = uniqueId('CUP');
    for (const [code, flags] of [
      [tea, []],
      [cup, ['fragile']],
    ] as const) {
      const res = await post('/skus', { code, name: code, weightG: 250, flags });
      expect(res.statusCode).toBe(201);
    }
    const gift = uniqueId('GIFT');
    const created = await post('/skus', {
      code: gift,
      name: '茶具礼盒',
      weightG: 1200,
      components: [
        { code: tea, qty: 2 },
        { code: cup, qty: 2 },
      ],
    });
    expect(created.statusCode).toBe(201);
    expect(created.json().components).toEqual(
      [
        { code: tea, qty: 2 },
        { code: cup, qty: 2 },
      ].sort((a, b) => (a.code < b.code ? -1 : 1)),
    );

    const bad = await post('/skus', {
      code: uniqueId('GIFT'),
      name: 'x',
      weightG: 1,
      components: [{ code: 'GHOST', qty: 1 }],
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().issues).toEqual([
      { field: 'body.components.0.code', problem: 'unknown component SKU "GHOST"' },
    ]);

    const loop = await api.inject({
      method: 'PATCH',
      url: `/skus/${tea}`,
      payload: { components: [{ code: gift, qty: 1 }] },
    });
    expect(loop.statusCode).toBe(400);
    expect(loop.json().message).toMatch(/would contain itself/);

    const renamed = await api.inject({ method: 'PATCH', url: `/skus/${cup}`, payload: { name: '玻璃杯' } });
    expect(renamed.json()).toMatchObject({ name: '玻璃杯', flags: ['fragile'], weightG: 250 });
  });

  it('maps platform SKUs to internal ones and resolves order lines, bundles expanded', async () => {
    const { resolveOrderLines } = await import('../../db/queries/catalog.js');
    const shopId = uniqueId('shop');
    await db
      .insertInto('shops')
      .values({ id: shopId, platform: 'taobao', name: 'A', settings: '{}' })
      .execute();
    const tee = await seedSku(db);
    const gift = uniqueId('GIFT');
    await post('/skus', { code: gift, name: '礼盒', weightG: 500, components: [{ code: tee, qty: 3 }] });

    const byId = await post('/sku-mappings', {
      platform: 'taobao',
      shopId,
      platformSkuId: '5012345',
      skuCode: gift,
    });
    expect(byId.statusCode).toBe(201);
    expect(
      (await post('/sku-mappings', { platform: 'taobao', outerCode: 'OUTER-TEE', skuCode: tee })).statusCode,
    ).toBe(201);
    const neither = await post('/sku-mappings', { platform: 'taobao', skuCode: tee });
    expect(neither.statusCode).toBe(400);
    expect(neither.json().issues[0].field).toBe('body.platformSkuId');
    const dup = await post('/sku-mappings', { platform: 'taobao', outerCode: 'OUTER-TEE', skuCode: tee });
    expect(dup.statusCode).toBe(409);

    const line = (lineId: string, skuCode: string, platformSkuId = '', quantity = 1) => ({
      lineId,
      skuCode,
      platformSkuId,
      quantity,
      title: '',
      unitPriceFen: 100,
      discountFen: 0,
    });
    const resolved = await resolveOrderLines(db, {
      platform: 'taobao',
      shopId,
      lines: [
        line('1', 'WHATEVER', '5012345', 2),
        line('2', 'OUTER-TEE'),
        line('3', tee),
        line('4', 'UNKNOWN-OUTER', '999'),
      ],
    });
    expect(resolved.matches.map((m) => [m.lineId, m.via])).toEqual([
      ['1', 'platform_sku_id'],
      ['2', 'outer_code'],
      ['3', 'sku_code'],
    ]);
    expect(resolved.lines.map((l) => [l.lineId, l.sku, l.qty, l.bundle])).toEqual([
      ['1', tee, 6, gift],
      ['2', tee, 1, null],
      ['3', tee, 1, null],
    ]);
    expect(resolved.unmapped).toEqual([
      expect.objectContaining({
        lineId: '4',
        problem: expect.stringMatching(
          /no SKU mapping for outer code "UNKNOWN-OUTER" or taobao SKU id "999"/,
        ),
      }),
    ]);

    // The mapping is for this shop only: another shop's same platform SKU id stays unmapped.
    const other = await resolveOrderLines(db, {
      platform: 'taobao',
      shopId: 'other-shop',
      lines: [line('1', 'X', '5012345')],
    });
    expect(other.unmapped).toHaveLength(1);
  });
});
