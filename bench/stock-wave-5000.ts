import { bundleWorkflowCode } from '@temporalio/worker';
import { sql } from 'kysely';
import { allocateOrder, type WarehouseShare } from '../activities/stock/allocate.js';
import { renderPickListPdf } from '../integrations/wms/pick-list-pdf.js';
import type { Db } from '../db/connect.js';
import { saveSku } from '../db/queries/catalog.js';
import { createWarehouse, receiveStock, verifyLedger } from '../db/queries/stock.js';
import { assignBin, confirmPack, confirmPick, createWave, loadWave } from '../db/queries/wms.js';
import { formParcels } from '../domain/parcels/form.js';
import { DEFAULT_MERGE_POLICY, type ReadyOrder } from '../domain/parcels/types.js';
import { createOrderWorker, workflowsPath } from '../worker/create-worker.js';
import { openBenchDatabase } from './stock-reservations.js';
import { printFigures, quietBundler } from './support/ceiling.js';
import { benchApiKey, benchOrder, createOwnStore, pushOwnOrder } from './support/fixtures.js';
import { startBenchStack } from './support/stack.js';
import { argValue, fmt, runPool } from './support/stats.js';

/**
 * The benchmark, "a 5,000-order wave formed and picked", through the real path: N orders
 * pushed by a store are audited and reserved by their order workflows and become ready at one
 * warehouse; waveWorkflow collects them (size cap N, so exactly one wave), forms the parcels
 * (merged and split), has the WMS write the pick list and pack tasks, starts a shipment per parcel
 * and tells every order its parcels; then every pick line is confirmed through `POST
 * /wms/pick-confirmations` until every shipment has heard its parcel is picked. A second, labelled
 * figure runs the same wave straight against the database (no Temporal, no API) for comparison.
 *
 *   npm run bench -- stock-wave-5000 --orders 5000 --skus 300
 */
const ORDERS = argValue('orders', 5000);
const SKUS = argValue('skus', 300);
const CONCURRENCY = argValue('concurrency', 16);
const WAREHOUSE = 'BW-WAVE';
const PROVINCE = '浙江省';

function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function timed<T>(label: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await work();
  const ms = performance.now() - started;
  console.log(`  ${label.padEnd(34)} ${fmt(ms / 1000, 2).padStart(8)} s`);
  return result;
}

/** The warehouse: SKUs across four zones (some cold-chain, some fragile), a bin each, stock for all. */
async function seedWaveWarehouse(db: Db): Promise<string[]> {
  await createWarehouse(db, {
    code: WAREHOUSE,
    name: '基准仓',
    province: PROVINCE,
    coverage: [{ province: PROVINCE, priority: 1 }],
    capabilities: ['cold_chain', 'fragile'],
  });
  const skus: string[] = [];
  for (let i = 0; i < SKUS; i++) {
    const code = `WSKU-${i}`;
    const flags = i % 20 === 0 ? ['cold_chain'] : i % 7 === 0 ? ['fragile'] : [];
    await saveSku(
      db,
      {
        code,
        name: `商品 ${i}`,
        weightG: 100 + (i % 30) * 150,
        lengthMm: 200,
        widthMm: 150,
        heightMm: 80,
        flags,
      },
      'create',
    );
    const zone = 'ABCD'[i % 4]!;
    const bin = `${zone}-${String(1 + (i % 20)).padStart(2, '0')}-${String(1 + ((i * 7) % 10)).padStart(2, '0')}-${1 + (i % 4)}`;
    await assignBin(db, { warehouse: WAREHOUSE, bin, sku: code });
    skus.push(code);
  }
  await receiveStock(db, {
    key: 'seed-wave-stock',
    warehouse: WAREHOUSE,
    kind: 'purchase',
    lines: skus.map((sku) => ({ sku, qty: ORDERS * 2 })),
    actor: 'bench',
  });
  return skus;
}

