import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { isSafeNumber, parse } from 'lossless-json';
import type { SimInventory } from '../../kit/inventory.js';
import { FaultPlan } from '../../kit/rate-limit.js';
import type { SimOrderStore } from '../../kit/store.js';
import type { SimTokenAuth } from '../../kit/token-auth.js';
import type { SimOrder } from '../../orders/model.js';
import { renderTiktokOrder, tiktokPackageId, tiktokShippedUnits, tiktokUnits } from './render.js';
import { tiktokSignMatches } from './verify.js';

export { renderTiktokPush } from './push.js';
export { tiktokExpectedSign, tiktokPushSignature } from './verify.js';

export interface TiktokSimulatorOptions {
  store: SimOrderStore;
  /** The one app the simulated platform knows. */
  app: { appKey: string; appSecret: string };
  /** Shops that authorised the app (store shopKey = shop id) and their tokens. */
  auth: SimTokenAuth;
  inventory?: SimInventory;
  faults?: FaultPlan;
  now?: () => Date;
  /** Clock skew the signature check allows (UNCONFIRMED; commonly 5 minutes). */
  clockSkewSeconds?: number;
}

/**
 * Shipping providers the simulated shop may use: TikTok's ids are opaque per market numbers, so
 * these are the simulator's own (a shop maps its carriers to them in `extra.shippingProviders`).
 */
export const TIKTOK_SIM_PROVIDERS: Readonly<Record<string, string>> = {
  SF: '7117858858072016686',
  ZTO: '7117858858072016687',
  YTO: '7117858858072016688',
  STO: '7117858858072016689',
  YUNDA: '7117858858072016690',
  JD: '7117858858072016691',
  EMS: '7117858858072016692',
  POSTB: '7117858858072016693',
  JTSD: '7117858858072016694',
  DBKD: '7117858858072016695',
  DHL: '7117858858072016696',
  FEDEX: '7117858858072016697',
  UPS: '7117858858072016698',
};

/** The shop cipher (`/authorization/202309/shops`) the simulator issues for a shop. */
export function tiktokShopCipher(shopId: string): string {
  return `ROW_${Buffer.from(`cipher-${shopId}`).toString('base64url')}`;
}

class TtFailure extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * TikTok Shop Partner API 202309 as a Fastify plugin (MORE-CHANNELS §7): `app_key`, `timestamp`
 * (seconds, within `clockSkewSeconds`), `shop_cipher` and `sign` in the query, the token in
 * `x-tts-access-token`, the signature checked with the simulator's own code over the path, the
 * sorted query and the raw JSON body; the `{code, message, request_id, data}` envelope with 0 for
 * success; order search by update time with `page_token` paging, detail by ids, one line item per
 * unit, seller shipping per package, stock per warehouse and token refresh. Error codes are the
 * simulator's choice (UNCONFIRMED): 106001 signature, 106002 app key, 106003 timestamp, 105001
 * invalid and 105002 expired token, 36009004 a bad shop cipher, 21xxxxxx business refusals.
 */
