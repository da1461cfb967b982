import { randomBytes } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { SimInventory } from '../../kit/inventory.js';
import { RateLimiter, type FaultPlan } from '../../kit/rate-limit.js';
import type { SimOrderStore } from '../../kit/store.js';
import type { SimOrder } from '../../orders/model.js';
import { jdOaid, jdOrderState, jdRegion, renderJdOrder, renderJdRefundApply, visibleOnJd } from './render.js';
import { jdRefundReplyApi } from './after-sales.js';
import { jdServiceOrderApi } from './service-orders.js';
import { jdSignatureMatches } from './verify.js';

export { expectedJdSign, jdSignatureMatches } from './verify.js';
export { renderJdOrder } from './render.js';

/** A vendor (shop) that authorized the app; its venderId is the shop key of its orders. */
export interface JdSimVendor {
  venderId: string;
  accessToken: string;
  accessTokenExpiresAt?: Date;
  /** Refreshing rewrites the entry in place (new access and refresh token). */
  refreshToken?: string;
}

export interface JdSimulatorOptions {
  store: SimOrderStore;
  appKey: string;
  appSecret: string;
  vendors: JdSimVendor[];
  now?: () => Date;
  faults?: FaultPlan;
  rateLimit?: { limit: number; windowMs: number };
  timestampToleranceSeconds?: number;
  oaidSecret?: string;
  /** Lifetime of a refreshed access token (default one day). */
  tokenLifetimeSeconds?: number;
  /** Sellable stock per SKU, keyed by JD skuId under the venderId (stock uploads land here). */
  inventory?: SimInventory;
}

/** Carriers this simulated JD knows (logiCoprId). */
const LOGI_COPR_IDS = new Set(['1499', '1327', '470', '463', '467', '465', '3046', '2087']);
const DAY_MS = 86_400_000;

class JdFault extends Error {
  constructor(
    readonly code: string,
    readonly zhDesc: string,
    readonly enDesc: string,
  ) {
    super(zhDesc);
  }
}

/** A failure JD reports inside the business result rather than as error_response. */
class JdBusinessFault extends Error {}

const apiResult = (ok: boolean, zh = '', en = '') => ({
  success: ok,
  chineseErrCode: zh,
  englishErrCode: en,
  numberCode: ok ? 0 : 1,
});

