import Fastify, { type FastifyInstance } from 'fastify';
import type { Platform } from '../domain/platforms.js';
import { createCarrierSandbox, type CarrierSandbox, type ParcelScenario } from './carriers/index.js';
import { SimInventory } from './kit/inventory.js';
import { createPaymentSandbox, PAYMENT_SANDBOX_PREFIXES, type PaymentSandbox } from './payments/index.js';
import {
  createTranslationSandbox,
  TRANSLATION_SANDBOX_PREFIXES,
  type TranslationSandbox,
} from './translation/index.js';
import { installChaos, type ChaosControl, type ChaosSettings } from './kit/chaos.js';
import { FaultPlan } from './kit/rate-limit.js';
import { SimOrderStore } from './kit/store.js';
import { applyLifecycle, generateOrders, type GeneratedOrder, type Scenario } from './orders/generator.js';
import type { SimOrder } from './orders/model.js';
import { createRng, type Rng } from './orders/prng.js';
import {
  AMAZON_RATE_PLANS,
  AmazonSimAuth,
  amazonSimulator,
  SimAmazonAdjustmentBook,
  SimAmazonReturnBook,
  type AmazonOperation,
} from './platforms/amazon/index.js';
import {
  DouyinSimAuth,
  douyinSimulator,
  renderDouyinPush,
  type DouyinPushTag,
} from './platforms/douyin/index.js';
import {
  ebayNotificationKey,
  ebaySimulator,
  renderEbayNotification,
  type EbayNotificationKey,
} from './platforms/ebay/index.js';
import { jdSimulator } from './platforms/jd/index.js';
import { kuaishouEvent, kuaishouSimulator, renderKuaishouPush } from './platforms/kuaishou/index.js';
import { lazadaSimulator, renderLazadaPush } from './platforms/lazada/index.js';
import { meliSimulator, renderMeliNotification } from './platforms/mercadolibre/index.js';
import { renderYouzanPush, youzanSimulator } from './platforms/youzan/index.js';
import { aliexpressSimulator, renderAliexpressPush } from './platforms/aliexpress/index.js';
import { weidianSimulator } from './platforms/weidian/index.js';
import { alibaba1688Simulator } from './platforms/alibaba-1688/index.js';
import { renderTemuPush, TEMU_SIM_CARRIER_IDS, temuSimulator } from './platforms/temu/index.js';
import { dewuSimulator } from './platforms/dewu/index.js';
import { VIP_DEMO_CARRIER_CODES, vipSimulator } from './platforms/vip/index.js';
import {
  renderTiktokPush,
  TIKTOK_SIM_PROVIDERS,
  tiktokShopCipher,
  tiktokSimulator,
} from './platforms/tiktok/index.js';
import {
  renderXiaohongshuPush,
  XIAOHONGSHU_GATEWAY_PATH,
  xiaohongshuSimulator,
} from './platforms/xiaohongshu/index.js';
import { renderWechatShopPush, wechatShopEvent, wechatShopSimulator } from './platforms/wechat-shop/index.js';
import { SimTokenAuth } from './kit/token-auth.js';
import { OwnStoreInbox, ownStorePayment, ownStoreSimulator, renderOwnStorePush } from './platforms/own.js';
import { PDD_PUBLISHED_LIMITS, pddSimulator } from './platforms/pdd/index.js';
import { renderShopeePush, ShopeeSimAuth, shopeeSimulator } from './platforms/shopee/index.js';
import {
  renderShopifyWebhook,
  shopifyAfterSaleTopics,
  shopifySimulator,
  type ShopifyAfterSaleSent,
} from './platforms/shopify/index.js';
import { taobaoSimulator } from './platforms/taobao/index.js';
import { renderWalmartEvent, walmartSimulator } from './platforms/walmart/index.js';
import { renderWooWebhook, wooCommerceSimulator } from './platforms/woocommerce/index.js';

/**
 * Every simulator on one local server, each under its own prefix (`/taobao`, `/pdd`, …, carriers
 * under `/carriers/sf` …), with demo apps, sellers and tokens, and a live order stream: a
 * normal-day trickle on every platform, an occasional livestream burst, cancellations, refunds,
 * presales and cross-border orders, moved along by the generator's lifecycle. Platforms that push
 * over HTTP (Douyin, Shopee, Shopify, WooCommerce, Kuaishou, Lazada, TikTok Shop, eBay, Xiaohongshu, Walmart, WeChat Channels shop, Mercado Libre, Youzan, AliExpress, own store) post signed pushes to the ERP's
 * webhook URL as their orders change; Shopify also sends `returns/*` as a return moves and
 * `refunds/create` for a refund, each move once.
 */

/** A demo shop: what the ERP registers to poll and verify this simulated seller. */
export interface SandboxShop {
  /** Our shop id. */
  id: string;
  platform: Platform;
  name: string;
  platformShopId: string;
  /** For the own store: its fulfilment callback URL (it pushes orders and is told of shipments). */
  baseUrl: string;
  /** Empty app key and secret for the own store: it only signs pushes with its webhook secret. */
  credentials: {
    appKey: string;
    appSecret: string;
    accessToken?: string;
    refreshToken?: string;
    webhookSecret?: string;
    extra?: Record<string, string>;
  };
}

export interface SandboxOptions {
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** The ERP's public base URL; pushes go to `{webhookBaseUrl}/webhooks/{platform}/{shopId}`. No pushes without it. */
  webhookBaseUrl?: string;
  /** Our shop id per platform, when not the demo ids (`demo-taobao`, …): tests use unique ones. */
  shopIds?: Partial<Record<Platform, string>>;
  /** Live order stream; off by default (tests place orders themselves). */
  stream?: {
    /** New orders per platform per minute on a normal day (default 2). */
    ordersPerMinute?: number;
    /** Mean minutes between livestream bursts (default 10; 0 = none). */
    burstEveryMinutes?: number;
    /** Plans (payment, cancellation, refunds) play this many times faster than real life (default 10). */
    timeScale?: number;
    tickMs?: number;
    seed?: string;
    /**
     * Parcels move one scan every this many seconds, a demo pace (the simulated network still
     * stamps a parcel's scans at least a minute apart). Unset: parcels follow the network's clock,
     * about 30 hours from collection to signature.
     */
    parcelScanSeconds?: number;
    /**
     * Share of parcels whose journey goes wrong after collection: an address problem, a refusal,
     * a loss, a return, or no further scans (default 0).
     */
    parcelExceptionRate?: number;
  };
  /** Amazon's published usage plans (getOrders: one call a minute); default generous for demos. */
  realisticAmazonLimits?: boolean;
  /** Random 5xx, 429 bursts and slow answers on every simulator from the start (off by default). */
  chaos?: Partial<ChaosSettings>;
  now?: () => Date;
  log?: (line: string) => void;
}

export interface SandboxPlatform {
  baseUrl: string;
  store: SimOrderStore;
  faults: FaultPlan;
}

