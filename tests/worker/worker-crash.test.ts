import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { inject } from 'vitest';
import { orderWorkflowId } from '../../domain/ids.js';
import { PAID_LATER_STAGES, createShop, orderPush, seedCatalog } from '../support/fixtures.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { createHarness, type Harness } from '../support/harness.js';
import { submitOrder } from '../support/intake.js';
import { waitForOrderStatus, waitForState } from '../support/waits.js';

let h: Harness;
let child: ChildProcess | undefined;

beforeAll(async () => {
  h = await createHarness();
  await seedCatalog(h.db);
});
afterAll(async () => {
  child?.kill('SIGKILL');
  await h.teardown();
});

/** The production worker entry point (`npm run worker`) as a separate process we can kill -9. */
function startWorkerProcess(): ChildProcess {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts'], {
    env: {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      DATABASE_URL: h.databaseUrl,
      TEMPORAL_ADDRESS: h.config.TEMPORAL_ADDRESS,
      TASK_QUEUE_ORDERS: h.config.TASK_QUEUE_ORDERS,
      STICKY_TIMEOUT_SECONDS: '1',
      WORKFLOW_BUNDLE_PATH: inject('workflowBundlePath'),
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  proc.stderr?.on('data', (chunk: Buffer) => process.stderr.write(`[worker process] ${chunk}`));
  return proc;
}

it('finishes an order exactly once after its worker is killed mid-workflow and another worker takes over', async () => {
  const shopId = await createShop(h.db, 'jd', { unpaidCancelSeconds: 600 });
  const api = await h.api();
  const opsAuth = bearer(await apiKeyFor(h.db, ['ops']));
  const now = Date.now();
  const order = orderPush({
    status: 'awaiting_payment',
    paidAt: undefined,
    createdAt: new Date(now).toISOString(),
    modifiedAt: new Date(now).toISOString(),
  });
  const id = orderWorkflowId('jd', shopId, order.platformOrderId);

  child = startWorkerProcess();
  expect((await submitOrder(api, { platform: 'jd', shopId, order }, opsAuth)).statusCode).toBe(202);
  // The first worker captured the order and parked it waiting for payment...
  await waitForOrderStatus(h.db, id, 'awaiting_payment', 60_000);
  // ...and dies without any chance to clean up.
  child.kill('SIGKILL');
  await new Promise((resolve) => child!.once('exit', resolve));

  // Payment arrives while no worker is running: it is stored durably in the workflow's history.
  const paidAt = new Date().toISOString();
  const paid = { ...order, status: 'paid' as const, paidAt, modifiedAt: paidAt };
  expect((await submitOrder(api, { platform: 'jd', shopId, order: paid }, opsAuth)).statusCode).toBe(202);

  await h.startWorker({ identity: 'replacement-worker' });
  await waitForOrderStatus(h.db, id, 'completed', 30_000);
  const final = await waitForState(h.client, id, (s) => s.status === 'completed');

  const rows = await h.db
    .selectFrom('orders')
    .select('id')
    .where('platform_order_id', '=', order.platformOrderId)
    .execute();
  expect(rows).toHaveLength(1);
  const events = await h.db
    .selectFrom('order_events')
    .select(['seq', 'stage'])
    .where('order_id', '=', id)
    .orderBy('seq')
    .execute();
  expect(events.map((e) => e.stage)).toEqual(PAID_LATER_STAGES);
  expect(final.timeline.map((t) => t.stage)).toEqual(events.map((e) => e.stage));

  // One run of the workflow, completed once.
  const history = await h.client.workflow.getHandle(id).fetchHistory();
  const completions = history.events?.filter((e) => e.workflowExecutionCompletedEventAttributes) ?? [];
  expect(completions).toHaveLength(1);
  const runs: string[] = [];
  for await (const wf of h.client.workflow.list({ query: `WorkflowId = '${id}'` })) runs.push(wf.runId);
  expect(runs).toHaveLength(1);
});
