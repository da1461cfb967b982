import { bundleWorkflowCode } from '@temporalio/worker';
import type { Db } from '../db/connect.js';
import { saveSku } from '../db/queries/catalog.js';
import { saveListing } from '../db/queries/stock-sync.js';
import { createWarehouse, receiveStock, reserveStock } from '../db/queries/stock.js';
import type { StockListing } from '../integrations/platforms/stock.js';
import { startSandbox, type Sandbox } from '../sandbox/stack.js';
import { startStockSyncs } from '../services/stock-sync/control.js';
import { createOrderWorker, workflowsPath } from '../worker/create-worker.js';
import { printFigures, quietBundler } from './support/ceiling.js';
import { benchApiKey } from './support/fixtures.js';
import { startBenchStack } from './support/stack.js';
import { argValue, fmt, runPool } from './support/stats.js';

/**
 * The issue's benchmark: a 5,000-order burst over SKUs listed on every channel, and how the
 * platforms follow. Each SKU is listed on eight shops (Taobao, PDD, JD, Douyin, Shopee, Amazon,
 * Shopify, WooCommerce) whose simulators check every signed call and keep the quantity; the
 * orders' reservations hit the stock ledger concurrently (what an order's allocation writes), the
 * ledger trigger marks the shops, and each shop's stockSyncWorkflow uploads at its interval and
 * its platform's pace. Printed: the platform calls the burst cost, per channel, and the time until
 * every simulator shows the right quantity.
 *
 *   npm run bench -- stock-sync-burst --orders 5000 --skus 20 --interval 5
 */
const ORDERS = argValue('orders', 5000);
const SKUS = argValue('skus', 20);
const INTERVAL = argValue('interval', 5);
const CONCURRENCY = argValue('concurrency', 32);
const STOCK = argValue('stock', 1000);
const WAREHOUSE = 'BW-SYNC';

const CHANNELS = ['taobao', 'pdd', 'jd', 'douyin', 'shopee', 'amazon', 'shopify', 'woocommerce'] as const;
type Channel = (typeof CHANNELS)[number];
const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** How SKU i is listed on a channel: the simulator's key and the ERP's listing (several SKUs of one item where batches apply). */
function listingOf(channel: Channel, i: number): { key: string; listing: StockListing } {
  const group = Math.floor(i / 4);
  switch (channel) {
    case 'taobao':
      return {
        key: `61${pad(i, 5)}:71${pad(i, 5)}`,
        listing: { itemId: `61${pad(i, 5)}`, skuId: `71${pad(i, 5)}` },
      };
    case 'pdd':
      return {
        key: `33${pad(i, 5)}:77${pad(i, 5)}`,
        listing: { itemId: `33${pad(i, 5)}`, skuId: `77${pad(i, 5)}` },
      };
    case 'jd':
      return { key: `1000123${pad(i, 5)}`, listing: { skuId: `1000123${pad(i, 5)}` } };
    case 'douyin': {
      const product = `36184213568744${pad(group, 5)}`;
      return {
        key: `${product}:17523988441${pad(i, 5)}`,
        listing: { itemId: product, skuId: `17523988441${pad(i, 5)}` },
      };
    }
    case 'shopee': {
      const item = `88${pad(group, 5)}`;
      return { key: `${item}:${i + 1}`, listing: { itemId: item, skuId: String(i + 1) } };
    }
    case 'amazon':
      return {
        key: `BENCH-SKU-${i}`,
        listing: { skuId: `BENCH-SKU-${i}`, extra: { productType: 'PRODUCT' } },
      };
    case 'shopify':
      return {
        key: `91${pad(i, 5)}@655441491`,
        listing: { skuId: `91${pad(i, 5)}`, extra: { locationId: '655441491' } },
      };
    case 'woocommerce':
      return {
        key: `${900 + group}:${1000 + i}`,
        listing: { itemId: String(900 + group), skuId: String(1000 + i) },
      };
  }
}

