import { z } from 'zod';

/**
 * All runtime configuration comes from environment variables, validated once at start-up.
 * Durations are given in seconds so tests and demos can shrink them without code changes.
 */

const port = z.coerce.number().int().min(1).max(65535);
const seconds = z.coerce.number().positive();
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** A PEM key from the environment, where line breaks may come as a literal "\\n". */
const pem = z
  .string()
  .transform((value) => value.replace(/\\n/g, '\n'))
  .refine((value) => value.includes('-----BEGIN '), 'must be a PEM key (-----BEGIN …)');

export const ConfigSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Where the dev stack keeps the Temporal SQLite file and the embedded PostgreSQL cluster. */
  DATA_DIR: z.string().min(1).default('.data'),

  TEMPORAL_ADDRESS: z
    .string()
    .regex(/^[^:\s]+:\d{1,5}$/, 'must be host:port, e.g. localhost:7233')
    .default('localhost:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_UI_PORT: port.default(8233),
  TEMPORAL_UI_URL: z.url().optional(),
  TEMPORAL_CLI_PATH: z.string().min(1).optional(),
  TASK_QUEUE_ORDERS: z.string().min(1).default('orders'),
  /** The warehouses' wave workflows and their activities; unset: `${TASK_QUEUE_ORDERS}-waves`. */
  TASK_QUEUE_WAVES: z.string().min(1).optional(),
  /** The shipment workflows and their activities (waybills, labels, tracking); unset: `${TASK_QUEUE_ORDERS}-shipments`. */
  TASK_QUEUE_SHIPMENTS: z.string().min(1).optional(),

  /** Unset: the dev stack runs an embedded PostgreSQL under DATA_DIR. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// connection URL')
    .optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  /** Temporal calls the webhook inbox's forwarder makes at once (services/capture/webhook-forwarder.ts). */
  WEBHOOK_FORWARD_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),
  EMBEDDED_PG_PORT: port.default(54329),

  API_HOST: z.string().min(1).default('127.0.0.1'),
  API_PORT: port.default(3000),
  /** Largest webhook body accepted, in bytes. */
  API_BODY_LIMIT: z.coerce.number().int().min(1024).default(1_048_576),
  API_PUBLIC_URL: z.url().optional(),
  /** The built web UI (`npm run ui:build`), served at /app/. */
  UI_DIST_DIR: z.string().min(1).default('ui/dist'),
  /**
   * How long a person's request waits for a workflow to answer (a review, a lock, a handover scan)
   * before it is told 503 with Retry-After; retried with the same Idempotency-Key it applies once.
   */
  WORKFLOW_ANSWER_SECONDS: seconds.default(15),
  /** Consecutive failed sign-ins that lock an account (any password refused) for LOGIN_LOCK_SECONDS. */
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
  /** Consecutive failed sign-ins from one client address that lock sign-ins from it. */
  LOGIN_ADDRESS_MAX_FAILURES: z.coerce.number().int().min(1).default(20),
  LOGIN_LOCK_SECONDS: seconds.default(900),
  /** Sign-in requests one client address may make per LOGIN_RATE_WINDOW_SECONDS; more answer 429. */
  LOGIN_RATE_LIMIT: z.coerce.number().int().min(1).default(30),
  LOGIN_RATE_WINDOW_SECONDS: seconds.default(60),

  /** Own-store unpaid orders are cancelled after this long unless the shop says otherwise. */
  UNPAID_CANCEL_SECONDS: seconds.default(30 * 60),
  /** Marketplace orders still unpaid this long after they were placed raise a reminder; unset: none. */
  UNPAID_REMINDER_SECONDS: seconds.optional(),
  /** Presale deposit (定金) deadline after the order is placed. */
  PRESALE_DEPOSIT_SECONDS: seconds.default(60 * 60),
  /** Presale balance window once it opens, when the platform states no end. */
  PRESALE_BALANCE_SECONDS: seconds.default(3 * 24 * 3600),
  /** Paid may differ from due by this many fen before a finance hold. */
  PAYMENT_TOLERANCE_FEN: z.coerce.number().int().min(0).default(0),
  /** Holds older than this are escalated. */
  HOLD_SLA_SECONDS: seconds.default(4 * 3600),
  /** Ship-by promise after payment when the platform states none. */
  SHIP_BY_SECONDS: seconds.default(48 * 3600),
  /** Orders are flagged at risk this long before their ship-by deadline. */
  SHIP_BY_WARNING_SECONDS: z.coerce
    .number()
    .min(0)
    .default(6 * 3600),
  /** Activity start-to-close timeout for database and platform calls. */
  ACTIVITY_TIMEOUT_SECONDS: seconds.default(30),
  /** How long a dead worker's sticky task waits before another worker takes it. */
  STICKY_TIMEOUT_SECONDS: seconds.default(10),
  /**
   * Workflows a worker keeps in memory between tasks (sticky cache), half for orders and half for
   * shipments; beyond it the least recently used is evicted and replayed from history when it next
   * has work. Bounds a worker's memory however many orders are open: about 0.9 MiB per cached
   * workflow above an idle worker's ~500 MiB, so 400 keeps a worker under 1 GiB, and 200 of each
   * hold a whole wave's orders and shipments at the default WAVE_SIZE_CAP (docs/benchmarks.md,
   * worker-memory). 0 turns the cache off. The SDK's own default (from the heap limit, 2,310 on a
   * 4 GiB heap) let a worker grow past 1.5 GiB.
   */
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).default(400),
  /**
   * Workflow tasks a worker runs at once (the SDK's default is 40). A task's clock (10 s) runs from
   * the moment the worker takes it, and an order's task runs its local activities (the projection
   * writes, audit, reservation) inside it: a worker that takes more than it can finish in time has
   * its tasks time out and run again, local activities included, which loads it further. Tasks
   * beyond this wait in the server's queue, where no clock runs.
   */
  WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: z.coerce.number().int().min(2).default(10),
  /**
   * Workflow tasks of shipments a worker runs at once, beside (not out of) the orders' ones: a
   * burst's order tasks cannot take every slot, so parcels get their waybills while orders are
   * still being captured.
   */
  WORKER_SHIPMENTS_MAX_CONCURRENT_WORKFLOW_TASKS: z.coerce.number().int().min(2).default(10),
  /**
   * Local activities a worker runs at once; unset: DATABASE_POOL_SIZE (each holds at most one
   * connection: more would only wait for the pool while their workflow task's clock runs).
   */
  WORKER_MAX_CONCURRENT_LOCAL_ACTIVITIES: z.coerce.number().int().min(1).optional(),
  /**
   * A worker process serves Prometheus text at /metrics and its readiness at /health on this port
   * (unset: none; 0: a port the kernel picks, named in the worker's start-up log).
   */
  WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  /** The Temporal SDK runtime of a worker process exports its metrics here (unset: not exported). */
  TEMPORAL_METRICS_PORT: port.optional(),
  WORKER_SHUTDOWN_GRACE_SECONDS: seconds.default(10),

  /** Orders reaching a warehouse's wave within this window may merge; the wave forms at its end. */
  WAVE_WINDOW_SECONDS: seconds.default(120),
  /** A wave forms at once when this many orders are waiting. */
  WAVE_SIZE_CAP: z.coerce.number().int().min(1).max(10_000).default(200),
  /** Merge one buyer's orders across the seller's shops on the same platform. */
  MERGE_CROSS_SHOP: bool.default(false),
  /** Parcels heavier than this are split (most express carriers take 30 kg). */
  PARCEL_MAX_WEIGHT_G: z.coerce.number().int().min(1000).default(30_000),
  /** Tracking is polled this often when no push arrives. */
  TRACKING_POLL_SECONDS: seconds.default(30 * 60),
  /** A parcel with no new scan for this long is an exception for a human. */
  TRACKING_NO_SCAN_SECONDS: seconds.default(48 * 3600),
  /**
   * A parcel with no new scan for this long (counted like the no-scan exception) is declared lost:
   * the order asks a person to reship or refund it (docs/order-semantics.md).
   */
  PARCEL_LOST_AFTER_SECONDS: seconds.default(7 * 24 * 3600),
  /**
   * An after-sales return parcel with no new scan for this long (counted from the waybill, then from
   * its latest scan) goes to a person: a `return_parcel_stalled` alert and the case says so
   * (docs/after-sales.md). The warehouse's receipt still ends the wait.
   */
  RETURN_NO_SCAN_SECONDS: seconds.default(5 * 24 * 3600),
  /**
   * A return parcel the carrier reports delivered (or back, or refused) that the warehouse has not
   * received this long after that scan goes to a person: a `return_not_received` alert.
   */
  RETURN_UNRECEIVED_SECONDS: seconds.default(2 * 24 * 3600),
  /**
   * A return parcel no tracking service can follow (no scans will ever come: Shopee's own return
   * logistics, a carrier we have no code for) that the warehouse has not received this long after
   * the buyer sent it: one `return_parcel_overdue` reminder, instead of the no-scan rule above.
   */
  RETURN_UNTRACKED_SECONDS: seconds.default(7 * 24 * 3600),
  /**
   * A parcel the platform's logistics carries (Shopee) that the platform has not reported delivered
   * this long after handover is closed as delivered, unconfirmed (docs/carriers.md).
   */
  PLATFORM_DELIVERY_HORIZON_SECONDS: seconds.default(30 * 24 * 3600),
  /**
   * When a carrier refuses a parcel's waybill (no balance, expired authorisation, address not
   * served, account not set up), try the next carrier the rules allow without waiting for a person.
   */
  CARRIER_FALLBACK: bool.default(true),

  /**
   * AES-256-GCM key for shop credentials: 32 bytes as base64 or 64 hex digits. Unset outside
   * production: a random key is created once in DATA_DIR/credentials.key and reused.
   */
  CREDENTIALS_KEY: z
    .string()
    .regex(
      /^(?:[0-9a-fA-F]{64}|[A-Za-z0-9+/]{43}=)$/,
      'must be 32 bytes as base64 (44 characters) or hex (64 digits)',
    )
    .optional(),
  /**
   * Keys protecting buyers' personal data in Temporal histories and PostgreSQL (AES-256-GCM):
   * `id:key,id:key` (32-byte keys, base64 or hex), the first encrypts, the others still decrypt
   * (rotation). Unset outside production: generated once in DATA_DIR/data.keys.
   */
  DATA_KEYS: z
    .string()
    .regex(
      /^\s*[A-Za-z0-9_-]{1,32}:(?:[0-9a-fA-F]{64}|[A-Za-z0-9+/]{43}=)\s*(?:,\s*[A-Za-z0-9_-]{1,32}:(?:[0-9a-fA-F]{64}|[A-Za-z0-9+/]{43}=)\s*)*$/,
      'must be id:key[,id:key…] with 32-byte keys as base64 (44 characters) or hex (64 digits)',
    )
    .optional(),
  /** HMAC key of the lookup hashes of encrypted fields (phone tails); set with DATA_KEYS, never rotated. */
  DATA_LOOKUP_KEY: z
    .string()
    .regex(
      /^(?:[0-9a-fA-F]{64}|[A-Za-z0-9+/]{43}=)$/,
      'must be 32 bytes as base64 (44 characters) or hex (64 digits)',
    )
    .optional(),
  /**
   * HMAC key of the actor assertions the API signs for workflow Updates (docs/human-actions.md):
   * 32 bytes as base64 or hex. Unset: derived from DATA_LOOKUP_KEY, which the API and every worker
   * already share.
   */
  ACTOR_ASSERTION_KEY: z
    .string()
    .regex(
      /^(?:[0-9a-fA-F]{64}|[A-Za-z0-9+/]{43}=)$/,
      'must be 32 bytes as base64 (44 characters) or hex (64 digits)',
    )
    .optional(),
  /** How long an actor assertion is good for: an action the workflow has not validated by then is refused. */
  ACTOR_ASSERTION_SECONDS: seconds.default(300),
  /**
   * Origins allowed to call the payload codec endpoint (/codec/*) from a browser: Temporal Web's
   * address, comma-separated. Unset: Temporal Web as configured (TEMPORAL_UI_URL or its port).
   */
  CODEC_CORS_ORIGINS: z.string().min(1).optional(),
  /** Poll interval of a new shop's order sync, unless the shop sets its own. */
  SYNC_POLL_SECONDS: seconds.default(300),
  /** Each poll re-reads this much before the last cursor, for platforms' late index updates. */
  SYNC_OVERLAP_SECONDS: z.coerce.number().min(0).default(120),
  /** A poll lists up to this long before now, so orders still being written are not skipped. */
  SYNC_SAFETY_LAG_SECONDS: z.coerce.number().min(0).default(5),
  /** How far back a shop's first poll reaches. */
  SYNC_INITIAL_LOOKBACK_SECONDS: seconds.default(24 * 3600),
  /**
   * Amazon returns (docs/platforms/amazon-returns.md): how often the shop sync asks for the returns
   * report, how far before the last report's end the next one starts (returns reach the report
   * late; re-read returns open nothing), and how long a requested report may stay unfinished
   * before it is asked for again.
   */
  AMAZON_RETURNS_REPORT_SECONDS: seconds.default(3600),
  AMAZON_RETURNS_OVERLAP_SECONDS: z.coerce
    .number()
    .min(0)
    .default(2 * 86_400),
  AMAZON_RETURNS_REPORT_WAIT_SECONDS: seconds.default(3600),
  /**
   * How long before now a returns report's window ends. Unset: the shop sync's lag (for Amazon at
   * least 150 s, what its order list needs), as before this setting.
   */
  AMAZON_RETURNS_LAG_SECONDS: z.coerce.number().min(0).optional(),
  /**
   * Long-lived workflows (shipments, shop and stock syncs, stock arrivals, waves) continue as new
   * once their history reaches this many events, whatever they are doing (polling, failing, waiting).
   */
  WORKFLOW_HISTORY_LIMIT: z.coerce.number().int().min(20).max(40_000).default(2_000),
  /** Waiting orders a stock receipt reserves for per step (one activity and its signals). */
  STOCK_ARRIVAL_PAGE_SIZE: z.coerce.number().int().min(1).max(1_000).default(100),
  /** Rounds a shop sync runs before continuing as new (keeps its history short). */
  SYNC_ROUNDS_PER_RUN: z.coerce.number().int().min(1).default(100),
  /** Consecutive failed platform calls before a shop's sync raises an alert. */
  SYNC_ALERT_AFTER_FAILURES: z.coerce.number().int().min(1).default(3),
  /** Retries of one platform call inside its activity: first delay, ceiling and attempts. */
  SYNC_RETRY_INITIAL_SECONDS: seconds.default(1),
  SYNC_RETRY_MAX_SECONDS: seconds.default(60),
  SYNC_ATTEMPTS_PER_CALL: z.coerce.number().int().min(1).default(4),

  // Stock sync to the platforms (docs/stock-sync.md).
  /** A shop's stock sync looks for ledger changes this often: changes within it become one call per listing. */
  STOCK_SYNC_INTERVAL_SECONDS: seconds.default(5),
  /** How often a shop's stock sync reads every listing back from the platform and corrects drift. */
  STOCK_RECONCILE_SECONDS: seconds.default(3600),

  // Reports (docs/reports.md).
  /** How often the stage durations appended on write are folded into the efficiency histograms. */
  STAGE_FOLD_SECONDS: seconds.default(60),

  // Message channels: Taobao/Tmall TMC and PDD PMC (docs/capture.md).
  /** The worker (and `npm run dev`) consumes the TMC and PMC channels of the shops' apps. */
  CHANNELS_ENABLED: bool.default(true),
  /** How often the worker looks for TOP/PDD apps among the shops (new shops, rotated secrets). */
  CHANNEL_SCAN_SECONDS: seconds.default(60),
  /** Consecutive failed consumes or connections before the shops' `channel_failing` alert. */
  CHANNEL_ALERT_AFTER_FAILURES: z.coerce.number().int().min(1).default(3),
  /** Back-off of a failing channel: first wait and ceiling. */
  CHANNEL_RETRY_INITIAL_SECONDS: seconds.default(1),
  CHANNEL_RETRY_MAX_SECONDS: seconds.default(60),
  /** TMC: wait after an empty consume (TOP suggests about 100 ms). */
  TMC_IDLE_SECONDS: seconds.default(0.1),
  /** TMC: messages per consume (TOP allows 10–200). */
  TMC_BATCH_SIZE: z.coerce.number().int().min(10).max(200).default(100),
  /** TMC: one consuming activity runs this long, then the channel workflow starts the next. */
  TMC_RUN_SECONDS: seconds.default(300),
  /** PMC: the client's heartbeat; a connection silent for three of them is replaced. */
  PMC_HEARTBEAT_SECONDS: seconds.default(10),
  /** Where `npm run dev` serves the platform and carrier simulators. */
  SANDBOX_PORT: port.default(3900),
  /** `npm run dev` starts the simulators and registers one demo shop per platform. */
  SANDBOX_ENABLED: bool.default(true),

  // Carrier services (unset: not configured; `npm run dev` points them at the sandbox).
  SF_BASE_URL: z.url().optional(),
  SF_PARTNER_ID: z.string().min(1).optional(),
  SF_CHECKWORD: z.string().min(1).optional(),
  /** Secret in the route-push URL given to SF (`…/webhooks/tracking/sf?token=…`); unset: SF routes are polled. */
  SF_PUSH_TOKEN: z
    .string()
    .min(16, 'must be at least 16 characters')
    .regex(/^[A-Za-z0-9._~-]+$/, 'must be URL-safe (letters, digits, . _ ~ -)')
    .optional(),
  /** TOP gateway origin for Cainiao electronic waybills. */
  CAINIAO_BASE_URL: z.url().optional(),
  CAINIAO_APP_KEY: z.string().min(1).optional(),
  CAINIAO_APP_SECRET: z.string().min(1).optional(),
  CAINIAO_SESSION: z.string().min(1).optional(),
  KUAIDI100_BASE_URL: z.url().optional(),
  KUAIDI100_CUSTOMER: z.string().min(1).optional(),
  KUAIDI100_KEY: z.string().min(1).optional(),
  /**
   * Signs Kuaidi100's pushes to us (given when subscribing): a random string of your own, required
   * with KUAIDI100_KEY. No default: a salt everyone knows would let anyone forge deliveries.
   */
  KUAIDI100_SALT: z
    .string()
    .min(16, 'must be at least 16 characters (a random string of your own)')
    .optional(),
  KDNIAO_BASE_URL: z.url().optional(),
  KDNIAO_EBUSINESS_ID: z.string().min(1).optional(),
  KDNIAO_APP_KEY: z.string().min(1).optional(),

  // Qimen (奇门): the gateway external warehouse systems are reached through. Warehouses choose it
  // with `PUT /wms/warehouses/:code/system`; unset, no warehouse can use it.
  /** Gateway origin; the requests go to `…/router/qimen/service`. */
  QIMEN_BASE_URL: z.url().optional(),
  QIMEN_APP_KEY: z.string().min(1).optional(),
  QIMEN_APP_SECRET: z.string().min(1).optional(),

  // Payment channels own-store orders are refunded through (unset: not configured; `npm run dev`
  // points them at the sandbox). PEM keys may be given with literal "\n" for line breaks.
  /** Alipay OpenAPI origin (`…/gateway.do`), e.g. https://openapi.alipay.com. */
  ALIPAY_BASE_URL: z.url().optional(),
  ALIPAY_APP_ID: z.string().min(1).optional(),
  ALIPAY_APP_PRIVATE_KEY: pem.optional(),
  ALIPAY_PUBLIC_KEY: pem.optional(),
  /** WeChat Pay API v3 origin, e.g. https://api.mch.weixin.qq.com. */
  WECHATPAY_BASE_URL: z.url().optional(),
  WECHATPAY_MCHID: z.string().min(1).optional(),
  /** Serial number of the merchant API certificate. */
  WECHATPAY_SERIAL_NO: z.string().min(1).optional(),
  WECHATPAY_PRIVATE_KEY: pem.optional(),
  WECHATPAY_APIV3_KEY: z.string().length(32, 'must be the 32-character APIv3 key').optional(),
  /** WeChat Pay's verification key: its serial (platform certificate serial or PUB_KEY_ID_…) and PEM. */
  WECHATPAY_PLATFORM_SERIAL: z.string().min(1).optional(),
  WECHATPAY_PLATFORM_PUBLIC_KEY: pem.optional(),
  /** Where the channels send refund notifications (`…/webhooks/payments/{alipay|wechatpay}`); default API_PUBLIC_URL. */
  PAYMENT_NOTIFY_BASE_URL: z.url().optional(),
  // Machine translation of remarks the lexicon cannot read (unset: such remarks are held for a
  // person, as the lexicon leaves them; `npm run dev` points it at the sandbox). docs/remarks.md.
  /** Baidu Translate (百度翻译开放平台) general text API origin. */
  BAIDU_TRANSLATE_BASE_URL: z.url().default('https://fanyi-api.baidu.com'),
  BAIDU_TRANSLATE_APP_ID: z.string().min(1).optional(),
  BAIDU_TRANSLATE_SECRET_KEY: z.string().min(1).optional(),
  /** Tencent Cloud TMT (机器翻译) TextTranslate: API 3.0 origin, SecretId/SecretKey, region, project. */
  TENCENT_TMT_BASE_URL: z.url().default('https://tmt.tencentcloudapi.com'),
  TENCENT_TMT_SECRET_ID: z.string().min(1).optional(),
  TENCENT_TMT_SECRET_KEY: z.string().min(1).optional(),
  TENCENT_TMT_REGION: z.string().min(1).default('ap-guangzhou'),
  TENCENT_TMT_PROJECT_ID: z.coerce.number().int().min(0).default(0),
  /** The services asked, in order, among those configured: the first that answers translates. */
  TRANSLATION_PROVIDERS: z
    .string()
    .default('baidu,tencent')
    .transform((v) =>
      v
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(['baidu', 'tencent'])).min(1, 'must name baidu and/or tencent')),
  /** One translation call may take this long before the remark is held as untranslated. */
  TRANSLATION_TIMEOUT_SECONDS: seconds.default(5),
  /** Agreed after-sales refunds above this (fen) need the finance role as well as customer service. */
  AFTER_SALE_FINANCE_ABOVE_FEN: z.coerce.number().int().min(0).default(50_000),
  /** A platform case still undecided this long before the seller's deadline escalates to a person. */
  AFTER_SALE_ESCALATE_BEFORE_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .default(6 * 3600),

  DEV_OPEN_BROWSER: bool.default(false),
});

