import { randomBytes } from 'node:crypto';
import { bundleWorkflowCode } from '@temporalio/worker';
import { credentialsCipher } from '../services/capture/credentials.js';
import { shopSyncWorkflowId, startShopSync } from '../services/capture/sync-control.js';
import type { Config } from '../config/index.js';
import { insertShop } from '../db/queries/shops.js';
import { isPlatform, type Platform } from '../domain/platforms.js';
import { startSandbox } from '../sandbox/stack.js';
import { createOrderWorker, workflowsPath } from '../worker/create-worker.js';
import { shopSyncStateQuery } from '../workflows/messages.js';
import { printFigures, quietBundler } from './support/ceiling.js';
import { argValue, fmt } from './support/stats.js';
import { startBenchStack } from './support/stack.js';

/**
 * How fast one shop's sync takes in orders from its platform: N orders preloaded in the
 * platform's simulator (real wire format, signing, paging), one shop registered, its
 * shopSyncWorkflow started on a worker of its own. Phase 1 times the sync alone until it has
 * handed every order to its workflow (signal-with-start; the order workflows wait, as they would
 * for a busy worker pool). Phase 2 then starts the order worker and times until every order's
 * projection row exists: the rest of the pipeline's capture step, on the same machine.
 *
 *   npm run bench -- shop-sync --orders 2000 [--platform pdd]
 */
const ORDERS = argValue('orders', 2000);
const platformArg = process.argv[process.argv.indexOf('--platform') + 1] ?? '';
const SYNC_QUEUE = 'bench-shop-sync';
const PLATFORM: Platform =
  process.argv.includes('--platform') && isPlatform(platformArg) ? platformArg : 'taobao';

async function waitUntil(check: () => Promise<boolean>, intervalMs = 100): Promise<void> {
  while (!(await check())) await new Promise((r) => setTimeout(r, intervalMs));
}

export async function run(): Promise<void> {
  const stack = await startBenchStack();
  const sandbox = await startSandbox({ shopIds: { [PLATFORM]: 'bench-sync' } });
  try {
    const config: Config = {
      ...stack.config,
      CREDENTIALS_KEY: randomBytes(32).toString('base64'),
      SYNC_SAFETY_LAG_SECONDS: 0,
    };
    const { db, client } = stack;
    // All placed now: the first poll (24 h back) reads them in one listing window.
    sandbox.placeOrders(PLATFORM, { count: ORDERS, scenario: 'group_buy' });
    const shop = sandbox.shop(PLATFORM);
    await insertShop(db, {
      id: shop.id,
      platform: shop.platform,
      name: shop.name,
      platformShopId: shop.platformShopId,
      baseUrl: shop.baseUrl,
      credentialsEncrypted: credentialsCipher(config).encrypt(shop.id, shop.credentials),
      pollIntervalSeconds: 3600,
      syncEnabled: true,
      settings: {},
    });

    const workflowBundle = await bundleWorkflowCode({ workflowsPath: workflowsPath(), logger: quietBundler });
    const syncWorker = await createOrderWorker({
      connection: stack.workerConnection,
      db,
      config,
      client,
      workflowBundle,
      taskQueue: SYNC_QUEUE,
    });
    const syncRun = syncWorker.run();

    const started = performance.now();
    await startShopSync(client, SYNC_QUEUE, shop);
    const handle = client.workflow.getHandle(shopSyncWorkflowId(shop.id));
    let pages = 0;
    await waitUntil(async () => {
      const state = await handle.query(shopSyncStateQuery).catch(() => null);
      pages = state?.lastRound?.pages ?? 0;
      return (state?.totals.polls ?? 0) >= 1;
    });
    const handedOffMs = performance.now() - started;
    const state = await handle.query(shopSyncStateQuery);

    const orderWorker = await createOrderWorker({
      connection: stack.workerConnection,
      db,
      config,
      client,
      workflowBundle,
    });
    const orderRun = orderWorker.run();
    const pipelineStarted = performance.now();
    await waitUntil(async () => {
      const row = await db
        .selectFrom('orders')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('shop_id', '=', shop.id)
        .executeTakeFirstOrThrow();
      return Number(row.n) >= ORDERS;
    }, 250);
    const capturedMs = performance.now() - pipelineStarted;
    syncWorker.shutdown();
    orderWorker.shutdown();
    await Promise.all([syncRun, orderRun]);

    const rows: Array<[string, string]> = [
      ['platform', `${PLATFORM} (simulator over HTTP)`],
      ['orders preloaded', String(ORDERS)],
      ['listed / handed to workflows', `${state.lastRound?.listed ?? 0} / ${state.totals.submitted}`],
      ['pages', String(pages)],
      [
        'sync round done after',
        `${fmt(handedOffMs / 1000, 2)} s  (${fmt((state.totals.submitted / handedOffMs) * 1000)} orders/s)`,
      ],
      [
        'then every order row written after',
        `${fmt(capturedMs / 1000, 2)} s  (${fmt((ORDERS / capturedMs) * 1000)} orders/s, order workflows)`,
      ],
    ];
    printFigures('shop-sync', rows);
  } finally {
    await sandbox.stop();
    await stack.stop();
  }
}
