import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { orderWorkflowId } from '../../domain/ids.js';
import type { OrderPush } from '../../domain/order.js';
import { stockArrivalsWorkflowId } from '../../services/fulfilment-events.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { createShop, orderPush, uniqueId } from '../support/fixtures.js';
import { setupWarehouse } from '../support/fulfilment.js';
import { createHarness, type Harness } from '../support/harness.js';
import { submitOrder } from '../support/intake.js';
import { recordHistory } from '../support/histories.js';
import { PATIENCE_MS } from '../support/waits.js';

/**
 * A receipt that can serve more orders than one page (or one run of the stock-arrivals workflow)
 * holds: 1,100 orders wait for 300 SKUs. Most queue entries are written straight into the database
 * (their order workflows do not exist, so the receipt frees their units as "closed while waiting");
 * the first and the last in the queue are real orders, resumed through the real workflow path.
 */
let h: Harness;
let api: FastifyInstance;
let ops: { authorization: string };
let wh: { authorization: string };

beforeAll(async () => {
  h = await createHarness({ WORKFLOW_HISTORY_LIMIT: '300', STOCK_ARRIVAL_PAGE_SIZE: '100' });
  api = await h.api();
  ops = bearer(await apiKeyFor(h.db, ['ops']));
  wh = bearer(await apiKeyFor(h.db, ['warehouse']));
  await h.startWorker();
});
afterAll(async () => {
  await h.teardown();
});

const SKUS = 300;
const WAITING = 1_100;

function paid(code: string): OrderPush {
  return orderPush({
    lines: [
      {
        lineId: '1',
        platformSkuId: '',
        skuCode: code,
        title: code,
        quantity: 1,
        unitPriceFen: 1_000,
        discountFen: 0,
      },
    ],
    amounts: { goodsFen: 1_000, discountFen: 0, shippingFen: 0, paidFen: 1_000 },
  });
}

async function waitsFor(orderId: string): Promise<void> {
  await expect
    .poll(
      async () =>
        (
          await h.db
            .selectFrom('stock_waits')
            .select('seq')
            .where('order_id', '=', orderId)
            .executeTakeFirst()
        )?.seq,
      { timeout: PATIENCE_MS, interval: 250 },
    )
    .toBeDefined();
}

async function stockReserved(orderId: string): Promise<boolean> {
  const row = await h.db
    .selectFrom('order_events')
    .select('order_id')
    .where('order_id', '=', orderId)
    .where('stage', '=', 'stock_reserved')
    .executeTakeFirst();
  return row !== undefined;
}

it('an order waiting for stock is resumed by a receipt (recorded for replay)', async () => {
  const code = uniqueId('PG');
  await h.db
    .insertInto('skus')
    .values({ code, name: code, weight_g: 200, length_mm: 100, width_mm: 100, height_mm: 50, flags: [] })
    .execute();
  const warehouse = await setupWarehouse(h.db, { stock: { [code]: 0 } });
  const shopId = await createShop(h.db, 'taobao');
  const push = paid(code);
  expect((await submitOrder(api, { platform: 'taobao', shopId, order: push }, ops)).statusCode).toBe(202);
  const orderId = orderWorkflowId('taobao', shopId, push.platformOrderId);
  await waitsFor(orderId);
  const receipt = await api.inject({
    method: 'POST',
    url: '/stock/receipts',
    headers: wh,
    payload: { warehouse, lines: [{ sku: code, qty: 1 }] },
  });
  expect(receipt.statusCode, receipt.body).toBe(201);
  await expect.poll(() => stockReserved(orderId), { timeout: PATIENCE_MS, interval: 250 }).toBe(true);
  await expect
    .poll(async () => (await h.db.selectFrom('stock_waits').select('seq').execute()).length, {
      timeout: PATIENCE_MS,
    })
    .toBe(0);
  await recordHistory(h.client, stockArrivalsWorkflowId(h.config.TASK_QUEUE_ORDERS), 'stock-arrival-paged');
});

