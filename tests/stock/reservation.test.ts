import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  allocateOrder,
  allocateWaitingOrders,
  allocateWaitingPage,
} from '../../activities/stock/allocate.js';
import {
  receiveStock,
  releaseStock,
  reserveStock,
  verifyLedger,
  ordersWaitingForStock,
  listReplenishmentRequests,
} from '../../db/queries/stock.js';
import { createHarness, type Harness } from '../support/harness.js';
import { orderPush, uniqueId } from '../support/fixtures.js';
import type { Db } from '../../db/connect.js';
import { closeDb, openDb, seedSku, seedStock, seedWarehouse, stockRow } from './seed.js';
import { PATIENCE_MS } from '../support/waits.js';

let h: Harness;
let db: Db;
beforeAll(async () => {
  h = await createHarness();
  db = openDb(h.databaseUrl, 20);
});
afterAll(async () => {
  await closeDb(db, h.databaseUrl);
  await h.teardown();
});

function order(sku: string, qty = 1) {
  const push = orderPush({
    lines: [
      {
        lineId: '1',
        platformSkuId: '',
        skuCode: sku,
        title: '',
        quantity: qty,
        unitPriceFen: 100,
        discountFen: 0,
      },
    ],
  });
  return { ...push, platform: 'taobao' as const, shopId: 'shop-1' };
}

describe('reservation under concurrency', () => {
  it('200 concurrent orders for 50 units reserve exactly 50; the rest wait and are resumed oldest first', async () => {
    const warehouse = await seedWarehouse(db);
    const sku = await seedSku(db);
    await seedStock(db, warehouse, sku, 50);

    const orderIds = Array.from({ length: 200 }, () => uniqueId('order'));
    const results = await Promise.all(
      orderIds.map((orderId) =>
        allocateOrder(db, { orderId, allocationId: `${orderId}:alloc:1`, order: order(sku) }),
      ),
    );

    expect(results.filter((r) => r.kind === 'allocated')).toHaveLength(50);
    expect(results.filter((r) => r.kind === 'out_of_stock')).toHaveLength(150);
    expect(await stockRow(db, warehouse, sku)).toEqual({ on_hand: 50, reserved: 50 });
    expect((await verifyLedger(db)).mismatches).toEqual([]);

    const [request] = await listReplenishmentRequests(db, { sku, limit: 10 });
    expect(request).toMatchObject({ warehouse_code: warehouse, status: 'open', qty_short: 150 });
    expect(request!.order_ids).toHaveLength(150);

    const queue = await ordersWaitingForStock(db, [sku]);
    expect(queue).toHaveLength(150);

    // 30 units arrive: exactly the 30 longest-waiting orders get them, in queue order.
    await receiveStock(db, {
      key: uniqueId('r'),
      warehouse,
      kind: 'purchase',
      lines: [{ sku, qty: 30 }],
      actor: 't',
    });
    const first = await allocateWaitingOrders(db, { skus: [sku] });
    expect(first.resumed.map((r) => r.orderId)).toEqual(queue.slice(0, 30).map((q) => q.orderId));
    expect(first.stillWaiting).toBe(120);

    await receiveStock(db, {
      key: uniqueId('r'),
      warehouse,
      kind: 'purchase',
      lines: [{ sku, qty: 200 }],
      actor: 't',
    });
    const second = await allocateWaitingOrders(db, { skus: [sku] });
    expect(second.resumed.map((r) => r.orderId)).toEqual(queue.slice(30).map((q) => q.orderId));
    expect(await ordersWaitingForStock(db, [sku])).toEqual([]);
    expect(await stockRow(db, warehouse, sku)).toEqual({ on_hand: 280, reserved: 200 });
    // Cumulative receipts (30 + 200) covered the 150 requested.
    const [fulfilled] = await listReplenishmentRequests(db, { sku, limit: 10 });
    expect(fulfilled!.status).toBe('fulfilled');
    expect((await verifyLedger(db)).mismatches).toEqual([]);
  });

  it('a multi-line reservation is all or nothing', async () => {
    const warehouse = await seedWarehouse(db);
    const a = await seedSku(db);
    const b = await seedSku(db);
    await seedStock(db, warehouse, a, 5);
    await seedStock(db, warehouse, b, 1);
    const { outcome } = await reserveStock(db, {
      key: uniqueId('k'),
      orderId: 'o-1',
      allocationId: 'o-1:a',
      parts: [
        {
          warehouse,
          lines: [
            { sku: a, qty: 3 },
            { sku: b, qty: 2 },
          ],
        },
      ],
      actor: 't',
    });
    expect(outcome).toEqual({ ok: false, short: [{ warehouse, sku: b, needed: 2, available: 1 }] });
    expect(await stockRow(db, warehouse, a)).toEqual({ on_hand: 5, reserved: 0 });
  });

  it('an order cancelled while waiting never receives stock', async () => {
    const warehouse = await seedWarehouse(db);
    const sku = await seedSku(db);
    const orderId = uniqueId('order');
    const result = await allocateOrder(db, { orderId, allocationId: `${orderId}:1`, order: order(sku, 2) });
    expect(result.kind).toBe('out_of_stock');
    await releaseStock(db, { key: `${orderId}:cancel`, orderId, reason: 'cancelled by buyer', actor: 't' });
    await seedStock(db, warehouse, sku, 10);
    const { resumed } = await allocateWaitingOrders(db, { skus: [sku] });
    expect(resumed).toEqual([]);
    expect(await stockRow(db, warehouse, sku)).toEqual({ on_hand: 10, reserved: 0 });
  });
});