/** JOS timestamps: `yyyy-MM-dd HH:mm:ss`, optionally with `.SSS` and `+0800` (JD's own example). */
function parseJdTime(text: string | undefined): Date | undefined {
  const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(\.\d{1,3})?(\+0800)?$/.exec(text ?? '');
  if (!m) return undefined;
  const date = new Date(`${m[1]}T${m[2]}${m[3] ?? ''}+08:00`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/**
 * JD JOS gateway (`/routerjson`) over a SimOrderStore: business parameters in `360buy_param_json`,
 * its own signature check, `error_response` with zh_desc/en_desc, `…_responce` envelopes with
 * apiResult failures, one-day windows and 100-row pages (our assumption, see JD_LIMITS), masked
 * consignees with oaid decryption, shipment, and refund-apply lists.
 */
export const jdSimulator: FastifyPluginAsync<JdSimulatorOptions> = async (app, options) => {
  const now = options.now ?? (() => new Date());
  const tolerance = (options.timestampToleranceSeconds ?? 600) * 1000;
  const oaidSecret = options.oaidSecret ?? randomBytes(16).toString('hex');
  const limiter = options.rateLimit
    ? new RateLimiter(options.rateLimit.limit, options.rateLimit.windowMs, () => now().getTime())
    : undefined;

  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) =>
    done(null, body),
  );

  const ordersOf = (vendor: JdSimVendor) =>
    options.store.listModified(vendor.venderId, new Date(0), new Date(8.64e15)).filter(visibleOnJd);

  const span = (startText: unknown, endText: unknown, maxMs: number) => {
    const start = parseJdTime(String(startText ?? ''));
    const end = parseJdTime(String(endText ?? ''));
    if (!start || !end || end < start)
      throw new JdBusinessFault('开始时间和结束时间格式为 yyyy-MM-dd HH:mm:ss');
    if (end.getTime() - start.getTime() > maxMs) throw new JdBusinessFault('查询时间跨度超出限制');
    return { start, endExclusive: new Date(end.getTime() + 1000) };
  };

  const findOrder = (vendor: JdSimVendor, id: unknown): SimOrder => {
    const order = options.store.get(vendor.venderId, String(id ?? ''));
    if (!order || !visibleOnJd(order)) throw new JdBusinessFault(`订单 ${String(id ?? '')} 不存在`);
    return order;
  };

  const apis: Record<string, (p: Record<string, unknown>, vendor: JdSimVendor) => Record<string, unknown>> = {
    'jingdong.pop.order.search'(p, vendor) {
      try {
        const { start, endExclusive } = span(p['start_date'], p['end_date'], DAY_MS);
        const page = Number(p['page'] ?? 1);
        const pageSize = Number(p['page_size'] ?? 100);
        if (!Number.isInteger(page) || page < 1 || page > 100) throw new JdBusinessFault('page 取值 1-100');
        if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100)
          throw new JdBusinessFault('page_size 取值 1-100');
        const states = new Set(
          String(p['order_state'] ?? '')
            .split(',')
            .filter(Boolean),
        );
        const rows = options.store
          .listModified(vendor.venderId, start, endExclusive, 'desc')
          .filter(visibleOnJd)
          .filter((o) => states.size === 0 || states.has(jdOrderState(o)));
        return {
          searchorderinfo_result: {
            apiResult: apiResult(true),
            orderInfoList: rows
              .slice((page - 1) * pageSize, page * pageSize)
              .map((o) => renderJdOrder(o, oaidSecret)),
            orderTotal: rows.length,
          },
        };
      } catch (err) {
        if (err instanceof JdBusinessFault) {
          return {
            searchorderinfo_result: {
              apiResult: apiResult(false, err.message, 'invalid parameter'),
              orderTotal: 0,
            },
          };
        }
        throw err;
      }
    },
    'jingdong.pop.order.get'(p, vendor) {
      try {
        const order = findOrder(vendor, p['order_id']);
        return {
          orderDetailInfo: { apiResult: apiResult(true), orderInfo: renderJdOrder(order, oaidSecret) },
        };
      } catch (err) {
        if (err instanceof JdBusinessFault)
          return { orderDetailInfo: { apiResult: apiResult(false, err.message, 'order not found') } };
        throw err;
      }
    },
    'jingdong.pop.order.shipment'(p, vendor) {
      const failure = (zh: string, en: string) => ({
        sopjosshipment_result: { success: false, chineseErrCode: zh, englishErrCode: en, errorCode: '1' },
      });
      let order: SimOrder;
      try {
        order = findOrder(vendor, p['orderId']);
      } catch (err) {
        if (err instanceof JdBusinessFault) return failure(err.message, 'order not found');
        throw err;
      }
      const logiCoprId = String(p['logiCoprId'] ?? '');
      const logiNo = String(p['logiNo'] ?? '');
      if (!LOGI_COPR_IDS.has(logiCoprId)) return failure(`物流公司 ${logiCoprId} 不存在`, 'unknown carrier');
      if (!/^[A-Za-z0-9]{6,30}([,|][A-Za-z0-9]{6,30})*$/.test(logiNo))
        return failure('运单号格式不正确', 'bad waybill');
      if (jdOrderState(order) !== 'WAIT_SELLER_STOCK_OUT')
        return failure('订单状态不是等待出库，不能出库', 'order state error');
      const at = now();
      options.store.update(
        vendor.venderId,
        order.id,
        (o) => {
          o.status = 'shipped';
          o.shipment = { carrierCode: logiCoprId, trackingNumber: logiNo, shippedAt: at };
        },
        at,
      );
      return {
        sopjosshipment_result: { success: true, chineseErrCode: '', englishErrCode: '', errorCode: '' },
      };
    },
    'jingdong.pop.afs.soa.refundapply.queryPageList'(p, vendor) {
      try {
        // Named applies (`ids`, comma-separated) are read without a time range (❓ on JD).
        if (p['ids'] !== undefined) {
          const ids = new Set(String(p['ids']).split(','));
          const rows = ordersOf(vendor).filter(
            (o) => o.refund?.kind === 'refund_only' && ids.has(o.refund.id),
          );
          return {
            queryResult: {
              success: true,
              result: rows.map((o) => renderJdRefundApply(o, o.refund!)),
              totalCount: rows.length,
            },
          };
        }
        const byApply = p['applyTimeStart'] !== undefined;
        const { start, endExclusive } = byApply
          ? span(p['applyTimeStart'], p['applyTimeEnd'], 7 * DAY_MS)
          : span(p['checkTimeStart'], p['checkTimeEnd'], 10 * DAY_MS);
        const pageIndex = Number(p['pageIndex'] ?? 1);
        const pageSize = Number(p['pageSize'] ?? 50);
        if (!Number.isInteger(pageIndex) || pageIndex < 1 || pageIndex > 100)
          throw new JdBusinessFault('pageIndex 取值 1-100');
        if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 50)
          throw new JdBusinessFault('pageSize 取值 1-50');
        const inRange = (d: Date) => d >= start && d < endExclusive;
        const rows = ordersOf(vendor)
          .filter((o) => o.refund?.kind === 'refund_only')
          .filter((o) =>
            byApply
              ? inRange(o.refund!.createdAt)
              : o.refund!.status !== 'requested' && inRange(o.refund!.modifiedAt),
          )
          .sort(
            (a, b) =>
              b.refund!.modifiedAt.getTime() - a.refund!.modifiedAt.getTime() || b.id.localeCompare(a.id),
          );
        return {
          queryResult: {
            success: true,
            result: rows
              .slice((pageIndex - 1) * pageSize, pageIndex * pageSize)
              .map((o) => renderJdRefundApply(o, o.refund!)),
            totalCount: rows.length,
          },
        };
      } catch (err) {
        if (err instanceof JdBusinessFault)
          return { queryResult: { success: false, chineseErrCode: err.message, totalCount: 0 } };
        throw err;
      }
    },
    ...jdRefundReplyApi({ orders: ordersOf, store: options.store, now }),
    ...jdServiceOrderApi({ orders: ordersOf, store: options.store, now }),
    // Stock (docs/stock-sync.md §JD): the SKU's stock set whole; a SKU this vendor does not sell or
    // one whose ware is off the shelf is refused inside the result (❓ success false, as JOS does).
    'jingdong.stock.write.updateSkuStock'(p, vendor) {
      const inventory = options.inventory;
      inventory?.countCall(vendor.venderId);
      const skuId = String(p['skuId'] ?? '');
      const stockNum = p['stockNum'];
      const refuse = (zh: string, en: string) => ({ success: false, chineseErrCode: zh, englishErrCode: en });
      if (!skuId || typeof stockNum !== 'number' || !Number.isInteger(stockNum) || stockNum < 0)
        return refuse('skuId 必填，stockNum 必须为非负整数', 'invalid parameter');
      const listing = inventory?.get(vendor.venderId, skuId);
      if (!listing) return refuse(`SKU ${skuId} 不存在或不属于该商家`, 'sku not exist');
      if (listing.status === 'delisted') return refuse(`SKU ${skuId} 所属商品已下柜`, 'ware off shelf');
      inventory!.set(vendor.venderId, skuId, stockNum, now());
      return { success: true };
    },
    'jingdong.stock.read.findSkuStock'(p, vendor) {
      const inventory = options.inventory;
      inventory?.countCall(vendor.venderId);
      const skuId = String(p['skuId'] ?? '');
      const listing = inventory?.get(vendor.venderId, skuId);
      if (!listing)
        return { success: false, chineseErrCode: `SKU ${skuId} 不存在`, englishErrCode: 'sku not exist' };
      return { success: true, skuStocks: [{ skuId: Number(skuId), stockNum: listing.quantity }] };
    },
    'jingdong.jos.order.oaid.decrypt'(p, vendor) {
      const request = (p['getReceiverInfoListReqVO'] ?? {}) as {
        orderInfos?: Array<{ orderId?: unknown; oaid?: unknown }>;
      };
      const data = (request.orderInfos ?? []).flatMap((info) => {
        const order = options.store.get(vendor.venderId, String(info.orderId ?? ''));
        if (!order || jdOaid(order, oaidSecret) !== String(info.oaid ?? '')) return [];
        const region = jdRegion(order.receiver);
        return [
          {
            orderId: order.id,
            oaid: String(info.oaid),
            fullname: order.receiver.name,
            mobile: order.receiver.phone,
            telephone: '',
            fullAddress: `${region.province}${region.city}${region.county}${region.town}${order.receiver.detail}`,
            ...region,
          },
        ];
      });
      return {
        returnType:
          data.length > 0
            ? { code: 0, message: 'success', data }
            : { code: 1, message: 'oaid 无效或已过期', data: [] },
      };
    },
  };

  const send = (reply: FastifyReply, body: unknown) =>
    reply.type('application/json;charset=UTF-8').send(JSON.stringify(body));

  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const params: Record<string, string> = {};
    for (const [key, value] of Object.entries((request.query as Record<string, unknown>) ?? {})) {
      if (typeof value === 'string') params[key] = value;
    }
    if (typeof request.body === 'string') {
      for (const [key, value] of new URLSearchParams(request.body)) params[key] = value;
    }
    const method = params['method'] ?? '';
    const fault = options.faults?.next(method);
    if (fault) {
      if (fault.retryAfterSeconds !== undefined) reply.header('retry-after', String(fault.retryAfterSeconds));
      return reply.code(fault.status).type('text/plain').send(`simulated ${fault.status}`);
    }
    try {
      if (params['app_key'] !== options.appKey) throw new JdFault('13', '无效的app_key', 'Invalid app_key');
      if (!params['sign'] || !jdSignatureMatches(params, options.appSecret))
        throw new JdFault('12', '无效签名', 'Invalid signature');
      const timestamp = parseJdTime(params['timestamp']);
      if (!timestamp || Math.abs(now().getTime() - timestamp.getTime()) > tolerance) {
        throw new JdFault('8', '时间戳无效或与服务器时间相差过大', 'Invalid timestamp');
      }
      const api = apis[method];
      if (!api) throw new JdFault('15', '不存在的方法名', 'Invalid Method');
      const vendor = options.vendors.find((v) => v.accessToken === params['access_token']);
      if (!vendor || (vendor.accessTokenExpiresAt && vendor.accessTokenExpiresAt <= now())) {
        throw new JdFault('19', '无效access_token', 'Invalid access_token');
      }
      const wait = limiter?.take(`${vendor.venderId}:${method}`) ?? 0;
      if (wait > 0) throw new JdFault('67', '调用次数超过限制，请稍后再试', 'Call limited');
      let business: Record<string, unknown>;
      try {
        business = JSON.parse(params['360buy_param_json'] ?? '{}') as Record<string, unknown>;
      } catch {
        throw new JdFault('41', '360buy_param_json 不是合法的 JSON', 'Invalid 360buy_param_json');
      }
      return send(reply, {
        [`${method.replace(/\./g, '_')}_responce`]: { code: '0', ...api(business, vendor) },
      });
    } catch (err) {
      if (err instanceof JdFault) {
        return send(reply, { error_response: { code: err.code, zh_desc: err.zhDesc, en_desc: err.enDesc } });
      }
      throw err;
    }
  };

  app.post('/routerjson', handler);
  app.get('/routerjson', handler);

  /**
   * JD's OAuth token refresh (open-oauth.jd.com `/oauth2/refresh_token`, ⚠️ shape from several
   * independent community clients): app key and secret in the query, a new token pair in plain
   * JSON, `{code, msg, requestId}` when refused.
   */
  let requestSeq = 0;
  app.get('/oauth2/refresh_token', async (request, reply) => {
    const q = (request.query as Record<string, string | undefined>) ?? {};
    const refuse = (code: number, msg: string) =>
      send(reply, { code, msg, requestId: `${now().getTime()}${++requestSeq}` });
    if (q['app_key'] !== options.appKey || q['app_secret'] !== options.appSecret) {
      return refuse(401, 'app_key 或 app_secret 错误');
    }
    if (q['grant_type'] !== 'refresh_token') return refuse(400, 'grant_type 必须为 refresh_token');
    const vendor = options.vendors.find((v) => v.refreshToken && v.refreshToken === q['refresh_token']);
    if (!vendor) return refuse(405, 'refresh_token 无效或已过期，请重新授权');
    const lifetime = options.tokenLifetimeSeconds ?? 86_400;
    const issued = now();
    vendor.accessToken = `jd-at-${randomBytes(12).toString('hex')}`;
    vendor.refreshToken = `jd-rt-${randomBytes(12).toString('hex')}`;
    vendor.accessTokenExpiresAt = new Date(issued.getTime() + lifetime * 1000);
    return send(reply, {
      access_token: vendor.accessToken,
      expires_in: lifetime,
      refresh_token: vendor.refreshToken,
      scope: 'snsapi_base',
      open_id: `jd-open-${vendor.venderId}`,
      uid: vendor.venderId,
      time: issued.getTime(),
      token_type: 'bearer',
    });
  });
};
