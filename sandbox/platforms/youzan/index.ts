import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { isSafeNumber, parse, stringify } from 'lossless-json';
import type { SimInventory } from '../../kit/inventory.js';
import { FaultPlan } from '../../kit/rate-limit.js';
import type { SimOrderStore } from '../../kit/store.js';
import type { SimTokenAuth } from '../../kit/token-auth.js';
import type { SimOrder } from '../../orders/model.js';
import { YouzanSimCipher, youzanShippedOids, youzanTradeBody } from './render.js';

export {
  renderYouzanPush,
  renderYouzanTrade,
  youzanItemId,
  YouzanSimCipher,
  youzanSimSign,
  youzanTime,
} from './render.js';

export interface YouzanSimulatorOptions {
  store: SimOrderStore;
  /** The app (client id and secret) and the shops (`kdt_id`, store shopKey) that authorised it. */
  app: { clientId: string; clientSecret: string; kdtIds: string[] };
  /** Issues tokens (`silent` grant for a shop, or `refresh_token`). */
  auth: SimTokenAuth;
  inventory?: SimInventory;
  faults?: FaultPlan;
  now?: () => Date;
}

/** Express ids the simulator takes (its own list, after `youzan.logistics.express.get`). */
const EXPRESS_IDS = new Set(['1', '2', '3', '4', '5', '6', '7', '11', '12', '138', '187', '445']);
const TIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

class YzFailure extends Error {
  constructor(
    readonly code: number,
    message: string,
    /** A gateway refusal (`gw_err_resp`) rather than the API's own. */
    readonly gateway = false,
  ) {
    super(message);
  }
}

/**
 * Youzan cloud (有赞云) as a Fastify plugin (MORE-CHANNELS §4): `POST /auth/token` (silent grant for
 * an authorised `kdt_id`, or refresh_token), `POST /api/<api>/<version>?access_token=` JSON calls
 * without signing — a token anywhere but the query is the gateway's 4201, an unknown or expired
 * one 4203, an unknown API 4005 — answered `{success, code: 200, data, message, trace_id}`.
 * Trades by update time (both pairs of bounds `yyyy-MM-dd HH:mm:ss` Beijing time, an unpaired one
 * ignored, `page_no`/`page_size` ≤ 100), one trade by `tid`, receivers as ciphertext with the
 * plaintext only through `youzan.cloud.secret.decrypt.batch`, `youzan.logistics.online.confirm`
 * per parcel (`oids`), and item quantities.
 */
