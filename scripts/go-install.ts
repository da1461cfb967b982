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

/** Runs a Go build command, streaming progress lines; resolves with its exit code and error lines. */
async function runGoBuild(
  go: string,
  args: string[],
  opts: { label: string; log: (line: string) => void; cwd?: string; env: NodeJS.ProcessEnv },
): Promise<{ code: number | null; errors: string }> {
  const { label, log } = opts;
  log(`Building ${label} with Go (first time only; takes a few minutes)…`);
  const started = Date.now();
  const child = spawn(go, args, {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env, GOFLAGS: opts.env.GOFLAGS ?? process.env.GOFLAGS ?? '-mod=mod' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let packages = 0;
  let errors = '';
  const onLine = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) {
      if (!line.trim()) continue;
      if (line.startsWith('go: downloading')) log(`  ${line}`);
      // A line without spaces is a package path Go compiled (some are named …/errors).
      else if (/\s/.test(line.trim()) && /error|refused|not found|cannot/i.test(line)) {
        errors += `${line}\n`;
        log(`  ${line}`);
      } else packages += 1;
    }
  };
  child.stdout.on('data', onLine);
  child.stderr.on('data', onLine);
  const ticker = setInterval(() => {
    const secs = Math.round((Date.now() - started) / 1000);
    log(`  …still building ${label} (${packages} packages compiled, ${secs}s)`);
  }, 15_000);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearInterval(ticker);
  log(`Go finished building ${label} in ${Math.round((Date.now() - started) / 1000)}s (exit ${code}).`);
  return { code, errors: errors.trim() };
}

/**
 * `go install -v pkg@version…` into `dir`, streaming progress; the first build takes minutes.
 * Returns the paths of the binaries (after `rename`). A build already cached by Go is quick.
 */
export async function goInstall(options: GoInstallOptions): Promise<string[]> {
  const { go, dir, log } = options;
  await mkdir(dir, { recursive: true });
  const targets = options.packages.map((pkg) => `${pkg}@${options.version}`);
  const { code, errors } = await runGoBuild(go, ['install', '-v', ...targets], {
    label: `${options.label} into ${dir}`,
    log,
    env: { GOBIN: dir },
  });
  const built = options.packages.map((pkg) => path.join(dir, path.basename(pkg)));
  if (code !== 0 || !built.every(isExecutable)) {
    throw new Error(
      `go install ${targets.join(' ')} failed (exit ${code}).\n${errors}\n` +
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
  return binaries;
}

/**
 * `go build -o <output> <pkg>` inside a module of ours (`moduleDir`, with its go.mod and go.sum),
 * so a dependency can be pinned above what the program's own go.mod asks for — Go's minimal
 * version selection takes the higher one, no `replace` needed. Returns the binary's path.
 */
export async function goBuildInModule(options: {
  go: string;
  label: string;
  moduleDir: string;
  pkg: string;
  output: string;
  log: (line: string) => void;
}): Promise<string> {
  const { go, output, log } = options;
  await mkdir(path.dirname(output), { recursive: true });
  const { code, errors } = await runGoBuild(go, ['build', '-v', '-o', output, options.pkg], {
    label: `${options.label} into ${output}`,
    log,
    cwd: options.moduleDir,
    // The module's go.sum names every module the build needs: nothing is resolved afresh.
    env: { GOFLAGS: '-mod=readonly' },
  });
  if (code !== 0 || !isExecutable(output)) {
    throw new Error(
      `go build ${options.pkg} in ${options.moduleDir} failed (exit ${code}).\n${errors}\n` +
        'If the module proxy refused a module, set GOPROXY or install the program yourself.',
    );
  }
  return output;
}
