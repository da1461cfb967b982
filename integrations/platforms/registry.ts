import type { PlatformCarrierCodes } from '../../domain/platform-carrier-codes.js';
import type { Platform } from '../../domain/platforms.js';
import { AMAZON_LIMITS, createAmazonAdapter } from './amazon/index.js';
import { createDouyinAdapter, DOUYIN_LIMITS, douyinWebhookParser, parseDouyinJson } from './douyin/index.js';
import { createEbayAdapter, EBAY_LIMITS, ebayWebhookParser } from './ebay/index.js';
import { createJdAdapter, JD_LIMITS } from './jd/index.js';
import { createKuaishouAdapter, KUAISHOU_LIMITS, kuaishouWebhookParser } from './kuaishou/index.js';
import { createLazadaAdapter, LAZADA_LIMITS, lazadaWebhookParser } from './lazada/index.js';
import { createMeliAdapter, MELI_LIMITS, meliWebhookParser } from './mercadolibre/index.js';
import { createYouzanAdapter, YOUZAN_LIMITS, youzanWebhookParser } from './youzan/index.js';
import { ALIEXPRESS_LIMITS, aliexpressWebhookParser, createAliexpressAdapter } from './aliexpress/index.js';
import { createWeidianAdapter, WEIDIAN_LIMITS } from './weidian/index.js';
import { ALIBABA_1688_LIMITS, createAlibaba1688Adapter } from './alibaba-1688/index.js';
import { createTemuAdapter, TEMU_LIMITS, temuWebhookParser } from './temu/index.js';
import { createDewuAdapter, DEWU_LIMITS } from './dewu/index.js';
import { createVipAdapter, VIP_LIMITS } from './vip/index.js';
import { createTiktokAdapter, TIKTOK_LIMITS, tiktokWebhookParser } from './tiktok/index.js';
import {
  createXiaohongshuAdapter,
  XIAOHONGSHU_LIMITS,
  xiaohongshuWebhookParser,
} from './xiaohongshu/index.js';
import { createWechatShopAdapter, WECHAT_SHOP_LIMITS, wechatShopWebhookParser } from './wechat-shop/index.js';
import { ownDeliveryId, ownWebhookParser } from './own/index.js';
import { createPddAdapter, PDD_LIMITS } from './pdd/index.js';
import { createShopeeAdapter, SHOPEE_LIMITS, shopeeWebhookParser } from './shopee/index.js';
import {
  createShopifyAdapter,
  SHOPIFY_LIMITS,
  shopifyWebhookId,
  shopifyWebhookParser,
} from './shopify/index.js';
import { createTaobaoAdapter, TOP_LIMITS } from './taobao/index.js';
import type {
  AdapterContext,
  PlatformAdapter,
  PlatformLimits,
  ShopCredentials,
  TokenSet,
  WebhookParser,
  WebhookRequest,
} from './types.js';
import { createWalmartAdapter, WALMART_LIMITS, walmartWebhookParser } from './walmart/index.js';
import {
  createWooCommerceAdapter,
  WOO_LIMITS,
  wooCommerceWebhookParser,
  wooDeliveryId,
} from './woocommerce/index.js';

/**
 * Which code speaks to which platform: the adapter that polls a shop, the parser that reads its
 * pushes, where its API lives, and how its pushes arrive when not over HTTP.
 */

/** A shop as adapters need it: ids, endpoint and decrypted credentials. */
export interface AdapterShop {
  shopId: string;
  platform: Platform;
  platformShopId: string;
  baseUrl: string;
  credentials: ShopCredentials;
  /** The shop takes parcels carrying part of an order (domain/split-shipments.ts). */
  splitShipments?: boolean;
  /** The shop's codes for our carriers on its platform (domain/platform-carrier-codes.ts). */
  carrierCodes?: PlatformCarrierCodes;
  /** The shop's `returnReceipt` rule: `platform` — returns are received here and the platform told. */
  returnReceipt?: 'platform' | 'person';
}

export interface AdapterOptions {
  onTokensRefreshed?: (tokens: TokenSet) => Promise<void>;
  fetch?: typeof fetch;
  now?: () => Date;
  timeoutMs?: number;
}