describe('a receipt pages through the waiting queue', () => {
  it('pages by queue position; a retried page finds its reservations again until they are settled', async () => {
    const warehouse = await seedWarehouse(db);
    const sku = await seedSku(db);
    const orderIds = Array.from({ length: 5 }, () => uniqueId('order'));
    for (const orderId of orderIds) {
      const r = await allocateOrder(db, { orderId, allocationId: `${orderId}:1`, order: order(sku) });
      expect(r.kind).toBe('out_of_stock');
    }
    await seedStock(db, warehouse, sku, 4);
    const start = { afterSeq: 0, blocked: [], settle: [] };
    const page1 = await allocateWaitingPage(db, { skus: [sku], pageSize: 2, cursor: start });
    expect(page1.resumed.map((r) => r.orderId)).toEqual(orderIds.slice(0, 2));
    // The same page again (the activity retried after its worker died): the same orders, stock reserved once.
    const again = await allocateWaitingPage(db, { skus: [sku], pageSize: 2, cursor: start });
    expect(again.resumed).toEqual(page1.resumed);
    expect(await stockRow(db, warehouse, sku)).toEqual({ on_hand: 4, reserved: 2 });
    // Entries reserved for are not "waiting" to anyone else.
    expect((await ordersWaitingForStock(db, [sku])).map((w) => w.orderId)).toEqual(orderIds.slice(2));

    const settle = page1.resumed.map((r) => ({ orderId: r.orderId, seq: r.seq }));
    const page2 = await allocateWaitingPage(db, {
      skus: [sku],
      pageSize: 2,
      cursor: { ...page1.next!, settle },
    });
    expect(page2.resumed.map((r) => r.orderId)).toEqual(orderIds.slice(2, 4));
    const page3 = await allocateWaitingPage(db, {
      skus: [sku],
      pageSize: 2,
      cursor: { ...page2.next!, settle: page2.resumed.map((r) => ({ orderId: r.orderId, seq: r.seq })) },
    });
    // The fifth order finds no unit left and keeps its place; the queue has been read to its end.
    expect(page3).toEqual({ resumed: [], stillWaiting: 1, next: null });
    expect((await ordersWaitingForStock(db, [sku])).map((w) => w.orderId)).toEqual([orderIds[4]]);
    expect(await stockRow(db, warehouse, sku)).toEqual({ on_hand: 4, reserved: 4 });
  });
});

