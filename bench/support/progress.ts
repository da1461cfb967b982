import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Client } from '@temporalio/client';
import proto from '@temporalio/proto';
import type { Db } from '../../db/connect.js';
import { fmt } from './stats.js';

/**
 * A line on stderr every `everyMs` while a burst runs: orders, waves, shipments started and
 * labelled, each task queue's backlog (workflow / activity tasks waiting for a worker) and the main
 * thread's event-loop delay (activities, local activities, the API and the benchmark share it).
 * `stop()` ends it and answers the delay over the whole run as "p50 / p99 / max ms".
 */
export function startProgress(options: {
  db: Db;
  client: Client;
  namespace: string;
  /** Each queue's backlog is shown, by its name. */
  taskQueues: string[];
  everyMs?: number;
}): { stop(): string } {
  const { db, client } = options;
  const delay = monitorEventLoopDelay({ resolution: 20 });
  delay.enable();
  const window = monitorEventLoopDelay({ resolution: 20 });
  window.enable();
  const t0 = performance.now();
  const backlog = async (name: string, type: proto.temporal.api.enums.v1.TaskQueueType): Promise<string> => {
    try {
      const queue = await client.workflowService.describeTaskQueue({
        namespace: options.namespace,
        taskQueue: { name },
        taskQueueType: type,
        reportStats: true,
      });
      return String(queue.stats?.approximateBacklogCount ?? '?');
    } catch {
      return '?';
    }
  };
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    void (async () => {
      try {
        const count = async (table: 'orders' | 'wms_waves' | 'shipments', labelled = false) => {
          let q = db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n'));
          if (labelled) q = q.where('tracking_number' as never, 'is not', null);
          return Number((await q.executeTakeFirstOrThrow()).n);
        };
        const { WORKFLOW, ACTIVITY } = {
          WORKFLOW: proto.temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
          ACTIVITY: proto.temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
        };
        const [orders, waves, shipments, labelled, ...backlogs] = await Promise.all([
          count('orders'),
          count('wms_waves'),
          count('shipments'),
          count('shipments', true),
          ...options.taskQueues.map(
            async (q) => `${q} ${await backlog(q, WORKFLOW)} / ${await backlog(q, ACTIVITY)}`,
          ),
        ]);
        console.error(
          `[${fmt((performance.now() - t0) / 1000, 0)} s] orders ${orders}, waves ${waves}, shipments ${shipments}` +
            ` (${labelled} labelled); backlog workflow / activity: ${backlogs.join(', ')}; event-loop delay p99 ` +
            `${fmt(window.percentile(99) / 1e6, 0)} ms, max ${fmt(window.max / 1e6, 0)} ms`,
        );
        window.reset();
      } catch {
        // the stack is stopping
      } finally {
        busy = false;
      }
    })();
  }, options.everyMs ?? 15_000);
  timer.unref();
  let summary: string | undefined;
  return {
    stop() {
      if (summary === undefined) {
        clearInterval(timer);
        delay.disable();
        window.disable();
        summary = `${fmt(delay.percentile(50) / 1e6, 0)} / ${fmt(delay.percentile(99) / 1e6, 0)} / ${fmt(delay.max / 1e6, 0)} ms`;
      }
      return summary;
    },
  };
}
