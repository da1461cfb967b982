import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { isSafeNumber, parse } from 'lossless-json';
import type { SimInventory } from '../../kit/inventory.js';
import { FaultPlan } from '../../kit/rate-limit.js';
import type { SimOrderStore } from '../../kit/store.js';
import type { SimTokenAuth } from '../../kit/token-auth.js';
import type { SimOrder } from '../../orders/model.js';
import { weidianOrderBody, weidianShippedSubOrders } from './render.js';

export { renderWeidianOrder, weidianItemId, weidianSimTime } from './render.js';

export interface WeidianSimulatorOptions {
  store: SimOrderStore;
  /** The shop's self-use app (appkey, secret) and the shop it is (store shopKey). */
  app: { appKey: string; secret: string; shopKey: string };
  /** Issues the shop's tokens (`GET /token`, client_credential). */
  auth: SimTokenAuth;
  inventory?: SimInventory;
  faults?: FaultPlan;
  now?: () => Date;
}

/** Express codes the simulator takes (its own list). */
const EXPRESS_TYPES = new Set(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11']);
const TIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

class WdFailure extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Weidian 微店 as a Fastify plugin (MORE-CHANNELS §5: the gateway form and method names are the
 * facts; everything else is the simulator's own, as UNCONFIRMED as the adapter's): `GET /token`
 * for the shop's self-use app, `POST /api` with the form fields `param` and `public` (`method`,
 * `access_token`, `version`, `format`) — its own check of the token (10013 unknown, 10014
 * expired) — answering `{status: {status_code, status_reason}, result}`; orders by update time
 * (`page_size` ≤ 50), one order, `vdian.order.deliver` per parcel (`sub_order_ids`), item stock.
 */
