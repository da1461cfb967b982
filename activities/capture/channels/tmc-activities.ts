import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type { Config } from '../../../config/index.js';
import type { Db } from '../../../db/connect.js';
import { createTaobaoAdapter, type TaobaoAdapter } from '../../../integrations/platforms/taobao/adapter.js';
import type { TmcDelivery } from '../../../integrations/platforms/taobao/webhook.js';
import { CHANNEL_PLATFORMS, findChannelApp, type ChannelApp } from './apps.js';
import { createDispatcher, type ChannelMessage } from './dispatch.js';
import { createChannelHealth } from './health.js';
import { createShopRouter } from './routing.js';

export interface TmcChannelDeps {
  db: Db;
  client: Client;
  config: Pick<
    Config,
    | 'TASK_QUEUE_ORDERS'
    | 'CREDENTIALS_KEY'
    | 'DATA_DIR'
    | 'NODE_ENV'
    | 'CHANNELS_ENABLED'
    | 'CHANNEL_ALERT_AFTER_FAILURES'
    | 'CHANNEL_RETRY_INITIAL_SECONDS'
    | 'CHANNEL_RETRY_MAX_SECONDS'
    | 'TMC_IDLE_SECONDS'
    | 'TMC_BATCH_SIZE'
  >;
}

export interface TmcRunInput {
  appKey: string;
  /** How long this run consumes before it returns (the workflow then starts the next). */
  runSeconds: number;
  /** Consecutive failures carried over from the previous run, so an alert is not raised anew. */
  failures: number;
}

export interface TmcRunResult {
  /** Set when the channel should end: no shop uses the app any more, or channels are switched off. */
  stopped?: 'no_shops' | 'disabled';
  consumes: number;
  received: number;
  handedOver: number;
  confirmed: number;
  unrouted: number;
  ignored: number;
  /** Consecutive failures when the run ended. */
  failures: number;
  lastError?: string;
}

const HEARTBEAT_EVERY_MS = 5_000;
/** Shops and secrets are re-read this often within a run (a rotated secret, a new shop). */
const APP_RELOAD_MS = 60_000;

/**
 * The TMC consumer of one TOP app (`taobao.tmc.messages.consume` / `…confirm`, API-FACTS §1.4),
 * run by `messageChannelWorkflow` as one long activity at a time that heartbeats: it pulls
 * continuously (pausing `TMC_IDLE_SECONDS` when TMC has nothing), routes each message by its
 * seller nick to our shop, hands the orders it names to the shop's sync (signal-with-start), and
 * confirms only what was handed over. A message consumed but never confirmed — the worker died,
 * the hand-over or the confirm failed — is redelivered by TMC; handing it over twice is harmless.
 */
export function createTmcChannelActivities(deps: TmcChannelDeps) {
  const { db, client, config } = deps;

  return {
    async runTmcChannel(input: TmcRunInput): Promise<TmcRunResult> {
      const ctx = Context.current();
      const result: TmcRunResult = {
        consumes: 0,
        received: 0,
        handedOver: 0,
        confirmed: 0,
        unrouted: 0,
        ignored: 0,
        failures: input.failures,
      };
      if (!config.CHANNELS_ENABLED) return { ...result, stopped: 'disabled' };
      let app = await findChannelApp({ db, config }, 'tmc', input.appKey);
      if (!app) return { ...result, stopped: 'no_shops' };
      let appLoadedAt = Date.now();
      let adapter = tmcAdapter(app);

      const router = createShopRouter(db, CHANNEL_PLATFORMS.tmc);
      const dispatch = createDispatcher({
        db,
        client,
        taskQueue: config.TASK_QUEUE_ORDERS,
        router,
        channel: 'tmc',
        appKey: input.appKey,
        log: ctx.log,
      });
      const health = createChannelHealth(
        {
          db,
          channel: 'tmc',
          appKey: input.appKey,
          alertAfter: config.CHANNEL_ALERT_AFTER_FAILURES,
          retryInitialMs: config.CHANNEL_RETRY_INITIAL_SECONDS * 1000,
          retryMaxMs: config.CHANNEL_RETRY_MAX_SECONDS * 1000,
        },
        input.failures,
      );
      const shopIds = () => app!.shops.map((s) => s.id);
      const failed = async (what: string, err: Error) => {
        result.lastError = `${what}: ${err.message}`;
        ctx.log.warn(`TMC ${what} failed`, { appKey: input.appKey, error: err.message });
        await ctx.sleep(await health.failed(shopIds(), new Error(result.lastError)));
      };

      const beat = setInterval(() => ctx.heartbeat(), HEARTBEAT_EVERY_MS);
      const deadline = Date.now() + input.runSeconds * 1000;
      try {
        while (Date.now() < deadline) {
          ctx.heartbeat();
          if (Date.now() - appLoadedAt > APP_RELOAD_MS) {
            app = await findChannelApp({ db, config }, 'tmc', input.appKey);
            if (!app) return { ...result, failures: health.failures, stopped: 'no_shops' };
            adapter = tmcAdapter(app);
            appLoadedAt = Date.now();
          }

          let deliveries: TmcDelivery[];
          try {
            // A worker shutting down cancels us: what was consumed and not confirmed comes back.
            deliveries = await Promise.race([
              adapter.consumeMessages({ quantity: config.TMC_BATCH_SIZE }),
              ctx.cancelled,
            ]);
            result.consumes += 1;
            await health.succeeded(shopIds());
          } catch (err) {
            if (ctx.cancellationSignal.aborted) throw err;
            await failed('consume', err as Error);
            continue;
          }
          if (deliveries.length === 0) {
            await ctx.sleep(config.TMC_IDLE_SECONDS * 1000);
            continue;
          }

          const outcome = await dispatch(deliveries.map(toChannelMessage));
          result.received += deliveries.length;
          result.handedOver += outcome.handedOver;
          result.unrouted += outcome.unrouted;
          result.ignored += outcome.ignored;
          if (outcome.settled.length) {
            try {
              await adapter.confirmMessages(outcome.settled);
              result.confirmed += outcome.settled.length;
            } catch (err) {
              // Not fatal: TMC redelivers them, and the second hand-over changes nothing.
              ctx.log.warn('TMC confirm failed; the messages will be delivered again', {
                appKey: input.appKey,
                messages: outcome.settled.length,
                error: (err as Error).message,
              });
            }
          }
          if (outcome.error) await failed('hand-over to the shop sync', outcome.error);
        }
        return { ...result, failures: health.failures };
      } finally {
        clearInterval(beat);
      }
    },
  };

  function tmcAdapter(app: ChannelApp): TaobaoAdapter {
    return createTaobaoAdapter(
      {
        shopId: `tmc:${app.appKey}`,
        platformShopId: '',
        baseUrl: app.baseUrl,
        credentials: { appKey: app.appKey, appSecret: app.appSecret },
      },
      app.extra['tmcGroup'] ? { tmcGroup: app.extra['tmcGroup'] } : {},
    );
  }
}

function toChannelMessage(delivery: TmcDelivery): ChannelMessage {
  return {
    id: delivery.id,
    topic: delivery.topic,
    ...(delivery.userNick ? { seller: delivery.userNick } : {}),
    events: delivery.events,
  };
}

export type TmcChannelActivities = ReturnType<typeof createTmcChannelActivities>;