/** Order i: 1–3 lines of 1–2 units; about one in ten shares a buyer and address with the one before. */
function orderShape(i: number, skus: string[], random: () => number) {
  const buyer = i % 10 === 1 ? i - 1 : i;
  const lines = Array.from({ length: 1 + Math.floor(random() * 3) }, (_, l) => ({
    lineId: String(l + 1),
    platformSkuId: '',
    skuCode: skus[Math.floor(random() * skus.length)]!,
    title: '',
    quantity: 1 + Math.floor(random() * 2),
    unitPriceFen: 1000,
    discountFen: 0,
  }));
  const receiver = {
    name: `买家${buyer}`,
    phone: `138${String(buyer).padStart(8, '0')}`,
    country: 'CN',
    province: PROVINCE,
    city: '杭州市',
    district: '西湖区',
    detail: `文三路${buyer}号`,
    protected: false,
  };
  return { buyer, lines, receiver };
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const count = async (db: Db, query: string) =>
  Number((await sql<{ n: number }>`${sql.raw(query)}`.execute(db)).rows[0]!.n);

async function throughTheWavePath(): Promise<Array<[string, string]>> {
  const stack = await startBenchStack({
    // One wave of exactly ORDERS: the cap releases it; the window never does.
    WAVE_WINDOW_SECONDS: '86400',
    WAVE_SIZE_CAP: String(ORDERS),
    TRACKING_POLL_SECONDS: '3600',
  });
  const { db, client, config } = stack;
  try {
    const skus = await seedWaveWarehouse(db);
    const ops = await benchApiKey(db, ['ops']);
    const crew = await benchApiKey(db, ['warehouse']);
    const store = await createOwnStore(stack.apiUrl, ops, 'wave-store');
    const bundle = await bundleWorkflowCode({ workflowsPath: workflowsPath(), logger: quietBundler });
    const worker = await createOrderWorker({
      connection: stack.workerConnection,
      db,
      config,
      client,
      workflowBundle: bundle,
    });
    const running = worker.run();
    const random = prng(42);
    const runId = Date.now().toString(36);
    try {
      console.log(`through waveWorkflow: ${ORDERS} orders over ${SKUS} SKUs`);
      await timed(`push ${ORDERS} orders (signed webhooks)`, () =>
        runPool(ORDERS, CONCURRENCY, async (i) => {
          const { buyer, lines, receiver } = orderShape(i, skus, random);
          const goods = lines.reduce((n, l) => n + l.quantity * l.unitPriceFen, 0);
          const order = {
            ...benchOrder(i, runId),
            buyer: { id: `buyer-${runId}-${buyer}` },
            receiver,
            lines,
            amounts: { goodsFen: goods, discountFen: 0, shippingFen: 0, paidFen: goods },
          };
          const status = await pushOwnOrder(stack.apiUrl, store, order);
          if (status !== 202) throw new Error(`order ${i}: webhook answered ${status}`);
        }),
      );
      await timed('audit + reserve + join the wave', () =>
        until(
          `${ORDERS} orders in the wave`,
          async () =>
            (await count(
              db,
              `select count(distinct order_id)::int as n from order_events where stage = 'allocated'`,
            )) >= ORDERS,
          30 * 60_000,
        ),
      );
      await until(
        'the wave to form and every order to hear of its parcels',
        async () =>
          (await count(
            db,
            `select count(distinct order_id)::int as n from order_events where stage = 'parcel_assigned'`,
          )) >= ORDERS,
        30 * 60_000,
      );
      const { rows } = await sql<{ ready: Date; waved: Date; told: Date; wave: string; parcels: number }>`
        select (select max(at) from order_events where stage = 'allocated') as ready,
               w.created_at as waved, w.id as wave, w.parcel_count as parcels,
               (select max(at) from order_events where stage = 'parcel_assigned') as told
        from wms_waves w order by w.created_at limit 1`.execute(db);
      const f = rows[0]!;
      const waves = await count(db, 'select count(*)::int as n from wms_waves');
      const wave = (await loadWave(db, f.wave))!;
      await until(
        'every shipment to start',
        async () => (await count(db, 'select count(*)::int as n from shipments')) >= f.parcels,
        10 * 60_000,
      );

      const pickStarted = performance.now();
      await runPool(wave.pickList.length, 4, async (i) => {
        const line = wave.pickList[i]!;
        const res = await fetch(`${stack.apiUrl}/wms/pick-confirmations`, {
          method: 'POST',
          headers: { authorization: `Bearer ${crew}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            key: `bench-${line.seq}`,
            waveId: f.wave,
            line: line.seq,
            outcome: 'picked',
            qty: line.qty,
          }),
        });
        if (res.status !== 200) throw new Error(`pick line ${line.seq}: ${res.status} ${await res.text()}`);
      });
      const confirmedMs = performance.now() - pickStarted;
      await until(
        'every shipment to hear its parcel is picked',
        async () =>
          (await count(db, `select count(*)::int as n from shipments where stage = 'picked'`)) >= f.parcels,
        30 * 60_000,
      );
      const pickedMs = performance.now() - pickStarted;
      const { mismatches } = await verifyLedger(db);
      return [
        ['orders / parcels / pick stops', `${ORDERS} / ${f.parcels} / ${wave.pickList.length}`],
        ['waves formed', String(waves)],
        [
          'last order ready → pick list + pack tasks',
          `${fmt((f.waved.getTime() - f.ready.getTime()) / 1000, 2)} s`,
        ],
        [
          'last order ready → every order told its parcels',
          `${fmt((f.told.getTime() - f.ready.getTime()) / 1000, 2)} s`,
        ],
        [
          `pick lines confirmed via API (4 handhelds)`,
          `${fmt(confirmedMs / 1000, 2)} s  (${fmt((wave.pickList.length / confirmedMs) * 1000)} lines/s)`,
        ],
        ['first confirmation → every shipment picked', `${fmt(pickedMs / 1000, 2)} s`],
        ['ledger mismatches', String(mismatches.length)],
      ];
    } finally {
      worker.shutdown();
      await running;
    }
  } finally {
    await stack.stop();
  }
}

/** The same wave straight against the database: what the WMS's own work costs without the engine. */
async function straightToTheDatabase(): Promise<Array<[string, string]>> {
  const bench = await openBenchDatabase('wave', CONCURRENCY + 2);
  const { db } = bench;
  const random = prng(42);
  try {
    const skus = await seedWaveWarehouse(db);
    console.log(`straight to the database: ${ORDERS} orders (${CONCURRENCY} concurrent allocations)`);
    const orders: ReadyOrder[] = [];
    const allocateStarted = performance.now();
    await runPool(ORDERS, CONCURRENCY, async (i) => {
      const { buyer, lines, receiver } = orderShape(i, skus, random);
      const orderId = `order:taobao:shop-1:W${i}`;
      const result = await allocateOrder(db, {
        orderId,
        allocationId: `${orderId}:alloc:1`,
        order: { platform: 'taobao', shopId: 'shop-1', lines, receiver },
      });
      if (result.kind !== 'allocated') throw new Error(`order ${i}: ${result.reason}`);
      for (const share of result.shares as WarehouseShare[]) {
        orders.push({
          orderId,
          allocationId: result.allocationId,
          platform: 'taobao',
          shopId: 'shop-1',
          buyerId: `buyer-${buyer}`,
          receiver,
          type: 'normal',
          refundStatus: 'none',
          held: false,
          locked: false,
          urgent: false,
          readyAt: new Date(Date.UTC(2026, 10, 27, 8, 0, Math.floor(i / 100))).toISOString(),
          warehouse: share.warehouse,
          lines: share.lines,
        });
      }
    });
    const allocateMs = performance.now() - allocateStarted;
    const formStarted = performance.now();
    // The wave workflow's policy at the default config, so both figures are of the same wave shape.
    const parcels = formParcels(orders, {
      carrierLimits: { maxWeightG: 30_000 },
      policy: DEFAULT_MERGE_POLICY,
      idPrefix: 'WAVE-1-P',
    });
    const formMs = performance.now() - formStarted;
    const waveStarted = performance.now();
    const wave = await createWave(db, { waveId: 'WAVE-1', warehouse: WAREHOUSE, parcels });
    const waveMs = performance.now() - waveStarted;
    const full = (await loadWave(db, 'WAVE-1'))!;
    const pdfStarted = performance.now();
    const pdf = await renderPickListPdf({
      waveId: 'WAVE-1',
      warehouse: WAREHOUSE,
      createdAt: full.createdAt,
      parcelCount: parcels.length,
      lines: full.pickList,
    });
    const pdfMs = performance.now() - pdfStarted;
    const pickStarted = performance.now();
    for (const line of wave.pickList) {
      await confirmPick(db, {
        key: `WAVE-1-pick-${line.seq}`,
        waveId: 'WAVE-1',
        line: line.seq,
        outcome: 'picked',
        qty: line.qty,
        actor: 'bench',
      });
    }
    const pickMs = performance.now() - pickStarted;
    const packStarted = performance.now();
    await runPool(parcels.length, CONCURRENCY, async (i) => {
      const parcel = parcels[i]!;
      await confirmPack(db, {
        key: `${parcel.id}-pack`,
        parcelId: parcel.id,
        weightG: parcel.weightG + 50,
        lengthMm: 300,
        widthMm: 200,
        heightMm: 150,
        actor: 'bench',
      });
    });
    const packMs = performance.now() - packStarted;
    const { mismatches } = await verifyLedger(db);
    const merged = parcels.filter((p) => p.orderIds.length > 1).length;
    const s = (ms: number) => `${fmt(ms / 1000, 2)} s`;
    return [
      ['parcels (merged) / pick stops', `${parcels.length} (${merged}) / ${wave.pickList.length}`],
      ['allocate + reserve', s(allocateMs)],
      ['form parcels (merge + split)', s(formMs)],
      ['create wave (pick list + pack tasks)', s(waveMs)],
      ['render pick list PDF', `${s(pdfMs)}  (${fmt(pdf.length / 1024, 0)} KiB)`],
      ['confirm every pick line', s(pickMs)],
      ['pack every parcel', s(packMs)],
      ['wave status / ledger mismatches', `${(await loadWave(db, 'WAVE-1'))!.status} / ${mismatches.length}`],
    ];
  } finally {
    await bench.close();
  }
}

export async function run(): Promise<void> {
  const wavePath = await throughTheWavePath();
  const direct = await straightToTheDatabase();
  printFigures(`stock-wave-5000: ${ORDERS} orders through waveWorkflow and the WMS API`, wavePath);
  printFigures('stock-wave-5000 (second figure): the same wave straight against the database', direct);
}