export const weidianSimulator: FastifyPluginAsync<WeidianSimulatorOptions> = async (app, options) => {
  const { store, auth } = options;
  const now = options.now ?? (() => new Date());
  const faults = options.faults ?? new FaultPlan();
  const shopKey = options.app.shopKey;

  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) =>
    done(null, Object.fromEntries(new URLSearchParams(String(body)))),
  );
  const ok = (reply: FastifyReply, result: unknown) =>
    reply.type('application/json').send({ status: { status_code: 0, status_reason: 'success' }, result });
  const fail = (reply: FastifyReply, f: WdFailure) =>
    reply.type('application/json').send({ status: { status_code: f.code, status_reason: f.message } });

  app.get('/token', async (request, reply) => {
    const q = (request.query ?? {}) as Record<string, string>;
    if (q.grant_type !== 'client_credential') return fail(reply, new WdFailure(10002, 'grant_type error'));
    if (q.appkey !== options.app.appKey || q.secret !== options.app.secret)
      return fail(reply, new WdFailure(10012, 'appkey or secret error'));
    const grant = auth.grant(shopKey);
    return ok(reply, {
      access_token: grant.accessToken,
      expire_in: Math.round((grant.expiresAt.getTime() - now().getTime()) / 1000),
    });
  });

  type Handler = (param: Record<string, unknown>) => unknown;
  const methods = new Map<string, Handler>();
  const object = (text: string | undefined, field: string): Record<string, unknown> => {
    try {
      const parsed = parse(text ?? '', null, (d) => (isSafeNumber(d) ? Number(d) : d));
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
        return parsed as Record<string, unknown>;
    } catch {
      // below
    }
    throw new WdFailure(10003, `${field} is not a JSON object`);
  };

  app.post('/api', async (request, reply) => {
    const form = (request.body ?? {}) as Record<string, string>;
    try {
      const pub = object(form.public, 'public');
      const method = String(pub.method ?? '');
      const planned = faults.next(method);
      if (planned) {
        if (planned.retryAfterSeconds !== undefined)
          reply.header('retry-after', String(planned.retryAfterSeconds));
        return reply
          .code(planned.status)
          .send({ status: { status_code: 10001, status_reason: 'system busy' } });
      }
      const found = auth.lookup(String(pub.access_token ?? ''));
      if (!found) throw new WdFailure(10013, 'access_token is invalid');
      if (found.expired) throw new WdFailure(10014, 'access_token is expired');
      if (pub.format !== undefined && pub.format !== 'json')
        throw new WdFailure(10003, 'format must be json');
      const handler = methods.get(method);
      if (!handler) throw new WdFailure(10004, `method ${method} does not exist`);
      return ok(reply, handler(object(form.param ?? '{}', 'param')));
    } catch (err) {
      if (err instanceof WdFailure) return fail(reply, err);
      throw err;
    }
  });

  const idOf = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');
  const orderOf = (id: unknown): SimOrder => {
    const order = store.get(shopKey, idOf(id));
    if (!order) throw new WdFailure(20001, `order ${idOf(id)} does not exist`);
    return order;
  };
  const time = (value: unknown, field: string): number => {
    const m = typeof value === 'string' ? TIME.exec(value) : null;
    if (!m) throw new WdFailure(10003, `${field} must be yyyy-MM-dd HH:mm:ss`);
    const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
    return Date.UTC(y!, mo! - 1, d!, h! - 8, mi!, s!);
  };

  methods.set('vdian.order.list.get', (p) => {
    const from = p.update_start === undefined ? -Infinity : time(p.update_start, 'update_start');
    const to = p.update_end === undefined ? Infinity : time(p.update_end, 'update_end');
    const pageNum = p.page_num ?? 1;
    const pageSize = p.page_size ?? 20;
    if (!Number.isInteger(pageNum) || (pageNum as number) < 1) throw new WdFailure(10003, 'page_num');
    if (!Number.isInteger(pageSize) || (pageSize as number) < 1 || (pageSize as number) > 50)
      throw new WdFailure(10003, 'page_size must be 1-50');
    const sec = (d: Date) => Math.floor(d.getTime() / 1000) * 1000;
    const found = store
      .listModified(shopKey, new Date(0), new Date(8.64e15), 'desc')
      .filter((o) => sec(o.modifiedAt) >= from && sec(o.modifiedAt) <= to);
    const start = ((pageNum as number) - 1) * (pageSize as number);
    return {
      total_num: found.length,
      orders: found.slice(start, start + (pageSize as number)).map(weidianOrderBody),
    };
  });

  methods.set('vdian.order.get', (p) => weidianOrderBody(orderOf(p.order_id)));

  methods.set('vdian.order.deliver', (p) => {
    const order = orderOf(p.order_id);
    const type = idOf(p.express_type);
    const number = idOf(p.express_no);
    if (!EXPRESS_TYPES.has(type)) throw new WdFailure(20003, `express_type ${type} is unknown`);
    if (!/^[A-Za-z0-9]{6,40}$/.test(number)) throw new WdFailure(10003, 'express_no');
    if (order.status !== 'paid') throw new WdFailure(20002, `order ${order.id} cannot be delivered now`);
    const all = order.items.map((i) => i.lineId);
    const named =
      p.sub_order_ids === undefined ? all : Array.isArray(p.sub_order_ids) ? p.sub_order_ids.map(idOf) : [];
    if (named.length === 0 || named.some((id) => !all.includes(id)))
      throw new WdFailure(10003, 'sub_order_ids');
    const sent = weidianShippedSubOrders(order);
    if (named.some((id) => sent.has(id))) throw new WdFailure(20004, 'sub order already delivered');
    const at = now();
    store.update(
      shopKey,
      order.id,
      (o) => {
        const shipment = { carrierCode: type, trackingNumber: number, shippedAt: at, lineIds: named };
        if (o.shipment) (o.extraShipments ??= []).push(shipment);
        else o.shipment = shipment;
        if (weidianShippedSubOrders(o).size >= all.length) o.status = 'shipped';
      },
      at,
    );
    return { order_id: order.id };
  });

  const inventoryOf = () => {
    options.inventory?.countCall(shopKey);
    return options.inventory;
  };
  methods.set('vdian.item.get', (p) => {
    const itemId = idOf(p.itemid);
    const inventory = inventoryOf();
    const own = inventory?.get(shopKey, itemId);
    const skus = inventory?.under(shopKey, `${itemId}:`) ?? [];
    if (!own && skus.length === 0) throw new WdFailure(20005, `item ${itemId} does not exist`);
    return {
      itemid: itemId,
      stock: own?.quantity ?? skus.reduce((t, [, v]) => t + v.quantity, 0),
      skus: skus.map(([key, v]) => ({ id: key.slice(itemId.length + 1), stock: v.quantity })),
    };
  });
  methods.set('vdian.item.stock.update', (p) => {
    const itemId = idOf(p.itemid);
    const inventory = inventoryOf();
    const updates: Array<[string, unknown]> = Array.isArray(p.skus)
      ? (p.skus as Array<Record<string, unknown>>).map((s) => [`${itemId}:${idOf(s.id)}`, s.stock])
      : [[itemId, p.stock]];
    for (const [key, stock] of updates) {
      const listing = inventory?.get(shopKey, key);
      if (!listing) throw new WdFailure(20005, `item ${key} does not exist`);
      if (!Number.isInteger(stock) || (stock as number) < 0 || (stock as number) > 999_999)
        throw new WdFailure(10003, 'stock must be 0-999999');
      if (listing.status === 'delisted') throw new WdFailure(20006, `item ${key} is off the shelf`);
      inventory!.set(shopKey, key, stock as number, now());
    }
    return { itemid: itemId };
  });
};
