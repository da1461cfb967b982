import type { Payload, PayloadCodec } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import { NativeConnection, Worker } from '@temporalio/worker';
import { Context } from '@temporalio/activity';
import { expect, inject } from 'vitest';
import { createActivities } from '../../activities/index.js';
import { temporalDataConverter, workerDataConverter } from '../../services/temporal/payload-codec.js';
import { buildExternalServices } from '../../worker/services.js';
import { TEST_DATA_KEYS } from './data-keys.js';
import { installTestRuntime, type Harness } from './harness.js';
import { PATIENCE_MS } from './waits.js';

/**
 * A workflow task cut short while a local activity's result is on its way, made to happen on the
 * dev server (tests/workflows/input-after-cut-short.test.ts for orders,
 * shipment-input-after-cut-short.test.ts for shipments): the local activity is held, a state query
 * is sent (the server hands it to the worker with the task that follows the first task's
 * heartbeat), the query's answer is held on its way out of the worker while an input arrives and
 * the activity finishes, and only then is the answer let go. The task that answered the query
 * records the activity's marker; its result reaches the workflow in the next task, after the input.
 */

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
type Activities = ReturnType<typeof createActivities>;

/** A promise with its resolver. */
export function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

/** What is held and watched in the worker, for the scenario running now. */
interface Held {
  /** The activity held in this scenario (by the name given to `hold`); others run as usual. */
  holding: string | null;
  /** Opened to let the held activity go on. */
  activity: ReturnType<typeof gate>;
  /** The activity was called (held before it runs) or ran (held with its result). */
  activityStarted: ReturnType<typeof gate>;
  activityReturned: ReturnType<typeof gate>;
  /** Set while answers to state queries are held. */
  answers: null | { reached: ReturnType<typeof gate>; release: ReturnType<typeof gate> };
  /** The activity's result went through the codec on its way to sdk-core. */
  resultEncoded: ReturnType<typeof gate>;
  activityDone: boolean;
  /** The held activity's type, as sdk-core counts it (known once it was called). */
  activityType: string | null;
}

function holdNext(holding: string | null): Held {
  return {
    holding,
    activity: gate(),
    activityStarted: gate(),
    activityReturned: gate(),
    answers: null,
    resultEncoded: gate(),
    activityDone: false,
    activityType: null,
  };
}

const text = (p: Payload) => (p.data ? Buffer.from(p.data).toString('utf8') : '');

export class CutShort {
  private held = holdNext(null);
  private metricsUrl: string | null = null;

  /** @param answerMark text found in the watched query's answer only (among what its worker encodes). */
  constructor(private readonly answerMark: string) {}

  /**
   * Before the scenarios: where the SDK runtime serves sdk-core's metrics, so a scenario can see
   * sdk-core take the held activity's result instead of guessing how long that takes.
   */
  async watchSdkCore(): Promise<void> {
    this.metricsUrl = await installTestRuntime();
  }

