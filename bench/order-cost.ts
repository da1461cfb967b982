import { bundleWorkflowCode } from '@temporalio/worker';
import { orderWorkflowId } from '../domain/ids.js';
import { mapLimit } from '../domain/map-limit.js';
import { startWarehouseRobot } from '../sandbox/warehouse-robot.js';
import { createOrderWorker, workflowsPath } from '../worker/create-worker.js';
import { quietBundler } from './support/ceiling.js';
import { benchOrder, pushOwnOrder } from './support/fixtures.js';
import { historyCost, type HistoryCost } from './support/history.js';
import { startLivestreamWorld } from './support/livestream-world.js';
import { countStatements, notCounted } from './support/statement-count.js';
import { argValue, fmt, runPool } from './support/stats.js';

/**
 * What one order costs the engine and the database, in counts the machine's load does not change:
 * N livestream orders (as livestream-burst sends them) carried from the signed webhook to their
 * waybill, then, per order, the history events, workflow tasks, ordinary and local activities of
 * every workflow type the run started, and the statements this process sent to PostgreSQL (each a
 * round trip) by the activity that sent them. Counts only: no time is measured, so it may run
 * beside other work.
 *
 *   npm run bench -- order-cost --orders 20
 */
const ORDERS = argValue('orders', 20);
const CONCURRENCY = argValue('concurrency', 5);
/** No history growing for this long after the last waybill: every workflow is waiting. */
const SETTLED_MS = 3000;

export async function run(): Promise<void> {
  const statements = countStatements();
  const world = await startLivestreamWorld(ORDERS);
  const { stack, store } = world;
  const { db, client, config } = stack;
  let robot: ReturnType<typeof startWarehouseRobot> | undefined;
  let running: { worker: { shutdown(): void }; done: Promise<void> } | undefined;
  try {
    const bundle = await bundleWorkflowCode({ workflowsPath: workflowsPath(), logger: quietBundler });
    const worker = await createOrderWorker({
      connection: stack.workerConnection,
      db,
      config,
      client,
      workflowBundle: bundle,
    });
    running = { worker, done: worker.run() };
    robot = startWarehouseRobot({
      apiUrl: stack.apiUrl,
      apiKey: world.crewKey,
      intervalMs: 250,
      handover: false,
    });
    const runId = Date.now().toString(36);
    // Only the order path's statements: the setup's are not the orders'.
    statements.reset();
    await runPool(ORDERS, CONCURRENCY, async (i) => {
      const status = await pushOwnOrder(stack.apiUrl, store, benchOrder(i, runId, 'livestream'));
      if (status !== 202) throw new Error(`order ${i} was answered ${status}`);
    });
    for (;;) {
      const labelled = await notCounted(() =>
        db
          .selectFrom('shipments')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('tracking_number', 'is not', null)
          .executeTakeFirstOrThrow(),
      );
      if (Number(labelled.n) >= ORDERS) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    // The crew's polls would go on counting; what is left after the waybill is the workflows'.
    await robot.stop();
    robot = undefined;

    const costs = await notCounted(() => settledCosts(client));
    running.worker.shutdown();
    await running.done;
    running = undefined;

    printCosts(costs, statements.counts);
    const ids = Array.from({ length: 3 }, (_, i) => orderWorkflowId('own', store.shopId, `B${runId}-${i}`));
    console.log(`orders counted: ${ORDERS} (e.g. ${ids.join(', ')})`);
  } finally {
    await robot?.stop();
    if (running) {
      running.worker.shutdown();
      await running.done.catch(() => undefined);
    }
    await world.stop();
  }
}

type Costs = Map<string, HistoryCost[]>;

/** Every workflow run's cost by type, read again until no history grows for SETTLED_MS. */
async function settledCosts(client: Awaited<ReturnType<typeof startLivestreamWorld>>['stack']['client']) {
  let last = -1;
  for (;;) {
    const costs: Costs = new Map();
    const runs: { type: string; workflowId: string; runId: string }[] = [];
    for await (const wf of client.workflow.list())
      runs.push({ type: wf.type, workflowId: wf.workflowId, runId: wf.runId });
    await mapLimit(runs, 4, async ({ type, workflowId, runId }) => {
      const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
      costs.set(type, [...(costs.get(type) ?? []), historyCost(history)]);
    });
    const events = [...costs.values()].flat().reduce((n, c) => n + c.events, 0);
    if (events === last) return costs;
    last = events;
    await new Promise((r) => setTimeout(r, SETTLED_MS));
  }
}

function printCosts(costs: Costs, counts: ReturnType<typeof countStatements>['counts']): void {
  const per = (n: number) => fmt(n / ORDERS, 2);
  const sum = (list: HistoryCost[], f: (c: HistoryCost) => number) => list.reduce((n, c) => n + f(c), 0);
  const total = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
  const all = [...costs.values()].flat();

  console.log(`\norder-cost: ${ORDERS} livestream orders, webhook → waybill, per order`);
  console.log('workflow type         runs  events  tasks  lost  activities  local  most local in one task');
  const row = (name: string, list: HistoryCost[], most: string) =>
    console.log(
      [
        name.padEnd(20),
        per(list.length).padStart(6),
        per(sum(list, (c) => c.events)).padStart(7),
        per(sum(list, (c) => c.workflowTasks)).padStart(6),
        per(sum(list, (c) => c.tasksLost)).padStart(5),
        per(sum(list, (c) => total(c.remote))).padStart(11),
        per(sum(list, (c) => total(c.local))).padStart(6),
        most.padStart(6),
      ].join('  '),
    );
  for (const [type, list] of [...costs.entries()].sort())
    row(type, list, String(Math.max(...list.map((c) => c.mostLocalInOneTask))));
  row('all', all, '');
  const statementsTotal = total(counts.byOrigin);

  // Executions by activity type (from the histories) beside the statements they sent.
  const runsByType = new Map<string, { local: number; remote: number }>();
  const runsOf = (t: string) => runsByType.get(t) ?? runsByType.set(t, { local: 0, remote: 0 }).get(t)!;
  for (const c of all) {
    for (const [t, n] of c.local) runsOf(t).local += n;
    for (const [t, n] of c.remote) runsOf(t).remote += n;
  }
  const origins = new Set([...runsByType.keys(), ...counts.byOrigin.keys()]);
  console.log('\nby activity (stage)          local  ordinary  statements  transactions  statements per run');
  for (const origin of [...origins].sort(
    (a, b) => (counts.byOrigin.get(b) ?? 0) - (counts.byOrigin.get(a) ?? 0),
  )) {
    const r = runsByType.get(origin) ?? { local: 0, remote: 0 };
    const st = counts.byOrigin.get(origin) ?? 0;
    const runs = r.local + r.remote;
    console.log(
      [
        origin.padEnd(26),
        per(r.local).padStart(7),
        per(r.remote).padStart(9),
        per(st).padStart(11),
        per(counts.transactionsByOrigin.get(origin) ?? 0).padStart(13),
        (runs ? fmt(st / runs, 1) : '—').padStart(19),
      ].join('  '),
    );
  }
  console.log(
    `statements per order: ${per(statementsTotal)} (${per(statementsTotal - (counts.byOrigin.get('outside activities') ?? 0))} from activities; ` +
      `outside: the API's webhooks and the crew's WMS calls)`,
  );
}
