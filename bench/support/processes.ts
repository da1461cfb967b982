import { readFileSync } from 'node:fs';
import os from 'node:os';
import { fmt } from './stats.js';

/**
 * CPU and memory of the processes a run is made of (its own process, worker processes, the
 * Temporal server, the PostgreSQL backends serving its databases) and of the machine as a whole,
 * read from /proc while a burst runs: where the time went when more than one process does the
 * work, and what is left of the machine's cores. Linux only; elsewhere every figure is 0.
 */

/** Linux's USER_HZ: 100 on every platform Node supports here. */
const TICK_MS = 10;

/** CPU ms (utime + stime) a process has spent, from /proc/<pid>/stat; undefined once it is gone. */
export function processCpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state …": comm may hold spaces and parentheses; the fields follow the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of stat(5); fields[0] is field 3.
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return undefined;
  }
}

/** A process's resident memory now (VmRSS) and its peak over its life (VmHWM), in bytes. */
export function processMemory(pid: number): { rss: number; hwm: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (name: string) =>
      Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
    return { rss: kib('VmRSS'), hwm: kib('VmHWM') };
  } catch {
    return undefined;
  }
}

/** The machine's CPU time so far, all cores together, in ms: busy, of it niced, and in all. */
function machineCpu(): { busy: number; nice: number; total: number } {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    // cpu user nice system idle iowait irq softirq steal …
    const [user, nice, system, idle, iowait, irq, softirq, steal] = line
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number) as number[];
    const busy = user! + nice! + system! + irq! + softirq! + (steal ?? 0);
    return { busy: busy * TICK_MS, nice: nice! * TICK_MS, total: (busy + idle! + iowait!) * TICK_MS };
  } catch {
    return { busy: 0, nice: 0, total: 0 };
  }
}

export interface WatchedGroup {
  /** What the processes are, as printed ("worker-1", "Temporal server"). */
  name: string;
  /** Its processes now: asked at every sample, so processes that come and go (backends) count. */
  pids: () => number[] | Promise<number[]>;
}

export interface ProcessFigures {
  pid: number;
  /** CPU ms spent while watched (a process first seen after the start counts from its birth). */
  cpuMs: number;
  /** The highest resident memory sampled while watched, and the kernel's peak over its life. */
  rssPeak: number;
  hwm: number;
}

export interface GroupFigures {
  name: string;
  cpuMs: number;
  processes: ProcessFigures[];
}

export interface WatchFigures {
  groups: GroupFigures[];
  /** Per sample, each group's resident memory in all (groups in the order given). */
  rssSamples: number[][];
  wallMs: number;
  cores: number;
  /** The whole machine's busy CPU ms over the watch, and the part of it spent at a positive nice. */
  machineBusyMs: number;
  machineNiceMs: number;
  machineTotalMs: number;
}

/**
 * Samples the groups' processes every `everyMs` (CPU, resident memory) until `stop()`, which takes
 * a last sample and answers the figures. Start it right before the work to be measured.
 */
