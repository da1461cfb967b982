import { randomBytes } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { parse as parseLossless, stringify, LosslessNumber } from 'lossless-json';
import type { SimInventory } from '../../kit/inventory.js';
import { RateLimiter, type FaultPlan } from '../../kit/rate-limit.js';
import type { SimOrderStore } from '../../kit/store.js';
import type { SimOrder } from '../../orders/model.js';
import {
  oaidOf,
  parseTopTime,
  renderTopRefund,
  renderTopTrade,
  topTime,
  type TopRenderContext,
} from './render.js';
import { renderTmcMessage, snapshotOf, TmcQueue, tmcTopicFor, type OrderSnapshot } from './tmc.js';
import { topAfterSaleApis } from './after-sales.js';
import { tmallExchangeApis } from './exchange.js';
import { topSignatureMatches } from './verify.js';

export { expectedTopSign, topSignatureMatches } from './verify.js';
export { renderTmcMessage, tmcTopicFor, TmcQueue, type TmcMessageJson } from './tmc.js';
export { renderTopTrade, oaidOf } from './render.js';

/** A seller who authorized the app: its nick is the shop key of its orders in the store. */
export interface TaobaoSimShop {
  nick: string;
  userId?: string;
  accessToken: string;
  refreshToken?: string;
  /** After this the session is refused as expired (code 27). */
  accessTokenExpiresAt?: Date;
}

export interface TaobaoSimulatorOptions {
  store: SimOrderStore;
  appKey: string;
  appSecret: string;
  /** Authorized sellers. Refreshing a token rewrites the entry in place. */
  shops: TaobaoSimShop[];
  now?: () => Date;
  faults?: FaultPlan;
  /** Calls allowed per API per app, like TOP's flow control. */
  rateLimit?: { limit: number; windowMs: number };
  /** TOP accepts timestamps within 10 minutes of its clock. */
  timestampToleranceSeconds?: number;
  /** Lifetime of access tokens issued by refresh. */
  tokenLifetimeSeconds?: number;
  /** Secret behind oaids; random per instance unless given. */
  oaidSecret?: string;
  /** TMC queue (one consumer group); pass one to publish extra messages or inspect it. */
  tmc?: TmcQueue;
  /** Sellable quantities per listing (`num_iid:sku_id`, or `num_iid` for an item without SKUs). */
  inventory?: SimInventory;
  /** Tmall's rules where they differ (refund phase required on after-sales writes); default taobao. */
  platform?: 'taobao' | 'tmall';
}

/** Company codes this simulated TOP knows (`taobao.logistics.companies.get`). */
const COMPANY_CODES = new Set([
  'SF',
  'ZTO',
  'YTO',
  'STO',
  'YUNDA',
  'JD',
  'EMS',
  'POSTB',
  'JTSD',
  'DBKD',
  'HTKY',
  'ZJS',
  'UC',
  'TTKDEX',
  'SNWL',
  'BESTQJT',
  'DHL',
  'FEDEX',
  'UPS',
]);
const DECRYPT_SCENES = new Set(['1001', '1002', '1003', '1004', '1005', '1006', '1007', '2001', '2002']);
const DAY_MS = 86_400_000;

class TopFault extends Error {
  constructor(
    readonly code: number,
    readonly msg: string,
    readonly subCode?: string,
    readonly subMsg?: string,
  ) {
    super(msg);
  }
}

const invalid = (parameter: string, subMsg: string) =>
  new TopFault(15, 'Remote service error', `isv.invalid-parameter:${parameter}`, subMsg);

/** Lists nested the way TOP's non-simplified JSON nests them (❓ per API-FACTS §1.1). */
const LIST_ELEMENTS: Record<string, string> = {
  trades: 'trade',
  orders: 'order',
  refunds: 'refund',
  messages: 'tmc_message',
  receiver_list: 'receiver',
  skus: 'sku',
};

function nestLists(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(nestLists);
  if (value === null || typeof value !== 'object' || value instanceof LosslessNumber) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => {
      const element = LIST_ELEMENTS[key];
      return [key, element && Array.isArray(inner) ? { [element]: nestLists(inner) } : nestLists(inner)];
    }),
  );
}

