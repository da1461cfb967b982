import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  benchApiKey,
  benchOrder,
  createBenchSku,
  createOwnStore,
  pushOwnOrder,
  setupBenchWarehouse,
} from '../../bench/support/fixtures.js';
import { upsertCarrierAccount } from '../../db/queries/carriers.js';
import { startWarehouseRobot, type WarehouseRobot } from '../../sandbox/warehouse-robot.js';
import { describeRun } from '../../scripts/chaos/diagnose.js';
import { checkInvariants, formatReport } from '../../scripts/chaos/invariants.js';
import { SENDER, startCarrierSandbox, type CarrierSandboxServer } from '../support/fulfilment.js';
import { createHarness, type Harness } from '../support/harness.js';
import { PATIENCE_MS } from '../support/waits.js';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process.js';

/**
 * The fault run (docs/chaos.md): signed own-store orders pushed (each delivered twice, as a store
 * retrying would) while the only worker process is SIGKILLed and restarted on a schedule and the
 * carrier simulators answer 5xx, 429 bursts and slow responses; a simulated crew picks, packs and
 * hands over. Then the invariant checker. `npm run chaos -- faults` runs it at full size
 * (FAULT_ORDERS, FAULT_KILLS); the suite runs a small one.
 */
const ORDERS = Number(process.env.FAULT_ORDERS ?? 12);
const KILLS = Number(process.env.FAULT_KILLS ?? 2);
/** How long a worker lives, once it has moved an order on, before it is killed. */
const KILL_EVERY_MS = Number(process.env.FAULT_KILL_EVERY_MS ?? 3_000);
const WEATHER = { errorRate: 0.2, burstEveryMs: 6_000, burstMs: 1_000, slowRate: 0.2, slowMs: 500 };
const TIMEOUT = Math.max(900_000, ORDERS * 2_000);
const settings = {
  WAVE_WINDOW_SECONDS: '1',
  TRACKING_POLL_SECONDS: '3600',
  STICKY_TIMEOUT_SECONDS: '1',
};

let h: Harness;
let api: FastifyInstance;
let carriers: CarrierSandboxServer;
let worker: WorkerProcess | undefined;
/** The worker processes that ended without being killed by the test. */
const crashed: WorkerProcess[] = [];
let robot: WarehouseRobot | undefined;

beforeAll(async () => {
  carriers = await startCarrierSandbox();
  h = await createHarness({ ...carriers.env, ...settings });
  api = await h.api();
  await api.listen({ port: 0, host: '127.0.0.1' });
  await createBenchSku(h.db);
  await setupBenchWarehouse(h.db, 'FAULT-WH', { 'BENCH-SKU': ORDERS * 2 });
}, TIMEOUT);
afterAll(async () => {
  await robot?.stop();
  worker?.kill('SIGKILL');
  carriers.chaos.set(undefined);
  await h.teardown();
  await carriers.close();
});

const killed = new WeakSet<WorkerProcess>();
function startWorker(): WorkerProcess {
  const started = startWorkerProcess(h, { ...carriers.env, ...settings });
  started.once('exit', () => {
    if (!killed.has(started)) crashed.push(started);
  });
  return started;
}

/**
 * What the run looks like now, for a failure message: the worker's health and last lines (and any
 * worker that died by itself), then where the orders, the wave and the parcels are
 * (scripts/chaos/diagnose.ts), the crew's and the carriers' counts.
 */
async function diagnose(shopId: string): Promise<string> {
  const lines: string[] = [];
  for (const dead of crashed) lines.push(`a worker died by itself:\n${await dead.describe()}`);
  if (worker) lines.push(`current ${await worker.describe()}`);
  lines.push(
    ...(await describeRun({
      db: h.db,
      client: h.client,
      namespace: h.config.TEMPORAL_NAMESPACE,
      taskQueue: h.config.TASK_QUEUE_ORDERS,
      shopId,
      warehouse: 'FAULT-WH',
    })),
  );
  if (robot) lines.push(`crew: ${JSON.stringify(robot.stats())}`);
  lines.push(`carriers: ${JSON.stringify(carriers.chaos.counts)}`);
  return lines.join('\n');
}

/**
 * Waits for `done` (a condition, checked every half second), and fails at once, saying what the
 * run looks like, if the worker dies by itself; after `timeout` it fails saying the same.
 */