export const tiktokSimulator: FastifyPluginAsync<TiktokSimulatorOptions> = async (app, options) => {
  const { store, auth } = options;
  const now = options.now ?? (() => new Date());
  const faults = options.faults ?? new FaultPlan();
  const skewMs = (options.clockSkewSeconds ?? 300) * 1000;
  const providerIds = new Set(Object.values(TIKTOK_SIM_PROVIDERS));
  const prefix = app.prefix;

  // The signature covers the body exactly as sent: keep it raw.
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) =>
    done(null, String(body)),
  );

  const ok = (reply: FastifyReply, data: unknown) =>
    reply
      .type('application/json')
      .send(JSON.stringify({ code: 0, message: 'Success', request_id: randomUUID(), data }));
  const fail = (reply: FastifyReply, f: TtFailure) =>
    reply
      .type('application/json')
      .send(JSON.stringify({ code: f.code, message: f.message, request_id: randomUUID(), data: {} }));

  type Handler = (input: {
    query: Record<string, string>;
    body: Record<string, unknown>;
    params: Record<string, string>;
    shop: string;
  }) => unknown;
  const route = (method: 'GET' | 'POST', pattern: string, handler: Handler) => {
    const handle = async (request: FastifyRequest, reply: FastifyReply) => {
      const query = Object.fromEntries(
        Object.entries((request.query ?? {}) as Record<string, unknown>).map(([k, v]) => [k, String(v)]),
      );
      const raw = typeof request.body === 'string' ? request.body : '';
      const path = request.url.split('?')[0]!.slice(prefix.length);
      try {
        const planned = faults.next(pattern);
        if (planned) {
          if (planned.retryAfterSeconds !== undefined)
            reply.header('retry-after', String(planned.retryAfterSeconds));
          return reply
            .code(planned.status)
            .send({ code: planned.status === 429 ? 36009003 : 5000000, message: 'busy', data: {} });
        }
        if (query.app_key !== options.app.appKey) throw new TtFailure(106002, 'Invalid app_key');
        const at = Number(query.timestamp) * 1000;
        if (!/^\d+$/.test(query.timestamp ?? '') || Math.abs(now().getTime() - at) > skewMs)
          throw new TtFailure(106003, 'Timestamp is expired or invalid');
        if (!tiktokSignMatches(options.app.appSecret, path, query, method === 'POST' ? raw : ''))
          throw new TtFailure(106001, 'Invalid signature');
        const token = request.headers['x-tts-access-token'];
        const found = typeof token === 'string' && token ? auth.lookup(token) : undefined;
        if (!found) throw new TtFailure(105001, 'Invalid access token');
        if (found.expired) throw new TtFailure(105002, 'Expired access token');
        const shop = found.grant.shopKey;
        if (query.shop_cipher !== tiktokShopCipher(shop))
          throw new TtFailure(36009004, 'Invalid shop_cipher');
        let body: Record<string, unknown> = {};
        if (method === 'POST') {
          try {
            body = parse(raw || '{}', null, (d) => (isSafeNumber(d) ? Number(d) : d)) as Record<
              string,
              unknown
            >;
          } catch {
            throw new TtFailure(36009001, 'Body is not valid JSON');
          }
        }
        return ok(reply, handler({ query, body, params: request.params as Record<string, string>, shop }));
      } catch (err) {
        if (err instanceof TtFailure) return fail(reply, err);
        throw err;
      }
    };
    if (method === 'GET') app.get(pattern, handle);
    else app.post(pattern, handle);
  };

  const orderOf = (shop: string, id: string | undefined): SimOrder => {
    const found = id ? store.get(shop, id) : undefined;
    if (!found) throw new TtFailure(21011001, `Order ${id ?? ''} does not exist`);
    return found;
  };
  const int = (value: unknown, name: string): number => {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0)
      throw new TtFailure(36009001, `${name} must be epoch seconds`);
    return value;
  };

  route('POST', '/order/202309/orders/search', ({ query, body, shop }) => {
    const pageSize = Number(query.page_size);
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100)
      throw new TtFailure(36009001, 'page_size must be 1-100');
    const byUpdate = body.update_time_ge !== undefined || body.update_time_lt !== undefined;
    const lo = body[byUpdate ? 'update_time_ge' : 'create_time_ge'];
    const hi = body[byUpdate ? 'update_time_lt' : 'create_time_lt'];
    const from = lo === undefined ? 0 : int(lo, 'time_ge');
    const to = hi === undefined ? Infinity : int(hi, 'time_lt');
    const sortField = query.sort_field ?? 'create_time';
    if (!['create_time', 'update_time'].includes(sortField))
      throw new TtFailure(36009001, 'sort_field must be create_time or update_time');
    const sec = (d: Date) => Math.floor(d.getTime() / 1000);
    const windowOf = (o: SimOrder) => sec(byUpdate ? o.modifiedAt : o.createdAt);
    const sortOf = (o: SimOrder) => sec(sortField === 'update_time' ? o.modifiedAt : o.createdAt);
    const asc = query.sort_order === 'ASC';
    const all = store
      .listModified(shop, new Date(0), new Date(8.64e15))
      .filter((o) => windowOf(o) >= from && windowOf(o) < to)
      .sort((a, b) => sortOf(a) - sortOf(b) || a.id.localeCompare(b.id));
    if (!asc) all.reverse();
    // The token is where the previous page ended (sort time and id): an order that changes while a
    // window is read moves behind it without shifting the orders still to come.
    let rest = all;
    if (query.page_token) {
      const [t, id] = Buffer.from(query.page_token, 'base64url').toString('utf8').split('|');
      if (!Number.isFinite(Number(t)) || !id) throw new TtFailure(36009001, 'Invalid page_token');
      rest = all.filter((o) => {
        const d = sortOf(o) - Number(t) || o.id.localeCompare(id);
        return asc ? d > 0 : d < 0;
      });
    }
    const page = rest.slice(0, pageSize);
    const last = page[page.length - 1];
    return {
      orders: page.map(renderTiktokOrder),
      next_page_token:
        last && rest.length > pageSize ? Buffer.from(`${sortOf(last)}|${last.id}`).toString('base64url') : '',
      total_count: all.length,
    };
  });

  route('GET', '/order/202309/orders', ({ query, shop }) => {
    const ids = (query.ids ?? '').split(',').filter(Boolean);
    if (ids.length === 0 || ids.length > 50) throw new TtFailure(36009001, 'ids: 1-50 order ids');
    return { orders: ids.map((id) => renderTiktokOrder(orderOf(shop, id))) };
  });

  route('POST', '/fulfillment/202309/orders/:order_id/packages', ({ params, body, shop }) => {
    const order = orderOf(shop, params.order_id);
    const tracking = body.tracking_number;
    if (typeof tracking !== 'string' || !/^[A-Za-z0-9-]{6,40}$/.test(tracking))
      throw new TtFailure(21011002, 'tracking_number is invalid');
    if (typeof body.shipping_provider_id !== 'string' || !providerIds.has(body.shipping_provider_id))
      throw new TtFailure(
        21011003,
        `shipping_provider_id ${String(body.shipping_provider_id)} is not available`,
      );
    const units = tiktokUnits(order).map((u) => u.unitId);
    const ids = Array.isArray(body.order_line_item_ids) ? body.order_line_item_ids.map(String) : units;
    if (ids.length === 0 || ids.some((id) => !units.includes(id)))
      throw new TtFailure(21011004, 'order_line_item_ids do not belong to the order');
    const sent = tiktokShippedUnits(order);
    if (order.status !== 'paid' || ids.some((id) => sent.has(id)))
      throw new TtFailure(21011005, 'The order status does not allow shipping these line items');
    const at = now();
    const provider = body.shipping_provider_id;
    store.update(
      shop,
      order.id,
      (o) => {
        const shipment = { carrierCode: provider, trackingNumber: tracking, shippedAt: at, lineIds: ids };
        if (o.shipment) (o.extraShipments ??= []).push(shipment);
        else o.shipment = shipment;
        const all = tiktokShippedUnits(o);
        if (tiktokUnits(o).every((u) => all.has(u.unitId))) o.status = 'shipped';
      },
      at,
    );
    return { package_id: tiktokPackageId(tracking) };
  });

  const inventoryOf = (shop: string) => {
    options.inventory?.countCall(shop);
    return options.inventory;
  };
  route('GET', '/product/202309/products/:product_id', ({ params, shop }) => {
    const productId = params.product_id ?? '';
    const skus = inventoryOf(shop)?.under(shop, `${productId}:`) ?? [];
    if (skus.length === 0) throw new TtFailure(12052048, `Product ${productId} does not exist`);
    return {
      id: productId,
      status: 'ACTIVATE',
      skus: skus.map(([key, listing]) => ({
        id: key.slice(productId.length + 1),
        seller_sku: key,
        inventory: [{ warehouse_id: '7068517275539719942', quantity: listing.quantity }],
      })),
    };
  });
  route('POST', '/product/202309/products/:product_id/inventory/update', ({ params, body, shop }) => {
    const productId = params.product_id ?? '';
    const skus = Array.isArray(body.skus) ? (body.skus as Array<Record<string, unknown>>) : [];
    if (skus.length === 0) throw new TtFailure(36009001, 'skus must not be empty');
    const inventory = inventoryOf(shop);
    const updates = skus.map((sku) => {
      const key = `${productId}:${String(sku.id ?? '')}`;
      const stock = Array.isArray(sku.inventory) ? (sku.inventory[0] as Record<string, unknown>) : undefined;
      const quantity = stock?.quantity;
      const listing = inventory?.get(shop, key);
      if (typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity < 0 || quantity > 99_999)
        throw new TtFailure(12052100, `quantity of ${key} must be 0-99999`);
      if (!listing) throw new TtFailure(12052048, `SKU ${String(sku.id ?? '')} does not exist`);
      if (listing.status === 'delisted') throw new TtFailure(12052230, `product of ${key} is deactivated`);
      return { key, quantity };
    });
    for (const u of updates) inventory!.set(shop, u.key, u.quantity, now());
    return {};
  });

  app.get('/api/v2/token/refresh', async (request, reply) => {
    const q = (request.query ?? {}) as Record<string, string>;
    if (q.app_key !== options.app.appKey || q.app_secret !== options.app.appSecret)
      return reply.send({ code: 36004004, message: 'Invalid app_key or app_secret', data: null });
    if (q.grant_type !== 'refresh_token')
      return reply.send({ code: 36004005, message: 'grant_type must be refresh_token', data: null });
    const grant = auth.refresh(q.refresh_token ?? '');
    if (!grant) return reply.send({ code: 36004006, message: 'Invalid refresh_token', data: null });
    return reply.send({
      code: 0,
      message: 'success',
      request_id: randomUUID(),
      data: {
        access_token: grant.accessToken,
        access_token_expire_in: Math.floor(grant.expiresAt.getTime() / 1000),
        refresh_token: grant.refreshToken,
        refresh_token_expire_in: Math.floor(now().getTime() / 1000) + 365 * 86_400,
        open_id: `open-${grant.shopKey}`,
        seller_name: `Seller ${grant.shopKey}`,
        seller_base_region: 'MY',
        user_type: 0,
      },
    });
  });
};
