import type { Client } from '@temporalio/client';
import proto from '@temporalio/proto';
import type { Db } from '../../db/connect.js';

/** A workflow's status and the activities it waits on (attempt, when started, last failure). */
export async function waitingOn(client: Client, workflowId: string): Promise<string> {
  try {
    const described = await client.workflow.getHandle(workflowId).describe();
    const pending = (described.raw.pendingActivities ?? []).map(
      (a) =>
        `${a.activityType?.name} attempt ${a.attempt}` +
        (a.lastStartedTime?.seconds
          ? ` started ${new Date(Number(a.lastStartedTime.seconds) * 1000).toISOString()}`
          : '') +
        (a.lastFailure?.message ? ` (${a.lastFailure.message.slice(0, 160)})` : ''),
    );
    return `workflow ${described.status.name}, ${described.historyLength} events, ${pending.join('; ') || 'no activity pending'}`;
  } catch (err) {
    return `workflow not described (${(err as Error).message})`;
  }
}

/**
 * Where a fault run stands, for the message of a wait that failed: who polls the task queue, how
 * many of the shop's orders are at each status, where the unshipped ones are (their last timeline
 * event and the activities their workflows wait on), and the same for the warehouse's wave and the
 * parcels not yet handed over (one lost activity there holds many orders). Each part that cannot be
 * read (a database or server down) says so instead.
 */
export async function describeRun(options: {
  db: Db;
  client: Client;
  namespace: string;
  taskQueue: string;
  shopId: string;
  warehouse: string;
}): Promise<string[]> {
  const { db, client } = options;
  const lines: string[] = [];
  const safely = async (what: string, run: () => Promise<void>) => {
    try {
      await run();
    } catch (err) {
      lines.push(`${what}: could not tell (${(err as Error).message})`);
    }
  };
  await safely('pollers', async () => {
    for (const [name, taskQueueType] of [
      ['workflow', proto.temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW],
      ['activity', proto.temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY],
    ] as const) {
      const queue = await client.workflowService.describeTaskQueue({
        namespace: options.namespace,
        taskQueue: { name: options.taskQueue },
        taskQueueType,
      });
      const pollers = (queue.pollers ?? []).map(
        (p) =>
          `${p.identity} (last poll ${p.lastAccessTime?.seconds ? new Date(Number(p.lastAccessTime.seconds) * 1000).toISOString() : '?'})`,
      );
      lines.push(`${name} pollers: ${pollers.join(', ') || 'none'}`);
    }
  });
  await safely('orders', async () => {
    const rows = await db
      .selectFrom('orders')
      .select(['id', 'status'])
      .where('shop_id', '=', options.shopId)
      .orderBy('id')
      .execute();
    const byStatus = new Map<string, number>();
    for (const r of rows) byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + 1);
    lines.push(`orders by status: ${JSON.stringify(Object.fromEntries(byStatus))} (${rows.length} captured)`);
    for (const order of rows.filter((r) => r.status !== 'shipped').slice(0, 6)) {
      const event = await db
        .selectFrom('order_events')
        .select(['seq', 'stage', 'status', 'at'])
        .where('order_id', '=', order.id)
        .orderBy('seq', 'desc')
        .executeTakeFirst();
      lines.push(
        `  ${order.id}: ${order.status}, last event #${event?.seq} ${event?.stage}/${event?.status} at ${event ? new Date(event.at).toISOString() : '?'}, ${await waitingOn(client, order.id)}`,
      );
    }
  });
  lines.push(`  wave:${options.warehouse}: ${await waitingOn(client, `wave:${options.warehouse}`)}`);
  await safely('parcels', async () => {
    const parcels = await db
      .selectFrom('shipments')
      .select(['id', 'stage'])
      .where('shipped_at', 'is', null)
      .limit(4)
      .execute();
    for (const p of parcels)
      lines.push(`  parcel ${p.id} (${p.stage}): ${await waitingOn(client, `shipment:${p.id}`)}`);
  });
  return lines;
}