export type Config = z.infer<typeof ConfigSchema>;

/** A configured integration whose pushes we verify needs its secret: refused at start, never defaulted. */
const WithRequiredSecrets = ConfigSchema.superRefine((config, ctx) => {
  if (!!config.TENCENT_TMT_SECRET_ID !== !!config.TENCENT_TMT_SECRET_KEY) {
    const missing = config.TENCENT_TMT_SECRET_ID ? 'TENCENT_TMT_SECRET_KEY' : 'TENCENT_TMT_SECRET_ID';
    ctx.addIssue({
      code: 'custom',
      path: [missing],
      message: 'must be set with the other Tencent TMT credential (SecretId and SecretKey go together)',
    });
  }
  if (!!config.BAIDU_TRANSLATE_APP_ID !== !!config.BAIDU_TRANSLATE_SECRET_KEY) {
    const missing = config.BAIDU_TRANSLATE_APP_ID ? 'BAIDU_TRANSLATE_SECRET_KEY' : 'BAIDU_TRANSLATE_APP_ID';
    ctx.addIssue({
      code: 'custom',
      path: [missing],
      message: 'must be set with the other Baidu Translate credential (app id and secret key go together)',
    });
  }
  if (config.KUAIDI100_KEY && !config.KUAIDI100_SALT) {
    ctx.addIssue({
      code: 'custom',
      path: ['KUAIDI100_SALT'],
      message:
        'must be set when Kuaidi100 is configured (KUAIDI100_KEY): a random string of at least 16 characters',
    });
  }
});

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads configuration from `env`; empty strings count as unset. Throws ConfigError naming each bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = WithRequiredSecrets.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = issue.path.join('.');
        const value = env[name];
        return `${name}=${JSON.stringify(value)}: ${issue.message}`;
      }),
    );
  }
  return parsed.data;
}

