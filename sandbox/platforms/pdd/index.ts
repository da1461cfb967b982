import { pddAfterSaleApis } from './after-sales.js';
import { randomBytes } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { parse as parseLossless, stringify } from 'lossless-json';
import type { SimInventory } from '../../kit/inventory.js';
import { RateLimiter, type FaultPlan } from '../../kit/rate-limit.js';
import type { SimOrderStore } from '../../kit/store.js';
import type { SimOrder } from '../../orders/model.js';
import { PddCipher } from './cipher.js';
import { PmcHub } from './pmc-hub.js';
import { pmcSnapshotOf, pmcTopicFor, renderPmcFrame, type PmcSnapshot } from './pmc.js';
import { attachPmcEndpoint } from './pmc-socket.js';
import {
  afterSalesStatus,
  renderPddExchange,
  renderPddOrder,
  renderPddRefund,
  visibleOnPdd,
} from './render.js';
import { pddSignatureMatches } from './verify.js';
import { createPddWaybillSim, pddWaybillApis, type PddWaybillSim } from './waybill.js';

export { expectedPddSign, expectedPmcSignature, pddSignatureMatches, verifyPmcPath } from './verify.js';
export { pmcSnapshotOf, pmcTopicFor, renderPmcFrame } from './pmc.js';
export { PmcHub, type PmcHubOptions } from './pmc-hub.js';
export { renderPddOrder } from './render.js';
export { createPddWaybillSim, type PddWaybillSim } from './waybill.js';

/** A mall (shop) that authorized the app; its mall id is the shop key of its orders in the store. */
export interface PddSimMall {
  mallId: string;
  accessToken: string;
  refreshToken?: string;
  accessTokenExpiresAt?: Date;
}

export interface PddSimulatorOptions {
  store: SimOrderStore;
  clientId: string;
  clientSecret: string;
  /** Authorized malls. Refreshing a token rewrites the entry in place. */
  malls: PddSimMall[];
  now?: () => Date;
  faults?: FaultPlan;
  /** One limit for every API, per mall (tests that want to hit it quickly). */
  rateLimit?: { limit: number; windowMs: number };
  /** Per-API limits at PDD's levels (per mall, the API in total, per app); see PDD_PUBLISHED_LIMITS. */
  rateLimits?: Record<string, readonly PddLimitRule[]>;
  timestampToleranceSeconds?: number;
  tokenLifetimeSeconds?: number;
  /** Key material for receiver ciphertext; random per instance unless given. */
  cipherSecret?: string;
  /** Hours after payment by which the seller promised to ship (last_ship_time). */
  shipWithinHours?: number;
  /**
   * PMC: frames of every order change of the authorized malls, served over the WebSocket at
   * `{prefix}/message/{client_id}/{timestamp}/{sign}`; pass a hub to inspect it or to shorten its
   * resend timeout.
   */
  pmc?: PmcHub;
  /** Sellable quantity per SKU, keyed `goods_id:sku_id` under the mall id (stock uploads land here). */
  inventory?: SimInventory;
  /** PDD 电子面单: branches and balances per mall, unreachable areas (a fresh unmetered one when absent). */
  waybills?: PddWaybillSim;
}

export interface PddLimitRule {
  /** Level 1 per shop (mall), 3 the API in total, 4 per app. */
  scope: 'mall' | 'api' | 'app';
  limit: number;
  windowMs: number;
}

/** PDD's published per-API flow control (API-FACTS §2.5, S-PDD3 snapshot 2023). */
export const PDD_PUBLISHED_LIMITS: Record<string, readonly PddLimitRule[]> = {
  'pdd.order.number.list.increment.get': [{ scope: 'mall', limit: 3000, windowMs: 60_000 }],
  'pdd.order.information.get': [
    { scope: 'mall', limit: 30_000, windowMs: 60_000 },
    { scope: 'api', limit: 2000, windowMs: 1000 },
  ],
  'pdd.logistics.online.send': [{ scope: 'api', limit: 5000, windowMs: 1000 }],
  'pdd.refund.list.increment.get': [
    { scope: 'mall', limit: 100, windowMs: 10_000 },
    { scope: 'api', limit: 5500, windowMs: 1000 },
    { scope: 'app', limit: 500, windowMs: 1000 },
  ],
  'pdd.open.decrypt.batch': [
    { scope: 'app', limit: 10_050, windowMs: 10_000 },
    { scope: 'api', limit: 19_500, windowMs: 10_000 },
  ],
};

