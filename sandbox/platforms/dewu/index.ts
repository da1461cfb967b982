import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { isSafeNumber, parse, stringify } from 'lossless-json';
import type { SimInventory } from '../../kit/inventory.js';
import { FaultPlan } from '../../kit/rate-limit.js';
import type { SimOrderStore } from '../../kit/store.js';
import type { SimTokenAuth } from '../../kit/token-auth.js';
import type { SimOrder } from '../../orders/model.js';

export interface DewuSimulatorOptions {
  store: SimOrderStore;
  /** The app (app_key, app_secret) and the merchant whose tokens `auth` issues (store shopKey). */
  app: { appKey: string; appSecret: string; shopKey: string };
  auth: SimTokenAuth;
  /** Listings by `sku_id`, for the stock APIs. */
  inventory?: SimInventory;
  /** Carrier codes the simulator takes (its own list). */
  carrierCodes?: readonly string[];
  faults?: FaultPlan;
  now?: () => Date;
}

/** The carriers the simulator takes: common domestic express codes (its own list). */
export const DEWU_SIM_CARRIER_CODES = ['SF', 'ZTO', 'YTO', 'STO', 'YUNDA', 'JD', 'EMS'] as const;

/** The simulator's own paths (docs/platforms/dewu.md: UNCONFIRMED, as the adapter's defaults). */
const PATHS = {
  list: '/dop/api/v1/order/brand_deliver/list',
  detail: '/dop/api/v1/order/brand_deliver/detail',
  ship: '/dop/api/v1/order/brand_deliver/ship',
  stock: '/dop/api/v1/stock/sync',
  stockQuery: '/dop/api/v1/stock/query',
} as const;

