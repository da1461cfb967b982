import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode } from '@temporalio/worker';
import { workflowsPath } from '../../worker/create-worker.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** What workflow code can import (workflows, domain, activity types) and the packages it bundles. */
const SOURCES = ['workflows', 'domain', 'activities', 'integrations', 'services'];

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((e) => {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) return sourceFiles(full);
      return Promise.resolve(/\.(ts|js|json)$/.test(e.name) ? [full] : []);
    }),
  );
  return nested.flat().sort();
}

const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };

/**
 * The workflow bundle for this source tree, built once and kept in `dir` under a hash of every
 * file workflow code can reach and of the package lockfile: an unchanged tree starts its worker
 * without webpack (seconds saved on every `npm run dev`), a changed one gets a fresh bundle.
 */
export async function cachedWorkflowBundle(dir: string): Promise<{ codePath: string; built: boolean }> {
  const hash = createHash('sha256');
  for (const source of SOURCES) {
    for (const file of await sourceFiles(path.join(ROOT, source))) {
      hash.update(path.relative(ROOT, file));
      hash.update(await readFile(file));
    }
  }
  hash.update(await readFile(path.join(ROOT, 'package-lock.json')));
  const name = `workflows-${hash.digest('hex').slice(0, 16)}.js`;
  const codePath = path.join(dir, name);
  if (existsSync(codePath)) return { codePath, built: false };

  const { code } = await bundleWorkflowCode({ workflowsPath: workflowsPath(), logger: quiet });
  await mkdir(dir, { recursive: true });
  const partial = `${codePath}.${process.pid}.tmp`;
  await writeFile(partial, code);
  await rename(partial, codePath);
  for (const old of await readdir(dir)) {
    if (old !== name && old.startsWith('workflows-')) await rm(path.join(dir, old), { force: true });
  }
  return { codePath, built: true };
}
