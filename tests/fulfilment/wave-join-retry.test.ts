import net from 'node:net';
import { MockActivityEnvironment } from '@temporalio/testing';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { createActivities } from '../../activities/index.js';
import { orderWorkflowId } from '../../domain/ids.js';
import { DEFAULT_MERGE_POLICY } from '../../domain/parcels/types.js';
import { workerDataConverter } from '../../services/temporal/payload-codec.js';
import { buildExternalServices } from '../../worker/services.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { createShop, orderPush, seedCatalog, TEST_SKU } from '../support/fixtures.js';
import {
  setupCarrierAccounts,
  setupWarehouse,
  startCarrierSandbox,
  type CarrierSandboxServer,
} from '../support/fulfilment.js';
import { createHarness, type Harness } from '../support/harness.js';
import { submitOrder } from '../support/intake.js';
import { waitForState } from '../support/waits.js';

// The wave join is a local activity: it runs inside the order's workflow task, and its result is
// kept only when that task completes. A worker lost after the join ran (killed, or its task timed
// out on a busy machine) leaves the task to run again on another worker, join included, at a later
// workflow time, by which a wave may have taken the first join. The order must still be in one wave
// and one parcel.

let h: Harness;
let api: FastifyInstance;
let carriers: CarrierSandboxServer;
let shopId: string;
let warehouse: string;
let ops: { authorization: string };

beforeAll(async () => {
  carriers = await startCarrierSandbox();
  h = await createHarness({ ...carriers.env, WAVE_WINDOW_SECONDS: '1' });
  api = await h.api();
  await seedCatalog(h.db);
  shopId = await createShop(h.db, 'taobao');
  await setupCarrierAccounts(h.db, shopId);
  warehouse = await setupWarehouse(h.db, { stock: { [TEST_SKU.code]: 10 } });
  ops = bearer(await apiKeyFor(h.db, ['ops']));
});
afterAll(async () => {
  await h.teardown();
  await carriers.close();
});

it('an order whose workflow task ran its wave join and was lost with its worker is in one wave and one parcel', async () => {
  // The first worker reaches Temporal through a link the test cuts as the order's join runs: the
  // join is done (its row, its signal to the wave), but the worker can complete nothing more, as
  // if it had died, so the workflow task that ran the join times out and runs again elsewhere.
  const link = await cuttableLink(h.config.TEMPORAL_ADDRESS);
  const activities = createActivities({
    db: h.db,
    config: h.config,
    client: h.client,
    ...buildExternalServices(h.db, h.config),
  });
  let joins = 0;
  const connection = await NativeConnection.connect({ address: link.address });
  const first = await Worker.create({
    connection,
    namespace: h.config.TEMPORAL_NAMESPACE,
    taskQueue: h.config.TASK_QUEUE_ORDERS,
    workflowBundle: { codePath: inject('workflowBundlePath') },
    dataConverter: workerDataConverter(h.config),
    activities: {
      ...activities,
      async joinWave(input: Parameters<typeof activities.joinWave>[0]) {
        link.cut();
        await activities.joinWave(input);
        joins += 1;
      },
    },
    stickyQueueScheduleToStartTimeout: '1 second',
    shutdownGraceTime: '1 second',
    shutdownForceTime: '3 seconds',
  });
  const firstRun = first.run().catch(() => undefined);

  const push = orderPush();
  expect((await submitOrder(api, { platform: 'taobao', shopId, order: push }, ops)).statusCode).toBe(202);
  const id = orderWorkflowId('taobao', shopId, push.platformOrderId);
  await expect.poll(() => joins).toBe(1);

  // The warehouse's wave takes the join before the order's task runs again (the wave workflow's
  // own activities, run here so that the order comes second).
  const joined = await h.db
    .selectFrom('wave_candidates')
    .select(['order_id as orderId', 'join_key as joinKey'])
    .where('order_id', '=', id)
    .executeTakeFirstOrThrow();
  const wave = { waveId: `${warehouse}-taken-1`, warehouse };
  const env = new MockActivityEnvironment();
  await env.run(activities.formWave, {
    ...wave,
    candidates: [joined],
    carrierLimits: { maxWeightG: 30_000 },
    merge: DEFAULT_MERGE_POLICY,
  });
  await env.run(activities.createWave, wave);
  await env.run(activities.dispatchWave, wave);

  // Another worker takes over: the order's task runs again from its history, join included.
  await h.startWorker();
  const state = await waitForState(h.client, id, (s) => s.parcels.length > 0);
  expect(state.parcels).toHaveLength(1);
  // The join run again is the same join: no second candidate for a later wave to take.
  const candidates = await h.db
    .selectFrom('wave_candidates')
    .select(['join_key', 'wave_id'])
    .where('order_id', '=', id)
    .execute();
  expect(candidates).toEqual([{ join_key: joined.joinKey, wave_id: wave.waveId }]);
  await expect
    .poll(async () =>
      (
        await h.db.selectFrom('shipment_orders').select('shipment_id').where('order_id', '=', id).execute()
      ).map((s) => s.shipment_id),
    )
    .toEqual([state.parcels[0]!.parcelId]);

  first.shutdown();
  await firstRun;
  link.close();
});

/** A TCP link to `target` that can be cut: every connection through it dropped, new ones refused. */
async function cuttableLink(target: string) {
  const at = target.lastIndexOf(':');
  const [host, port] = [target.slice(0, at), Number(target.slice(at + 1))];
  const sockets = new Set<net.Socket>();
  let cut = false;
  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  };
  const server = net.createServer((inbound) => {
    track(inbound);
    if (cut) return void inbound.destroy();
    const outbound = net.connect(port, host);
    track(outbound);
    inbound.pipe(outbound).pipe(inbound);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    address: `127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    cut() {
      cut = true;
      for (const socket of sockets) socket.destroy();
    },
    close() {
      server.close();
    },
  };
}
