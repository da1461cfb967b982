import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdir, rename } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/**
 * Builds Go programs from the Go module proxy with `go install pkg@version` into a cache directory
 * under ~/.cache/order-erp (XDG_CACHE_HOME). `go install pkg@version` refuses modules whose go.mod
 * has `replace` directives, so every version named here is one without. The Temporal CLI
 * (temporal-cli.ts) and the Temporal server, its SQL tool and Temporal Web (temporal-cluster-bins.ts)
 * are built this way; they share most modules, so whichever is built second reuses Go's module and
 * build caches.
 */

export function orderErpCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'order-erp');
}

export function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function onPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

export function findGo(env: NodeJS.ProcessEnv): string | undefined {
  return onPath('go', env) ?? (isExecutable('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : undefined);
}

export interface GoInstallOptions {
  go: string;
  /** What is being built, for the progress lines ("the Temporal CLI v1.5.1"). */
  label: string;
  /** Package paths of one module, installed at `version`. */
  packages: string[];
  version: string;
  /** Where the binaries go. */
  dir: string;
  /** Renames: the name `go install` gives a package's binary (its last path element) → ours. */
  rename?: Record<string, string>;
  log: (line: string) => void;
}

/**
 * `go install -v pkg@version…` into `dir`, streaming progress; the first build takes minutes.
 * Returns the paths of the binaries (after `rename`). A build already cached by Go is quick.
 */
export async function goInstall(options: GoInstallOptions): Promise<string[]> {
  const { go, dir, log } = options;
  await mkdir(dir, { recursive: true });
  const targets = options.packages.map((pkg) => `${pkg}@${options.version}`);
  log(`Building ${options.label} with Go into ${dir} (first time only; takes a few minutes)…`);
  const started = Date.now();
  const child = spawn(go, ['install', '-v', ...targets], {
    env: { ...process.env, GOBIN: dir, GOFLAGS: process.env.GOFLAGS ?? '-mod=mod' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let packages = 0;
  let lastError = '';
  const onLine = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) {
      if (!line.trim()) continue;
      if (line.startsWith('go: downloading')) log(`  ${line}`);
      // A line without spaces is a package path Go compiled (some are named …/errors).
      else if (/\s/.test(line.trim()) && /error|refused|not found|cannot/i.test(line)) {
        lastError += `${line}\n`;
        log(`  ${line}`);
      } else packages += 1;
    }
  };
  child.stdout.on('data', onLine);
  child.stderr.on('data', onLine);
  const ticker = setInterval(() => {
    const secs = Math.round((Date.now() - started) / 1000);
    log(`  …still building ${options.label} (${packages} packages compiled, ${secs}s)`);
  }, 15_000);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearInterval(ticker);
  const built = options.packages.map((pkg) => path.join(dir, path.basename(pkg)));
  if (code !== 0 || !built.every(isExecutable)) {
    throw new Error(
      `go install ${targets.join(' ')} failed (exit ${code}).\n${lastError.trim()}\n` +
        'If the module proxy refused a module, set GOPROXY or install the program yourself.',
    );
  }
  const binaries: string[] = [];
  for (const file of built) {
    const wanted = options.rename?.[path.basename(file)];
    if (wanted) {
      await rename(file, path.join(dir, wanted));
      binaries.push(path.join(dir, wanted));
    } else binaries.push(file);
  }
  log(`Built ${binaries.join(', ')} in ${Math.round((Date.now() - started) / 1000)}s.`);
  return binaries;
}
