import { spawn } from 'node:child_process';

/**
 * `npm run chaos` — the fault suite (docs/chaos.md):
 *
 *   npm run chaos -- fuzz [--bodies 10000] [--seed N]   generated bodies to every webhook and write route
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

const commands: Record<string, () => Promise<number>> = { fuzz };
if (command && !commands[command]) {
  process.stderr.write(`unknown command "${command}"; usage: npm run chaos [-- fuzz]\n`);
  process.exit(64);
}
let code = 0;
for (const name of command ? [command] : Object.keys(commands)) code ||= await commands[name]!();
process.exit(code);
