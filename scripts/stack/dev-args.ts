export interface DevArgs {
  /** The production shape: Temporal server on PostgreSQL, Temporal Web, API and workers as processes. */
  cluster: boolean;
  /** Worker processes in the cluster shape. */
  workers: number;
}

export const DEV_USAGE = 'usage: npm run dev [-- --cluster [--workers N]]';

/** `npm run dev -- --cluster --workers 2` → { cluster: true, workers: 2 }; throws on anything else. */
export function parseDevArgs(argv: string[]): DevArgs {
  const args: DevArgs = { cluster: false, workers: 1 };
  let workersGiven = false;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (arg === '--cluster') args.cluster = true;
    else if (arg === '--workers' || arg.startsWith('--workers=')) {
      const value = arg.includes('=') ? arg.slice('--workers='.length) : argv[++i];
      const workers = Number(value);
      if (!value || !Number.isInteger(workers) || workers < 1 || workers > 16) {
        throw new Error(
          `--workers must be a whole number from 1 to 16, not ${value ?? 'nothing'}. ${DEV_USAGE}`,
        );
      }
      args.workers = workers;
      workersGiven = true;
    } else throw new Error(`unknown argument ${arg}. ${DEV_USAGE}`);
  }
  if (workersGiven && !args.cluster) {
    throw new Error(
      `--workers needs --cluster (the dev server shape runs one worker in-process). ${DEV_USAGE}`,
    );
  }
  return args;
}