export async function watchProcesses(
  groups: WatchedGroup[],
  everyMs = 1_000,
): Promise<{ stop(): Promise<WatchFigures> }> {
  interface Seen {
    first: number;
    last: number;
    rssPeak: number;
    hwm: number;
  }
  const seen = groups.map(() => new Map<number, Seen>());
  const rssSamples: number[][] = [];
  let firstSample = true;
  const sample = async () => {
    const pidLists = await Promise.all(groups.map(async (g) => g.pids()));
    const rssNow = pidLists.map((pids, i) => {
      let rssSum = 0;
      for (const pid of pids) {
        const cpu = processCpuMs(pid);
        const memory = processMemory(pid);
        if (cpu === undefined || memory === undefined) continue;
        const known = seen[i]!.get(pid);
        if (known) {
          known.last = cpu;
          known.rssPeak = Math.max(known.rssPeak, memory.rss);
          known.hwm = memory.hwm;
        } else {
          // Running before the watch started: only what it spends from now on is the run's.
          seen[i]!.set(pid, {
            first: firstSample ? cpu : 0,
            last: cpu,
            rssPeak: memory.rss,
            hwm: memory.hwm,
          });
        }
        rssSum += memory.rss;
      }
      return rssSum;
    });
    rssSamples.push(rssNow);
    firstSample = false;
  };
  const machineAtStart = machineCpu();
  const startedAt = performance.now();
  await sample();
  let busy: Promise<void> | undefined;
  const timer = setInterval(() => {
    busy ??= sample()
      .catch(() => undefined)
      .finally(() => (busy = undefined));
  }, everyMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await busy;
      await sample().catch(() => undefined);
      const machine = machineCpu();
      return {
        groups: groups.map((g, i) => {
          const processes = [...seen[i]!.entries()].map(([pid, s]) => ({
            pid,
            cpuMs: s.last - s.first,
            rssPeak: s.rssPeak,
            hwm: s.hwm,
          }));
          return {
            name: g.name,
            cpuMs: processes.reduce((sum, p) => sum + p.cpuMs, 0),
            processes,
          };
        }),
        rssSamples,
        wallMs: performance.now() - startedAt,
        cores: os.cpus().length,
        machineBusyMs: machine.busy - machineAtStart.busy,
        machineNiceMs: machine.nice - machineAtStart.nice,
        machineTotalMs: machine.total - machineAtStart.total,
      };
    },
  };
}

const MIB = 2 ** 20;

/**
 * "where the CPU went" lines: each group's CPU seconds, the cores it kept busy on average and its
 * CPU per order, then the rest of the machine and how busy the machine was.
 */
export function formatWatch(figures: WatchFigures, orders: number): string[] {
  const wallS = figures.wallMs / 1000;
  const width = Math.max(...figures.groups.map((g) => g.name.length), 'the rest of the machine'.length) + 2;
  const line = (name: string, cpuMs: number) =>
    `  ${name.padEnd(width)} ${fmt(cpuMs / 1000).padStart(8)} s CPU  ${fmt(cpuMs / 1000 / wallS, 2).padStart(5)} cores  ${fmt(cpuMs / orders).padStart(7)} ms/order`;
  const ours = figures.groups.reduce((sum, g) => sum + g.cpuMs, 0);
  const busyShare = figures.machineTotalMs ? (figures.machineBusyMs / figures.machineTotalMs) * 100 : 0;
  return [
    ...figures.groups.map((g) => line(g.name, g.cpuMs)),
    line('the run in all', ours),
    line('the rest of the machine', Math.max(0, figures.machineBusyMs - ours)),
    `  machine busy ${fmt(busyShare)} % of ${figures.cores} cores over ${fmt(wallS)} s` +
      ` (${fmt(figures.machineNiceMs / 1000)} s of CPU of it at a positive nice: work run with nice, the run's own too if it was)`,
  ];
}

/**
 * The named groups' memory, each as its highest sampled RSS / its kernel peak (VmHWM, over its
 * life), their sums, and the highest sum of them at one sample:
 * "worker-1 812 / 840, worker-2 790 / 815; sum 1,602 / 1,655 MiB; at once 1,580 MiB".
 */
export function formatRss(figures: WatchFigures, names: string[]): string {
  const picked = figures.groups.flatMap((g, i) => (names.includes(g.name) ? [{ g, i }] : []));
  const per = picked.map(({ g }) => ({
    name: g.name,
    peak: g.processes.reduce((sum, p) => sum + p.rssPeak, 0),
    hwm: g.processes.reduce((sum, p) => sum + p.hwm, 0),
  }));
  const atOnce = Math.max(
    0,
    ...figures.rssSamples.map((sample) => picked.reduce((sum, { i }) => sum + sample[i]!, 0)),
  );
  const sum = (key: 'peak' | 'hwm') => per.reduce((total, g) => total + g[key], 0);
  const mib = (bytes: number) => fmt(bytes / MIB, 0);
  return (
    `${per.map((g) => `${g.name} ${mib(g.peak)} / ${mib(g.hwm)}`).join(', ')}; ` +
    `sum ${mib(sum('peak'))} / ${mib(sum('hwm'))} MiB; at once ${mib(atOnce)} MiB`
  );
}