export interface Sandbox {
  baseUrl: string;
  shops: SandboxShop[];
  platforms: Record<Exclude<Platform, 'tmall' | 'own'>, SandboxPlatform>;
  /**
   * The own store: orders live here and are pushed; shipments come back through its fulfilment
   * callback (`callbackUrl`), checked and recorded in `fulfilments`.
   */
  own: {
    store: SimOrderStore;
    webhookSecret: string;
    callbackUrl: string;
    fulfilments: OwnStoreInbox;
    /** The ERP's cancellations of the store's unpaid orders, by delivery id. */
    cancellations: OwnStoreInbox['cancellations'];
    faults: FaultPlan;
  };
  /** Sellable quantities the platforms show per listing (stock uploads land here). */
  inventory: SimInventory;
  /** The key the simulated eBay signs notifications with (its public half is the demo shop's webhook secret). */
  ebayNotificationKey: EbayNotificationKey;
  /** The Amazon sellers' MFN returns its returns report serves (by seller id). */
  amazonReturns: SimAmazonReturnBook;
  /** The refunds the Amazon sellers' payment adjustment feeds made (POST_FLAT_FILE_PAYMENT_ADJUSTMENT_DATA). */
  amazonAdjustments: SimAmazonAdjustmentBook;
  /** Token authorities of the platforms whose tokens expire and refresh (tests expire them). */
  auth: {
    douyin: DouyinSimAuth;
    shopee: ShopeeSimAuth;
    amazon: AmazonSimAuth;
    kuaishou: SimTokenAuth;
    lazada: SimTokenAuth;
    tiktok: SimTokenAuth;
    xiaohongshu: SimTokenAuth;
    wechat_shop: SimTokenAuth;
    ebay: SimTokenAuth;
    walmart: SimTokenAuth;
    mercadolibre: SimTokenAuth;
    youzan: SimTokenAuth;
    aliexpress: SimTokenAuth;
    weidian: SimTokenAuth;
    alibaba_1688: SimTokenAuth;
    temu: SimTokenAuth;
    dewu: SimTokenAuth;
    vip: SimTokenAuth;
  };
  carriers: CarrierSandbox & { baseUrls: Record<'sf' | 'cainiao' | 'kuaidi100' | 'kdniao', string> };
  /** The payment channels own-store orders are paid through (Alipay, WeChat Pay): refunds and notifications. */
  payments: PaymentSandbox & { baseUrls: Record<'alipay' | 'wechatpay', string> };
  /** Machine translation (Baidu Translate, Tencent TMT) for remarks the lexicon cannot read. */
  translation: TranslationSandbox & { baseUrls: Record<'baidu' | 'tencent', string> };
  shop(platform: Platform): SandboxShop;
  /**
   * Places orders now on a platform (generator scenarios), and returns them. `prepare` changes each
   * order before the platform first shows it (and pushes it): an order paid, or fulfilled days ago,
   * is seen that way from the start.
   */
  placeOrders(
    platform: Platform,
    options: {
      count: number;
      scenario?: Scenario;
      seed?: string;
      prepare?: (order: GeneratedOrder) => void;
    },
  ): GeneratedOrder[];
  /** Plays every live order's plan forward to now; returns how many orders changed. */
  advance(): number;
  /** Where pushes go (turns pushes on, or off with undefined). */
  setWebhookBaseUrl(url: string | undefined): void;
  /** Bad weather on every simulator: 5xx, 429 bursts, slow answers (sandbox/kit/chaos.ts). */
  chaos: ChaosControl;
  stop(): Promise<void>;
}

/**
 * The live stream `npm run dev` and `npm run sandbox` run: the default order trickle, and parcels
 * that reach the buyer within a couple of minutes, a few of them going astray.
 */
export const DEMO_STREAM = { parcelScanSeconds: 30, parcelExceptionRate: 0.06 } as const;

export const SANDBOX_PREFIXES = {
  taobao: '/taobao',
  pdd: '/pdd',
  jd: '/jd',
  douyin: '/douyin',
  shopee: '/shopee',
  amazon: '/amazon',
  shopify: '/shopify',
  woocommerce: '/woocommerce',
  kuaishou: '/kuaishou',
  lazada: '/lazada',
  tiktok: '/tiktok',
  xiaohongshu: '/xiaohongshu',
  wechat_shop: '/wechat',
  ebay: '/ebay',
  walmart: '/walmart',
  mercadolibre: '/mercadolibre',
  youzan: '/youzan',
  aliexpress: '/aliexpress',
  weidian: '/weidian',
  alibaba_1688: '/alibaba-1688',
  temu: '/temu',
  dewu: '/dewu',
  vip: '/vip',
} as const;

const TAOBAO_APP = { appKey: '12345678', appSecret: 'sandbox-top-app-secret' };
const TAOBAO_NICK = '示例旗舰店';
const TMALL_NICK = '示例天猫旗舰店';
const PDD_APP = { appKey: 'sandbox-pdd-client', appSecret: 'sandbox-pdd-secret' };
const PDD_MALL = '171504183';
const JD_APP = { appKey: 'sandbox-jd-app', appSecret: 'sandbox-jd-secret' };
const JD_VENDER = '10001234';
const DOUYIN_APP = { appKey: '7212345678901234567', appSecret: 'sandbox-douyin-secret' };
const DOUYIN_SHOP = '20001234';
const SHOPEE_PARTNER = { partnerId: '2001887', partnerKey: 'sandbox-shopee-partner-key' };
const SHOPEE_SHOP = '600000';
const AMAZON_CLIENT = {
  clientId: 'amzn1.application-oa2-client.sandbox',
  clientSecret: 'sandbox-lwa-secret',
};
const AMAZON_SELLER = 'A2SANDBOXSELLER';
const AMAZON_MARKETPLACE = 'ATVPDKIKX0DER';
const SHOPIFY_DOMAIN = 'sandbox-demo.myshopify.com';
const SHOPIFY_TOKEN = 'shpat_sandbox_admin_token';
const SHOPIFY_SECRET = 'shpss_sandbox_client_secret';
const WOO_SITE = 'https://woo.sandbox.example';
const WOO_KEYS = { consumerKey: 'ck_sandbox', consumerSecret: 'cs_sandbox' };
const WOO_WEBHOOK_SECRET = 'sandbox-woo-webhook-secret';
const KUAISHOU_APP = {
  appKey: 'ks699183844582124027',
  appSecret: 'sandbox-kuaishou-app-secret',
  signSecret: 'sandbox-kuaishou-sign-secret',
};
/** The push message key Kuaishou's console issues: Base64 of 32 bytes (AES-256). */
const KUAISHOU_MESSAGE_SECRET = Buffer.from('sandbox-kuaishou-message-key-32b').toString('base64');
const KUAISHOU_SELLER = '2161524184';
const LAZADA_APP = { appKey: '100132', appSecret: 'sandbox-lazada-app-secret' };
const LAZADA_SELLER = '1000276412';
const TIKTOK_APP = { appKey: '6abc1234defg5', appSecret: 'sandbox-tiktok-app-secret' };
const TIKTOK_SHOP = '7494049642642441621';
const XIAOHONGSHU_APP = { appKey: '21d6e4c2f748be8de0', appSecret: 'sandbox-xiaohongshu-app-secret' };
const XIAOHONGSHU_SELLER = '5f1b2c3d4e5f6a7b8c9d0e1f';
const WECHAT_SHOP_APP = { appId: 'wx5f1b2c3d4e5f6a7b', appSecret: 'sandbox-wechat-shop-app-secret' };
const WECHAT_SHOP_ID = 'gh_5f1b2c3d4e5f';
/** The shop's 消息推送 settings: Token and EncodingAESKey (43 characters), safe mode. */
const WECHAT_SHOP_PUSH = {
  token: 'sandboxwechattoken',
  encodingAesKey: Buffer.from('sandbox-wechat-shop-aes-key-32by').toString('base64').slice(0, 43),
};
const EBAY_APP = {
  clientId: 'SandboxE-erpdemo-PRD-1a2b3c4d5-6e7f8a9b',
  clientSecret: 'PRD-sandbox-ebay-cert-id',
};
const EBAY_SELLER = 'demo_seller_us';
const WALMART_SELLER = '101234567';
const WALMART_CLIENT = {
  clientId: 'a1b2c3d4-sandbox-walmart-client',
  clientSecret: 'sandbox-walmart-client-secret',
  sellerId: WALMART_SELLER,
};
/** The `user:password` the demo's notification subscription sends (HTTP Basic). */
const WALMART_EVENT_CREDENTIALS = 'erp-demo:sandbox-walmart-events';
const MELI_APP = { clientId: '5503910054141466', clientSecret: 'sandbox-meli-client-secret' };
const MELI_SELLER = '202593498';
/** The secret in the callback URL registered in Mercado Libre's app manager. */
const MELI_CALLBACK_SECRET = 'sandbox-meli-callback-secret';
/** A self-use (自用型) Youzan app and the shop (`kdt_id`) it was made for. */
const YOUZAN_APP = { clientId: '3f2a8c1d9e7b4a6c5d0e', clientSecret: 'sandbox-youzan-client-secret' };
const YOUZAN_KDT = '46712583';
const ALIEXPRESS_APP = { appKey: '503312', appSecret: 'sandbox-aliexpress-app-secret' };
const ALIEXPRESS_SELLER = '2671514005';
/** A Weidian shop's self-use app. */
const WEIDIAN_APP = { appKey: '692318', secret: 'sandbox-weidian-secret' };
const WEIDIAN_SHOP = '1738492651';
/** A 1688 app and the seller (member id) that authorized it. */
const ALIBABA_1688_APP = { appKey: '8261935', appSecret: 'sandbox-1688-app-secret' };
const ALIBABA_1688_SELLER = 'b2b-2208713564092';
/** A Temu app and the US mall whose token the seller shared. */
const TEMU_APP = { appKey: 'f9d5cc9313893a20d5aa85c654e8f503', appSecret: 'sandbox-temu-app-secret' };
const TEMU_MALL = '635517726820718';
/** A Dewu app and the merchant (a brand-direct seller) that authorized it. */
const DEWU_APP = { appKey: 'sandbox-dewu-app-key', appSecret: 'sandbox-dewu-app-secret' };
const DEWU_MERCHANT = 'dewu-merchant-20881';
/** A VOP app and the vendor (vendor_id) that authorized it for its 直发 orders. */
const VIP_APP = { appKey: 'e79ed1c1', appSecret: 'SANDBOX0VIP0APP0SECRET00000000AA' };
const VIP_VENDOR = '550';
const OWN_WEBHOOK_SECRET = 'whsec_sandbox_own_store';
const OWN_STORE_KEY = 'demo-shop';
const OWN_PREFIX = '/own';
/**
 * Flow control where the platform publishes none (TOP and JD, API-FACTS §1.1, §3.1 ❓): our own
 * figure of 6000 calls a minute per app (TOP) or seller (JD) and API, so a livestream burst or a
 * 2000-order catch-up stays inside it while a runaway loop still meets the platform's limit error.
 */
