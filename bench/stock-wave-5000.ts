import { allocateOrder, type WarehouseShare } from '../activities/stock/allocate.js';
import { renderPickListPdf } from '../activities/wms/pick-list-pdf.js';
import { saveSku } from '../db/queries/catalog.js';
import { createWarehouse, receiveStock, verifyLedger } from '../db/queries/stock.js';
import { assignBin, confirmPack, confirmPick, createWave, loadWave } from '../db/queries/wms.js';
import { formParcels } from '../domain/parcels/form.js';
import { DEFAULT_MERGE_POLICY, type ReadyOrder } from '../domain/parcels/types.js';
import { openBenchDatabase } from './stock-reservations.js';
import { argValue, fmt, runPool } from './support/stats.js';

/**
 * One big wave: N orders allocated, formed into parcels (merged and split), written as a pick list and
 * pack tasks, every line picked and every parcel packed, timing each stage.
 *
 *   npm run bench -- stock-wave-5000 --orders 5000 --skus 300
 */
const ORDERS = argValue('orders', 5000);
const SKUS = argValue('skus', 300);
const CONCURRENCY = argValue('concurrency', 16);
const WAREHOUSE = 'BW-WAVE';

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

export async function run(): Promise<void> {
  const bench = await openBenchDatabase('wave', CONCURRENCY + 2);
  const { db } = bench;
  const random = prng(42);
  try {
    await createWarehouse(db, {
      code: WAREHOUSE,
      name: '基准仓',
      province: '浙江',
      coverage: [{ province: '浙江', priority: 1 }],
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
      await receiveStock(db, {
        key: `seed-${code}`,
        warehouse: WAREHOUSE,
        kind: 'purchase',
        lines: [{ sku: code, qty: ORDERS }],
        actor: 'bench',
      });
      skus.push(code);
    }
    console.log(`wave of ${ORDERS} orders over ${SKUS} SKUs (${CONCURRENCY} concurrent allocations)`);

    const orders: ReadyOrder[] = [];
    await timed(`allocate + reserve ${ORDERS} orders`, () =>
      runPool(ORDERS, CONCURRENCY, async (i) => {
        // About one order in ten shares a buyer and address with the one before: they merge.
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
          province: '浙江省',
          city: '杭州市',
          district: '西湖区',
          detail: `文三路${buyer}号`,
          protected: false,
        };
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
            urgent: i % 25 === 0,
            readyAt: new Date(Date.UTC(2026, 10, 27, 8, 0, Math.floor(i / 100))).toISOString(),
            warehouse: share.warehouse,
            lines: share.lines,
          });
        }
      }),
    );

    const parcels = await timed('form parcels (merge + split)', async () =>
      formParcels(orders, {
        carrierLimits: { maxWeightG: 10_000, maxVolumeCm3: 60_000 },
        policy: { ...DEFAULT_MERGE_POLICY, separateFragile: true },
        idPrefix: 'WAVE-1-P',
      }),
    );
    const merged = parcels.filter((p) => p.orderIds.length > 1).length;
    const units = parcels.reduce((s, p) => s + p.contents.reduce((t, c) => t + c.qty, 0), 0);
    console.log(`    ${parcels.length} parcels (${merged} merged), ${units} units`);

    const wave = await timed('create wave (pick list + pack tasks)', () =>
      createWave(db, { waveId: 'WAVE-1', warehouse: WAREHOUSE, parcels }),
    );
    console.log(`    ${wave.pickList.length} pick stops`);
    const full = (await loadWave(db, 'WAVE-1'))!;
    const pdf = await timed('render pick list PDF', () =>
      renderPickListPdf({
        waveId: 'WAVE-1',
        warehouse: WAREHOUSE,
        createdAt: full.createdAt,
        parcelCount: parcels.length,
        lines: full.pickList,
      }),
    );
    console.log(`    ${fmt(pdf.length / 1024, 0)} KiB`);

    let events = 0;
    await timed(`confirm ${wave.pickList.length} pick lines`, async () => {
      for (const line of wave.pickList) {
        const result = await confirmPick(db, {
          key: `WAVE-1-pick-${line.seq}`,
          waveId: 'WAVE-1',
          line: line.seq,
          outcome: 'picked',
          qty: line.qty,
          actor: 'bench',
        });
        events += result.events.length;
      }
    });
    console.log(`    ${events} events (parcels ready + wave picked)`);
    await timed(`pack ${parcels.length} parcels`, () =>
      runPool(parcels.length, CONCURRENCY, async (i) => {
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
      }),
    );
    const { mismatches } = await verifyLedger(db);
    console.log(
      `  wave status: ${(await loadWave(db, 'WAVE-1'))!.status}; ledger mismatches: ${mismatches.length}`,
    );
  } finally {
    await bench.close();
  }
}
