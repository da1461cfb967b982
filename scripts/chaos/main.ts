import { spawn } from 'node:child_process';
import { runRestarts } from './restarts.js';

/**
 * `npm run chaos` — the fault suite (docs/chaos.md):
 *
 *   npm run chaos -- fuzz [--bodies 10000] [--seed N]   generated bodies to every webhook and write route
 *   npm run chaos -- faults [--orders 200] [--kills 3]  orders through worker kills and simulator faults
 *   npm run chaos -- restarts [--orders 60]             orders through restarts of Temporal, PostgreSQL, API, worker
 *
 * With no command every part runs.
 */
const [command, ...rest] = process.argv.slice(2);

function flag(name: string, fallback: string): string {
  const i = rest.indexOf(`--${name}`);
  return i >= 0 && rest[i + 1] ? rest[i + 1]! : fallback;
}

function run(program: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(program, args, { stdio: 'inherit', env: { ...process.env, ...env } });
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

async function fuzz(): Promise<number> {
  // The fuzz suite is a vitest file (it needs the test database and Temporal the suite sets up);
  // here it runs with the full count of bodies.
  return run('npx', ['vitest', 'run', 'tests/chaos/fuzz.test.ts'], {
    FUZZ_BODIES: flag('bodies', '10000'),
    FUZZ_SEED: flag('seed', String(Date.now() % 1_000_000)),
  });
}

async function faults(): Promise<number> {
  // Like fuzz: the suite's own file (tests/chaos/faults.test.ts, invariants in ./invariants.ts),
  // at full size.
  return run('npx', ['vitest', 'run', 'tests/chaos/faults.test.ts'], {
    FAULT_ORDERS: flag('orders', '200'),
    FAULT_KILLS: flag('kills', '3'),
    FAULT_KILL_EVERY_MS: flag('kill-every-ms', '20000'),
  });
}

async function restarts(): Promise<number> {
  // Its own Temporal server, PostgreSQL, API and worker processes (./restarts.ts): not a vitest file.
  const ok = await runRestarts({
    orders: Number(flag('orders', '60')),
    gapMs: Number(flag('gap-ms', '3000')),
  });
  return ok ? 0 : 1;
}

const commands: Record<string, () => Promise<number>> = { fuzz, faults, restarts };
if (command && !commands[command]) {
  process.stderr.write(`unknown command "${command}"; usage: npm run chaos [-- fuzz|faults|restarts]\n`);
  process.exit(64);
}
let code = 0;
for (const name of command ? [command] : Object.keys(commands)) code ||= await commands[name]!();
process.exit(code);
