import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { cpuSnapshot, cpuSpent, formatCpu, newThreads } from '../../bench/support/cpu.js';
import { moduleOf, summarise } from '../../bench/support/profile-summary.js';

/** Keeps the calling thread's CPU busy for `ms` of wall time. */
function spin(ms: number): number {
  const until = performance.now() + ms;
  let x = 0;
  while (performance.now() < until) x += Math.sqrt(x + 1);
  return x;
}

describe('CPU accounting of the benchmarks (bench/support/cpu.ts)', () => {
  it('counts the main thread’s work as main and a worker thread started between snapshots as workflows', async () => {
    const beforeThreads = cpuSnapshot();
    const worker = new Worker(
      `const { parentPort } = require('node:worker_threads');
       parentPort.on('message', (ms) => {
         const until = performance.now() + ms; let x = 0;
         while (performance.now() < until) x += Math.sqrt(x + 1);
         parentPort.postMessage(x);
       });`,
      { eval: true },
    );
    try {
      await new Promise((resolve) => worker.once('online', resolve));
      const workflowThreads = newThreads(beforeThreads, cpuSnapshot());
      expect(workflowThreads.size).toBeGreaterThanOrEqual(1);
      expect(workflowThreads.has(process.pid)).toBe(false);

      const start = cpuSnapshot();
      spin(300);
      const busy = new Promise((resolve) => worker.once('message', resolve));
      worker.postMessage(600);
      await busy;
      const spent = cpuSpent(start, cpuSnapshot(), workflowThreads);
      // On a loaded machine a thread gets less CPU than its wall time, never more: lower bounds only
      // where it must have run, and the other thread's spin never shows up as the wrong group.
      expect(spent.main).toBeGreaterThan(0);
      expect(spent.workflows).toBeGreaterThan(0);
      expect(spent.workflows).toBeLessThanOrEqual(700);
      expect(spent.total).toBeGreaterThanOrEqual(spent.main + spent.workflows - 20);
      expect(formatCpu(spent, 2)).toMatch(
        /^\d+\.\d ms \(main \d+\.\d, workflows \d+\.\d, core \d+\.\d, helpers \d+\.\d\)$/,
      );
    } finally {
      await worker.terminate();
    }
  });

  it('summarises a CPU profile by package and function, with inclusive time of named functions', () => {
    const frame = (functionName: string, url: string) => ({ functionName, url, lineNumber: 0 });
    const profile = {
      nodes: [
        { id: 1, callFrame: frame('(root)', ''), children: [2, 4] },
        { id: 2, callFrame: frame('step', 'file:///repo/workflows/order/run.ts'), children: [3] },
        { id: 3, callFrame: frame('encode', 'file:///repo/node_modules/protobufjs/src/writer.js') },
        { id: 4, callFrame: frame('(idle)', '') },
      ],
      samples: [3, 3, 2, 4],
      timeDeltas: [1000, 1000, 2000, 6000],
      startTime: 0,
      endTime: 10_000,
    };
    const lines = summarise(profile, { top: 10, inclusive: ['step'] });
    expect(lines[0]).toMatch(/sampled\s+10 ms, of which idle\/program\/GC\s+6 ms/);
    expect(lines).toContainEqual(expect.stringMatching(/^\s+2 ms\s+20\.0 %\s+protobufjs$/));
    expect(lines).toContainEqual(expect.stringMatching(/^\s+2 ms\s+20\.0 %\s+workflows\/order\/run\.ts$/));
    expect(lines).toContainEqual(expect.stringMatching(/^\s+4 ms\s+40\.0 %\s+step$/));
    expect(moduleOf('file:///x/node_modules/@temporalio/worker/lib/a.js')).toBe('@temporalio/worker');
  });
});