/** For entry points: print the problems and exit instead of a stack trace. */
export function loadConfigOrExit(env: Record<string, string | undefined> = process.env): Config {
  try {
    return loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
}

/**
 * The task queue of the wave workflows (one per warehouse) and of their activities: apart from the
 * order and shipment workflows, so a burst's backlog of order tasks never queues in front of the
 * wave that every one of those orders waits for.
 */
export function waveTaskQueue(config: Pick<Config, 'TASK_QUEUE_ORDERS' | 'TASK_QUEUE_WAVES'>): string {
  return config.TASK_QUEUE_WAVES ?? `${config.TASK_QUEUE_ORDERS}-waves`;
}

/**
 * The task queue of the shipment workflows and of their activities (carrier choice, waybill, label,
 * tracking upload): apart from the order workflows, so parcels a wave released get their labels
 * while a burst's orders are still queued for capture, audit and reservation.
 */
export function shipmentTaskQueue(
  config: Pick<Config, 'TASK_QUEUE_ORDERS' | 'TASK_QUEUE_SHIPMENTS'>,
): string {
  return config.TASK_QUEUE_SHIPMENTS ?? `${config.TASK_QUEUE_ORDERS}-shipments`;
}

export function temporalUiUrl(config: Config): string {
  if (config.TEMPORAL_UI_URL) return config.TEMPORAL_UI_URL.replace(/\/$/, '');
  const host = config.TEMPORAL_ADDRESS.split(':')[0] ?? 'localhost';
  return `http://${host}:${config.TEMPORAL_UI_PORT}`;
}