class DewuFailure extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** Java's `URLEncoder.encode(…, "UTF-8")`, byte by byte: `A-Za-z0-9.-*_` kept, space `+`. */
function urlEncoded(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const c = String.fromCharCode(byte);
    if (/[A-Za-z0-9.\-*_]/.test(c)) out += c;
    else if (byte === 0x20) out += '+';
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** A value as the simulator signs it: objects as JSON with sorted keys, list elements joined with `,`. */
function valueText(v: unknown): string {
  const canonical = (x: unknown): unknown => {
    if (typeof x === 'bigint') return x;
    if (Array.isArray(x)) return x.map(canonical);
    if (x && typeof x === 'object')
      return Object.fromEntries(
        Object.keys(x)
          .sort()
          .map((k) => [k, canonical((x as Record<string, unknown>)[k])]),
      );
    return x;
  };
  if (Array.isArray(v))
    return v
      .map((e) => (e !== null && typeof e === 'object' ? stringify(canonical(e)) : String(e)))
      .join(',');
  if (v !== null && typeof v === 'object') return stringify(canonical(v)) ?? '';
  return String(v);
}

/** The simulator's own check of `sign`: sorted `k=v` pairs, URL-encoded, joined by `&`, secret after, MD5 upper. */
function expectedSign(secret: string, body: Record<string, unknown>): string {
  const pairs: string[] = [];
  for (const name of Object.keys(body).sort()) {
    const v = body[name];
    if (name === 'sign' || v === null || v === undefined) continue;
    pairs.push(`${urlEncoded(name)}=${urlEncoded(valueText(v))}`);
  }
  return createHash('md5')
    .update(pairs.join('&') + secret, 'utf8')
    .digest('hex')
    .toUpperCase();
}

const ms = (d: Date | undefined) => (d ? d.getTime() : undefined);
/** A digit-string id as a bare JSON number (Dewu's order numbers, the simulator's choice). */
const asNumber = (id: string) => (/^\d+$/.test(id) ? BigInt(id) : id);

function statusOf(order: SimOrder): number {
  switch (order.status) {
    case 'unpaid':
    case 'deposit_paid':
      return 1;
    case 'paid':
      return 2;
    case 'shipped':
      return 3;
    case 'completed':
      return 4;
    case 'cancelled':
      return 5;
  }
}

function refundOf(order: SimOrder): number {
  switch (order.refund?.status) {
    case undefined:
    case 'refused':
      return 0;
    case 'refunded':
      return 2;
    case 'closed':
      return 3;
    default:
      return 1;
  }
}

/** SimOrder → a Dewu order (one SKU), the simulator's rendering. */
export function dewuOrderBody(order: SimOrder) {
  const item = order.items[0]!;
  const r = order.receiver;
  return {
    order_no: asNumber(order.id),
    order_type: 'brand_deliver',
    status: statusOf(order),
    create_time: ms(order.createdAt),
    ...(order.paidAt ? { pay_time: ms(order.paidAt) } : {}),
    modify_time: ms(order.modifiedAt),
    spu_id: Number(`1${item.platformSkuId.replace(/\D/g, '').slice(-7).padStart(7, '0')}`),
    sku_id: asNumber(item.platformSkuId),
    article_number: item.skuCode,
    title: item.title,
    properties: item.spec ?? '',
    qty: item.quantity,
    price: item.unitPriceMinor,
    discount: item.discountMinor + order.discountMinor,
    freight: order.shippingMinor,
    actual_pay: order.paidMinor,
    express_no: order.shipment?.trackingNumber ?? '',
    logistics_code: order.shipment?.carrierCode ?? '',
    refund_status: refundOf(order),
    receiver: {
      name: r.name,
      mobile: r.phone,
      province: r.province,
      city: r.city,
      district: r.district,
      address: r.detail,
      zip: r.postalCode ?? '',
    },
  };
}

/**
 * Dewu's open platform as a Fastify plugin (docs/platforms/dewu.md): `POST` JSON bodies to the
 * `/dop/api/…` paths with its own check of `app_key`, `sign` (401 签名认证失败), `timestamp` (ms,
 * within 10 minutes — its own window) and the token (5044), answering `{code, msg, data}` (200 =
 * success); the OAuth refresh grant at `/api/v1/h5/passport/v1/oauth2/refresh_token`. APIs: the
 * modified-time order list (`page_size` ≤ 50), one order, ship confirmation with a tracking
 * number, stock set and read by `sku_id`. Orders are one SKU each; the order number goes out as a
 * bare JSON number past 2^53.
 */
export const dewuSimulator: FastifyPluginAsync<DewuSimulatorOptions> = async (app, options) => {
  const { store, auth } = options;
  const now = options.now ?? (() => new Date());
  const faults = options.faults ?? new FaultPlan();
  const shopKey = options.app.shopKey;
  const carriers = new Set<string>(options.carrierCodes ?? DEWU_SIM_CARRIER_CODES);

  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(
        null,
        parse(String(body), null, (d) => (isSafeNumber(d) ? Number(d) : BigInt(d))),
      );
    } catch (err) {
      done(err as Error, undefined);
    }
  });
  const send = (reply: FastifyReply, body: unknown) =>
    reply.type('application/json;charset=UTF-8').send(stringify(body));

  app.post('/api/v1/h5/passport/v1/oauth2/refresh_token', async (request, reply) => {
    const b = (request.body ?? {}) as Record<string, unknown>;
    if (b.client_id !== options.app.appKey || b.client_secret !== options.app.appSecret)
      return send(reply, { code: 401, msg: 'client_id 或 client_secret 错误', data: null });
    const grant = auth.refresh(String(b.refresh_token ?? ''));
    if (!grant) return send(reply, { code: 400, msg: '无效的refresh_token', data: null });
    return send(reply, {
      code: 200,
      msg: 'success',
      data: {
        access_token: grant.accessToken,
        access_token_expires_in: Math.round((grant.expiresAt.getTime() - now().getTime()) / 1000),
        refresh_token: grant.refreshToken,
        refresh_token_expires_in: 30 * 86_400,
        open_id: `open-${shopKey}`,
        scope: ['all'],
      },
    });
  });

  const route = (path: string, handler: (body: Record<string, unknown>) => unknown) =>
    app.post(path, async (request, reply) => {
      const body = (request.body ?? {}) as Record<string, unknown>;
      const planned = faults.next(path);
      if (planned) {
        if (planned.retryAfterSeconds !== undefined)
          reply.header('retry-after', String(planned.retryAfterSeconds));
        return reply.code(planned.status).send({ code: planned.status, msg: '系统繁忙', data: null });
      }
      try {
        if (body.app_key !== options.app.appKey) throw new DewuFailure(401, 'app_key 不存在');
        if (typeof body.sign !== 'string') throw new DewuFailure(401, '签名认证失败: 缺少sign');
        const expected = expectedSign(options.app.appSecret, body);
        if (
          body.sign.length !== expected.length ||
          !timingSafeEqual(Buffer.from(body.sign), Buffer.from(expected))
        )
          throw new DewuFailure(401, '签名认证失败');
        const stamp = Number(body.timestamp);
        if (!Number.isFinite(stamp) || Math.abs(stamp - now().getTime()) > 600_000)
          throw new DewuFailure(402, 'timestamp 无效');
        const found = auth.lookup(String(body.access_token ?? ''));
        if (!found || found.grant.shopKey !== shopKey || found.expired)
          throw new DewuFailure(5044, 'access_token 无效或已过期');
        return send(reply, { code: 200, msg: 'success', data: handler(body) });
      } catch (err) {
        if (err instanceof DewuFailure) return send(reply, { code: err.code, msg: err.message, data: null });
        throw err;
      }
    });

  const orderOf = (no: unknown): SimOrder => {
    const order = store.get(shopKey, no === undefined || no === null ? '' : String(no));
    if (!order) throw new DewuFailure(20_404, '订单不存在');
    return order;
  };
  const int = (v: unknown, fallback: number) =>
    v === undefined ? fallback : typeof v === 'number' && Number.isInteger(v) ? v : NaN;

  route(PATHS.list, (b) => {
    const page = int(b.page_no, 1);
    const size = int(b.page_size, 20);
    if (!(page >= 1)) throw new DewuFailure(400, 'page_no 不合法');
    if (!(size >= 1 && size <= 50)) throw new DewuFailure(400, 'page_size 不合法 (1-50)');
    const from = int(b.start_modify_time, NaN);
    const to = int(b.end_modify_time, NaN);
    if (!Number.isFinite(from) || !Number.isFinite(to) || to <= from)
      throw new DewuFailure(400, 'start_modify_time / end_modify_time 不合法');
    if (b.order_type !== undefined && b.order_type !== 'brand_deliver')
      return { total: 0, page_no: page, page_size: size, list: [] };
    const found = store.listModified(shopKey, new Date(from), new Date(to), 'asc');
    const start = (page - 1) * size;
    return {
      total: found.length,
      page_no: page,
      page_size: size,
      list: found.slice(start, start + size).map(dewuOrderBody),
    };
  });

  route(PATHS.detail, (b) => dewuOrderBody(orderOf(b.order_no)));

  route(PATHS.ship, (b) => {
    const order = orderOf(b.order_no);
    const code = String(b.logistics_code ?? '');
    const tracking = String(b.express_no ?? '');
    if (!carriers.has(code)) throw new DewuFailure(400, `logistics_code ${code} 不支持`);
    if (!/^[A-Za-z0-9]{8,40}$/.test(tracking)) throw new DewuFailure(400, 'express_no 不合法');
    if (order.status !== 'paid') throw new DewuFailure(20_001, '订单状态不允许发货');
    const at = now();
    store.update(
      shopKey,
      order.id,
      (o) => {
        o.shipment = { carrierCode: code, trackingNumber: tracking, shippedAt: at };
        o.status = 'shipped';
      },
      at,
    );
    return { order_no: asNumber(order.id), result: true };
  });

  route(PATHS.stock, (b) => {
    const sku = b.sku_id === undefined || b.sku_id === null ? '' : String(b.sku_id);
    const listing = options.inventory?.get(shopKey, sku);
    if (!listing) throw new DewuFailure(30_404, `sku ${sku} 不存在`);
    const quantity = b.quantity;
    if (typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity < 0 || quantity > 999_999)
      throw new DewuFailure(400, 'quantity 不合法 (0-999999)');
    if (listing.status === 'delisted') throw new DewuFailure(30_001, `sku ${sku} 已下架`);
    options.inventory!.set(shopKey, sku, quantity, now());
    return { sku_id: asNumber(sku), result: true };
  });

  route(PATHS.stockQuery, (b) => {
    const ids = Array.isArray(b.sku_ids) ? b.sku_ids.map(String) : [];
    if (ids.length === 0) throw new DewuFailure(400, 'sku_ids 不能为空');
    return ids.flatMap((id) => {
      const listing = options.inventory?.get(shopKey, id);
      return listing ? [{ sku_id: asNumber(id), quantity: listing.quantity }] : [];
    });
  });
};