describe('a receipt while the pool is queued behind a burst', () => {
  it('reaches every waiting order while other work keeps the pool queue long', async () => {
    // The worker's pool: four connections, and 64 other activities' queries queued on it, each
    // holding a connection a quarter of a second (an order burst). Taking the pool per query put each
    // of the pass's ~200 queries behind that queue (~4 s each): the pass outlived its timeout.
    const pool = openDb(h.databaseUrl, 4);
    const warehouse = await seedWarehouse(db);
    const sku = await seedSku(db);
    const orderIds = Array.from({ length: 40 }, () => uniqueId('order'));
    for (const orderId of orderIds) {
      const r = await allocateOrder(db, { orderId, allocationId: `${orderId}:1`, order: order(sku) });
      expect(r.kind).toBe('out_of_stock');
    }
    await seedStock(db, warehouse, sku, 40);

    let burst = true;
    let burstQueries = 0;
    const others = Array.from({ length: 64 }, async () => {
      while (burst) {
        await sql`select pg_sleep(0.25)`.execute(pool);
        burstQueries += 1;
      }
    });
    try {
      await expect.poll(() => burstQueries, { timeout: PATIENCE_MS }).toBeGreaterThan(16);
      let done: Awaited<ReturnType<typeof allocateWaitingPage>> | undefined;
      const pass = allocateWaitingPage(pool, {
        skus: [sku],
        pageSize: 100,
        cursor: { afterSeq: 0, blocked: [], settle: [] },
      }).then((page) => (done = page));
      await expect.poll(() => done !== undefined, { timeout: PATIENCE_MS }).toBe(true);
      await pass;
      expect(done!.resumed.map((r) => r.orderId)).toEqual(orderIds);
      expect(await stockRow(db, warehouse, sku)).toEqual({ on_hand: 40, reserved: 40 });
    } finally {
      burst = false;
      await Promise.all(others);
      await pool.destroy();
    }
  });
});

describe('idempotency', () => {
  it('the same key twice moves stock once', async () => {
    const warehouse = await seedWarehouse(db);
    const sku = await seedSku(db);
    const receipt = {
      key: uniqueId('po'),
      warehouse,
      kind: 'purchase' as const,
      lines: [{ sku, qty: 7 }],
      actor: 't',
    };
    const [one, two] = await Promise.all([receiveStock(db, receipt), receiveStock(db, receipt)]);
    expect([one.replayed, two.replayed].sort()).toEqual([false, true]);
    const reserve = {
      key: uniqueId('alloc'),
      orderId: 'o-2',
      allocationId: 'o-2:1',
      parts: [{ warehouse, lines: [{ sku, qty: 4 }] }],
      actor: 't',
    };
    await reserveStock(db, reserve);
    const again = await reserveStock(db, reserve);
    expect(again.replayed).toBe(true);
    expect(await stockRow(db, warehouse, sku)).toEqual({ on_hand: 7, reserved: 4 });
    const ledger = await db.selectFrom('stock_ledger').selectAll().where('sku_code', '=', sku).execute();
    expect(ledger.map((l) => l.kind).sort()).toEqual(['receipt', 'reserve']);
  });

  it('a retried allocation returns the reservation it made, even if stock changed since', async () => {
    const warehouse = await seedWarehouse(db);
    const sku = await seedSku(db);
    await seedStock(db, warehouse, sku, 1);
    const orderId = uniqueId('order');
    const input = { orderId, allocationId: `${orderId}:1`, order: order(sku) };
    const first = await allocateOrder(db, input);
    const retry = await allocateOrder(db, input);
    expect(first.kind).toBe('allocated');
    expect(retry).toEqual(first);
    expect(await stockRow(db, warehouse, sku)).toEqual({ on_hand: 1, reserved: 1 });
  });
});
