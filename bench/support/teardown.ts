/**
 * What a benchmark started (servers, databases, worker processes, the crew), stopped in reverse
 * start order at its end, when it fails, and on Ctrl-C or SIGTERM: a benchmark leaves no process
 * and no database behind. Each start registers its stop with `onTeardown` and calls the function
 * it gets back to stop it in the ordinary way; `stopOnSignals` runs whatever is still registered
 * when a signal comes, newest first, and exits.
 */
interface Step {
  name: string;
  run: () => Promise<void>;
}

const steps: Step[] = [];

/** Registers `run` as the stop of `name`; the function returned runs it once and unregisters it. */
export function onTeardown(name: string, run: () => Promise<unknown>): () => Promise<void> {
  let done: Promise<void> | undefined;
  // Once, whoever calls first: the benchmark's own ending or a signal's teardown.
  const step: Step = {
    name,
    run: () =>
      (done ??= (async () => {
        const at = steps.indexOf(step);
        if (at >= 0) steps.splice(at, 1);
        await run();
      })()),
  };
  steps.push(step);
  return step.run;
}

let stopping = false;
let signalled: Promise<void> | undefined;
/** Whether a signal is stopping the benchmark: what its servers say meanwhile is expected. */
export function tearingDown(): boolean {
  return stopping;
}

/**
 * After a signal, resolves never: the process exits once everything is stopped. A benchmark failing
 * because its stack is being stopped under it waits for that here instead of exiting half way.
 */
export async function untilTornDown(): Promise<void> {
  if (signalled) await signalled;
}

/** Runs every registered stop, newest first; a failing one is reported and the rest still run. */
async function teardownAll() {
  while (steps.length) {
    const step = steps.at(-1)!;
    try {
      await step.run();
    } catch (err) {
      console.error(`stopping ${step.name} failed: ${(err as Error).message}`);
    }
  }
}

let installed = false;
/**
 * On SIGINT or SIGTERM: stop everything registered, then exit (130 or 143). A second signal while
 * stopping is ignored; whatever a stop leaves running goes with the process group (bench/run.ts
 * runs a benchmark that starts processes in a group of its own).
 */
export function stopOnSignals(): void {
  if (installed) return;
  installed = true;
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      console.error(`\n${signal}: stopping what the benchmark started…`);
      signalled = teardownAll().finally(() => process.exit(code));
    });
  }
}