/** Logistics companies this simulated PDD knows (`pdd.logistics.companies.get`). */
const LOGISTICS_IDS = new Set(['1', '3', '44', '85', '115', '118', '120', '121', '132']);
const HALF_HOUR_S = 30 * 60;

class PddFault extends Error {
  constructor(
    readonly errorCode: number,
    readonly errorMsg: string,
    readonly subMsg?: string,
  ) {
    super(errorMsg);
  }
}

/** Error codes (❓ except 10019, see integrations/platforms/pdd/errors.ts). */
const badParam = (subMsg: string) => new PddFault(10000, '参数错误', subMsg);

/**
 * Pinduoduo open-platform gateway (`/api/router`) over a SimOrderStore: its own signature check,
 * PDD's error body, 30-minute windows, 100-row pages, 10-minute timestamp tolerance, per-mall flow
 * control, expiring tokens with refresh, ciphertext receivers with batch decryption, online
 * shipping and after-sales listing.
 */
export const pddSimulator: FastifyPluginAsync<PddSimulatorOptions> = async (app, options) => {
  const now = options.now ?? (() => new Date());
  const tolerance = (options.timestampToleranceSeconds ?? 600) * 1000;
  const cipher = new PddCipher(options.cipherSecret ?? randomBytes(16).toString('hex'));
  const clock = () => now().getTime();
  const limiter = options.rateLimit
    ? new RateLimiter(options.rateLimit.limit, options.rateLimit.windowMs, clock)
    : undefined;
  const apiLimits = Object.entries(options.rateLimits ?? {}).map(([api, rules]) => ({
    api,
    rules: rules.map((rule) => ({ rule, limiter: new RateLimiter(rule.limit, rule.windowMs, clock) })),
  }));
  /** The longest wait any limit of this API asks for this mall's call (0 = allowed). */
  const waitFor = (type: string, mallId: string): number => {
    let wait = limiter?.take(`${mallId}:${type}`) ?? 0;
    for (const { rule, limiter: bucket } of apiLimits.find((l) => l.api === type)?.rules ?? []) {
      const key = rule.scope === 'mall' ? mallId : rule.scope === 'app' ? options.clientId : '*';
      wait = Math.max(wait, bucket.take(key));
    }
    return wait;
  };
  let requestSeq = 0;

  // PMC: each visible change of an authorized mall's order becomes a frame, pending until ACKed.
  const pmc = options.pmc ?? new PmcHub();
  const pmcSeen = new Map<string, PmcSnapshot>();
  let frameSeq = 0n;
  const unsubscribe = options.store.onChange((order) => {
    if (!visibleOnPdd(order) || !options.malls.some((m) => m.mallId === order.shopKey)) return;
    const topic = pmcTopicFor(pmcSeen.get(order.id), order);
    pmcSeen.set(order.id, pmcSnapshotOf(order));
    if (!topic) return;
    // Frame ids are 64-bit, past 2^53, as PDD's are.
    const id = String(7_300_000_000_000_000_000n + ++frameSeq);
    pmc.publish(
      options.clientId,
      id,
      renderPmcFrame(order, topic, { id, mallId: order.shopKey, now: now() }),
    );
  });
  const detach = attachPmcEndpoint(app, {
    hub: pmc,
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    now,
    prefix: app.prefix,
    ...(options.faults ? { faults: options.faults } : {}),
  });
  const resend = setInterval(() => pmc.resendOverdue(), Math.min(1_000, pmc.resendAfterMs / 2));
  resend.unref();
  app.addHook('onClose', async () => {
    clearInterval(resend);
    unsubscribe();
    detach();
  });

  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) =>
    done(null, body),
  );

  const render = (order: SimOrder) => renderPddOrder(order, cipher, options.shipWithinHours);
  const all = (mall: PddSimMall) =>
    options.store.listModified(mall.mallId, new Date(0), new Date(8.64e15)).filter(visibleOnPdd);

  const window = (params: Record<string, string>) => {
    const start = Number(params['start_updated_at']);
    const end = Number(params['end_updated_at']);
    if (!Number.isInteger(start) || !Number.isInteger(end) || end < start) {
      throw badParam('start_updated_at/end_updated_at 必填且结束时间不能早于开始时间');
    }
    if (end - start > HALF_HOUR_S) throw badParam('开始时间与结束时间间隔不能超过30分钟');
    return { start: new Date(start * 1000), endExclusive: new Date((end + 1) * 1000) };
  };

  const paging = (params: Record<string, string>) => {
    const page = Number(params['page'] ?? 1);
    const pageSize = Number(params['page_size'] ?? 100);
    if (!Number.isInteger(page) || page < 1) throw badParam('page 必须大于0');
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100) throw badParam('page_size 取值 1-100');
    return { page, pageSize };
  };

  const findOrder = (mall: PddSimMall, orderSn: string | undefined) => {
    const order = orderSn ? options.store.get(mall.mallId, orderSn) : undefined;
    if (!order || !visibleOnPdd(order)) throw badParam(`订单 ${orderSn ?? ''} 不存在`);
    return order;
  };

  const waybills = pddWaybillApis(
    options.waybills ?? createPddWaybillSim(),
    cipher,
    (code, message, _subCode, subMsg) => new PddFault(code, message, subMsg),
  );

  const apis: Record<
    string,
    {
      auth: boolean;
      handle(params: Record<string, string>, mall: PddSimMall | undefined): Record<string, unknown>;
    }
  > = {
    'pdd.order.number.list.increment.get': {
      auth: true,
      handle(params, mall) {
        const { start, endExclusive } = window(params);
        const { page, pageSize } = paging(params);
        const orderStatus = params['order_status'] ?? '5';
        const refundStatus = params['refund_status'] ?? '5';
        // Rendering encrypts receivers, so only the requested page is rendered when no filter needs more.
        const filtered = orderStatus !== '5' || refundStatus !== '5';
        const candidates = options.store
          .listModified(mall!.mallId, start, endExclusive, 'desc')
          .filter(visibleOnPdd);
        const rows = filtered
          ? candidates
              .map(render)
              .filter((o) => orderStatus === '5' || String(o['order_status']) === orderStatus)
              .filter((o) => refundStatus === '5' || String(o['refund_status']) === refundStatus)
          : candidates;
        const slice = rows.slice((page - 1) * pageSize, page * pageSize);
        const list = filtered ? slice : (slice as SimOrder[]).map(render);
        return {
          order_sn_increment_get_response: {
            total_count: rows.length,
            has_next: page * pageSize < rows.length,
            order_sn_list: list,
          },
        };
      },
    },
    'pdd.order.information.get': {
      auth: true,
      handle(params, mall) {
        return { order_info_get_response: { order_info: render(findOrder(mall!, params['order_sn'])) } };
      },
    },
    'pdd.logistics.online.send': {
      auth: true,
      handle(params, mall) {
        const order = findOrder(mall!, params['order_sn']);
        const logisticsId = params['logistics_id'] ?? '';
        const tracking = params['tracking_number'] ?? '';
        if (!LOGISTICS_IDS.has(logisticsId)) throw badParam(`物流公司 ${logisticsId} 不存在`);
        if (!/^[A-Za-z0-9]{6,30}$/.test(tracking)) throw badParam('运单号格式不正确');
        const redelivery = params['redelivery_type'] ?? '1';
        if (redelivery === '1' && order.status !== 'paid') throw badParam('订单状态不是待发货，不能发货');
        if (redelivery === '2' && order.status !== 'shipped') throw badParam('只有已发货订单可以修改物流');
        const at = now();
        options.store.update(
          mall!.mallId,
          order.id,
          (o) => {
            o.status = 'shipped';
            o.shipment = { carrierCode: logisticsId, trackingNumber: tracking, shippedAt: at };
          },
          at,
        );
        return { logistics_online_send_response: { is_success: true } };
      },
    },
    'pdd.refund.list.increment.get': {
      auth: true,
      handle(params, mall) {
        if (!params['after_sales_status'] || !params['after_sales_type']) {
          throw badParam('after_sales_status 和 after_sales_type 必填');
        }
        const { page, pageSize } = paging(params);
        // API-FACTS §2.2(d): with `order_sn`, the other filters are ignored (the order's records).
        const orderSn = params['order_sn'];
        const status = params['after_sales_status'];
        const type = params['after_sales_type'];
        // Refunds and returns (`order.refund`) and exchanges (`order.exchange`, the filter's type 4).
        const records = all(mall!).flatMap((o) => [
          ...(o.refund
            ? [
                {
                  order: o,
                  modifiedAt: o.refund.modifiedAt,
                  status: afterSalesStatus(o.refund),
                  type: o.refund.kind === 'refund_only' ? '2' : '3',
                  render: () => renderPddRefund(o, o.refund!),
                },
              ]
            : []),
          ...(o.exchange
            ? [
                {
                  order: o,
                  modifiedAt: o.exchange.modifiedAt,
                  status: o.exchange.status,
                  type: '4',
                  render: () => renderPddExchange(o, o.exchange!),
                },
              ]
            : []),
        ]);
        const rows = (
          orderSn
            ? records.filter((r) => r.order.id === orderSn)
            : (() => {
                const { start, endExclusive } = window(params);
                return records
                  .filter((r) => r.modifiedAt >= start && r.modifiedAt < endExclusive)
                  .filter((r) => status === '1' || String(r.status) === status)
                  .filter((r) => type === '1' || r.type === type);
              })()
        ).sort(
          (a, b) => b.modifiedAt.getTime() - a.modifiedAt.getTime() || b.order.id.localeCompare(a.order.id),
        );
        return {
          refund_increment_get_response: {
            total_count: rows.length,
            refund_list: rows.slice((page - 1) * pageSize, page * pageSize).map((r) => r.render()),
          },
        };
      },
    },
    ...pddAfterSaleApis({
      orders: (mallId) => all({ mallId } as PddSimMall),
      store: options.store,
      now,
      badParam,
    }),
    'pdd.waybill.get': { auth: true, handle: (params, mall) => waybills.get(params, mall!.mallId) },
    'pdd.waybill.cancel': { auth: true, handle: (params, mall) => waybills.cancel(params, mall!.mallId) },
    'pdd.waybill.search': { auth: true, handle: (params, mall) => waybills.search(params, mall!.mallId) },
    'pdd.open.decrypt.batch': {
      auth: true,
      handle(params, mall) {
        let list: unknown;
        try {
          list = parseLossless(params['data_list'] ?? '', null, (digits) => digits);
        } catch {
          throw badParam('data_list 不是合法的 JSON');
        }
        if (!Array.isArray(list) || list.length === 0 || list.length > 100)
          throw badParam('data_list 需为 1-100 条');
        return {
          open_decrypt_batch_response: {
            data_decrypt_list: list.map((item: Record<string, unknown>) => {
              const tag = String(item['data_tag'] ?? '');
              const encrypted = String(item['encrypted_data'] ?? '');
              const order = options.store.get(mall!.mallId, tag);
              const opened = order ? cipher.decrypt(tag, encrypted) : undefined;
              return opened
                ? {
                    data_tag: tag,
                    encrypted_data: encrypted,
                    decrypted_data: opened.plaintext,
                    data_type: opened.dataType,
                    error_code: 0,
                    error_msg: '',
                  }
                : {
                    data_tag: tag,
                    encrypted_data: encrypted,
                    error_code: 47001,
                    error_msg: '密文与订单不匹配，解密失败',
                  };
            }),
          },
        };
      },
    },
    // Stock (docs/stock-sync.md §Pinduoduo): 全量 or 增量 per SKU, by sku_id or else outer_id; a
    // goods id or SKU the mall does not sell, or goods deleted, is refused (❓ error 10000).
    'pdd.goods.quantity.update': {
      auth: true,
      handle(params, mall) {
        const inventory = options.inventory;
        inventory?.countCall(mall!.mallId);
        const goodsId = params['goods_id'];
        const skuId = params['sku_id'] ?? params['outer_id'];
        if (!goodsId || !skuId) throw badParam('goods_id 必填，sku_id 和 outer_id 必填一个');
        const updateType = params['update_type'] ?? '1';
        const quantity = Number(params['quantity']);
        if (updateType !== '1' && updateType !== '2')
          throw badParam('update_type 取值 1（全量）或 2（增量）');
        if (!Number.isInteger(quantity) || (updateType === '1' && quantity < 0))
          throw badParam('全量更新时 quantity 必须为大于等于0的整数');
        const listing = inventory?.get(mall!.mallId, `${goodsId}:${skuId}`);
        if (!listing) throw badParam(`商品 ${goodsId} 下不存在 SKU ${skuId}`);
        if (listing.status === 'delisted') throw badParam(`商品 ${goodsId} 已删除`);
        const target = updateType === '1' ? quantity : listing.quantity + quantity;
        if (target < 0) throw badParam('增量更新后库存不能小于0');
        inventory!.set(mall!.mallId, `${goodsId}:${skuId}`, target, now());
        return { goods_quantity_update_response: { is_success: true } };
      },
    },
    'pdd.goods.detail.get': {
      auth: true,
      handle(params, mall) {
        const inventory = options.inventory;
        inventory?.countCall(mall!.mallId);
        const goodsId = params['goods_id'] ?? '';
        const skus = inventory?.under(mall!.mallId, `${goodsId}:`) ?? [];
        if (!goodsId || skus.length === 0) throw badParam(`商品 ${goodsId} 不存在`);
        return {
          goods_detail_get_response: {
            goods_id: Number(goodsId),
            is_onsale: skus.some(([, l]) => l.status === 'listed') ? 1 : 0,
            sku_list: skus.map(([key, l]) => ({
              sku_id: Number(key.slice(goodsId.length + 1)),
              quantity: l.quantity,
              is_onsale: l.status === 'listed' ? 1 : 0,
            })),
          },
        };
      },
    },
    'pdd.pop.auth.token.refresh': {
      auth: false,
      handle(params) {
        const mall = options.malls.find((m) => m.refreshToken && m.refreshToken === params['refresh_token']);
        if (!mall) throw new PddFault(10019, 'refresh_token已过期', 'refresh_token 无效或已过期');
        const lifetime = options.tokenLifetimeSeconds ?? 86_400;
        const issued = now();
        mall.accessToken = `pdd-at-${randomBytes(12).toString('hex')}`;
        mall.refreshToken = `pdd-rt-${randomBytes(12).toString('hex')}`;
        mall.accessTokenExpiresAt = new Date(issued.getTime() + lifetime * 1000);
        return {
          pop_auth_token_refresh_response: {
            access_token: mall.accessToken,
            expires_in: lifetime,
            expires_at: Math.floor(mall.accessTokenExpiresAt.getTime() / 1000),
            refresh_token: mall.refreshToken,
            refresh_token_expires_in: lifetime * 30,
            refresh_token_expires_at: Math.floor(issued.getTime() / 1000) + lifetime * 30,
            owner_id: mall.mallId,
            owner_name: `mall-${mall.mallId}`,
            scope: [],
          },
        };
      },
    },
  };

  const send = (reply: FastifyReply, body: unknown) =>
    reply.type('application/json;charset=UTF-8').send(stringify(body) ?? '{}');

  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const params: Record<string, string> = {};
    for (const [key, value] of Object.entries((request.query as Record<string, unknown>) ?? {})) {
      if (typeof value === 'string') params[key] = value;
    }
    if (typeof request.body === 'string') {
      for (const [key, value] of new URLSearchParams(request.body)) params[key] = value;
    } else if (request.body && typeof request.body === 'object') {
      for (const [key, value] of Object.entries(request.body as Record<string, unknown>)) {
        params[key] = typeof value === 'string' ? value : JSON.stringify(value);
      }
    }
    const type = params['type'] ?? '';
    const fault = options.faults?.next(type);
    if (fault) {
      if (fault.retryAfterSeconds !== undefined) reply.header('retry-after', String(fault.retryAfterSeconds));
      return reply.code(fault.status).send({ error: `simulated ${fault.status}` });
    }
    try {
      if (!type) throw badParam('type 必填');
      if (params['client_id'] !== options.clientId) throw new PddFault(10001, 'client_id不存在');
      if (!params['sign'] || !pddSignatureMatches(params, options.clientSecret)) {
        throw new PddFault(20004, '签名sign校验失败');
      }
      const timestamp = Number(params['timestamp']);
      if (!Number.isFinite(timestamp) || Math.abs(now().getTime() - timestamp * 1000) > tolerance) {
        throw badParam('timestamp 与服务器时间相差超过10分钟，请用 pdd.time.get 校准');
      }
      if (params['data_type'] && params['data_type'] !== 'JSON') throw badParam('本模拟器只返回 JSON');
      const api = apis[type];
      if (!api) throw new PddFault(10000, '接口不存在', `type ${type} 不存在`);
      let mall: PddSimMall | undefined;
      if (api.auth) {
        mall = options.malls.find((m) => m.accessToken === params['access_token']);
        if (!mall || (mall.accessTokenExpiresAt && mall.accessTokenExpiresAt <= now())) {
          throw new PddFault(10019, 'access_token已过期');
        }
        const wait = waitFor(type, mall.mallId);
        if (wait > 0)
          throw new PddFault(70031, '调用过于频繁,请调整调用频率', `请 ${Math.ceil(wait / 1000)} 秒后重试`);
      }
      return send(reply, api.handle(params, mall));
    } catch (err) {
      if (!(err instanceof PddFault)) throw err;
      return send(reply, {
        error_response: {
          error_code: err.errorCode,
          error_msg: err.errorMsg,
          ...(err.subMsg ? { sub_msg: err.subMsg } : {}),
          request_id: `${now().getTime()}${(++requestSeq).toString().padStart(4, '0')}`,
        },
      });
    }
  };

  app.post('/api/router', handler);
  app.get('/api/router', handler);
};
