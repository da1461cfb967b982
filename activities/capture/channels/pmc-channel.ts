import type { Client } from '@temporalio/client';
import type { Config } from '../../../config/index.js';
import type { Db } from '../../../db/connect.js';
import type { PmcFrameResult } from '../../../integrations/platforms/pdd/webhook.js';
import { CHANNEL_PLATFORMS, type ChannelApp } from './apps.js';
import { createDispatcher, type ChannelMessage } from './dispatch.js';
import { createChannelHealth } from './health.js';
import { PmcConnection } from '../../../integrations/platforms/pdd/pmc-connection.js';
import { pmcConnectUrl } from '../../../integrations/platforms/pdd/pmc-endpoint.js';
import { createShopRouter } from './routing.js';

export interface PmcChannelDeps {
  db: Db;
  client: Client;
  config: Pick<
    Config,
    | 'TASK_QUEUE_ORDERS'
    | 'CHANNEL_ALERT_AFTER_FAILURES'
    | 'CHANNEL_RETRY_INITIAL_SECONDS'
    | 'CHANNEL_RETRY_MAX_SECONDS'
    | 'PMC_HEARTBEAT_SECONDS'
  >;
  log: {
    info(obj: object, msg: string): void;
    warn(obj: object, msg?: string): void;
  };
  now?: () => Date;
}

export interface PmcChannel {
  readonly appKey: string;
  readonly connected: boolean;
  /** The app's shops changed (alerts go to the current ones); same secret and endpoint. */
  update(app: ChannelApp): void;
  stop(): Promise<void>;
}

/**
 * The PMC consumer of one PDD app, living in the worker process (a WebSocket cannot live inside a
 * Temporal activity for long). Every message frame is routed by `mallID` to our shop and handed to
 * the shop's sync (signal-with-start of its `fetch` signal); the frame is ACKed only after that
 * call returned, so a frame whose hand-over failed — or that arrived while no worker ran — is
 * PDD's to deliver again.
 */
export function startPmcChannel(deps: PmcChannelDeps, initial: ChannelApp): PmcChannel {
  const { db, client, config, log } = deps;
  const now = deps.now ?? (() => new Date());
  let app = initial;
  const shopIds = () => app.shops.map((s) => s.id);
  const appLog = {
    info: (obj: object, msg: string) => log.info({ ...obj, appKey: app.appKey }, msg),
    warn: (obj: object, msg: string) => log.warn({ ...obj, appKey: app.appKey }, msg),
  };

  const dispatch = createDispatcher({
    db,
    client,
    taskQueue: config.TASK_QUEUE_ORDERS,
    router: createShopRouter(db, CHANNEL_PLATFORMS.pmc),
    channel: 'pmc',
    appKey: app.appKey,
    log: { warn: (message, meta) => appLog.warn(meta ?? {}, message) },
  });
  const health = createChannelHealth({
    db,
    channel: 'pmc',
    appKey: app.appKey,
    alertAfter: config.CHANNEL_ALERT_AFTER_FAILURES,
    retryInitialMs: config.CHANNEL_RETRY_INITIAL_SECONDS * 1000,
    retryMaxMs: config.CHANNEL_RETRY_MAX_SECONDS * 1000,
  });

  const connection = new PmcConnection({
    url: () => pmcConnectUrl(app, now()),
    heartbeatMs: config.PMC_HEARTBEAT_SECONDS * 1000,
    reconnectMs: config.CHANNEL_RETRY_INITIAL_SECONDS * 1000,
    log: appLog,
    now,
    connected: () => health.succeeded(shopIds()),
    failed: (error) => {
      appLog.warn({ error: error.message }, 'PMC connection failed');
      return health.failed(shopIds(), error);
    },
    async handle(frames: PmcFrameResult[]): Promise<string[]> {
      const messages: ChannelMessage[] = frames.map((frame, index) => ({
        id: String(index),
        topic: frame.topic ?? '',
        ...(frame.mallId ? { seller: frame.mallId } : {}),
        events: frame.events,
      }));
      const outcome = await dispatch(messages);
      if (outcome.error) {
        appLog.warn(
          { error: outcome.error.message, unacknowledged: outcome.unsettled.length },
          'PMC hand-over failed; PDD will deliver those frames again',
        );
        await health.failed(shopIds(), new Error(`hand-over to the shop sync: ${outcome.error.message}`));
      }
      return outcome.settled
        .map((id) => frames[Number(id)]!.ack)
        .filter((ack): ack is string => Boolean(ack));
    },
  });
  connection.start();

  return {
    get appKey() {
      return app.appKey;
    },
    get connected() {
      return connection.connected;
    },
    update(next) {
      app = next;
    },
    stop: () => connection.stop(),
  };
}