type AdapterFactory = (ctx: AdapterContext) => PlatformAdapter;

const ADAPTERS: Partial<Record<Platform, AdapterFactory>> = {
  taobao: (ctx) => createTaobaoAdapter(ctx, { platform: 'taobao' }),
  tmall: (ctx) => createTaobaoAdapter(ctx, { platform: 'tmall' }),
  pdd: (ctx) => createPddAdapter(ctx),
  jd: (ctx) => createJdAdapter(ctx),
  douyin: (ctx) => createDouyinAdapter(ctx),
  shopee: (ctx) => createShopeeAdapter(ctx),
  amazon: (ctx) => createAmazonAdapter(ctx),
  shopify: (ctx) => createShopifyAdapter(ctx),
  woocommerce: (ctx) => createWooCommerceAdapter(ctx),
  kuaishou: (ctx) => createKuaishouAdapter(ctx),
  lazada: (ctx) => createLazadaAdapter(ctx),
  tiktok: (ctx) => createTiktokAdapter(ctx),
  xiaohongshu: (ctx) => createXiaohongshuAdapter(ctx),
  wechat_shop: (ctx) => createWechatShopAdapter(ctx),
  ebay: (ctx) => createEbayAdapter(ctx),
  walmart: (ctx) => createWalmartAdapter(ctx),
  mercadolibre: (ctx) => createMeliAdapter(ctx),
  youzan: (ctx) => createYouzanAdapter(ctx),
  aliexpress: (ctx) => createAliexpressAdapter(ctx),
  weidian: (ctx) => createWeidianAdapter(ctx),
  alibaba_1688: (ctx) => createAlibaba1688Adapter(ctx),
  temu: (ctx) => createTemuAdapter(ctx),
  dewu: (ctx) => createDewuAdapter(ctx),
  vip: (ctx) => createVipAdapter(ctx),
};

const LIMITS: Partial<Record<Platform, PlatformLimits>> = {
  taobao: TOP_LIMITS,
  tmall: TOP_LIMITS,
  pdd: PDD_LIMITS,
  jd: JD_LIMITS,
  douyin: DOUYIN_LIMITS,
  shopee: SHOPEE_LIMITS,
  amazon: AMAZON_LIMITS,
  shopify: SHOPIFY_LIMITS,
  woocommerce: WOO_LIMITS,
  kuaishou: KUAISHOU_LIMITS,
  lazada: LAZADA_LIMITS,
  tiktok: TIKTOK_LIMITS,
  xiaohongshu: XIAOHONGSHU_LIMITS,
  wechat_shop: WECHAT_SHOP_LIMITS,
  ebay: EBAY_LIMITS,
  walmart: WALMART_LIMITS,
  mercadolibre: MELI_LIMITS,
  youzan: YOUZAN_LIMITS,
  aliexpress: ALIEXPRESS_LIMITS,
  weidian: WEIDIAN_LIMITS,
  alibaba_1688: ALIBABA_1688_LIMITS,
  temu: TEMU_LIMITS,
  dewu: DEWU_LIMITS,
  vip: VIP_LIMITS,
};

/** The list limits of a platform's adapter (longest window, page size, lookback). */
export function limitsOf(platform: Platform): PlatformLimits | undefined {
  return LIMITS[platform];
}

/** True for platforms we can poll; `own` stores only push. */
export function hasPullApi(platform: Platform): boolean {
  return ADAPTERS[platform] !== undefined;
}

export class NoAdapterError extends Error {}

export function createAdapter(shop: AdapterShop, options: AdapterOptions = {}): PlatformAdapter {
  const factory = ADAPTERS[shop.platform];
  if (!factory) {
    throw new NoAdapterError(`${shop.platform} shops have no pull API: their orders arrive by push only`);
  }
  return factory({
    shopId: shop.shopId,
    platformShopId: shop.platformShopId,
    baseUrl: shop.baseUrl,
    credentials: shop.credentials,
    ...(shop.splitShipments !== undefined ? { splitShipments: shop.splitShipments } : {}),
    ...(shop.carrierCodes ? { carrierCodes: shop.carrierCodes } : {}),
    ...(options.onTokensRefreshed ? { onTokensRefreshed: options.onTokensRefreshed } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.now ? { now: options.now } : {}),
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
  });
}