const UNPUBLISHED_LIMIT = { limit: 6000, windowMs: 60_000 } as const;

/** Which scenarios a platform's trickle draws from, and how often. */
function scenarioMix(platform: Platform): Array<readonly [Scenario, number]> {
  const crossBorder = [
    'shopee',
    'amazon',
    'shopify',
    'woocommerce',
    'lazada',
    'tiktok',
    'ebay',
    'walmart',
    'mercadolibre',
    'aliexpress',
  ].includes(platform);
  return crossBorder
    ? [
        ['cross_border', 70],
        ['normal_day', 15],
        ['cancellations', 5],
        ['refunds', 10],
      ]
    : [
        ['normal_day', 70],
        ['cancellations', 8],
        ['refunds', 7],
        ['presale', 5],
        ['group_buy', platform === 'pdd' ? 20 : 5],
      ];
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const now = options.now ?? (() => new Date());
  const log = options.log ?? (() => {});
  const server: FastifyInstance = Fastify({ logger: false, bodyLimit: 10 * 1024 * 1024 });
  // Before any simulator registers, so the weather reaches every route.
  const chaos = installChaos(server, { seed: options.stream?.seed ?? 'sandbox' });
  if (options.chaos) chaos.set(options.chaos);
  const faults = () => new FaultPlan();
  const stores = {
    taobao: new SimOrderStore(),
    pdd: new SimOrderStore(),
    jd: new SimOrderStore(),
    douyin: new SimOrderStore(),
    shopee: new SimOrderStore(),
    amazon: new SimOrderStore(),
    shopify: new SimOrderStore(),
    woocommerce: new SimOrderStore(),
    kuaishou: new SimOrderStore(),
    lazada: new SimOrderStore(),
    tiktok: new SimOrderStore(),
    xiaohongshu: new SimOrderStore(),
    wechat_shop: new SimOrderStore(),
    ebay: new SimOrderStore(),
    walmart: new SimOrderStore(),
    mercadolibre: new SimOrderStore(),
    youzan: new SimOrderStore(),
    aliexpress: new SimOrderStore(),
    weidian: new SimOrderStore(),
    alibaba_1688: new SimOrderStore(),
    temu: new SimOrderStore(),
    dewu: new SimOrderStore(),
    vip: new SimOrderStore(),
  };
  const plans = {
    taobao: faults(),
    pdd: faults(),
    jd: faults(),
    douyin: faults(),
    shopee: faults(),
    amazon: faults(),
    shopify: faults(),
    woocommerce: faults(),
    kuaishou: faults(),
    lazada: faults(),
    tiktok: faults(),
    xiaohongshu: faults(),
    wechat_shop: faults(),
    ebay: faults(),
    walmart: faults(),
    mercadolibre: faults(),
    youzan: faults(),
    aliexpress: faults(),
    weidian: faults(),
    alibaba_1688: faults(),
    temu: faults(),
    dewu: faults(),
    vip: faults(),
  };
  const inventory = new SimInventory();
  const ownStore = new SimOrderStore();
  const ownInbox = new OwnStoreInbox();
  const ownFaults = faults();

  await server.register(taobaoSimulator, {
    prefix: SANDBOX_PREFIXES.taobao,
    store: stores.taobao,
    inventory,
    ...TAOBAO_APP,
    shops: [
      {
        nick: TAOBAO_NICK,
        userId: '2200001',
        accessToken: 'sandbox-tb-session',
        refreshToken: 'sandbox-tb-refresh',
      },
      {
        nick: TMALL_NICK,
        userId: '2200002',
        accessToken: 'sandbox-tm-session',
        refreshToken: 'sandbox-tm-refresh',
      },
    ],
    faults: plans.taobao,
    rateLimit: UNPUBLISHED_LIMIT,
    now,
  });
  await server.register(pddSimulator, {
    prefix: SANDBOX_PREFIXES.pdd,
    store: stores.pdd,
    clientId: PDD_APP.appKey,
    clientSecret: PDD_APP.appSecret,
    malls: [{ mallId: PDD_MALL, accessToken: 'sandbox-pdd-token', refreshToken: 'sandbox-pdd-refresh' }],
    inventory,
    faults: plans.pdd,
    rateLimits: PDD_PUBLISHED_LIMITS,
    now,
  });
  await server.register(jdSimulator, {
    prefix: SANDBOX_PREFIXES.jd,
    store: stores.jd,
    ...JD_APP,
    vendors: [{ venderId: JD_VENDER, accessToken: 'sandbox-jd-token', refreshToken: 'sandbox-jd-refresh' }],
    inventory,
    faults: plans.jd,
    rateLimit: UNPUBLISHED_LIMIT,
    now,
  });
  const douyinAuth = new DouyinSimAuth(7 * 24 * 3600, now);
  const douyinGrant = douyinAuth.grant(DOUYIN_SHOP, {
    accessToken: 'sandbox-douyin-token',
    refreshToken: 'sandbox-douyin-refresh',
  });
  await server.register(douyinSimulator, {
    prefix: SANDBOX_PREFIXES.douyin,
    store: stores.douyin,
    app: DOUYIN_APP,
    auth: douyinAuth,
    inventory,
    faults: plans.douyin,
    now,
  });
  const shopeeAuth = new ShopeeSimAuth(4 * 3600, now);
  const shopeeGrant = shopeeAuth.grant(SHOPEE_SHOP);
  await server.register(shopeeSimulator, {
    prefix: SANDBOX_PREFIXES.shopee,
    store: stores.shopee,
    partner: SHOPEE_PARTNER,
    auth: shopeeAuth,
    inventory,
    faults: plans.shopee,
    now,
    // Shopee's logistics collects the demo shop's parcels (pickup, else dropoff; non-integrated too,
    // for a shop on its own carriers): the ERP arranges them and prints Shopee's document. Receivers
    // stay in full, so the shop can switch to its own carriers (settings.platformLogistics false).
    // Shopee's carrier collects an arranged parcel two minutes after its number is issued (the
    // warehouse robot has handed it over by then), delivers it five minutes later and the buyer
    // confirms a quarter of an hour after that: the order goes SHIPPED, TO_CONFIRM_RECEIVE, COMPLETED.
    logistics: 'seller',
    channel: () => ({
      methods: ['pickup', 'dropoff', 'non_integrated'],
      trackingDelaySeconds: 3,
      journey: { pickupSeconds: 120, deliverySeconds: 300, confirmSeconds: 900 },
    }),
  });
  const amazonAuth = new AmazonSimAuth(AMAZON_CLIENT, now);
  const amazonReturns = new SimAmazonReturnBook();
  const amazonAdjustments = new SimAmazonAdjustmentBook();
  const amazonRefresh = amazonAuth.authorize(AMAZON_SELLER);
  const generous = Object.fromEntries(
    Object.keys(AMAZON_RATE_PLANS).map((op) => [op, { rate: 50, burst: 200 }]),
  ) as Record<AmazonOperation, { rate: number; burst: number }>;
  await server.register(amazonSimulator, {
    prefix: SANDBOX_PREFIXES.amazon,
    store: stores.amazon,
    auth: amazonAuth,
    marketplaceId: AMAZON_MARKETPLACE,
    inventory,
    faults: plans.amazon,
    now,
    returns: amazonReturns,
    adjustments: amazonAdjustments,
    ...(options.realisticAmazonLimits ? {} : { ratePlans: generous }),
  });
  await server.register(shopifySimulator, {
    prefix: SANDBOX_PREFIXES.shopify,
    store: stores.shopify,
    tokens: { [SHOPIFY_TOKEN]: SHOPIFY_DOMAIN },
    faults: plans.shopify,
    inventory,
    now,
    bucket: { size: 200, perSecond: 50 },
  });
  await server.register(wooCommerceSimulator, {
    prefix: SANDBOX_PREFIXES.woocommerce,
    store: stores.woocommerce,
    keys: [{ ...WOO_KEYS, shopKey: WOO_SITE }],
    inventory,
    faults: plans.woocommerce,
    now,
  });
  const kuaishouAuth = new SimTokenAuth(48 * 3600, now);
  const kuaishouGrant = kuaishouAuth.grant(KUAISHOU_SELLER);
  await server.register(kuaishouSimulator, {
    prefix: SANDBOX_PREFIXES.kuaishou,
    store: stores.kuaishou,
    app: KUAISHOU_APP,
    auth: kuaishouAuth,
    inventory,
    faults: plans.kuaishou,
    now,
  });
  const lazadaAuth = new SimTokenAuth(7 * 24 * 3600, now);
  const lazadaGrant = lazadaAuth.grant(LAZADA_SELLER);
  await server.register(lazadaSimulator, {
    prefix: SANDBOX_PREFIXES.lazada,
    store: stores.lazada,
    app: LAZADA_APP,
    auth: lazadaAuth,
    inventory,
    faults: plans.lazada,
    now,
  });
  const tiktokAuth = new SimTokenAuth(7 * 24 * 3600, now);
  const tiktokGrant = tiktokAuth.grant(TIKTOK_SHOP);
  await server.register(tiktokSimulator, {
    prefix: SANDBOX_PREFIXES.tiktok,
    store: stores.tiktok,
    app: TIKTOK_APP,
    auth: tiktokAuth,
    inventory,
    faults: plans.tiktok,
    now,
  });
  const xiaohongshuAuth = new SimTokenAuth(7 * 24 * 3600, now);
  const xiaohongshuGrant = xiaohongshuAuth.grant(XIAOHONGSHU_SELLER);
  await server.register(xiaohongshuSimulator, {
    prefix: SANDBOX_PREFIXES.xiaohongshu,
    store: stores.xiaohongshu,
    app: XIAOHONGSHU_APP,
    auth: xiaohongshuAuth,
    inventory,
    faults: plans.xiaohongshu,
    now,
  });
  const wechatShopAuth = new SimTokenAuth(7200, now);
  await server.register(wechatShopSimulator, {
    prefix: SANDBOX_PREFIXES.wechat_shop,
    store: stores.wechat_shop,
    app: { ...WECHAT_SHOP_APP, shopKey: WECHAT_SHOP_ID },
    auth: wechatShopAuth,
    inventory,
    faults: plans.wechat_shop,
    now,
  });
  const ebayAuth = new SimTokenAuth(2 * 3600, now);
  const ebayGrant = ebayAuth.grant(EBAY_SELLER);
  const ebayKey = ebayNotificationKey();
  await server.register(ebaySimulator, {
    prefix: SANDBOX_PREFIXES.ebay,
    store: stores.ebay,
    app: EBAY_APP,
    auth: ebayAuth,
    inventory,
    faults: plans.ebay,
    notificationKey: ebayKey,
    now,
  });
  const walmartAuth = new SimTokenAuth(15 * 60, now);
  await server.register(walmartSimulator, {
    prefix: SANDBOX_PREFIXES.walmart,
    store: stores.walmart,
    clients: [WALMART_CLIENT],
    auth: walmartAuth,
    inventory,
    faults: plans.walmart,
    now,
  });
  const meliAuth = new SimTokenAuth(6 * 3600, now);
  const meliGrant = meliAuth.grant(MELI_SELLER);
  await server.register(meliSimulator, {
    prefix: SANDBOX_PREFIXES.mercadolibre,
    store: stores.mercadolibre,
    app: MELI_APP,
    auth: meliAuth,
    inventory,
    faults: plans.mercadolibre,
    now,
  });
  const youzanAuth = new SimTokenAuth(7 * 24 * 3600, now);
  await server.register(youzanSimulator, {
    prefix: SANDBOX_PREFIXES.youzan,
    store: stores.youzan,
    app: { ...YOUZAN_APP, kdtIds: [YOUZAN_KDT] },
    auth: youzanAuth,
    inventory,
    faults: plans.youzan,
    now,
  });
  const aliexpressAuth = new SimTokenAuth(7 * 24 * 3600, now);
  const aliexpressGrant = aliexpressAuth.grant(ALIEXPRESS_SELLER);
  await server.register(aliexpressSimulator, {
    prefix: SANDBOX_PREFIXES.aliexpress,
    store: stores.aliexpress,
    app: ALIEXPRESS_APP,
    auth: aliexpressAuth,
    inventory,
    faults: plans.aliexpress,
    now,
  });
  const weidianAuth = new SimTokenAuth(90_000, now);
  await server.register(weidianSimulator, {
    prefix: SANDBOX_PREFIXES.weidian,
    store: stores.weidian,
    app: { ...WEIDIAN_APP, shopKey: WEIDIAN_SHOP },
    auth: weidianAuth,
    inventory,
    faults: plans.weidian,
    now,
  });
  // 1688 access tokens live 10 hours (secondary source: expires_in 36000).
  const alibaba1688Auth = new SimTokenAuth(36_000, now);
  const alibaba1688Grant = alibaba1688Auth.grant(ALIBABA_1688_SELLER);
  await server.register(alibaba1688Simulator, {
    prefix: SANDBOX_PREFIXES.alibaba_1688,
    store: stores.alibaba_1688,
    app: { ...ALIBABA_1688_APP, shopKey: ALIBABA_1688_SELLER },
    auth: alibaba1688Auth,
    inventory,
    faults: plans.alibaba_1688,
    now,
  });
  // Temu tokens are shared by the seller (no refresh call): a long-lived one for the demo.
  const temuAuth = new SimTokenAuth(365 * 86_400, now);
  const temuGrant = temuAuth.grant(TEMU_MALL);
  await server.register(temuSimulator, {
    prefix: SANDBOX_PREFIXES.temu,
    store: stores.temu,
    app: { ...TEMU_APP, shopKey: TEMU_MALL },
    auth: temuAuth,
    inventory,
    faults: plans.temu,
    now,
  });
  // Dewu tokens live about a day (secondary source) and are refreshed with the OAuth refresh grant.
  const dewuAuth = new SimTokenAuth(86_400, now);
  const dewuGrant = dewuAuth.grant(DEWU_MERCHANT);
  await server.register(dewuSimulator, {
    prefix: SANDBOX_PREFIXES.dewu,
    store: stores.dewu,
    app: { ...DEWU_APP, shopKey: DEWU_MERCHANT },
    auth: dewuAuth,
    inventory,
    faults: plans.dewu,
    now,
  });
  // VOP tokens are the vendor's OAuth tokens, refreshed through vipapis.oauth.OauthService.
  const vipAuth = new SimTokenAuth(30 * 86_400, now);
  const vipGrant = vipAuth.grant(VIP_VENDOR);
  await server.register(vipSimulator, {
    prefix: SANDBOX_PREFIXES.vip,
    store: stores.vip,
    app: { ...VIP_APP, shopKey: VIP_VENDOR },
    auth: vipAuth,
    inventory,
    faults: plans.vip,
    now,
  });
  await server.register(ownStoreSimulator, {
    prefix: OWN_PREFIX,
    store: ownStore,
    shopKey: OWN_STORE_KEY,
    webhookSecret: OWN_WEBHOOK_SECRET,
    inbox: ownInbox,
    faults: ownFaults,
    now,
  });
  const carriers = createCarrierSandbox({ now });
  await server.register(async (scope) => carriers.register(scope), { prefix: '/carriers' });
  const payments = createPaymentSandbox({ now });
  await server.register(async (scope) => payments.register(scope), { prefix: '/payments' });
  const translation = createTranslationSandbox();
  await server.register(async (scope) => translation.register(scope), { prefix: '/translation' });

  await server.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
  const address = server.server.address() as { port: number };
  const baseUrl = `http://${options.host ?? '127.0.0.1'}:${address.port}`;
  const urlOf = (prefix: string) => `${baseUrl}${prefix}`;

  const shops: SandboxShop[] = [
    {
      id: 'demo-taobao',
      platform: 'taobao',
      name: '示例旗舰店 (Taobao sandbox)',
      platformShopId: TAOBAO_NICK,
      baseUrl: urlOf(SANDBOX_PREFIXES.taobao),
      credentials: { ...TAOBAO_APP, accessToken: 'sandbox-tb-session', refreshToken: 'sandbox-tb-refresh' },
    },
    {
      id: 'demo-tmall',
      platform: 'tmall',
      name: '示例天猫旗舰店 (Tmall sandbox)',
      platformShopId: TMALL_NICK,
      baseUrl: urlOf(SANDBOX_PREFIXES.taobao),
      credentials: { ...TAOBAO_APP, accessToken: 'sandbox-tm-session', refreshToken: 'sandbox-tm-refresh' },
    },
    {
      id: 'demo-pdd',
      platform: 'pdd',
      name: 'Pinduoduo sandbox mall',
      platformShopId: PDD_MALL,
      baseUrl: urlOf(SANDBOX_PREFIXES.pdd),
      credentials: { ...PDD_APP, accessToken: 'sandbox-pdd-token', refreshToken: 'sandbox-pdd-refresh' },
    },
    {
      id: 'demo-jd',
      platform: 'jd',
      name: 'JD sandbox store',
      platformShopId: JD_VENDER,
      baseUrl: urlOf(SANDBOX_PREFIXES.jd),
      credentials: {
        ...JD_APP,
        accessToken: 'sandbox-jd-token',
        refreshToken: 'sandbox-jd-refresh',
        extra: { oauthUrl: urlOf(SANDBOX_PREFIXES.jd) },
      },
    },
    {
      id: 'demo-douyin',
      platform: 'douyin',
      name: 'Douyin sandbox shop',
      platformShopId: DOUYIN_SHOP,
      baseUrl: urlOf(SANDBOX_PREFIXES.douyin),
      credentials: {
        ...DOUYIN_APP,
        accessToken: douyinGrant.accessToken,
        refreshToken: douyinGrant.refreshToken,
      },
    },
    {
      id: 'demo-shopee',
      platform: 'shopee',
      name: 'Shopee sandbox shop (SG)',
      platformShopId: SHOPEE_SHOP,
      baseUrl: urlOf(SANDBOX_PREFIXES.shopee),
      credentials: {
        appKey: SHOPEE_PARTNER.partnerId,
        appSecret: SHOPEE_PARTNER.partnerKey,
        accessToken: shopeeGrant.accessToken,
        refreshToken: shopeeGrant.refreshToken,
      },
    },
    {
      id: 'demo-amazon',
      platform: 'amazon',
      name: 'Amazon sandbox seller (US)',
      platformShopId: AMAZON_SELLER,
      baseUrl: urlOf(SANDBOX_PREFIXES.amazon),
      credentials: {
        appKey: AMAZON_CLIENT.clientId,
        appSecret: AMAZON_CLIENT.clientSecret,
        refreshToken: amazonRefresh,
        extra: {
          marketplaceId: AMAZON_MARKETPLACE,
          lwaUrl: urlOf(SANDBOX_PREFIXES.amazon),
          // The simulator's own word for a closed return request (Amazon's words are not in the facts).
          returnsClosedStatuses: 'Closed',
        },
      },
    },
    {
      id: 'demo-shopify',
      platform: 'shopify',
      name: 'Shopify sandbox store',
      platformShopId: SHOPIFY_DOMAIN,
      baseUrl: urlOf(SANDBOX_PREFIXES.shopify),
      credentials: { appKey: 'sandbox-shopify-app', appSecret: SHOPIFY_SECRET, accessToken: SHOPIFY_TOKEN },
    },
    {
      id: 'demo-woocommerce',
      platform: 'woocommerce',
      name: 'WooCommerce sandbox site',
      platformShopId: WOO_SITE,
      baseUrl: urlOf(SANDBOX_PREFIXES.woocommerce),
      credentials: {
        appKey: WOO_KEYS.consumerKey,
        appSecret: WOO_KEYS.consumerSecret,
        webhookSecret: WOO_WEBHOOK_SECRET,
      },
    },
    {
      id: 'demo-kuaishou',
      platform: 'kuaishou',
      name: '快手小店 sandbox seller',
      platformShopId: KUAISHOU_SELLER,
      baseUrl: urlOf(SANDBOX_PREFIXES.kuaishou),
      credentials: {
        appKey: KUAISHOU_APP.appKey,
        appSecret: KUAISHOU_APP.appSecret,
        accessToken: kuaishouGrant.accessToken,
        refreshToken: kuaishouGrant.refreshToken,
        webhookSecret: KUAISHOU_MESSAGE_SECRET,
        extra: { signSecret: KUAISHOU_APP.signSecret },
      },
    },
    {
      id: 'demo-lazada',
      platform: 'lazada',
      name: 'Demo Store SG (Lazada sandbox)',
      platformShopId: LAZADA_SELLER,
      baseUrl: urlOf(SANDBOX_PREFIXES.lazada),
      credentials: {
        ...LAZADA_APP,
        accessToken: lazadaGrant.accessToken,
        refreshToken: lazadaGrant.refreshToken,
        // Token refresh goes to the auth host, which the sandbox serves under the same prefix.
        extra: { venture: 'sg', authUrl: urlOf(SANDBOX_PREFIXES.lazada) },
      },
    },
    {
      id: 'demo-tiktok',
      platform: 'tiktok',
      name: 'Demo Store MY (TikTok Shop sandbox)',
      platformShopId: TIKTOK_SHOP,
      baseUrl: urlOf(SANDBOX_PREFIXES.tiktok),
      credentials: {
        ...TIKTOK_APP,
        accessToken: tiktokGrant.accessToken,
        refreshToken: tiktokGrant.refreshToken,
        extra: {
          shopCipher: tiktokShopCipher(TIKTOK_SHOP),
          // The token host is served under the same prefix.
          authUrl: urlOf(SANDBOX_PREFIXES.tiktok),
          shippingProviders: Object.entries(TIKTOK_SIM_PROVIDERS)
            .map(([carrier, id]) => `${carrier}=${id}`)
            .join(','),
        },
      },
    },
    {
      id: 'demo-xiaohongshu',
      platform: 'xiaohongshu',
      name: '小红书 sandbox seller',
      platformShopId: XIAOHONGSHU_SELLER,
      baseUrl: `${urlOf(SANDBOX_PREFIXES.xiaohongshu)}${XIAOHONGSHU_GATEWAY_PATH}`,
      credentials: {
        ...XIAOHONGSHU_APP,
        accessToken: xiaohongshuGrant.accessToken,
        refreshToken: xiaohongshuGrant.refreshToken,
      },
    },
    {
      id: 'demo-wechat-shop',
      platform: 'wechat_shop',
      name: '微信小店 sandbox shop',
      platformShopId: WECHAT_SHOP_ID,
      baseUrl: urlOf(SANDBOX_PREFIXES.wechat_shop),
      // No access token: the adapter fetches one with the app id and secret.
      credentials: {
        appKey: WECHAT_SHOP_APP.appId,
        appSecret: WECHAT_SHOP_APP.appSecret,
        webhookSecret: `${WECHAT_SHOP_PUSH.token}|${WECHAT_SHOP_PUSH.encodingAesKey}`,
      },
    },
    {
      id: 'demo-ebay',
      platform: 'ebay',
      name: 'Demo seller US (eBay sandbox)',
      platformShopId: EBAY_SELLER,
      baseUrl: urlOf(SANDBOX_PREFIXES.ebay),
      credentials: {
        appKey: EBAY_APP.clientId,
        appSecret: EBAY_APP.clientSecret,
        accessToken: ebayGrant.accessToken,
        refreshToken: ebayGrant.refreshToken,
        // Notifications verify under eBay's public key, which the shop keeps as its webhook secret.
        webhookSecret: ebayKey.publicKey,
      },
    },
    {
      id: 'demo-walmart',
      platform: 'walmart',
      name: 'Demo seller US (Walmart Marketplace sandbox)',
      platformShopId: WALMART_SELLER,
      baseUrl: urlOf(SANDBOX_PREFIXES.walmart),
      credentials: {
        appKey: WALMART_CLIENT.clientId,
        appSecret: WALMART_CLIENT.clientSecret,
        webhookSecret: WALMART_EVENT_CREDENTIALS,
      },
    },
    {
      id: 'demo-mercadolibre',
      platform: 'mercadolibre',
      name: 'Loja demo BR (Mercado Libre sandbox)',
      platformShopId: MELI_SELLER,
      baseUrl: urlOf(SANDBOX_PREFIXES.mercadolibre),
      credentials: {
        appKey: MELI_APP.clientId,
        appSecret: MELI_APP.clientSecret,
        accessToken: meliGrant.accessToken,
        refreshToken: meliGrant.refreshToken,
        webhookSecret: MELI_CALLBACK_SECRET,
        extra: { country: 'BR' },
      },
    },
    {
      id: 'demo-youzan',
      platform: 'youzan',
      name: '有赞 sandbox shop',
      platformShopId: YOUZAN_KDT,
      baseUrl: urlOf(SANDBOX_PREFIXES.youzan),
      // A self-use app: no token given, the adapter asks one by silent grant for the shop.
      credentials: { appKey: YOUZAN_APP.clientId, appSecret: YOUZAN_APP.clientSecret },
    },
    {
      id: 'demo-aliexpress',
      platform: 'aliexpress',
      name: 'AliExpress sandbox store (ships to the US)',
      platformShopId: ALIEXPRESS_SELLER,
      baseUrl: urlOf(SANDBOX_PREFIXES.aliexpress),
      credentials: {
        ...ALIEXPRESS_APP,
        accessToken: aliexpressGrant.accessToken,
        refreshToken: aliexpressGrant.refreshToken,
      },
    },
    {
      id: 'demo-weidian',
      platform: 'weidian',
      name: '微店 sandbox shop',
      platformShopId: WEIDIAN_SHOP,
      baseUrl: urlOf(SANDBOX_PREFIXES.weidian),
      // A self-use app: the adapter asks its token with the app key and secret.
      credentials: { appKey: WEIDIAN_APP.appKey, appSecret: WEIDIAN_APP.secret },
    },
    {
      id: 'demo-1688',
      platform: 'alibaba_1688',
      name: '1688 sandbox shop',
      platformShopId: ALIBABA_1688_SELLER,
      baseUrl: urlOf(SANDBOX_PREFIXES.alibaba_1688),
      credentials: {
        ...ALIBABA_1688_APP,
        accessToken: alibaba1688Grant.accessToken,
        refreshToken: alibaba1688Grant.refreshToken,
      },
    },
    {
      id: 'demo-temu',
      platform: 'temu',
      name: 'Temu sandbox shop (US)',
      platformShopId: TEMU_MALL,
      baseUrl: urlOf(SANDBOX_PREFIXES.temu),
      credentials: {
        ...TEMU_APP,
        accessToken: temuGrant.accessToken,
        // The simulator's carrier ids (Temu's come from bg.logistics.companies.get).
        extra: {
          carrierIds: `USPS=${TEMU_SIM_CARRIER_IDS[0]},UPS=${TEMU_SIM_CARRIER_IDS[1]},FEDEX=${TEMU_SIM_CARRIER_IDS[2]},DHL=${TEMU_SIM_CARRIER_IDS[3]}`,
        },
      },
    },
    {
      id: 'demo-dewu',
      platform: 'dewu',
      name: '得物 Dewu sandbox shop (brand direct delivery)',
      platformShopId: DEWU_MERCHANT,
      baseUrl: urlOf(SANDBOX_PREFIXES.dewu),
      credentials: {
        ...DEWU_APP,
        accessToken: dewuGrant.accessToken,
        refreshToken: dewuGrant.refreshToken,
        // The OAuth refresh grant is on open.dewu.com in production; here the simulator serves it.
        extra: { authBaseUrl: urlOf(SANDBOX_PREFIXES.dewu) },
      },
    },
    {
      id: 'demo-vip',
      platform: 'vip',
      name: '唯品会直发 sandbox vendor',
      platformShopId: VIP_VENDOR,
      baseUrl: urlOf(SANDBOX_PREFIXES.vip),
      credentials: {
        ...VIP_APP,
        accessToken: vipGrant.accessToken,
        refreshToken: vipGrant.refreshToken,
        // The simulator's made-up carrier codes for every carrier the demo ships with (a demo
        // setting: a real vendor's come from VIP's getCarrierList).
        extra: { carrierCodes: VIP_DEMO_CARRIER_CODES },
      },
    },
    {
      id: 'demo-shop',
      platform: 'own',
      name: 'Demo store (own site)',
      platformShopId: OWN_STORE_KEY,
      baseUrl: `${urlOf(OWN_PREFIX)}/fulfilments`,
      credentials: { appKey: '', appSecret: '', webhookSecret: OWN_WEBHOOK_SECRET },
    },
  ];
  for (const shop of shops) shop.id = options.shopIds?.[shop.platform] ?? shop.id;
  const shopOf = (platform: Platform) => {
    const shop = shops.find((s) => s.platform === platform);
    if (!shop) throw new Error(`the sandbox has no ${platform} shop`);
    return shop;
  };
  const storeOf = (platform: Platform): SimOrderStore =>
    platform === 'own' ? ownStore : platform === 'tmall' ? stores.taobao : stores[platform];

  // Pushes: each store change on an HTTP-push platform becomes the platform's signed delivery.
  let webhookBaseUrl = options.webhookBaseUrl?.replace(/\/$/, '');
  const seen = new Set<string>();
  const lastStatus = new Map<string, string>();
  // Shopify announces a return's moves and a refund in webhooks of their own, each once.
  const shopifySent = new Map<string, ShopifyAfterSaleSent>();
  const outbox: Array<Promise<void>> = [];
  const track = (task: Promise<void>) => {
    outbox.push(task);
    void task.finally(() => outbox.splice(outbox.indexOf(task), 1));
  };
  const deliver = async (
    platform: Platform,
    render: () => { headers: Record<string, string>; body: string; query?: string },
  ) => {
    if (!webhookBaseUrl) return;
    const { headers, body, query } = render();
    // WeChat signs in the query string; Mercado Libre posts to the callback URL as registered, its secret
    // in the query.
    const url = `${webhookBaseUrl}/webhooks/${platform}/${shopOf(platform).id}${query ? `?${query}` : ''}`;
    for (let attempt = 1; attempt <= 3; attempt++) {
      try {
        const res = await fetch(url, { method: 'POST', headers, body });
        await res.arrayBuffer();
        if (res.ok) return;
        log(`${platform} push to ${url} answered ${res.status}`);
        if (res.status < 500) return;
      } catch (err) {
        log(`${platform} push to ${url} failed: ${(err as Error).message}`);
      }
      await new Promise((r) => setTimeout(r, 500 * attempt));
    }
  };
  const push = (platform: Platform, order: SimOrder) => {
    const first = !seen.has(`${platform}:${order.id}`);
    seen.add(`${platform}:${order.id}`);
    const key = `${platform}:${order.id}`;
    const before = lastStatus.get(key);
    const refundState = order.refund?.status ?? '';
    lastStatus.set(key, `${order.status}|${refundState}`);
    const task = deliver(platform, () => {
      switch (platform) {
        case 'douyin':
          return renderDouyinPush(DOUYIN_APP, order, douyinTag(order, first, before));
        case 'shopee':
          return renderShopeePush(
            {
              partnerKey: SHOPEE_PARTNER.partnerKey,
              callbackUrl: `${webhookBaseUrl}/webhooks/shopee/${shopOf('shopee').id}`,
            },
            order,
            3,
          );
        case 'shopify':
          return renderShopifyWebhook(
            { secret: SHOPIFY_SECRET, shopDomain: SHOPIFY_DOMAIN },
            order,
            first ? 'orders/create' : order.status === 'cancelled' ? 'orders/cancelled' : 'orders/updated',
          );
        case 'woocommerce':
          return renderWooWebhook(
            { secret: WOO_WEBHOOK_SECRET, sourceUrl: WOO_SITE, webhookId: 1 },
            order,
            first ? 'order.created' : 'order.updated',
          );
        case 'kuaishou':
          return renderKuaishouPush(
            { appKey: KUAISHOU_APP.appKey, messageSecret: KUAISHOU_MESSAGE_SECRET },
            order,
            kuaishouEvent(order, first),
          );
        case 'lazada':
          return renderLazadaPush(LAZADA_APP, order);
        case 'tiktok':
          return renderTiktokPush(TIKTOK_APP, order);
        case 'xiaohongshu':
          return renderXiaohongshuPush(XIAOHONGSHU_APP.appSecret, order);
        case 'wechat_shop':
          return renderWechatShopPush(
            { appId: WECHAT_SHOP_APP.appId, originalId: WECHAT_SHOP_ID, ...WECHAT_SHOP_PUSH },
            order,
            wechatShopEvent(order, first),
          );
        case 'ebay':
          return renderEbayNotification(ebayKey, order);
        case 'walmart':
          return renderWalmartEvent({ credentials: WALMART_EVENT_CREDENTIALS }, order);
        case 'mercadolibre':
          return renderMeliNotification(
            { appId: MELI_APP.clientId, callbackSecret: MELI_CALLBACK_SECRET },
            order,
          );
        case 'youzan':
          return renderYouzanPush(YOUZAN_APP, order);
        case 'aliexpress':
          return renderAliexpressPush(ALIEXPRESS_APP, order);
        case 'temu':
          return renderTemuPush(TEMU_APP, order);
        default: {
          // A paid order names the trade it was paid under; the payment sandbox has it open.
          const payment = ownStorePayment(order);
          if (payment)
            payments[payment.channel].book.openTrade({
              outTradeNo: payment.outTradeNo,
              totalFen: order.paidMinor,
            });
          return renderOwnStorePush(OWN_WEBHOOK_SECRET, order, undefined, payment);
        }
      }
    });
    track(task);
    if (platform === 'shopify') {
      const { topics, sent } = shopifyAfterSaleTopics(order, shopifySent.get(key));
      shopifySent.set(key, sent);
      for (const topic of topics) {
        track(
          deliver(platform, () =>
            renderShopifyWebhook({ secret: SHOPIFY_SECRET, shopDomain: SHOPIFY_DOMAIN }, order, topic),
          ),
        );
      }
    }
  };
  const unsubscribe = [
    stores.douyin.onChange((o) => push('douyin', o)),
    stores.shopee.onChange((o) => push('shopee', o)),
    stores.shopify.onChange((o) => push('shopify', o)),
    stores.woocommerce.onChange((o) => push('woocommerce', o)),
    stores.kuaishou.onChange((o) => push('kuaishou', o)),
    stores.lazada.onChange((o) => push('lazada', o)),
    stores.tiktok.onChange((o) => push('tiktok', o)),
    stores.xiaohongshu.onChange((o) => push('xiaohongshu', o)),
    stores.wechat_shop.onChange((o) => push('wechat_shop', o)),
    stores.ebay.onChange((o) => push('ebay', o)),
    // Walmart shows an order once it is paid: nothing is sent before.
    stores.mercadolibre.onChange((o) => push('mercadolibre', o)),
    stores.youzan.onChange((o) => push('youzan', o)),
    stores.aliexpress.onChange((o) => push('aliexpress', o)),
    stores.temu.onChange((o) => push('temu', o)),
    stores.walmart.onChange((o) => {
      if (o.status !== 'unpaid' && o.status !== 'deposit_paid') push('walmart', o);
    }),
    ownStore.onChange((o) => push('own', o)),
  ];

  // The live stream: orders placed now, their plans (pay, cancel, refund…) compressed in time.
  const live: GeneratedOrder[] = [];
  const liveStore = new Map<GeneratedOrder, SimOrderStore>();
  const streamSeed = options.stream?.seed ?? String(now().getTime());
  const timeScale = options.stream?.timeScale ?? 10;
  let batch = 0;

  function placeOrders(
    platform: Platform,
    place: {
      count: number;
      scenario?: Scenario;
      seed?: string;
      scale?: number;
      prepare?: (order: GeneratedOrder) => void;
    },
  ): GeneratedOrder[] {
    const at = now();
    const shop = shopOf(platform);
    const orders = generateOrders({
      seed: place.seed ?? `${streamSeed}-${++batch}`,
      platform,
      shopKey: shop.platformShopId,
      scenario: place.scenario ?? 'normal_day',
      count: place.count,
      start: at,
    });
    const store = storeOf(platform);
    for (const order of orders) {
      rebase(order, at, place.scale ?? 1);
      place.prepare?.(order);
      store.upsert(order);
      if (order.plan.length) {
        live.push(order);
        liveStore.set(order, store);
      }
    }
    return orders;
  }

  function advance(): number {
    const at = now();
    let changed = 0;
    for (let i = live.length - 1; i >= 0; i--) {
      const order = live[i]!;
      if (applyLifecycle(order, at).length > 0) {
        liveStore.get(order)!.upsert(order);
        changed += 1;
      }
      if (order.plan.length === 0) {
        live.splice(i, 1);
        liveStore.delete(order);
      }
    }
    return changed;
  }

  let timer: NodeJS.Timeout | undefined;
  let stopClock: (() => void) | undefined;
  if (options.stream) {
    const rng = createRng(`stream|${streamSeed}`);
    const tickMs = options.stream.tickMs ?? 1_000;
    const perTick = ((options.stream.ordersPerMinute ?? 2) * tickMs) / 60_000;
    const burstChance = options.stream.burstEveryMinutes
      ? tickMs / (options.stream.burstEveryMinutes * 60_000)
      : options.stream.burstEveryMinutes === 0
        ? 0
        : tickMs / (10 * 60_000);
    const platforms: Platform[] = [
      'taobao',
      'tmall',
      'pdd',
      'jd',
      'douyin',
      'shopee',
      'amazon',
      'shopify',
      'woocommerce',
      'kuaishou',
      'lazada',
      'tiktok',
      'xiaohongshu',
      'wechat_shop',
      'ebay',
      'walmart',
      'mercadolibre',
      'youzan',
      'aliexpress',
      'weidian',
      'alibaba_1688',
      'temu',
      'dewu',
      'vip',
      'own',
    ];
    let ticks = 0;
    timer = setInterval(() => {
      // Seeded by the tick, not by the batch counter that orders placed by hand share: the n-th tick
      // places the same orders however many placeOrders calls ran between ticks.
      const seed = `${streamSeed}-tick-${++ticks}`;
      try {
        for (const platform of platforms) {
          const count = poisson(rng, perTick);
          if (count > 0) {
            placeOrders(platform, {
              count,
              scenario: rng.weighted(scenarioMix(platform)),
              scale: timeScale,
              seed,
            });
          }
        }
        if (rng.chance(burstChance)) {
          const platform = rng.pick(['douyin', 'taobao', 'pdd'] as const);
          const count = rng.int(40, 150);
          log(`livestream burst: ${count} orders on ${platform}`);
          placeOrders(platform, { count, scenario: 'livestream_burst', scale: timeScale, seed });
        }
        advance();
      } catch (err) {
        log(`order stream tick failed: ${(err as Error).message}`);
      }
    }, tickMs);
    timer.unref();
    stopClock = moveParcels(carriers, {
      ...(options.stream.parcelScanSeconds ? { scanEverySeconds: options.stream.parcelScanSeconds } : {}),
      exceptionRate: options.stream.parcelExceptionRate ?? 0,
      rng: createRng(`parcels|${streamSeed}`),
    });
  }

  return {
    inventory,
    baseUrl,
    shops,
    platforms: Object.fromEntries(
      (Object.keys(SANDBOX_PREFIXES) as Array<keyof typeof SANDBOX_PREFIXES>).map((p) => [
        p,
        { baseUrl: urlOf(SANDBOX_PREFIXES[p]), store: stores[p], faults: plans[p] },
      ]),
    ) as Sandbox['platforms'],
    own: {
      store: ownStore,
      webhookSecret: OWN_WEBHOOK_SECRET,
      callbackUrl: `${urlOf(OWN_PREFIX)}/fulfilments`,
      fulfilments: ownInbox,
      cancellations: ownInbox.cancellations,
      faults: ownFaults,
    },
    ebayNotificationKey: ebayKey,
    amazonReturns,
    amazonAdjustments,
    auth: {
      douyin: douyinAuth,
      shopee: shopeeAuth,
      amazon: amazonAuth,
      kuaishou: kuaishouAuth,
      lazada: lazadaAuth,
      tiktok: tiktokAuth,
      xiaohongshu: xiaohongshuAuth,
      wechat_shop: wechatShopAuth,
      ebay: ebayAuth,
      walmart: walmartAuth,
      mercadolibre: meliAuth,
      youzan: youzanAuth,
      aliexpress: aliexpressAuth,
      weidian: weidianAuth,
      alibaba_1688: alibaba1688Auth,
      temu: temuAuth,
      dewu: dewuAuth,
      vip: vipAuth,
    },
    carriers: Object.assign(carriers, {
      baseUrls: {
        sf: `${baseUrl}/carriers/sf`,
        cainiao: `${baseUrl}/carriers/cainiao`,
        kuaidi100: `${baseUrl}/carriers/kuaidi100`,
        kdniao: `${baseUrl}/carriers/kdniao`,
      },
    }),
    payments: Object.assign(payments, {
      baseUrls: {
        alipay: `${baseUrl}/payments${PAYMENT_SANDBOX_PREFIXES.alipay}`,
        wechatpay: `${baseUrl}/payments${PAYMENT_SANDBOX_PREFIXES.wechatpay}`,
      },
    }),
    translation: Object.assign(translation, {
      baseUrls: {
        baidu: `${baseUrl}/translation${TRANSLATION_SANDBOX_PREFIXES.baidu}`,
        tencent: `${baseUrl}/translation${TRANSLATION_SANDBOX_PREFIXES.tencent}`,
      },
    }),
    shop: shopOf,
    placeOrders: (platform, place) => placeOrders(platform, place),
    advance,
    setWebhookBaseUrl(url) {
      webhookBaseUrl = url?.replace(/\/$/, '');
    },
    chaos,
    async stop() {
      if (timer) clearInterval(timer);
      stopClock?.();
      for (const off of unsubscribe) off();
      await Promise.allSettled([...outbox]);
      await server.close();
    },
  };
}

