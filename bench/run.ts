import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/**
 * `npm run bench` runs every benchmark; `npm run bench -- <name> [--flag value]` runs one.
 * Each module in bench/ exports `run()` and prints its own figures.
 */
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
  await mod.run();
}
process.exit(0);
