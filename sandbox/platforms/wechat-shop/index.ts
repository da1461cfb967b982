import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { isSafeNumber, parse } from 'lossless-json';
import type { SimInventory } from '../../kit/inventory.js';
import { FaultPlan } from '../../kit/rate-limit.js';
import type { SimOrderStore } from '../../kit/store.js';
import type { SimTokenAuth } from '../../kit/token-auth.js';
import type { SimOrder } from '../../orders/model.js';
import { renderWechatAddress, renderWechatOrder, wechatProductId, wechatShippedSkus } from './render.js';

export { renderWechatShopPush, wechatShopEvent } from './push.js';
export type { WechatShopEvent } from './push.js';
export { wechatSimEncrypt, wechatSimSignature } from './verify.js';

export interface WechatShopSimulatorOptions {
  store: SimOrderStore;
  /** The shop's own app (appid, secret) and the shop it is (store shopKey). */
  app: { appId: string; appSecret: string; shopKey: string };
  /** Issues the shop's access tokens (`/cgi-bin/token`), 7200 s by WeChat's rule. */
  auth: SimTokenAuth;
  inventory?: SimInventory;
  faults?: FaultPlan;
  now?: () => Date;
}

/** Delivery companies the simulator accepts (its own list, after `deliverycompanylist`). */
const DELIVERY_IDS = new Set(['SF', 'YD', 'ZTO', 'YTO', 'STO', 'JD', 'EMS', 'YZPY', 'JTSD', 'DBKD']);
const WEEK_SECONDS = 7 * 86_400;