function pick(record: Record<string, unknown>, fields: string | undefined): Record<string, unknown> {
  const wanted = new Set((fields ?? '').split(',').map((f) => f.trim().split('.')[0]!));
  return Object.fromEntries(Object.entries(record).filter(([key]) => wanted.has(key)));
}

/**
 * Taobao/Tmall TOP gateway (`/router/rest`) over a SimOrderStore: signature checked by its own
 * verifier, TOP's error shapes, one-day windows, 100-row pages, timestamp tolerance, flow control,
 * sessions that expire and refresh, masked receivers with oaid decryption, offline shipping,
 * refunds, and TMC pull messaging.
 */
export const taobaoSimulator: FastifyPluginAsync<TaobaoSimulatorOptions> = async (app, options) => {
  const now = options.now ?? (() => new Date());
  const tolerance = (options.timestampToleranceSeconds ?? 600) * 1000;
  const oaidSecret = options.oaidSecret ?? randomBytes(16).toString('hex');
  const limiter = options.rateLimit
    ? new RateLimiter(options.rateLimit.limit, options.rateLimit.windowMs, () => now().getTime())
    : undefined;
  const tmc = options.tmc ?? new TmcQueue();
  const shippedLines = new Map<
    string,
    Map<string, { companyCode: string; trackingNumber: string; at: Date }>
  >();
  const renderContext = (order: SimOrder): TopRenderContext => ({
    oaidSecret,
    ...(shippedLines.has(order.id) ? { shippedLines: shippedLines.get(order.id)! } : {}),
  });
  let requestSeq = 0;
  let messageSeq = 0;

  const lastSeen = new Map<string, OrderSnapshot>();
  const unsubscribe = options.store.onChange((order) => {
    const shop = options.shops.find((s) => s.nick === order.shopKey);
    if (!shop) return;
    const topic = tmcTopicFor(lastSeen.get(order.id), order);
    lastSeen.set(order.id, snapshotOf(order));
    tmc.publish(
      renderTmcMessage(order, topic, {
        id: String(4_100_000_000_000 + ++messageSeq),
        appKey: options.appKey,
        now: now(),
        ...(shop.userId ? { userId: shop.userId } : {}),
      }),
    );
  });
  app.addHook('onClose', async () => unsubscribe());

  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) =>
    done(null, body),
  );

  const ordersOf = (shop: TaobaoSimShop) =>
    options.store.listModified(shop.nick, new Date(0), new Date(8.64e15));

  const apis: Record<
    string,
    {
      session: boolean;
      handle(params: Record<string, string>, shop: TaobaoSimShop | undefined): Record<string, unknown>;
    }
  > = {
    'taobao.trades.sold.increment.get': {
      session: true,
      handle(params, shop) {
        for (const name of ['fields', 'start_modified', 'end_modified']) {
          if (!params[name])
            throw new TopFault(40, 'Missing Required Arguments', `isv.missing-parameter:${name}`);
        }
        const start = parseTopTime(params['start_modified']);
        const end = parseTopTime(params['end_modified']);
        if (!start || !end || end < start)
          throw invalid('start_modified', '时间格式错误或结束时间早于开始时间');
        if (end.getTime() - start.getTime() > DAY_MS) {
          throw invalid('start_modified', '修改时间的开始与结束相差不能超过一天');
        }
        if (start.getTime() < now().getTime() - 90 * DAY_MS)
          throw invalid('start_modified', '只能查询三个月内的订单');
        const { pageNo, pageSize } = paging(params);
        const all = options.store.listModified(shop!.nick, start, new Date(end.getTime() + 1000), 'desc');
        const trades = all
          .slice((pageNo - 1) * pageSize, pageNo * pageSize)
          .map((order) => pick(renderTopTrade(order, renderContext(order)), params['fields']));
        const hasNext = pageNo * pageSize < all.length;
        return params['use_has_next'] === 'true'
          ? { trades, has_next: hasNext }
          : { trades, total_results: all.length, has_next: hasNext };
      },
    },
    'taobao.trade.fullinfo.get': {
      session: true,
      handle(params, shop) {
        if (!params['fields'] || !params['tid'])
          throw new TopFault(40, 'Missing Required Arguments', 'isv.missing-parameter:tid');
        const order = findOrder(shop!, params['tid']);
        const trade = pick(renderTopTrade(order, renderContext(order)), params['fields']);
        if (params['include_oaid'] !== 'true') delete trade['oaid'];
        return { trade };
      },
    },
    'taobao.logistics.offline.send': {
      session: true,
      handle(params, shop) {
        for (const name of ['tid', 'out_sid', 'company_code']) {
          if (!params[name])
            throw new TopFault(40, 'Missing Required Arguments', `isv.missing-parameter:${name}`);
        }
        const order = findOrder(shop!, params['tid']!);
        const companyCode = params['company_code']!;
        if (!COMPANY_CODES.has(companyCode))
          throw invalid('company_code', `物流公司编码 ${companyCode} 不存在`);
        if (order.status !== 'paid') {
          throw new TopFault(
            15,
            'Remote service error',
            'isv.logistics-offline-service-error:B04',
            '订单状态不对该物流订单已经发货或者已关闭，不能重复发货',
          );
        }
        const at = now();
        const subTids =
          params['is_split'] === '1' ? (params['sub_tid'] ?? '').split(',').filter(Boolean) : [];
        if (subTids.length > 0) {
          const lines = shippedLines.get(order.id) ?? new Map();
          for (const oid of subTids) {
            if (!order.items.some((item) => item.lineId === oid))
              throw invalid('sub_tid', `子订单 ${oid} 不属于该交易`);
            lines.set(oid, { companyCode, trackingNumber: params['out_sid']!, at });
          }
          shippedLines.set(order.id, lines);
          const allShipped = order.items.every((item) => lines.has(item.lineId));
          options.store.update(
            shop!.nick,
            order.id,
            (o) => {
              if (allShipped) {
                o.status = 'shipped';
                o.shipment = { carrierCode: companyCode, trackingNumber: params['out_sid']!, shippedAt: at };
              }
            },
            at,
          );
        } else {
          options.store.update(
            shop!.nick,
            order.id,
            (o) => {
              o.status = 'shipped';
              o.shipment = { carrierCode: companyCode, trackingNumber: params['out_sid']!, shippedAt: at };
            },
            at,
          );
        }
        return { shipping: { is_success: true } };
      },
    },
    'taobao.refunds.receive.get': {
      session: true,
      handle(params, shop) {
        if (!params['fields'])
          throw new TopFault(40, 'Missing Required Arguments', 'isv.missing-parameter:fields');
        const start = params['start_modified'] ? parseTopTime(params['start_modified']) : new Date(0);
        const end = params['end_modified'] ? parseTopTime(params['end_modified']) : now();
        if (!start || !end) throw invalid('start_modified', '时间格式错误');
        const { pageNo, pageSize } = paging(params);
        const all = ordersOf(shop!)
          .filter(
            (o) =>
              o.refund &&
              o.refund.modifiedAt >= start &&
              o.refund.modifiedAt.getTime() < end.getTime() + 1000,
          )
          .sort(
            (a, b) =>
              b.refund!.modifiedAt.getTime() - a.refund!.modifiedAt.getTime() || b.id.localeCompare(a.id),
          );
        const refunds = all
          .slice((pageNo - 1) * pageSize, pageNo * pageSize)
          .map((o) => pick(renderTopRefund(o, o.refund!), params['fields']));
        return { refunds, total_results: all.length, has_next: pageNo * pageSize < all.length };
      },
    },
    'taobao.top.oaid.decrypt': {
      session: true,
      handle(params, shop) {
        let queries: unknown;
        try {
          queries = parseLossless(params['query_list'] ?? '', null, (digits) => digits);
        } catch {
          throw invalid('query_list', 'query_list 不是合法的 JSON');
        }
        if (!Array.isArray(queries) || queries.length === 0 || queries.length > 20) {
          throw invalid('query_list', 'query_list 需为 1 到 20 个查询');
        }
        const receiverList = queries.map((q: Record<string, unknown>) => {
          const tid = String(q['tid'] ?? '');
          const scene = String(q['scene'] ?? '');
          if (!DECRYPT_SCENES.has(scene)) throw invalid('scene', `不支持的场景 ${scene}`);
          const order = findOrder(shop!, tid);
          const oaid = String(q['oaid'] ?? '');
          if (oaid !== oaidOf(order, oaidSecret))
            return { oaid, tid: new LosslessNumber(tid), matched: false };
          const r = order.receiver;
          return {
            oaid,
            tid: new LosslessNumber(tid),
            matched: true,
            privacy_protection: false,
            name: r.name,
            mobile: r.phone,
            phone: '',
            country: r.country === 'CN' ? '中国' : r.country,
            state: r.province,
            city: r.city,
            district: r.district,
            town: r.town ?? '',
            address_detail: r.detail,
          };
        });
        return { receiver_list: receiverList };
      },
    },
    'taobao.item.quantity.update': {
      session: true,
      handle(params, shop) {
        for (const name of ['num_iid', 'quantity']) {
          if (!params[name])
            throw new TopFault(40, 'Missing Required Arguments', `isv.missing-parameter:${name}`);
        }
        const quantity = Number(params['quantity']);
        const type = params['type'] ?? '1';
        if (type !== '1' && type !== '2') throw invalid('type', 'type 取值 1（全量）或 2（增量）');
        if (!Number.isInteger(quantity) || (type === '1' && quantity < 0))
          throw invalid('quantity', '全量更新时库存必须为非负整数');
        const numIid = params['num_iid']!;
        const inventory = options.inventory;
        inventory?.countCall(shop!.nick);
        const key = params['sku_id'] ? `${numIid}:${params['sku_id']}` : numIid;
        const listing = inventory?.get(shop!.nick, key);
        if (!listing) {
          if (params['sku_id'] && inventory?.under(shop!.nick, `${numIid}:`).length)
            throw invalid('sku_id', `商品 ${numIid} 下不存在 SKU ${params['sku_id']}`);
          throw new TopFault(15, 'Remote service error', 'isv.item-not-exist', `商品 ${numIid} 不存在`);
        }
        if (listing.status === 'delisted')
          throw new TopFault(15, 'Remote service error', 'isv.item-is-delete', `商品 ${numIid} 已删除`);
        const target = type === '1' ? quantity : listing.quantity + quantity;
        if (target < 0) throw invalid('quantity', '增量更新后库存不能小于 0');
        inventory!.set(shop!.nick, key, target, now());
        return {
          item: {
            num_iid: new LosslessNumber(numIid),
            num: itemNum(shop!, numIid),
            modified: topTime(now()),
          },
        };
      },
    },
    'taobao.item.seller.get': {
      session: true,
      handle(params, shop) {
        for (const name of ['num_iid', 'fields']) {
          if (!params[name])
            throw new TopFault(40, 'Missing Required Arguments', `isv.missing-parameter:${name}`);
        }
        const numIid = params['num_iid']!;
        const inventory = options.inventory;
        inventory?.countCall(shop!.nick);
        const skus = inventory?.under(shop!.nick, `${numIid}:`) ?? [];
        const single = inventory?.get(shop!.nick, numIid);
        if (!single && skus.length === 0)
          throw new TopFault(15, 'Remote service error', 'isv.item-not-exist', `商品 ${numIid} 不存在`);
        const status = (single ?? skus[0]![1]).status === 'listed' ? 'onsale' : 'instock';
        return {
          item: pick(
            {
              num_iid: new LosslessNumber(numIid),
              num: itemNum(shop!, numIid),
              approve_status: status,
              skus: skus.map(([key, l]) => ({
                sku_id: new LosslessNumber(key.slice(numIid.length + 1)),
                quantity: l.quantity,
              })),
            },
            `${params['fields']},skus`,
          ),
        };
      },
    },
    'taobao.top.auth.token.refresh': {
      session: false,
      handle(params) {
        const shop = options.shops.find((s) => s.refreshToken && s.refreshToken === params['refresh_token']);
        if (!shop)
          throw new TopFault(
            15,
            'Remote service error',
            'isv.refresh-token-invalid',
            'refresh_token 无效或已过期',
          );
        const lifetime = options.tokenLifetimeSeconds ?? 86_400;
        const issuedAt = now();
        shop.accessToken = `tb-at-${randomBytes(12).toString('hex')}`;
        shop.refreshToken = `tb-rt-${randomBytes(12).toString('hex')}`;
        shop.accessTokenExpiresAt = new Date(issuedAt.getTime() + lifetime * 1000);
        return {
          token_result: JSON.stringify({
            access_token: shop.accessToken,
            refresh_token: shop.refreshToken,
            token_type: 'Bearer',
            expires_in: lifetime,
            re_expires_in: lifetime * 30,
            expire_time: shop.accessTokenExpiresAt.getTime(),
            taobao_user_nick: encodeURIComponent(shop.nick),
            taobao_user_id: shop.userId ?? '',
          }),
        };
      },
    },
    'taobao.tmc.messages.consume': {
      session: false,
      handle(params) {
        const quantity = Number(params['quantity'] ?? 100);
        if (!Number.isInteger(quantity) || quantity < 10 || quantity > 200)
          throw invalid('quantity', 'quantity 取值 10 到 200');
        const messages = tmc.consume(quantity, now().getTime()).map((m) => ({
          ...m,
          id: new LosslessNumber(m.id),
          user_id: new LosslessNumber(m.user_id),
        }));
        return { messages };
      },
    },
    'taobao.tmc.messages.confirm': {
      session: false,
      handle(params) {
        const ids = (params['s_message_ids'] ?? '').split(',').filter(Boolean);
        if (ids.length === 0 || ids.length > 200)
          throw invalid('s_message_ids', 's_message_ids 需为 1 到 200 个');
        tmc.confirm(ids);
        return { is_success: true };
      },
    },
  };
  Object.assign(
    apis,
    topAfterSaleApis({
      platform: options.platform ?? 'taobao',
      now,
      fault: (code, msg, subCode, subMsg) => new TopFault(code, msg, subCode, subMsg),
      find: (refundId, shopKey) => {
        const order = ordersOf({ nick: shopKey } as TaobaoSimShop).find((o) => o.refund?.id === refundId);
        return order?.refund ? { order, refund: order.refund } : undefined;
      },
      update: (order, change) => {
        const at = new Date(Math.max(now().getTime(), order.modifiedAt.getTime() + 1));
        options.store.update(
          order.shopKey,
          order.id,
          (o) => {
            change(o.refund!);
            o.refund!.modifiedAt = at;
          },
          at,
        );
      },
    }),
  );

  // Tmall exchanges (天猫换货): only the Tmall gateway offers `tmall.exchange.*`.
  if (options.platform === 'tmall') {
    Object.assign(
      apis,
      tmallExchangeApis({
        fault: (code, msg, subCode, subMsg) => new TopFault(code, msg, subCode, subMsg),
        find: (disputeId, shopKey) => {
          const order = ordersOf({ nick: shopKey } as TaobaoSimShop).find(
            (o) => o.exchange?.id === disputeId,
          );
          return order?.exchange ? { order, exchange: order.exchange } : undefined;
        },
        update: (order, change) => {
          const at = new Date(Math.max(now().getTime(), order.modifiedAt.getTime() + 1));
          options.store.update(
            order.shopKey,
            order.id,
            (o) => {
              change(o.exchange!);
              o.exchange!.modifiedAt = at;
            },
            at,
          );
        },
      }),
    );
  }

  /** An item's `num` is its own quantity, or the sum of its SKUs' when it has SKUs. */
  function itemNum(shop: TaobaoSimShop, numIid: string): number {
    const skus = options.inventory?.under(shop.nick, `${numIid}:`) ?? [];
    if (skus.length) return skus.reduce((s, [, l]) => s + l.quantity, 0);
    return options.inventory?.get(shop.nick, numIid)?.quantity ?? 0;
  }

  function findOrder(shop: TaobaoSimShop, tid: string): SimOrder {
    const order = options.store.get(shop.nick, tid);
    if (!order) throw new TopFault(15, 'Remote service error', 'isv.trade-not-exist', `交易 ${tid} 不存在`);
    return order;
  }

  function paging(params: Record<string, string>) {
    const pageNo = Number(params['page_no'] ?? 1);
    const pageSize = Number(params['page_size'] ?? 40);
    if (!Number.isInteger(pageNo) || pageNo < 1) throw invalid('page_no', 'page_no 必须大于 0');
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100)
      throw invalid('page_size', 'page_size 取值 1 到 100');
    return { pageNo, pageSize };
  }

  const send = (reply: FastifyReply, body: unknown) =>
    reply.type('application/json;charset=UTF-8').send(stringify(body) ?? '{}');

  const fail = (reply: FastifyReply, fault: TopFault) =>
    send(reply, {
      error_response: {
        code: fault.code,
        msg: fault.msg,
        ...(fault.subCode ? { sub_code: fault.subCode } : {}),
        ...(fault.subMsg ? { sub_msg: fault.subMsg } : {}),
        request_id: `sim${(++requestSeq).toString(36)}`,
      },
    });

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
      return reply.code(fault.status).type('text/html').send(`<html><body>${fault.status}</body></html>`);
    }
    try {
      if (!method) throw new TopFault(21, 'Missing Method');
      if (!params['app_key']) throw new TopFault(28, 'Missing App Key');
      if (params['app_key'] !== options.appKey) throw new TopFault(29, 'Invalid App Key');
      if (!params['sign']) throw new TopFault(24, 'Missing Signature');
      if (!topSignatureMatches(params, options.appSecret)) throw new TopFault(25, 'Invalid signature');
      const timestamp = parseTopTime(params['timestamp']);
      if (!timestamp)
        throw new TopFault(
          31,
          'Invalid Timestamp',
          'isv.invalid-timestamp',
          'timestamp 格式为 yyyy-MM-dd HH:mm:ss',
        );
      if (Math.abs(now().getTime() - timestamp.getTime()) > tolerance) {
        throw new TopFault(
          31,
          'Invalid Timestamp',
          'isv.invalid-timestamp',
          `服务器时间 ${topTime(now())}，时间戳相差超过允许范围`,
        );
      }
      if ((params['format'] ?? 'xml') !== 'json')
        throw new TopFault(23, 'Invalid Format', undefined, 'this simulator answers format=json only');
      const wait = limiter?.take(`${options.appKey}:${method}`) ?? 0;
      if (wait > 0) {
        throw new TopFault(
          7,
          'App Call Limited',
          'accesscontrol.limited-by-api-access-count',
          `This ban will last for ${Math.ceil(wait / 1000)} more seconds`,
        );
      }
      const api = apis[method];
      if (!api) throw new TopFault(22, 'Invalid Method');
      let shop: TaobaoSimShop | undefined;
      if (api.session) {
        if (!params['session']) throw new TopFault(26, 'Missing Session');
        shop = options.shops.find((s) => s.accessToken === params['session']);
        if (!shop || (shop.accessTokenExpiresAt && shop.accessTokenExpiresAt <= now())) {
          throw new TopFault(27, 'Invalid session', 'invalid-sessionkey', 'SessionKey非法或已过期');
        }
      }
      const body = api.handle(params, shop);
      if (params['simplify'] === 'true') return send(reply, body);
      const wrapper = `${method.replace(/^taobao\./, '').replace(/\./g, '_')}_response`;
      return send(reply, { [wrapper]: nestLists(body) });
    } catch (err) {
      if (err instanceof TopFault) return fail(reply, err);
      throw err;
    }
  };

  app.post('/router/rest', handler);
  app.get('/router/rest', handler);
};