const WEBHOOK_PARSERS: Partial<Record<Platform, WebhookParser>> = {
  douyin: douyinWebhookParser,
  shopee: shopeeWebhookParser,
  shopify: shopifyWebhookParser,
  woocommerce: wooCommerceWebhookParser,
  kuaishou: kuaishouWebhookParser,
  lazada: lazadaWebhookParser,
  tiktok: tiktokWebhookParser,
  xiaohongshu: xiaohongshuWebhookParser,
  wechat_shop: wechatShopWebhookParser,
  ebay: ebayWebhookParser,
  walmart: walmartWebhookParser,
  mercadolibre: meliWebhookParser,
  youzan: youzanWebhookParser,
  aliexpress: aliexpressWebhookParser,
  temu: temuWebhookParser,
  own: ownWebhookParser,
};

/** The HTTP push parser of a platform, or undefined when its pushes do not come over HTTP. */
export function webhookParserFor(platform: Platform): WebhookParser | undefined {
  return WEBHOOK_PARSERS[platform];
}

/** Where a platform's change messages come from when not from an HTTP push. */
export const PUSH_CHANNEL: Partial<Record<Platform, string>> = {
  taobao: 'TOP TMC (消息服务, pulled over the signed API) and polling',
  tmall: 'TOP TMC (消息服务, pulled over the signed API) and polling',
  pdd: 'PMC (a signed WebSocket) and polling',
  jd: 'polling (JD documents no push channel we can verify)',
  amazon: 'polling (Amazon notifications go to SQS/EventBridge, not HTTP)',
  weidian: 'polling (Weidian’s push is not in our facts)',
  alibaba_1688: 'polling (1688’s message push format is not in our facts)',
  dewu: 'polling (Dewu’s message callback is known only from secondary sources)',
  vip: 'polling (VOP’s message service format is not in our facts)',
};

/** Which header carries the push signature, for error messages. */
export const SIGNATURE_HEADER: Partial<Record<Platform, string>> = {
  douyin: 'event-sign',
  shopee: 'Authorization',
  shopify: 'X-Shopify-Hmac-Sha256',
  woocommerce: 'X-WC-Webhook-Signature',
  lazada: 'Authorization',
  tiktok: 'Authorization',
  xiaohongshu: 'sign',
  ebay: 'X-EBAY-SIGNATURE',
  walmart: 'Authorization',
  youzan: 'Event-Sign',
  aliexpress: 'Authorization',
  temu: 'x-tm-signature',
  own: 'X-Erp-Hmac-Sha256',
};

/**
 * The platform's id of one delivery, the same on every redelivery: Shopify's webhook id, Woo's
 * delivery id, the seller's own delivery id, Douyin's msg_id(s). Shopee sends none.
 */
export function webhookDeliveryId(platform: Platform, request: WebhookRequest): string | undefined {
  switch (platform) {
    case 'shopify':
      return shopifyWebhookId(request);
    case 'woocommerce':
      return wooDeliveryId(request);
    case 'own':
      return ownDeliveryId(request);
    case 'douyin':
      return douyinMessageIds(request.rawBody);
    default:
      return undefined;
  }
}

function douyinMessageIds(rawBody: Buffer): string | undefined {
  try {
    const body = parseDouyinJson(rawBody.toString('utf8'));
    if (!Array.isArray(body)) return undefined;
    const ids = body
      .map((event) =>
        typeof event === 'object' && event !== null && 'msg_id' in event ? String(event.msg_id) : '',
      )
      .filter(Boolean);
    return ids.length === body.length && ids.length > 0 ? ids.join(',').slice(0, 500) : undefined;
  } catch {
    return undefined;
  }
}