class WxFailure extends Error {
  constructor(
    readonly errcode: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * WeChat Channels shop (微信小店/视频号小店) as a Fastify plugin (MORE-CHANNELS §3): the shop's
 * token from `GET /cgi-bin/token` (client_credential), `POST /channels/ec/…?access_token=` JSON
 * calls without signing, `{errcode, errmsg}` answers, order ids by update time (≤ 7 days,
 * `next_key`), orders with masked receivers and the plaintext only through
 * `/order/sensitiveinfo/decode`, `/order/delivery/send` per parcel, SKU stock. Error codes are
 * WeChat's global ones (40001 invalid and 42001 expired token, 40013 app id, 40125 secret, 40097
 * arguments; UNCONFIRMED for this API family).
 */
export const wechatShopSimulator: FastifyPluginAsync<WechatShopSimulatorOptions> = async (app, options) => {
  const { store, auth } = options;
  const now = options.now ?? (() => new Date());
  const faults = options.faults ?? new FaultPlan();
  const shopKey = options.app.shopKey;

  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) =>
    done(null, String(body)),
  );
  const send = (reply: FastifyReply, data: Record<string, unknown>) =>
    reply.type('application/json').send(JSON.stringify({ errcode: 0, errmsg: 'ok', ...data }));
  const fail = (reply: FastifyReply, f: WxFailure) =>
    reply.type('application/json').send(JSON.stringify({ errcode: f.errcode, errmsg: f.message }));

  app.get('/cgi-bin/token', async (request, reply) => {
    const q = (request.query ?? {}) as Record<string, string>;
    if (q.grant_type !== 'client_credential') return fail(reply, new WxFailure(40002, 'invalid grant_type'));
    if (q.appid !== options.app.appId) return fail(reply, new WxFailure(40013, 'invalid appid'));
    if (q.secret !== options.app.appSecret) return fail(reply, new WxFailure(40125, 'invalid appsecret'));
    const grant = auth.grant(shopKey);
    return reply.send({
      access_token: grant.accessToken,
      expires_in: Math.round((grant.expiresAt.getTime() - now().getTime()) / 1000),
    });
  });

  type Handler = (body: Record<string, unknown>) => Record<string, unknown>;
  const route = (path: string, handler: Handler) =>
    app.post(`/channels/ec/${path}`, async (request, reply) => {
      try {
        const planned = faults.next(path);
        if (planned) {
          if (planned.retryAfterSeconds !== undefined)
            reply.header('retry-after', String(planned.retryAfterSeconds));
          return reply.code(planned.status).send({ errcode: -1, errmsg: 'system error' });
        }
        const token = ((request.query ?? {}) as Record<string, string>).access_token ?? '';
        const found = auth.lookup(token);
        if (!found) throw new WxFailure(40001, 'invalid credential, access_token is invalid or not latest');
        if (found.expired) throw new WxFailure(42001, 'access_token expired');
        let body: Record<string, unknown>;
        try {
          body = parse(String(request.body ?? '') || '{}', null, (d) =>
            isSafeNumber(d) ? Number(d) : d,
          ) as Record<string, unknown>;
        } catch {
          throw new WxFailure(47001, 'data format error');
        }
        return send(reply, handler(body));
      } catch (err) {
        if (err instanceof WxFailure) return fail(reply, err);
        throw err;
      }
    });

  const idOf = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');
  const orderOf = (id: unknown): SimOrder => {
    const found = store.get(shopKey, idOf(id));
    if (!found) throw new WxFailure(100002, 'order not exist');
    return found;
  };
  const range = (value: unknown) => {
    const r = value as { start_time?: unknown; end_time?: unknown } | undefined;
    if (!r) return undefined;
    if (typeof r.start_time !== 'number' || typeof r.end_time !== 'number' || r.end_time < r.start_time)
      throw new WxFailure(40097, 'invalid args: time range');
    if (r.end_time - r.start_time > WEEK_SECONDS)
      throw new WxFailure(40097, 'invalid args: time range over 7 days');
    return { from: r.start_time, to: r.end_time };
  };

  route('order/list/get', (body) => {
    const byUpdate = range(body.update_time_range);
    const byCreate = range(body.create_time_range);
    if (!byUpdate && !byCreate)
      throw new WxFailure(40097, 'invalid args: create_time_range or update_time_range');
    const pageSize = body.page_size === undefined ? 10 : body.page_size;
    if (typeof pageSize !== 'number' || !Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100)
      throw new WxFailure(40097, 'invalid args: page_size 1-100');
    const sec = (d: Date) => Math.floor(d.getTime() / 1000);
    const timeOf = (o: SimOrder) => (byUpdate ? sec(o.modifiedAt) : sec(o.createdAt));
    const window = (byUpdate ?? byCreate)!;
    // Both ends included.
    const all = store
      .listModified(shopKey, new Date(0), new Date(8.64e15))
      .filter((o) => timeOf(o) >= window.from && timeOf(o) <= window.to)
      .sort((a, b) => timeOf(a) - timeOf(b) || a.id.localeCompare(b.id));
    let rest = all;
    if (typeof body.next_key === 'string' && body.next_key) {
      const [t, id] = Buffer.from(body.next_key, 'base64url').toString('utf8').split('|');
      if (!Number.isFinite(Number(t)) || !id) throw new WxFailure(40097, 'invalid args: next_key');
      rest = all.filter((o) => (timeOf(o) - Number(t) || o.id.localeCompare(id)) > 0);
    }
    const page = rest.slice(0, pageSize);
    const last = page[page.length - 1];
    return {
      order_id_list: page.map((o) => o.id),
      next_key: last ? Buffer.from(`${timeOf(last)}|${last.id}`).toString('base64url') : '',
      has_more: rest.length > pageSize,
    };
  });

  route('order/get', (body) => ({ order: renderWechatOrder(orderOf(body.order_id)) }));

  route('order/sensitiveinfo/decode', (body) => ({
    address_info: renderWechatAddress(orderOf(body.order_id), true),
  }));

  route('order/delivery/send', (body) => {
    const order = orderOf(body.order_id);
    const list = Array.isArray(body.delivery_list) ? (body.delivery_list as Record<string, unknown>[]) : [];
    if (list.length === 0) throw new WxFailure(40097, 'invalid args: delivery_list');
    const skus = order.items.map((i) => i.platformSkuId);
    const sent = wechatShippedSkus(order);
    if (order.status !== 'paid' || order.groupStatus === 'forming')
      throw new WxFailure(100005, 'order status not allow deliver');
    const parcels = list.map((d) => {
      if (d.deliver_type !== 1) throw new WxFailure(40097, 'invalid args: deliver_type');
      if (typeof d.delivery_id !== 'string' || !DELIVERY_IDS.has(d.delivery_id))
        throw new WxFailure(10020007, `invalid delivery_id ${String(d.delivery_id)}`);
      if (typeof d.waybill_id !== 'string' || !/^[A-Za-z0-9]{6,40}$/.test(d.waybill_id))
        throw new WxFailure(40097, 'invalid args: waybill_id');
      const products = Array.isArray(d.product_infos) ? (d.product_infos as Record<string, unknown>[]) : [];
      const ids = products.map((p) => idOf(p.sku_id));
      if (
        ids.length === 0 ||
        products.some(
          (p) => !skus.includes(idOf(p.sku_id)) || idOf(p.product_id) !== wechatProductId(idOf(p.sku_id)),
        )
      )
        throw new WxFailure(40097, 'invalid args: product_infos');
      if (ids.some((id) => sent.has(id))) throw new WxFailure(100005, 'product already delivered');
      return { carrierCode: d.delivery_id, trackingNumber: d.waybill_id, lineIds: ids };
    });
    const at = now();
    store.update(
      shopKey,
      order.id,
      (o) => {
        for (const p of parcels) {
          const shipment = { ...p, shippedAt: at };
          if (o.shipment) (o.extraShipments ??= []).push(shipment);
          else o.shipment = shipment;
        }
        if (wechatShippedSkus(o).size >= skus.length) o.status = 'shipped';
      },
      at,
    );
    return {};
  });

  const listingOf = (body: Record<string, unknown>) => {
    options.inventory?.countCall(shopKey);
    const key = `${idOf(body.product_id)}:${idOf(body.sku_id)}`;
    const listing = options.inventory?.get(shopKey, key);
    if (!listing) throw new WxFailure(10020050, `sku not exist: ${key}`);
    return { key, listing };
  };
  route('product/stock/get', (body) => {
    const { listing } = listingOf(body);
    return { data: { normal_stock_num: listing.quantity, limited_discount_stock_num: 0 } };
  });
  route('product/stock/update', (body) => {
    const { key, listing } = listingOf(body);
    const num = body.num;
    if (typeof num !== 'number' || !Number.isInteger(num) || num < 0 || num > 999_999)
      throw new WxFailure(40097, 'invalid args: num');
    if (listing.status === 'delisted') throw new WxFailure(10020051, 'product is not on sale');
    const target =
      body.diff_type === 3
        ? num
        : body.diff_type === 1
          ? listing.quantity + num
          : body.diff_type === 2
            ? listing.quantity - num
            : NaN;
    if (!Number.isInteger(target) || target < 0) throw new WxFailure(40097, 'invalid args: diff_type');
    options.inventory!.set(shopKey, key, target, now());
    return {};
  });
};
