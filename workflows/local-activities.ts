import {
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
}

const LANE = Symbol.for('order-erp.local-activity-lane');

function lane(): Lane {
  const holder = globalThis as unknown as Record<symbol, Lane | undefined>;
  return (holder[LANE] ??= { inLine: false, tail: Promise.resolve() });
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
  try {
    await before;
    return await call();
  } finally {
    done();
  }
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