/** The production endpoint of each platform, used when a shop names none. */
export function defaultBaseUrl(platform: Platform, platformShopId: string): string | undefined {
  switch (platform) {
    case 'taobao':
    case 'tmall':
      return 'https://eco.taobao.com/router/rest';
    case 'pdd':
      return 'https://gw-api.pinduoduo.com/api/router';
    case 'jd':
      return 'https://api.jd.com/routerjson';
    case 'douyin':
      return 'https://openapi-fxg.jinritemai.com';
    case 'shopee':
      return 'https://partner.shopeemobile.com';
    case 'amazon':
      return 'https://sellingpartnerapi-na.amazon.com';
    case 'shopify':
      return platformShopId ? `https://${platformShopId}` : undefined;
    case 'woocommerce':
      return /^https?:\/\//.test(platformShopId) ? platformShopId : undefined;
    case 'kuaishou':
      return 'https://openapi.kwaixiaodian.com';
    case 'lazada':
      // The shop's venture gateway comes from `credentials.extra.venture`; this is the default (sg).
      return 'https://api.lazada.sg/rest';
    case 'tiktok':
      return 'https://open-api.tiktokglobalshop.com';
    case 'xiaohongshu':
      return 'https://ark.xiaohongshu.com/ark/open_api/v3/common_controller';
    case 'wechat_shop':
      return 'https://api.weixin.qq.com';
    case 'ebay':
      return 'https://api.ebay.com';
    case 'walmart':
      return 'https://marketplace.walmartapis.com';
    case 'mercadolibre':
      return 'https://api.mercadolibre.com';
    case 'youzan':
      return 'https://open.youzanyun.com';
    case 'aliexpress':
      return 'https://api-sg.aliexpress.com';
    case 'weidian':
      return 'https://api.vdian.com';
    case 'alibaba_1688':
      return 'https://gw.open.1688.com';
    case 'temu':
      return 'https://openapi-b-us.temu.com';
    case 'dewu':
      return 'https://openapi.dewu.com';
    case 'vip':
      return 'https://vop.vipapis.com';
    case 'own':
      return undefined;
  }
}

/**
 * Credential fields each platform cannot work without (dotted paths into ShopCredentials plus
 * `webhookSecret`), so a shop is refused at registration rather than failing at its first poll.
 */
export const REQUIRED_CREDENTIALS: Record<Platform, readonly string[]> = {
  taobao: ['appKey', 'appSecret', 'accessToken'],
  tmall: ['appKey', 'appSecret', 'accessToken'],
  pdd: ['appKey', 'appSecret', 'accessToken'],
  jd: ['appKey', 'appSecret', 'accessToken'],
  douyin: ['appKey', 'appSecret', 'accessToken'],
  shopee: ['appKey', 'appSecret', 'accessToken'],
  amazon: ['appKey', 'appSecret', 'refreshToken', 'extra.marketplaceId'],
  shopify: ['accessToken', 'appSecret'],
  woocommerce: ['appKey', 'appSecret', 'webhookSecret'],
  kuaishou: ['appKey', 'appSecret', 'accessToken', 'extra.signSecret'],
  lazada: ['appKey', 'appSecret', 'accessToken'],
  tiktok: ['appKey', 'appSecret', 'accessToken', 'extra.shopCipher'],
  xiaohongshu: ['appKey', 'appSecret', 'accessToken'],
  wechat_shop: ['appKey', 'appSecret'],
  ebay: ['appKey', 'appSecret', 'accessToken'],
  walmart: ['appKey', 'appSecret'],
  mercadolibre: ['appKey', 'appSecret', 'accessToken'],
  youzan: ['appKey', 'appSecret'],
  aliexpress: ['appKey', 'appSecret', 'accessToken'],
  weidian: ['appKey', 'appSecret'],
  alibaba_1688: ['appKey', 'appSecret', 'accessToken'],
  temu: ['appKey', 'appSecret', 'accessToken'],
  dewu: ['appKey', 'appSecret', 'accessToken'],
  vip: ['appKey', 'appSecret', 'accessToken'],
  own: ['webhookSecret'],
};

/**
 * How far behind now a platform lets a list window end: Amazon refuses LastUpdatedBefore later
 * than two minutes ago.
 */
export const MIN_SYNC_LAG_SECONDS: Partial<Record<Platform, number>> = { amazon: 150 };
