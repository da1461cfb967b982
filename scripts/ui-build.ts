import { execFile } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const UI_DIR = path.resolve('ui');
const INDEX = path.join(UI_DIR, 'dist', 'index.html');

/** The newest modification time of the UI's sources (ui/ without its build). */
function newestSource(dir = UI_DIR): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules') continue;
    const file = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(file) : statSync(file).mtimeMs);
  }
  return newest;
}

/** Whether ui/dist is missing or older than a source file. */
export function uiBuildStale(): boolean {
  return !existsSync(INDEX) || statSync(INDEX).mtimeMs < newestSource();
}

/**
 * Builds the web UI into ui/dist when it is missing or older than its sources (the dev stack and
 * the browser tests call this; `npm run ui:build` always builds).
 */
export async function ensureUiBuilt(log: (line: string) => void = () => {}): Promise<void> {
  if (!uiBuildStale()) return;
  const started = Date.now();
  log('building the web UI (ui/ → ui/dist)…');
  // In a process of its own: Vite takes NODE_ENV from the environment, and a test run's "test"
  // would give a development build of React and Ant Design.
  await new Promise<void>((resolve, reject) => {
    execFile(
      process.execPath,
      [
        path.resolve('node_modules/vite/bin/vite.js'),
        'build',
        '--config',
        path.join(UI_DIR, 'vite.config.ts'),
        '--logLevel',
        'warn',
      ],
      { env: { ...process.env, NODE_ENV: 'production' } },
      (err, _stdout, stderr) =>
        err ? reject(new Error(`building the web UI failed: ${stderr || err.message}`)) : resolve(),
    );
  });
  log(`web UI built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
