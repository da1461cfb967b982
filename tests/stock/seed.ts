import pg from 'pg';
import { createDb, type Db } from '../../db/connect.js';
import { saveSku } from '../../db/queries/catalog.js';
import { createWarehouse, receiveStock } from '../../db/queries/stock.js';
import { uniqueId } from '../support/fixtures.js';

export interface SkuSeed {
  code?: string;
  weightG?: number;
  dims?: [number, number, number];
  flags?: string[];
}

/** A SKU with a unique code (files share nothing, but tests in a file should not collide either). */
export async function seedSku(db: Db, seed: SkuSeed = {}): Promise<string> {
  const code = seed.code ?? uniqueId('SKU');
  const [l, w, h] = seed.dims ?? [100, 100, 50];
  await saveSku(
    db,
    {
      code,
      name: `测试商品 ${code}`,
      weightG: seed.weightG ?? 200,
      lengthMm: l,
      widthMm: w,
      heightMm: h,
      flags: seed.flags ?? [],
    },
    'create',
  );
  return code;
}

export async function seedWarehouse(
  db: Db,
  seed: { code?: string; province?: string; coverage?: [string, number][]; capabilities?: string[] } = {},
): Promise<string> {
  const code = seed.code ?? uniqueId('WH');
  await createWarehouse(db, {
    code,
    name: `仓库 ${code}`,
    province: seed.province ?? '浙江省',
    coverage: (seed.coverage ?? [['浙江', 1]]).map(([province, priority]) => ({ province, priority })),
    capabilities: seed.capabilities ?? [],
  });
  return code;
}

export async function seedStock(db: Db, warehouse: string, sku: string, qty: number): Promise<void> {
  await receiveStock(db, {
    key: uniqueId('seed-receipt'),
    warehouse,
    kind: 'purchase',
    lines: [{ sku, qty }],
    actor: 'test',
  });
}

export async function stockRow(db: Db, warehouse: string, sku: string) {
  return db
    .selectFrom('stock')
    .select(['on_hand', 'reserved'])
    .where('warehouse_code', '=', warehouse)
    .where('sku_code', '=', sku)
    .executeTakeFirst();
}

/**
 * A pool of this file's own over the harness database. pg's `pool.end()` resolves before its sockets
 * have closed, and the harness drops the database with FORCE right after, which kills connections
 * still closing; closing our pool and waiting until the server has let go keeps teardown quiet.
 */
export function openDb(url: string, poolSize = 20): Db {
  return createDb({ url, poolSize });
}

export async function closeDb(db: Db, url: string): Promise<void> {
  await db.destroy();
  const database = new URL(url).pathname.slice(1);
  const admin = new pg.Client({ connectionString: url.replace(/\/[^/]*$/, '/postgres') });
  await admin.connect();
  try {
    for (let i = 0; i < 100; i++) {
      const { rows } = await admin.query<{ n: number }>(
        `select count(*)::int as n from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()`,
        [database],
      );
      if (rows[0]!.n === 0) return;
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    await admin.end();
  }
}
