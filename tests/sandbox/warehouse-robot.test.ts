import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adjustStock, requestReplenishment } from '../../db/queries/stock.js';
import { startWarehouseRobot, type WarehouseRobot } from '../../sandbox/warehouse-robot.js';
import { OPENING_STOCK } from '../../scripts/stack/demo-warehouses.js';
import { seedDevStack } from '../../scripts/stack/seed.js';
import { createHarness, type Harness } from '../support/harness.js';

let h: Harness;
let app: FastifyInstance;
let apiUrl: string;
let robotKey: string;
let robot: WarehouseRobot | undefined;

beforeAll(async () => {
  h = await createHarness();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'robot-'));
  robotKey = (await seedDevStack(h.db, { config: { ...h.config, DATA_DIR: dataDir } })).robot.key;
  app = await h.api();
  await app.listen({ port: 0, host: '127.0.0.1' });
  apiUrl = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
});
afterAll(async () => {
  await robot?.stop();
  await h.teardown();
});

const available = async (warehouse: string, sku: string) =>
  (
    await h.db
      .selectFrom('stock')
      .select((eb) => eb('on_hand', '-', eb.ref('reserved')).as('available'))
      .where('warehouse_code', '=', warehouse)
      .where('sku_code', '=', sku)
      .executeTakeFirstOrThrow()
  ).available;

describe('the warehouse robot', () => {
  it('receives a delivery for stock that ran low, and what waiting orders still lack', async () => {
    await adjustStock(h.db, {
      key: 'robot-test-count',
      warehouse: 'HZ01',
      reason: 'cycle count',
      lines: [{ sku: 'MUG-002-WHT', delta: -(OPENING_STOCK - 20) }],
      actor: 'test',
    });
    await requestReplenishment(h.db, {
      warehouse: 'GZ01',
      sku: 'ICE-005-VAN',
      qty: 1_000,
      orderId: 'order:own:demo-shop:R-1',
      reason: 'out of stock',
    });
    robot = startWarehouseRobot({
      apiUrl,
      apiKey: robotKey,
      intervalMs: 100,
      restock: { below: 60, qty: 400, everyMs: 100 },
    });

    await expect.poll(() => available('HZ01', 'MUG-002-WHT')).toBe(420);
    await expect.poll(() => available('GZ01', 'ICE-005-VAN')).toBe(OPENING_STOCK + 1_000);
    const request = await h.db
      .selectFrom('replenishment_requests')
      .select(['status', 'qty_received'])
      .where('warehouse_code', '=', 'GZ01')
      .executeTakeFirstOrThrow();
    expect(request).toEqual({ status: 'fulfilled', qty_received: 1_000 });
    const receipts = await h.db
      .selectFrom('stock_ledger')
      .select(['warehouse_code', 'sku_code', 'qty', 'actor'])
      .where('kind', '=', 'receipt')
      .where('actor', '<>', 'dev-stack')
      .orderBy('id')
      .execute();
    // Once each: stock that is back above the line is left alone.
    expect(receipts).toHaveLength(2);
    // The crew counts a receipt once the API's answer reaches it, a moment after the ledger has it.
    await expect.poll(() => robot!.stats().receipts).toBe(2);
    expect(robot.stats()).toMatchObject({ receipts: 2, errors: 0 });
    await robot.stop();
    robot = undefined;
  });
});
