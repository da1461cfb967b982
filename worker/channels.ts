import type { Client } from '@temporalio/client';
import { findChannelApps, type ChannelApp } from '../activities/capture/channels/apps.js';
import { startPmcChannel, type PmcChannel } from '../activities/capture/channels/pmc-channel.js';
import { pmcEndpointFor } from '../integrations/platforms/pdd/pmc-endpoint.js';
import { ensureTmcChannel } from '../services/capture/tmc-control.js';
import type { Config } from '../config/index.js';
import type { Logger } from '../config/logger.js';
import type { Db } from '../db/connect.js';

export interface MessageChannelsOptions {
  db: Db;
  /** Starts TMC channel workflows and hands PMC messages to the shops' syncs. */
  client: Client;
  config: Config;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  now?: () => Date;
}

export interface MessageChannels {
  /** Looks for TOP and PDD apps among the shops now (it also does every CHANNEL_SCAN_SECONDS). */
  scan(): Promise<void>;
  /** The PMC connections this process holds, by PDD client id. */
  readonly pmc: ReadonlyMap<string, PmcChannel>;
  /** Closes the PMC connections (frames in hand are handled and ACKed first); call before the worker stops. */
  stop(): Promise<void>;
}

/**
 * The message channels a worker process keeps going, found from the shops' credentials every
 * `CHANNEL_SCAN_SECONDS`:
 *
 * - Taobao/Tmall TMC: one `messageChannelWorkflow` per TOP app (`tmc:{appKey}`), started here if
 *   it is not running (every worker asks; the workflow id keeps it one per app);
 * - PDD PMC: one WebSocket per PDD app in this process, reconnected as secrets or endpoints
 *   change and closed when the app's last shop goes.
 *
 * Off with CHANNELS_ENABLED=false (polling still captures everything, only later).
 */
export function startMessageChannels(options: MessageChannelsOptions): MessageChannels {
  const { db, client, config, logger } = options;
  const pmc = new Map<string, { channel: PmcChannel; fingerprint: string }>();
  const pmcView = new Map<string, PmcChannel>();
  let scanning: Promise<void> = Promise.resolve();
  let stopped = false;

  if (!config.CHANNELS_ENABLED) {
    logger.info('message channels off (CHANNELS_ENABLED=false): Taobao and PDD changes arrive by polling');
    return { scan: async () => {}, pmc: pmcView, stop: async () => {} };
  }

  const scanOnce = async () => {
    const [tmcApps, pmcApps] = await Promise.all([
      findChannelApps({ db, config }, 'tmc'),
      findChannelApps({ db, config }, 'pmc'),
    ]);
    for (const app of tmcApps) {
      try {
        await ensureTmcChannel(client, config.TASK_QUEUE_ORDERS, {
          appKey: app.appKey,
          runSeconds: config.TMC_RUN_SECONDS,
        });
      } catch (err) {
        logger.warn(
          { err, appKey: app.appKey },
          'starting the TMC channel workflow failed; retrying at the next scan',
        );
      }
    }
    if (stopped) return;
    await syncPmc(pmcApps);
  };

  async function syncPmc(apps: ChannelApp[]) {
    const wanted = new Map(apps.map((app) => [app.appKey, app]));
    for (const [appKey, running] of pmc) {
      const app = wanted.get(appKey);
      if (app && fingerprintOf(app) === running.fingerprint) {
        running.channel.update(app);
        wanted.delete(appKey);
        continue;
      }
      pmc.delete(appKey);
      pmcView.delete(appKey);
      await running.channel.stop();
      logger.info(
        { appKey },
        app ? 'PMC app changed: reconnecting' : 'PMC app has no shops any more: disconnected',
      );
    }
    for (const app of wanted.values()) {
      const channel = startPmcChannel(
        {
          db,
          client,
          config,
          log: logger,
          ...(options.now ? { now: options.now } : {}),
        },
        app,
      );
      pmc.set(app.appKey, { channel, fingerprint: fingerprintOf(app) });
      pmcView.set(app.appKey, channel);
    }
  }

  // Scans run one after another: one asked for during a scan still sees the shops as they are then.
  const scan = () =>
    (scanning = scanning
      .then(() => (stopped ? undefined : scanOnce()))
      .catch((err: Error) =>
        logger.error({ err }, 'message channel scan failed; retrying at the next scan'),
      ));

  void scan();
  const timer = setInterval(() => void scan(), config.CHANNEL_SCAN_SECONDS * 1000);
  timer.unref();

  return {
    scan,
    pmc: pmcView,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await scanning;
      await Promise.all([...pmc.values()].map((running) => running.channel.stop()));
      pmc.clear();
      pmcView.clear();
    },
  };
}

/** What a PMC connection depends on: a change means a new connection. */
function fingerprintOf(app: ChannelApp): string {
  return JSON.stringify([app.appSecret, pmcEndpointFor(app)]);
}