export const youzanSimulator: FastifyPluginAsync<YouzanSimulatorOptions> = async (app, options) => {
  const { store, auth } = options;
  const now = options.now ?? (() => new Date());
  const faults = options.faults ?? new FaultPlan();
  const cipher = new YouzanSimCipher(options.app.clientSecret);
  let traces = 0;

  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) =>
    done(null, String(body)),
  );
  const bodyOf = (raw: unknown): Record<string, unknown> => {
    try {
      const parsed = parse(String(raw ?? '') || '{}', null, (d) => (isSafeNumber(d) ? Number(d) : d));
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
        throw new Error('not an object');
      return parsed as Record<string, unknown>;
    } catch {
      throw new YzFailure(40003, '参数格式错误: body is not a JSON object');
    }
  };
  const ok = (reply: FastifyReply, data: unknown) =>
    reply
      .type('application/json')
      .send(
        stringify({ success: true, code: 200, data, message: 'successful', trace_id: `yz-sim-${++traces}` })!,
      );
  const fail = (reply: FastifyReply, f: YzFailure) =>
    reply
      .type('application/json')
      .send(
        f.gateway
          ? { gw_err_resp: { err_code: f.code, err_msg: f.message } }
          : { success: false, code: f.code, message: f.message, trace_id: `yz-sim-${++traces}` },
      );

  app.post('/auth/token', async (request, reply) => {
    try {
      const p = bodyOf(request.body);
      if (p.client_id !== options.app.clientId || p.client_secret !== options.app.clientSecret)
        throw new YzFailure(40010, 'client_id 或 client_secret 错误');
      let grant;
      if (p.authorize_type === 'silent') {
        const kdt = String(p.grant_id ?? '');
        if (!options.app.kdtIds.includes(kdt)) throw new YzFailure(40011, `店铺 ${kdt} 未授权该应用`);
        grant = auth.grant(kdt);
      } else if (p.authorize_type === 'refresh_token') {
        grant = auth.refresh(String(p.refresh_token ?? ''));
        if (!grant) throw new YzFailure(40012, 'refresh_token 无效');
      } else {
        throw new YzFailure(40013, `authorize_type ${String(p.authorize_type)} 不支持`);
      }
      return ok(reply, {
        access_token: grant.accessToken,
        expires: grant.expiresAt.getTime(),
        scope: 'trade item logistics',
        authority_id: grant.shopKey,
        ...(p.authorize_type === 'refresh_token' ? { refresh_token: grant.refreshToken } : {}),
      });
    } catch (err) {
      if (err instanceof YzFailure) return fail(reply, err);
      throw err;
    }
  });

  type Handler = (body: Record<string, unknown>, kdt: string) => unknown;
  const apis = new Map<string, Handler>();
  const api = (name: string, version: string, handler: Handler) => apis.set(`${name}/${version}`, handler);

  app.post('/api/:name/:version', async (request, reply) => {
    const { name, version } = request.params as { name: string; version: string };
    try {
      const planned = faults.next(name);
      if (planned) {
        if (planned.retryAfterSeconds !== undefined)
          reply.header('retry-after', String(planned.retryAfterSeconds));
        return reply
          .code(planned.status)
          .send({ gw_err_resp: { err_code: planned.status, err_msg: 'busy' } });
      }
      const token = ((request.query ?? {}) as Record<string, string>).access_token;
      if (!token) throw new YzFailure(4201, '非法的请求凭证', true);
      const found = auth.lookup(token);
      if (!found || found.expired) throw new YzFailure(4203, 'Token 不存在', true);
      const handler = apis.get(`${name}/${version}`);
      if (!handler) throw new YzFailure(4005, `API ${name}/${version} 不存在`, true);
      return ok(reply, handler(bodyOf(request.body), found.grant.shopKey));
    } catch (err) {
      if (err instanceof YzFailure) return fail(reply, err);
      throw err;
    }
  });

  const idOf = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');
  const tradeOf = (kdt: string, tid: unknown): SimOrder => {
    const order = store.get(kdt, idOf(tid));
    if (!order) throw new YzFailure(50001, `订单 ${idOf(tid)} 不存在`);
    return order;
  };
  const beijing = (value: unknown, field: string): number => {
    const m = typeof value === 'string' ? TIME.exec(value) : null;
    if (!m) throw new YzFailure(40003, `${field} 格式错误, 应为 yyyy-MM-dd HH:mm:ss`);
    const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
    return Date.UTC(y!, mo! - 1, d!, h! - 8, mi!, s!);
  };
  const bounds = (body: Record<string, unknown>, start: string, end: string) =>
    body[start] !== undefined && body[end] !== undefined
      ? { from: beijing(body[start], start), to: beijing(body[end], end) }
      : undefined;

  for (const version of ['4.0.0', '4.0.1', '4.0.2', '4.0.3', '4.0.4']) {
    api('youzan.trades.sold.get', version, (body, kdt) => {
      const byUpdate = bounds(body, 'start_update', 'end_update');
      const byCreate = bounds(body, 'start_created', 'end_created');
      const pageNo = body.page_no ?? 1;
      const pageSize = body.page_size ?? 20;
      if (!Number.isInteger(pageNo) || (pageNo as number) < 1) throw new YzFailure(40003, 'page_no 错误');
      if (!Number.isInteger(pageSize) || (pageSize as number) < 1 || (pageSize as number) > 100)
        throw new YzFailure(40003, 'page_size 应为 1-100');
      const sec = (d: Date) => Math.floor(d.getTime() / 1000) * 1000;
      // Both ends included, to the second; sorted by update time when the update pair is given.
      const found = store
        .listModified(kdt, new Date(0), new Date(8.64e15))
        .filter((o) => !byUpdate || (sec(o.modifiedAt) >= byUpdate.from && sec(o.modifiedAt) <= byUpdate.to))
        .filter((o) => !byCreate || (sec(o.createdAt) >= byCreate.from && sec(o.createdAt) <= byCreate.to))
        .sort((a, b) =>
          byUpdate
            ? a.modifiedAt.getTime() - b.modifiedAt.getTime() || a.id.localeCompare(b.id)
            : a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id),
        );
      const start = ((pageNo as number) - 1) * (pageSize as number);
      return {
        total_results: found.length,
        full_order_info_list: found
          .slice(start, start + (pageSize as number))
          .map((o) => ({ full_order_info: youzanTradeBody(o, cipher) })),
      };
    });
    api('youzan.trade.get', version, (body, kdt) => ({
      full_order_info: youzanTradeBody(tradeOf(kdt, body.tid), cipher),
    }));
  }

  api('youzan.cloud.secret.decrypt.batch', '1.0.0', (body) => {
    const sources = body.sources;
    if (!Array.isArray(sources) || sources.length === 0 || sources.length > 100)
      throw new YzFailure(40003, 'sources 应为 1-100 个密文');
    const plain: Record<string, string> = {};
    for (const s of sources) {
      const opened = typeof s === 'string' ? cipher.open(s) : undefined;
      if (opened !== undefined) plain[s as string] = opened;
    }
    return plain;
  });

  api('youzan.logistics.online.confirm', '3.0.0', (body, kdt) => {
    const order = tradeOf(kdt, body.tid);
    const noExpress = body.is_no_express === 1 || body.is_no_express === '1';
    const stype = idOf(body.out_stype);
    const sid = idOf(body.out_sid);
    if (!noExpress) {
      if (!EXPRESS_IDS.has(stype)) throw new YzFailure(40003, `out_stype ${stype} 不是有效的快递公司`);
      if (!/^[A-Za-z0-9]{6,40}$/.test(sid)) throw new YzFailure(40003, 'out_sid 运单号格式错误');
    }
    if (order.status !== 'paid' || order.groupStatus === 'forming')
      throw new YzFailure(50002, `订单状态 ${order.status} 不允许发货`);
    const all = order.items.map((i) => i.lineId);
    const named =
      body.oids === undefined || body.oids === ''
        ? all
        : idOf(body.oids)
            .split(',')
            .map((s) => s.trim());
    if (named.some((oid) => !all.includes(oid))) throw new YzFailure(40003, 'oids 不属于该订单');
    const sent = youzanShippedOids(order);
    if (named.some((oid) => sent.has(oid))) throw new YzFailure(50003, '商品已发货');
    const at = now();
    store.update(
      kdt,
      order.id,
      (o) => {
        const shipment = {
          carrierCode: noExpress ? 'none' : stype,
          trackingNumber: sid,
          shippedAt: at,
          lineIds: named,
        };
        if (o.shipment) (o.extraShipments ??= []).push(shipment);
        else o.shipment = shipment;
        if (youzanShippedOids(o).size >= all.length) o.status = 'shipped';
      },
      at,
    );
    return { is_success: true };
  });

  const inventoryOf = (kdt: string) => {
    options.inventory?.countCall(kdt);
    return options.inventory;
  };
  api('youzan.item.get', '3.0.0', (body, kdt) => {
    const itemId = idOf(body.item_id);
    const inventory = inventoryOf(kdt);
    const own = inventory?.get(kdt, itemId);
    const skus = inventory?.under(kdt, `${itemId}:`) ?? [];
    if (!own && skus.length === 0) throw new YzFailure(50004, `商品 ${itemId} 不存在`);
    return {
      item: {
        item_id: /^\d+$/.test(itemId) ? BigInt(itemId) : itemId,
        quantity: own?.quantity ?? skus.reduce((t, [, v]) => t + v.quantity, 0),
        skus: skus.map(([key, v]) => ({ sku_id: key.slice(itemId.length + 1), quantity: v.quantity })),
      },
    };
  });
  api('youzan.item.quantity.update', '3.0.0', (body, kdt) => {
    const itemId = idOf(body.item_id);
    const key = body.sku_id === undefined ? itemId : `${itemId}:${idOf(body.sku_id)}`;
    const inventory = inventoryOf(kdt);
    const listing = inventory?.get(kdt, key);
    if (!listing) throw new YzFailure(50004, `商品 ${key} 不存在`);
    const quantity = body.quantity;
    if (!Number.isInteger(quantity) || (quantity as number) < 0 || (quantity as number) > 9_999_999)
      throw new YzFailure(40003, 'quantity 应为 0-9999999');
    if (body.type !== 0 && body.type !== 1) throw new YzFailure(40003, 'type 应为 0 (全量) 或 1 (增量)');
    if (listing.status === 'delisted') throw new YzFailure(50005, `商品 ${key} 已下架`);
    const target = body.type === 0 ? (quantity as number) : listing.quantity + (quantity as number);
    inventory!.set(kdt, key, target, now());
    return { is_success: true };
  });
};
