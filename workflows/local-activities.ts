import {
  ApplicationFailure,
  condition,
  proxyLocalActivities,
  type LocalActivityInterfaceFor,
  type LocalActivityOptions,
} from '@temporalio/workflow';

/**
 * Local activities that run one at a time within a workflow run.
 *
 * Two local activities in flight together can come back to the workflow grouped differently live
 * and on replay: live, the SDK wakes the workflow as each one finishes; on replay it resolves them
 * from their markers, and more than one can land in a single activation (temporalio/sdk-typescript
 * #1744, fixed for the simplest shapes by temporalio/sdk-rust#1442 in 1.24; regrouping is still
 * reported, temporalio/sdk-python#1881). An order's coroutines — its main path, the handler that
 * stores a new snapshot, the follower of address changes — then resume in a different order, one
 * of them takes the events the other would have carried, and the replay schedules a different
 * local activity than the one recorded (TMPRL1100 "Activity type of recorded marker
 * 'recordOrderEvent' does not match … 'recordOrderEvents'", seen on the dev stack under load, in a
 * run with no task cut short). With one in flight at a time there is never more than one to
 * resolve: each result reaches the workflow alone, live and on replay alike.
 *
 * Runs recorded before this change keep their concurrent local activities (`inLine` is switched
 * on by a patch asked at the workflow's start). The lane lives on the workflow's own global object,
 * which the SDK keeps per workflow run even when V8 contexts are reused.
 */
interface Lane {
  inLine: boolean;
  tail: Promise<void>;
  /** Calls that entered the lane and have not finished: running, or waiting their turn. */
  busy: number;
  /** Signal and Update handlers wait until `busy` is 0 before they act. */
  handlersWait: boolean;
}

const LANE = Symbol.for('order-erp.local-activity-lane');

function lane(): Lane {
  const holder = globalThis as unknown as Record<symbol, Lane | undefined>;
  return (holder[LANE] ??= { inLine: false, tail: Promise.resolve(), busy: 0, handlersWait: false });
}

/** From now on this run's local activities wait for the one before them to finish. */
export function runLocalActivitiesInLine(): void {
  lane().inLine = true;
}

async function inLine<T>(call: () => Promise<T>): Promise<T> {
  const current = lane();
  if (!current.inLine) return call();
  const before = current.tail;
  let done!: () => void;
  current.tail = new Promise<void>((resolve) => (done = resolve));
  current.busy += 1;
  try {
    await before;
    return await call();
  } finally {
    current.busy -= 1;
    done();
  }
}

/**
 * From now on this run's signal and Update handlers (those wrapped in `afterLocalActivities`) act
 * only once no local activity is running or waiting in the lane.
 *
 * A workflow task can be completed while a local activity's result is on its way: to answer a
 * query (sdk-core `prepare_complete_resp`, managed_run.rs: "have_pending_la_resolutions" forces a
 * new task) or as its heartbeat. The activity's marker is then recorded in that task and its result
 * handed to the workflow in the next one, together with the signals and Updates that came in
 * meanwhile — and Core puts those first (`variant_ordinal` in worker/workflow/mod.rs: signals and
 * Updates 3, local-activity results 5). On replay Core finds the marker by looking ahead at the
 * task that recorded it (`peek_next_wft_sequence`, workflow_machines.rs) and resolves the activity
 * there, before the next task's signals and Updates are even seen. Live, the handler runs before
 * the code that follows the result; on replay, after it. A handler that waits for the lane to be
 * idle runs after that code both ways: the lane is idle only once every coroutine that wanted a
 * local activity got its result and went on to wait for something else.
 */
export function handlersWaitForLocalActivities(): void {
  lane().handlersWait = true;
}

/**
 * For Update validators, once handlers wait for the lane: refuses the Update while a local activity
 * is running or waiting. Nothing is recorded for a refused Update, and the client sends it again.
 *
 * Waiting in the handler is not enough for an Update: Temporal records its acceptance where it came
 * in — before the commands of the code that follows the delayed result, live. On replay that code
 * runs a task earlier, and when its first command is not a local activity (a timer, a search
 * attribute) the replay meets that command where the history has the acceptance and fails
 * ("Timer machine does not handle WorkflowExecutionUpdateAccepted"). Updates come in only at the
 * start of a workflow task, and a task ends with a local activity unfinished only when it was cut
 * short (a heartbeat, a query answered): so the lane is busy at validation exactly then.
 */
export function refuseWhileLocalActivitiesRun(failureType: string): void {
  const current = lane();
  if (!current.handlersWait || current.busy === 0) return;
  throw ApplicationFailure.create({
    type: failureType,
    message: 'the workflow is finishing a step; send the Update again in a moment',
    nonRetryable: true,
  });
}

/** No local activity of this run is running or waiting its turn. */
export function localActivitiesIdle(): boolean {
  return lane().busy === 0;
}

/**
 * A signal or Update handler that first waits, once handlers wait for the lane, until no local
 * activity is running or waiting; before that (runs recorded earlier) it runs at once, unchanged.
 */
export function afterLocalActivities<A extends unknown[], R>(
  handle: (...args: A) => R,
): (...args: A) => R | Promise<Awaited<R>> {
  return (...args: A) => {
    if (!lane().handlersWait) return handle(...args);
    return condition(localActivitiesIdle).then(() => handle(...args)) as Promise<Awaited<R>>;
  };
}

/** `proxyLocalActivities`, each call waiting its turn once the run is in line. */
export function proxyLocalActivitiesInLine<A extends object>(
  options: LocalActivityOptions,
): LocalActivityInterfaceFor<A> {
  type Call = (...args: unknown[]) => Promise<unknown>;
  const proxy = proxyLocalActivities<A>(options) as unknown as Record<string, Call>;
  return new Proxy({} as LocalActivityInterfaceFor<A>, {
    get(_, name) {
      if (typeof name !== 'string') return undefined;
      const activity = proxy[name]!;
      return (...args: unknown[]) => inLine(() => activity(...args));
    },
  });
}