const PARCEL_MISHAPS: Array<readonly [ParcelScenario, number]> = [
  ['address_problem', 30],
  ['rejected', 25],
  ['no_scan', 20],
  ['returned', 15],
  ['lost', 10],
];

/**
 * Runs the carrier network: on its own clock, or one scan per parcel every `scanEverySeconds`
 * (scans stamped now, or a minute after the parcel's previous scan when that is later). Returns a
 * function that stops it.
 */
function moveParcels(
  carriers: CarrierSandbox,
  pace: { scanEverySeconds?: number; exceptionRate: number; rng: Rng },
): () => void {
  const { network } = carriers;
  const offScan = network.onScan((parcel, scan) => {
    if (scan.kind === 'collected' && parcel.scenario === 'normal' && pace.rng.chance(pace.exceptionRate)) {
      network.script(parcel.trackingNumber, pace.rng.weighted(PARCEL_MISHAPS));
    }
  });
  let stopClock: () => void;
  if (pace.scanEverySeconds) {
    const timer = setInterval(() => network.advance(), pace.scanEverySeconds * 1000);
    timer.unref();
    stopClock = () => clearInterval(timer);
  } else {
    stopClock = carriers.startClock(5_000);
  }
  return () => {
    stopClock();
    offScan();
  };
}