async function registerShops(apiUrl: string, opsKey: string, sandbox: Sandbox): Promise<void> {
  for (const channel of CHANNELS) {
    const shop = sandbox.shop(channel);
    const res = await fetch(`${apiUrl}/shops`, {
      method: 'POST',
      headers: { authorization: `Bearer ${opsKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        id: shop.id,
        platform: shop.platform,
        name: shop.name,
        platformShopId: shop.platformShopId,
        ...(shop.baseUrl ? { baseUrl: shop.baseUrl } : {}),
        credentials: Object.fromEntries(Object.entries(shop.credentials).filter(([, v]) => v !== '')),
        syncEnabled: false,
      }),
    });
    if (res.status !== 201) throw new Error(`shop ${channel}: ${res.status} ${await res.text()}`);
  }
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function availableBySku(db: Db): Promise<Map<string, number>> {
  const rows = await db.selectFrom('stock').select(['sku_code', 'on_hand', 'reserved']).execute();
  return new Map(rows.map((r) => [r.sku_code, Math.max(0, r.on_hand - r.reserved)]));
}

export async function run(): Promise<void> {
  const stack = await startBenchStack({
    STOCK_SYNC_INTERVAL_SECONDS: String(INTERVAL),
    STOCK_RECONCILE_SECONDS: '86400',
  });
  const sandbox = await startSandbox({
    shopIds: Object.fromEntries(CHANNELS.map((c) => [c, `bench-${c}`])),
  });
  const { db, client, config } = stack;
  try {
    await createWarehouse(db, {
      code: WAREHOUSE,
      name: '同步基准仓',
      province: '浙江省',
      coverage: [{ province: '浙江省', priority: 1 }],
      capabilities: [],
    });
    const skus = Array.from({ length: SKUS }, (_, i) => `SYNC-${i}`);
    for (const code of skus) {
      await saveSku(
        db,
        {
          code,
          name: `同步商品 ${code}`,
          weightG: 200,
          lengthMm: 100,
          widthMm: 100,
          heightMm: 50,
          flags: [],
        },
        'create',
      );
    }
    await receiveStock(db, {
      key: 'bench-sync-stock',
      warehouse: WAREHOUSE,
      kind: 'purchase',
      lines: skus.map((sku) => ({ sku, qty: STOCK })),
      actor: 'bench',
    });
    await registerShops(stack.apiUrl, await benchApiKey(db, ['ops']), sandbox);
    const listed: Array<{ channel: Channel; shopKey: string; key: string; sku: string }> = [];
    for (const channel of CHANNELS) {
      const shop = sandbox.shop(channel);
      for (const [i, sku] of skus.entries()) {
        const { key, listing } = listingOf(channel, i);
        sandbox.inventory.list(shop.platformShopId, key, 0);
        await saveListing(db, { shopId: shop.id, skuCode: sku, ...listing });
        listed.push({ channel, shopKey: shop.platformShopId, key, sku });
      }
    }

    const bundle = await bundleWorkflowCode({ workflowsPath: workflowsPath(), logger: quietBundler });
    const worker = await createOrderWorker({
      connection: stack.workerConnection,
      db,
      config,
      client,
      workflowBundle: bundle,
    });
    const running = worker.run();
    try {
      const converged = async () => {
        const available = await availableBySku(db);
        return listed.every(
          (l) => sandbox.inventory.get(l.shopKey, l.key)?.quantity === available.get(l.sku),
        );
      };
      const started = await startStockSyncs(client, db, config);
      if (started.failed.length)
        throw new Error(`stock sync did not start: ${JSON.stringify(started.failed)}`);
      await until('the first upload of every listing', converged, 10 * 60_000);
      const callsBefore = new Map(
        CHANNELS.map((c) => [c, sandbox.inventory.callsOf(sandbox.shop(c).platformShopId)]),
      );

      console.log(
        `stock sync: ${ORDERS} orders over ${SKUS} SKUs, each listed on ${CHANNELS.length} shops (${listed.length} listings), interval ${INTERVAL} s`,
      );
      let seed = 42;
      const random = () => {
        seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
        return seed / 2 ** 31;
      };
      const t0 = performance.now();
      let reserved = 0;
      await runPool(ORDERS, CONCURRENCY, async (i) => {
        const orderId = `bench-sync-${i}`;
        const outcome = await reserveStock(db, {
          key: `${orderId}:reserve`,
          orderId,
          allocationId: `${orderId}:a1`,
          parts: [
            {
              warehouse: WAREHOUSE,
              lines: [{ sku: skus[Math.floor(random() * skus.length)]!, qty: 1 + Math.floor(random() * 2) }],
            },
          ],
          actor: 'bench',
        });
        if (outcome.outcome.ok) reserved += 1;
      });
      const burstMs = performance.now() - t0;
      await until('every platform to show the right quantity', converged, 30 * 60_000);
      const convergedMs = performance.now() - t0;

      const calls = CHANNELS.map(
        (c) => [c, sandbox.inventory.callsOf(sandbox.shop(c).platformShopId) - callsBefore.get(c)!] as const,
      );
      const total = calls.reduce((n, [, c]) => n + c, 0);
      printFigures(`stock sync after a ${ORDERS}-order burst`, [
        [
          'orders reserved',
          `${reserved} of ${ORDERS} (${fmt(burstMs / 1000, 1)} s, ${CONCURRENCY} at a time)`,
        ],
        ['listings', `${listed.length} (${SKUS} SKUs × ${CHANNELS.length} shops)`],
        ['platform calls (all shops)', `${total} (${fmt(total / ORDERS, 3)} per order)`],
        ...calls.map(([c, n]) => [`  ${c}`, String(n)] as [string, string]),
        ['converged after burst start', `${fmt(convergedMs / 1000, 1)} s`],
        ['converged after burst end', `${fmt((convergedMs - burstMs) / 1000, 1)} s`],
      ]);
    } finally {
      worker.shutdown();
      await running;
    }
  } finally {
    await sandbox.stop();
    await stack.stop();
  }
}