  /**
   * How many results of `activityType` sdk-core's local activity manager has taken: it counts one
   * (local_activity_execution_latency) as it takes the result, then queues the result for the
   * workflow on the same channel as the worker's task completions, so an answer let go after the
   * count moved reaches the workflow after the result.
   */
  private async resultsTaken(activityType: string): Promise<number> {
    if (!this.metricsUrl) throw new Error('watchSdkCore() first');
    const served = await (await fetch(this.metricsUrl)).text();
    const counts = served
      .split('\n')
      .filter(
        (line) =>
          /^temporal_local_activity_execution_latency\w*_count\{/.test(line) &&
          line.includes(`activity_type="${activityType}"`),
      )
      .map((line) => Number(line.slice(line.lastIndexOf(' ') + 1)));
    return counts.reduce((sum, n) => sum + n, 0);
  }

  /**
   * For the watched worker, first on encode (codecs encode first-last, decode last-first): sees the
   * payloads as JSON, holds a state query's answer while answers are held and notes the held
   * activity's result passing.
   */
  readonly codec: PayloadCodec = {
    encode: async (payloads) => {
      const held = this.held;
      const answers = held.answers;
      if (answers && payloads.some((p) => text(p).includes(this.answerMark))) {
        answers.reached.open();
        await answers.release.promise;
      } else if (held.activityDone && payloads.length > 0) {
        held.resultEncoded.open();
      }
      return payloads;
    },
    decode: async (payloads) => payloads,
  };

  /**
   * The activity, held in a scenario holding `name` (and only the call `when` picks): `before` it
   * runs (its work waits), or `after` it ran (its result waits: what it read was read before the
   * input came). Once the scenario's hold was let go, and in other scenarios, it runs as usual.
   */
  hold<I, R>(
    name: string,
    activity: (input: I) => Promise<R>,
    at: 'before' | 'after',
    when: (input: I) => boolean = () => true,
  ): (input: I) => Promise<R> {
    return async (input: I) => {
      const now = this.held;
      if (now.holding !== name || now.activityDone || !when(input)) return activity(input);
      now.activityType = Context.current().info.activityType;
      let result!: R;
      if (at === 'after') result = await activity(input);
      now.activityStarted.open();
      await now.activity.promise;
      if (at === 'before') result = await activity(input);
      now.activityDone = true;
      now.activityReturned.open();
      return result;
    };
  }

  /**
   * `begin` makes the activity `holding` names run in a workflow and resolves with that workflow's id; while
   * its result is on its way, a task answers `query`, and `send` delivers the input meanwhile.
   * Resolves once the held answer was let go, with what `send` returned (not awaited before: an
   * Update is answered only later).
   */
  async inputWhileResultOnItsWay<T>(
    holding: string,
    begin: () => Promise<string>,
    query: (workflowId: string) => Promise<unknown>,
    send: (workflowId: string) => { sent: Promise<unknown>; outcome: Promise<T> },
  ): Promise<{ workflowId: string; outcome: Promise<T> }> {
    this.held = holdNext(holding);
    const now = this.held;
    const workflowId = await begin();
    await now.activityStarted.promise;
    // A query now waits at the server for the task after this one, which the first task's heartbeat
    // (at 80% of its timeout) starts; its answer is held on its way out of the worker.
    const answers = { reached: gate(), release: gate() };
    now.answers = answers;
    const asked = query(workflowId).catch(() => undefined);
    await answers.reached.promise;
    // The input comes in while that task is being answered.
    const { sent, outcome } = send(workflowId);
    await sent;
    // The activity finishes, and its result reaches sdk-core while the query's answer is still held.
    const activityType = now.activityType!;
    const before = await this.resultsTaken(activityType);
    now.activity.open();
    await now.activityReturned.promise;
    await now.resultEncoded.promise;
    await expect
      .poll(() => this.resultsTaken(activityType), { timeout: PATIENCE_MS })
      .toBeGreaterThan(before);
    now.answers = null;
    answers.release.open();
    await asked;
    return { workflowId, outcome };
  }

  /** Lets everything held go (after the tests). */
  releaseAll(): void {
    this.held.activity.open();
    this.held.answers?.release.open();
  }
}

/** The activities every worker of the test file runs, as the worker process builds them. */
export function workerActivities(h: Harness): Activities {
  return createActivities({
    db: h.db,
    config: h.config,
    client: h.client,
    ...buildExternalServices(h.db, h.config),
  });
}

/**
 * Workers on the given task queues, running until `stop`; the one with a `codec` has it first in
 * its data converter (the held activity's worker: the query's answer comes out of that worker).
 */
export async function runWorkers(
  h: Harness,
  queues: { taskQueue: string; activities: Activities; codec?: PayloadCodec }[],
): Promise<{ stop(): Promise<void> }> {
  const connection = await NativeConnection.connect({ address: h.config.TEMPORAL_ADDRESS });
  const converter = workerDataConverter(h.config);
  const workers = await Promise.all(
    queues.map(({ taskQueue, activities, codec }) =>
      Worker.create({
        connection,
        namespace: h.config.TEMPORAL_NAMESPACE,
        taskQueue,
        workflowBundle: { codePath: inject('workflowBundlePath') },
        dataConverter: codec
          ? { ...converter, payloadCodecs: [codec, ...(converter.payloadCodecs ?? [])] }
          : converter,
        activities,
        stickyQueueScheduleToStartTimeout: `${h.config.STICKY_TIMEOUT_SECONDS} seconds`,
      }),
    ),
  );
  const running = Promise.all(workers.map((w) => w.run()));
  return {
    async stop() {
      for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
      await running;
      await connection.close();
    },
  };
}

const id = (v: unknown): number => Number(String(v));

/**
 * The workflow task that recorded a marker of `activityType` — the first one after which `signal`
 * came in, if given, or else the first — the markers, and the signals that came in after that task
 * and before the next one started.
 */
export function afterTheLocalActivity(events: HistoryEvent[], activityType: string, signal?: string) {
  const markers = events.flatMap((e) => {
    const marker = e.markerRecordedEventAttributes;
    if (marker?.markerName !== 'core_local_activity') return [];
    const data = JSON.parse(text(marker.details!.data!.payloads![0]!)) as { activity_type: string };
    return [{ type: data.activity_type, task: id(marker.workflowTaskCompletedEventId) }];
  });
  const arrivedAfter = (task: number) => {
    const completedAt = events.findIndex((e) => id(e.eventId) === task);
    const nextStarted = events.findIndex((e, i) => i > completedAt && e.workflowTaskStartedEventAttributes);
    return events
      .slice(completedAt + 1, nextStarted)
      .filter((e) => e.workflowExecutionSignaledEventAttributes)
      .map((e) => e.workflowExecutionSignaledEventAttributes!.signalName);
  };
  const cuts = markers
    .filter((m) => m.type === activityType)
    .map((m) => ({ task: m.task, arrivedBetween: arrivedAfter(m.task) }));
  const cut = cuts.find((c) => signal !== undefined && c.arrivedBetween.includes(signal)) ?? cuts[0];
  return { task: cut?.task, markers, arrivedBetween: cut?.arrivedBetween ?? [] };
}

/** Why the workflow's tasks failed live, if any did. */
export const failedTasks = (events: HistoryEvent[]) =>
  events.flatMap((e) =>
    e.workflowTaskFailedEventAttributes ? [e.workflowTaskFailedEventAttributes.failure?.message ?? '?'] : [],
  );

/** Replays a history with the workflow bundle under test (resolves when it replays). */
export function replayed(workflowId: string, history: temporal.api.history.v1.IHistory) {
  return Worker.runReplayHistory(
    {
      workflowBundle: { codePath: inject('workflowBundlePath') },
      dataConverter: temporalDataConverter({ ...TEST_DATA_KEYS, DATA_DIR: '.data', NODE_ENV: 'test' }),
    },
    history,
    workflowId,
  );
}
