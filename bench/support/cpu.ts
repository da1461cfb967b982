import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time this process spent, by thread, read from /proc/self/task/<tid>/stat (utime + stime in
 * clock ticks). Unlike wall-clock figures these do not grow when other processes share the cores,
 * so a run on a loaded machine still says what the work cost.
 *
 * Threads are grouped by what they run: the main thread (`main`: activities, local activities, the
 * API, the benchmark itself), the workflow threads (`workflows`: the Node worker threads the
 * Temporal SDK starts with its Workers to run workflow code; Node names every thread `node`, so
 * they are told apart as the threads that appeared while the Workers were created:
 * `newThreads`), the SDK core's Rust runtime (`core`: tokio threads: polling, history, gRPC,
 * Prometheus) and the rest (`helpers`: V8's garbage collection and compiler threads, libuv's pool).
 */
export type CpuGroup = 'main' | 'workflows' | 'core' | 'helpers';

/** Linux's USER_HZ: 100 on every platform Node supports here. */
const TICK_MS = 10;

export interface CpuSnapshot {
  /** CPU ms by thread id, with the thread's group. */
  threads: Map<number, { comm: string; ms: number }>;
  /** process.cpuUsage(): the whole process, in ms (includes threads that ended). */
  processMs: number;
}

function groupOf(tid: number, comm: string, workflowThreads: ReadonlySet<number>): CpuGroup {
  if (tid === process.pid) return 'main';
  if (comm.startsWith('tokio')) return 'core';
  if (workflowThreads.has(tid)) return 'workflows';
  return 'helpers';
}

/** The `node` threads of `after` that `before` did not have: the worker threads started between. */
export function newThreads(before: CpuSnapshot, after: CpuSnapshot): Set<number> {
  const fresh = new Set<number>();
  for (const [tid, t] of after.threads) if (!before.threads.has(tid) && t.comm === 'node') fresh.add(tid);
  return fresh;
}

export function cpuSnapshot(): CpuSnapshot {
  const threads = new Map<number, { comm: string; ms: number }>();
  let tids: string[] = [];
  try {
    tids = readdirSync('/proc/self/task');
  } catch {
    // not Linux: the process figure only
  }
  for (const name of tids) {
    try {
      const stat = readFileSync(`/proc/self/task/${name}/stat`, 'utf8');
      // "tid (comm) state …": comm may hold spaces and parentheses; the fields follow the last ')'.
      const open = stat.indexOf('(');
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(open + 1, close);
      const fields = stat.slice(close + 2).split(' ');
      // utime and stime are fields 14 and 15 of stat(5); fields[0] is field 3.
      const ms = (Number(fields[11]) + Number(fields[12])) * TICK_MS;
      threads.set(Number(name), { comm, ms });
    } catch {
      // the thread ended between the listing and the read
    }
  }
  const usage = process.cpuUsage();
  return { threads, processMs: (usage.user + usage.system) / 1000 };
}

/** CPU ms spent between two snapshots, by group and in all. */
export function cpuSpent(
  before: CpuSnapshot,
  after: CpuSnapshot,
  workflowThreads: ReadonlySet<number> = new Set(),
): Record<CpuGroup | 'total', number> {
  const spent: Record<CpuGroup | 'total', number> = {
    main: 0,
    workflows: 0,
    core: 0,
    helpers: 0,
    total: after.processMs - before.processMs,
  };
  for (const [tid, t] of after.threads) {
    spent[groupOf(tid, t.comm, workflowThreads)] += t.ms - (before.threads.get(tid)?.ms ?? 0);
  }
  return spent;
}

/** "812.0 ms (main 420.0, workflows 250.0, core 90.0, helpers 52.0)", per unit. */
export function formatCpu(spent: Record<CpuGroup | 'total', number>, per = 1): string {
  const f = (ms: number) => (ms / per).toFixed(1);
  const parts = (['main', 'workflows', 'core', 'helpers'] as const).map((g) => `${g} ${f(spent[g])}`);
  return `${f(spent.total)} ms (${parts.join(', ')})`;
}