async function until(what: string, shopId: string, done: () => Promise<boolean>, timeout: number) {
  const deadline = Date.now() + timeout;
  for (;;) {
    if (crashed.length) throw new Error(`${what}: a worker died by itself\n${await diagnose(shopId)}`);
    if (await done()) return;
    if (Date.now() > deadline)
      throw new Error(`${what}: not within ${Math.round(timeout / 1000)} s\n${await diagnose(shopId)}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** Events recorded so far on the shop's orders and parcels. */
async function progress(shopId: string): Promise<number> {
  const [orders, parcels] = await Promise.all([
    h.db
      .selectFrom('order_events as e')
      .innerJoin('orders as o', 'o.id', 'e.order_id')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('o.shop_id', '=', shopId)
      .executeTakeFirstOrThrow(),
    h.db
      .selectFrom('shipment_events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return Number(orders.n) + Number(parcels.n);
}

async function kill(child: WorkerProcess): Promise<void> {
  killed.add(child);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

it(
  `${ORDERS} orders reach their waybills once each through ${KILLS} worker kills and carrier faults`,
  async () => {
    const apiUrl = `http://127.0.0.1:${(api.server.address() as { port: number }).port}`;
    const ops = await benchApiKey(h.db, ['ops']);
    const crew = await benchApiKey(h.db, ['warehouse']);
    const store = await createOwnStore(apiUrl, ops, 'fault-store');
    await upsertCarrierAccount(h.db, store.shopId, {
      carrier: 'ZTO',
      enabled: true,
      waybillChannel: 'cainiao',
      sender: SENDER,
    });

    carriers.chaos.set(WEATHER);
    worker = startWorker();
    robot = startWarehouseRobot({
      apiUrl,
      apiKey: crew,
      intervalMs: 250,
      handover: true,
      seed: 'faults',
      // What the crew could not do says why an order did not ship, should one not.
      log: (line) => process.stderr.write(`[faults] ${line}\n`),
    });
    const runId = Date.now().toString(36);
    const orders = Array.from({ length: ORDERS }, (_, i) => benchOrder(i + 1, runId));

    // Every order pushed twice (a store that did not hear our answer sends it again), spread over
    // the kills.
    const pushes = (async () => {
      for (const order of orders) {
        for (let copy = 0; copy < 2; copy++) {
          const status = await pushOwnOrder(apiUrl, store, order);
          expect(status, `push of ${order.platformOrderId}`).toBeLessThan(300);
        }
      }
    })();
    for (let k = 0; k < KILLS; k++) {
      // Killed mid-work: only once this worker has moved something on (a worker still starting up
      // would lose nothing), and some time after.
      const before = await progress(store.shopId);
      await until(
        `worker ${k + 1} moves an order on`,
        store.shopId,
        async () => (await progress(store.shopId)) > before,
        PATIENCE_MS,
      );
      await new Promise((resolve) => setTimeout(resolve, KILL_EVERY_MS));
      await kill(worker);
      worker = startWorker();
    }
    await pushes;

    // Every order handed to its carrier: status shipped, with its waybill.
    await until(
      `all ${ORDERS} orders shipped`,
      store.shopId,
      async () =>
        (
          await h.db
            .selectFrom('orders')
            .select('status')
            .where('shop_id', '=', store.shopId)
            .where('status', '=', 'shipped')
            .execute()
        ).length === ORDERS,
      Math.max(PATIENCE_MS, TIMEOUT - 120_000),
    );
    process.stderr.write(`[faults] all shipped; worker health: ${await worker.health()}\n`);
    const weather = { ...carriers.chaos.counts };
    carriers.chaos.set(undefined);
    await robot.stop();

    const report = await checkInvariants(h.db, {
      expected: orders.map((o) => ({
        platform: 'own',
        shopId: store.shopId,
        platformOrderId: o.platformOrderId,
      })),
      client: h.client,
    });
    process.stderr.write(
      `[faults] ${ORDERS} orders, ${KILLS} kills, carriers: ${JSON.stringify(weather)}, crew: ${JSON.stringify(robot.stats())}\n${formatReport(report)}\n`,
    );
    // The weather did reach the ERP: some carrier calls failed and were retried.
    expect(weather.errors + weather.throttled).toBeGreaterThan(0);
    expect(report.orders).toBe(ORDERS);
    expect(
      report.checks.filter((c) => c.violations.length),
      formatReport(report),
    ).toEqual([]);
  },
  TIMEOUT,
);