it('a receipt resumes all 1,100 orders waiting for its 300 SKUs, across pages and runs, oldest first', async () => {
  const codes = Array.from({ length: SKUS }, (_, i) => `${uniqueId('PG')}-${i}`);
  await h.db
    .insertInto('skus')
    .values(
      codes.map((code) => ({
        code,
        name: code,
        weight_g: 200,
        length_mm: 100,
        width_mm: 100,
        height_mm: 50,
        flags: [],
      })),
    )
    .execute();
  const warehouse = await setupWarehouse(h.db, { stock: Object.fromEntries(codes.map((c) => [c, 0])) });
  const shopId = await createShop(h.db, 'taobao');

  // The oldest waiting order: a real one.
  const firstPush = paid(codes[0]!);
  expect((await submitOrder(api, { platform: 'taobao', shopId, order: firstPush }, ops)).statusCode).toBe(
    202,
  );
  const first = orderWorkflowId('taobao', shopId, firstPush.platformOrderId);
  await waitsFor(first);

  // 1,098 orders behind it, queued at database level.
  const ghosts = Array.from({ length: WAITING - 2 }, (_, i) => ({
    orderId: uniqueId('ghost'),
    sku: codes[(i + 1) % SKUS]!,
  }));
  for (let i = 0; i < ghosts.length; i += 500) {
    await h.db
      .insertInto('stock_waits')
      .values(
        ghosts.slice(i, i + 500).map((g) => ({
          order_id: g.orderId,
          sku_codes: [g.sku],
          request: JSON.stringify({
            orderId: g.orderId,
            province: '浙江省',
            lines: [
              {
                lineId: '1',
                sku: g.sku,
                qty: 1,
                weightG: 200,
                lengthMm: 100,
                widthMm: 100,
                heightMm: 50,
                flags: [],
                bundle: null,
              },
            ],
          }),
        })),
      )
      .execute();
  }

  // The youngest: a real order at position 1,100, far beyond any first page.
  const lastPush = paid(codes[SKUS - 1]!);
  expect((await submitOrder(api, { platform: 'taobao', shopId, order: lastPush }, ops)).statusCode).toBe(202);
  const last = orderWorkflowId('taobao', shopId, lastPush.platformOrderId);
  await waitsFor(last);
  expect(
    (
      await h.db
        .selectFrom('stock_waits')
        .select(({ fn }) => fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  ).toBe(WAITING);

  // Five units of every SKU: enough for every waiting order (each SKU is wanted by at most four).
  const receipt = await api.inject({
    method: 'POST',
    url: '/stock/receipts',
    headers: wh,
    payload: { warehouse, lines: codes.map((sku) => ({ sku, qty: 5 })) },
  });
  expect(receipt.statusCode, receipt.body).toBe(201);

  await expect
    .poll(async () => (await stockReserved(first)) && (await stockReserved(last)), {
      timeout: PATIENCE_MS * 3,
      interval: 1_000,
    })
    .toBe(true);
  // Every queue entry was worked: the real orders hold their units, the ghosts' units came back.
  await expect
    .poll(
      async () =>
        (
          await h.db
            .selectFrom('stock_waits')
            .select(({ fn }) => fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      { timeout: PATIENCE_MS, interval: 1_000 },
    )
    .toBe(0);
  const reservations = await h.db
    .selectFrom('stock_reservations')
    .select(['order_id', 'status'])
    .where('warehouse_code', '=', warehouse)
    .execute();
  const ghostIds = new Set(ghosts.map((g) => g.orderId));
  expect(reservations.filter((r) => ghostIds.has(r.order_id) && r.status === 'released')).toHaveLength(
    ghosts.length,
  );
  expect(
    reservations.filter((r) => r.order_id === first || r.order_id === last).map((r) => r.status),
  ).not.toContain('released');
  const stock = await h.db
    .selectFrom('stock')
    .select(({ fn }) => [fn.sum<string>('on_hand').as('onHand'), fn.sum<string>('reserved').as('reserved')])
    .where('warehouse_code', '=', warehouse)
    .executeTakeFirstOrThrow();
  expect(Number(stock.onHand)).toBe(SKUS * 5);
  expect(Number(stock.reserved)).toBe(2);

  // The receipt outgrew one run: the workflow continued as new in the middle of it.
  const history = await h.client.workflow
    .getHandle(stockArrivalsWorkflowId(h.config.TASK_QUEUE_ORDERS))
    .fetchHistory();
  const started = history.events![0]!.workflowExecutionStartedEventAttributes!;
  expect(started.continuedExecutionRunId).toBeTruthy();
  expect(history.events!.length).toBeLessThan(300 + 1_000);
});