/**
 * Moves an order generated for "some time from now" to be placed at `at`, with its future plan
 * `scale` times faster, so a live demo shows payments and refunds within minutes.
 */
function rebase(order: GeneratedOrder, at: Date, scale: number): void {
  const t0 = order.createdAt.getTime();
  const move = (d: Date | undefined) => (d ? new Date(at.getTime() + (d.getTime() - t0) / scale) : d);
  order.createdAt = at;
  order.modifiedAt = move(order.modifiedAt)!;
  if (order.paidAt) order.paidAt = move(order.paidAt);
  if (order.presale) {
    if (order.presale.depositPaidAt) order.presale.depositPaidAt = move(order.presale.depositPaidAt);
    if (order.presale.balancePaidAt) order.presale.balancePaidAt = move(order.presale.balancePaidAt);
  }
  for (const step of order.plan) step.at = move(step.at)!;
  // A payment already made at placement is visible now, not in the future.
  if (order.modifiedAt > at) order.modifiedAt = at;
  if (order.paidAt && order.paidAt > at) order.paidAt = at;
  if (order.presale?.depositPaidAt && order.presale.depositPaidAt > at) order.presale.depositPaidAt = at;
}

function douyinTag(order: SimOrder, first: boolean, before: string | undefined): DouyinPushTag {
  if (order.refund)
    return order.refund.status === 'refunded' ? 206 : order.refund.status === 'requested' ? 200 : 208;
  if (first) return 100;
  if (order.status === 'cancelled') return 106;
  if (order.status === 'completed') return 103;
  if (order.status === 'paid' && before !== undefined && !before.startsWith('paid')) return 110;
  return 109;
}

function poisson(rng: Rng, mean: number): number {
  if (mean <= 0) return 0;
  const limit = Math.exp(-mean);
  let k = 0;
  let p = rng.next();
  while (p > limit) {
    k += 1;
    p *= rng.next();
  }
  return k;
}
