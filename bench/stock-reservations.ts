import { chmod, mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createDb, withDatabase, type Db } from '../db/connect.js';
import { startEmbeddedPostgres } from '../db/embedded.js';
import { migrateToLatest } from '../db/migrate.js';
import { saveSku } from '../db/queries/catalog.js';
import { createWarehouse, receiveStock, reserveStock, verifyLedger } from '../db/queries/stock.js';
import { argValue, fmt, percentile, runPool } from './support/stats.js';

/**
 * Reservations per second on the real database, each one the conditional UPDATE + ledger + reservation
 * rows an order's allocation writes. Two shapes: every order after the same SKU (one hot row, the
 * livestream case) and orders spread over many SKUs; plus the oversell check at the end of each.
 *
 *   npm run bench -- stock-reservations --reservations 5000 --concurrency 32 --skus 200
 */
const RESERVATIONS = argValue('reservations', 5000);
const CONCURRENCY = argValue('concurrency', 32);
const SKUS = argValue('skus', 200);

export interface BenchDatabase {
  db: Db;
  /** The benchmark's own database on the server (`erp_bench_<name>_<pid>`). */
  database: string;
  /** Closes the pool and drops the database, unless `keep` (to look at it afterwards). */
  close(options?: { keep?: boolean }): Promise<void>;
}

/** A fresh, migrated database: on DATABASE_URL's server if set, else an embedded one in a temp dir. */
export async function openBenchDatabase(name: string, poolSize: number): Promise<BenchDatabase> {
  let dir: string | undefined;
  let embedded: Awaited<ReturnType<typeof startEmbeddedPostgres>> | undefined;
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    dir = await mkdtemp(path.join(os.tmpdir(), 'erp-bench-stock-'));
    // The embedded cluster runs as the `postgres` OS user when we are root; it must reach its data dir.
    await chmod(dir, 0o755);
    embedded = await startEmbeddedPostgres({
      dataDir: path.join(dir, 'pg'),
      port: await freePort(),
      persistent: false,
    });
    adminUrl = embedded.adminUrl;
  }
  const database = `erp_bench_${name}_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${database} with (force)`);
  await admin.query(`create database ${database}`);
  const db = createDb({ url: withDatabase(adminUrl, database), poolSize });
  await migrateToLatest(db);
  return {
    db,
    database,
    async close(options) {
      await db.destroy();
      if (options?.keep && !embedded) {
        await admin.end();
        return;
      }
      // pool.end() resolves before its sockets close; wait for the server to let go before dropping.
      for (let i = 0; i < 100; i++) {
        const { rows } = await admin.query<{ n: number }>(
          'select count(*)::int as n from pg_stat_activity where datname = $1',
          [database],
        );
        if (rows[0]!.n === 0) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      await admin.query(`drop database if exists ${database} with (force)`);
      await admin.end();
      await embedded?.stop();
      if (dir) await rm(dir, { recursive: true, force: true });
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function scenario(db: Db, label: string, skus: string[], unitsPerSku: number) {
  const warehouse = `BW-${label}`;
  await createWarehouse(db, {
    code: warehouse,
    name: label,
    province: '浙江',
    coverage: [{ province: '浙江', priority: 1 }],
    capabilities: [],
  });
  for (const sku of skus) {
    await receiveStock(db, {
      key: `${label}-seed-${sku}`,
      warehouse,
      kind: 'purchase',
      lines: [{ sku, qty: unitsPerSku }],
      actor: 'bench',
    });
  }
  const latencies: number[] = [];
  let reserved = 0;
  let refused = 0;
  const started = performance.now();
  await runPool(RESERVATIONS, CONCURRENCY, async (i) => {
    const sku = skus[i % skus.length]!;
    const t = performance.now();
    const { outcome } = await reserveStock(db, {
      key: `${label}-order-${i}`,
      orderId: `${label}-order-${i}`,
      allocationId: `${label}-order-${i}:1`,
      parts: [{ warehouse, lines: [{ sku, qty: 1 }] }],
      actor: 'bench',
    });
    latencies.push(performance.now() - t);
    if (outcome.ok) reserved += 1;
    else refused += 1;
  });
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const stock = await db
    .selectFrom('stock')
    .select((eb) => [eb.fn.sum<number>('reserved').as('reserved'), eb.fn.sum<number>('on_hand').as('onHand')])
    .where('warehouse_code', '=', warehouse)
    .executeTakeFirstOrThrow();
  const oversold = Number(stock.reserved) > Number(stock.onHand);
  console.log(
    `${label.padEnd(10)} ${fmt(RESERVATIONS / seconds, 0).padStart(7)} reservations/s  ` +
      `p50 ${fmt(percentile(latencies, 50))} ms  p99 ${fmt(percentile(latencies, 99))} ms  ` +
      `reserved ${reserved}, refused ${refused} (stock ${stock.onHand}), oversold: ${oversold ? 'YES' : 'no'}`,
  );
}

export async function run(): Promise<void> {
  const bench = await openBenchDatabase('stock', CONCURRENCY + 2);
  try {
    const { db } = bench;
    const skus: string[] = [];
    for (let i = 0; i < SKUS; i++) {
      const code = `BSKU-${i}`;
      await saveSku(
        db,
        { code, name: code, weightG: 300, lengthMm: 100, widthMm: 100, heightMm: 50, flags: [] },
        'create',
      );
      skus.push(code);
    }
    console.log(
      `stock reservations: ${RESERVATIONS} single-line reservations, ${CONCURRENCY} concurrent, ${os.cpus().length} CPUs`,
    );
    // One hot SKU with stock for 80% of the orders: contention on one row, and the refusals at the end.
    await scenario(db, 'hot-sku', [skus[0]!], Math.floor(RESERVATIONS * 0.8));
    await scenario(db, 'spread', skus, Math.ceil(RESERVATIONS / skus.length));
    const { checked, mismatches } = await verifyLedger(db);
    console.log(`ledger check: ${checked} stock rows, ${mismatches.length} mismatches`);
  } finally {
    await bench.close();
  }
}
