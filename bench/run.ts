import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { inOwnProcessGroup, runInOwnProcessGroup } from '../scripts/stack/session.js';
import { untilTornDown } from './support/teardown.js';

/**
 * `npm run bench` runs every benchmark; `npm run bench -- <name> [--flag value]` runs one.
 * Each module in bench/ exports `run()` and prints its own figures.
 */
// `--cluster` starts a Temporal server and worker processes: the benchmark then runs in a process
// group of its own, which this process stops when the benchmark ends, however it ends (a crash, a
// kill), so nothing it started is left behind; Ctrl-C reaches it once, and it stops them in order.
if (process.argv.includes('--cluster') && !inOwnProcessGroup()) await runInOwnProcessGroup();
const dir = fileURLToPath(new URL('.', import.meta.url));
const available = (await readdir(dir))
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts')
  .map((f) => f.replace(/\.ts$/, ''))
  .sort();
const requested = process.argv[2] && !process.argv[2].startsWith('--') ? [process.argv[2]] : available;
for (const name of requested) {
  if (!available.includes(name)) {
    console.error(`unknown benchmark "${name}"; available: ${available.join(', ')}`);
    process.exit(2);
  }
  const mod = (await import(`./${name}.ts`)) as { run(): Promise<void> };
  await mod.run().catch(async (err: unknown) => {
    // Stopped by Ctrl-C: its failures are the stop's; the signal's teardown exits when done.
    await untilTornDown();
    throw err;
  });
}
process.exit(0);
