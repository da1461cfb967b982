import path from 'node:path';
import { loadConfigOrExit } from '../config/index.js';
import { resolveClusterBinaries } from './temporal-cluster-bins.js';
import { postgresFromUrl, startClusterServer, startTemporalWeb } from './stack/temporal-cluster.js';

/**
 * `npm run temporal:cluster -- build`: build (or find) the Temporal server, its SQL tool and
 * Temporal Web, and print their paths.
 * `npm run temporal:cluster`: run that server on the PostgreSQL of DATABASE_URL (its own databases
 * `temporal` and `temporal_visibility`, created and migrated on start) with Temporal Web, until
 * Ctrl-C. `npm run dev -- --cluster` runs the same with the API and workers around it.
 */
const say = (line: string) => process.stdout.write(`${line}\n`);
const bins = await resolveClusterBinaries({ log: say });
if (process.argv[2] === 'build') {
  for (const [name, file] of Object.entries(bins)) say(`${name.padEnd(10)} ${file}`);
  process.exit(0);
}

const config = loadConfigOrExit({ NODE_ENV: 'development', ...process.env });
if (!config.DATABASE_URL) {
  say(
    'Set DATABASE_URL to the PostgreSQL that holds Temporal’s databases, e.g. postgres://postgres@127.0.0.1:5432/postgres',
  );
  process.exit(78);
}
const dir = path.resolve(config.DATA_DIR, 'temporal-cluster');
const started = Date.now();
const server = await startClusterServer({
  bins,
  postgres: postgresFromUrl(config.DATABASE_URL),
  address: config.TEMPORAL_ADDRESS,
  namespace: config.TEMPORAL_NAMESPACE,
  dir: path.join(dir, 'server'),
  log: say,
});
const web = await startTemporalWeb({
  bins,
  address: config.TEMPORAL_ADDRESS,
  port: config.TEMPORAL_UI_PORT,
  namespace: config.TEMPORAL_NAMESPACE,
  codecEndpoint: `${(config.API_PUBLIC_URL ?? `http://127.0.0.1:${config.API_PORT}`).replace(/\/$/, '')}/codec`,
  dir: path.join(dir, 'web'),
  log: say,
});
say(
  `Temporal server ${server.address} and Temporal Web ${web.address} ready in ${((Date.now() - started) / 1000).toFixed(1)}s. Ctrl-C stops them.`,
);
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    void web
      .stop()
      .then(() => server.stop())
      .then(() => process.exit(0));
  });
}
