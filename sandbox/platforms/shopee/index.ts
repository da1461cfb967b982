import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { isSafeNumber, parse, stringify } from 'lossless-json';
import type { SimInventory } from '../../kit/inventory.js';
import { FaultPlan, RateLimiter } from '../../kit/rate-limit.js';
import type { SimOrderStore } from '../../kit/store.js';
import type { SimOrder } from '../../orders/model.js';
import type { ShopeeSimAuth } from './auth.js';
import {
  itemId,
  renderShopeeEscrow,
  renderShopeeOrder,
  renderShopeeReturn,
  type ShopeeLogistics,
} from './render.js';
import {
  DEFAULT_SHOPEE_CHANNEL,
  SimFile,
  dueJourneySteps,
  moveArrangedPackage,
  packageKey,
  shopeeLogisticsApis,
  type ShopeeChannel,
  type ShopeeParcelStep,
} from './logistics.js';
import { shopeeReturnApis } from './returns.js';
import { expectedShopeeSign, sameHex } from './verify.js';

export { ShopeeSimAuth } from './auth.js';
export type { ShopeeSimGrant } from './auth.js';
export { renderShopeePush } from './push.js';
export type { ShopeeLogistics } from './render.js';
export type { ShopeeChannel, ShopeeParcelStep, ShopeeShipMethod } from './logistics.js';

/**
 * Moves a parcel arranged with Shopee's logistics as its carrier would (a test's control; the
 * channel's `journey` does the same by itself): `picked_up` (SHIPPED), `delivered`
 * (TO_CONFIRM_RECEIVE), `confirmed` by the buyer (COMPLETED). Every package of the order moves.
 */
export function moveShopeeParcel(
  store: SimOrderStore,
  shopKey: string,
  orderSn: string,
  step: ShopeeParcelStep,
  at = new Date(),
): void {
  const keys = Object.keys(store.get(shopKey, orderSn)?.shopeeArranged ?? {});
  if (keys.length === 0) throw new Error(`shopee order ${orderSn} is not arranged with Shopee logistics`);
  store.update(shopKey, orderSn, (o) => keys.forEach((key) => moveArrangedPackage(o, key, step, at)), at);
}

export interface ShopeeSimulatorOptions {
  store: SimOrderStore;
  partner: { partnerId: string; partnerKey: string };
  /** Shops (store shopKey = Shopee shop_id) and their tokens. */
  auth: ShopeeSimAuth;
  faults?: FaultPlan;
  now?: () => Date;
  /** Per shop and path; Shopee does not publish limits. Default 20 calls per second. */
  rateLimit?: { limit: number; windowMs: number };
  /** Who carries the orders, which decides whether the receiver is masked (default `shopee`). */
  logistics?: ShopeeLogistics;
  /** Seller stock per model, keyed `item_id:model_id` (model 0: an item without variations). */
  inventory?: SimInventory;
  /**
   * Which shops may split orders into packages (`v2.order.split_order`, assumed): all (default),
   * none, or the shop_ids listed.
   */
  splitOrder?: boolean | readonly string[];
  /**
   * Each order's logistics channel: the methods `get_shipping_parameter` offers (logistics.ts).
   * Default: non-integrated only when `logistics` is `seller`, else pickup, dropoff and
   * non-integrated (older tests ship non-integrated on Shopee's channel).
   */
  channel?: (order: SimOrder) => ShopeeChannel;
}

const MAX_WINDOW_SECONDS = 15 * 86_400;
const TIMESTAMP_TOLERANCE_SECONDS = 300;

class ShopeeFailure extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Shopee Open Platform v2 as a Fastify plugin: signed query parameters checked with the partner
 * key (shop and public variants), a 5-minute timestamp window, 4-hour access tokens with single-use
 * refresh tokens, get_order_list (update-time span ≤ 15 days, cursor paging, page_size ≤ 100) and
 * get_order_detail (≤ 50 order_sn), receivers masked on Shopee's own logistics and in full on the
 * seller's, non-integrated ship_order (per package once an order is split with split_order), returns, and
 * `{error, message, request_id, response}` envelopes.
 */
export const shopeeSimulator: FastifyPluginAsync<ShopeeSimulatorOptions> = async (app, options) => {
  const { store, auth, partner } = options;
  const logistics = options.logistics ?? 'shopee';
  const now = options.now ?? (() => new Date());
  const faults = options.faults ?? new FaultPlan();
  const limiter = new RateLimiter(options.rateLimit?.limit ?? 20, options.rateLimit?.windowMs ?? 1000, () =>
    now().getTime(),
  );

  const channelOf = (order: SimOrder): ShopeeChannel =>
    options.channel?.(order) ??
    (logistics === 'seller' ? { methods: ['non_integrated'] } : DEFAULT_SHOPEE_CHANNEL);

  const splitAllowed = (shopKey: string) =>
    Array.isArray(options.splitOrder) ? options.splitOrder.includes(shopKey) : options.splitOrder !== false;

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));

  const reply200 = (reply: FastifyReply, response: unknown) =>
    reply.type('application/json').send(stringify({ error: '', message: '', request_id: rid(), response }));
  const fail = (reply: FastifyReply, f: ShopeeFailure) =>
    reply
      .code(f.status)
      .type('application/json')
      .send(JSON.stringify({ error: f.error, message: f.message, request_id: rid() }));

  /** Common checks; returns the shop key for shop APIs. */
  function authenticate(request: FastifyRequest, path: string, shopApi: boolean): string {
    const q = request.query as Record<string, string | undefined>;
    const timestamp = Number(q.timestamp);
    if (!q.partner_id || !q.sign || !Number.isInteger(timestamp)) {
      throw new ShopeeFailure(400, 'error_param', 'partner_id, timestamp and sign are required');
    }
    if (q.partner_id !== partner.partnerId) throw new ShopeeFailure(403, 'error_auth', 'Invalid partner_id.');
    if (Math.abs(now().getTime() / 1000 - timestamp) > TIMESTAMP_TOLERANCE_SECONDS) {
      throw new ShopeeFailure(403, 'error_param', 'Invalid timestamp: it expires in 5 minutes.');
    }
    const parts: Array<string | number> = shopApi
      ? [q.partner_id, path, timestamp, q.access_token ?? '', q.shop_id ?? '']
      : [q.partner_id, path, timestamp];
    if (!sameHex(expectedShopeeSign(partner.partnerKey, ...parts), q.sign)) {
      throw new ShopeeFailure(403, 'error_sign', 'Wrong sign.');
    }
    if (!shopApi) return '';
    const found = q.access_token ? auth.lookup(q.access_token) : undefined;
    if (!found || found.grant.shopKey !== q.shop_id)
      throw new ShopeeFailure(403, 'error_auth', 'Invalid access_token or shop_id.');
    if (found.expired) throw new ShopeeFailure(403, 'invalid_acceess_token', 'Invalid access_token.');
    return found.grant.shopKey;
  }

  function bodyOf(request: FastifyRequest): Record<string, unknown> {
    try {
      const raw = typeof request.body === 'string' && request.body ? request.body : '{}';
      return parse(raw, null, (d) => (isSafeNumber(d) ? Number(d) : d)) as Record<string, unknown>;
    } catch {
      throw new ShopeeFailure(400, 'error_param', 'Request body is not valid JSON.');
    }
  }

  type Handler = (request: FastifyRequest, shopKey: string) => unknown;
  const route = (method: 'GET' | 'POST', path: string, handler: Handler, shopApi = true) =>
    app.route({
      method,
      url: path,
      handler: async (request, reply) => {
        try {
          const planned = faults.next(path);
          if (planned) {
            if (planned.retryAfterSeconds !== undefined)
              reply.header('retry-after', String(planned.retryAfterSeconds));
            const f =
              planned.status === 429
                ? new ShopeeFailure(429, 'error_too_many_request', 'Too many requests.')
                : new ShopeeFailure(planned.status, 'error_server', 'Internal server error.');
            return fail(reply, f);
          }
          const shopKey = authenticate(request, path, shopApi);
          if (shopApi && limiter.take(`${shopKey}:${path}`) > 0) {
            throw new ShopeeFailure(429, 'error_too_many_request', 'Too many requests, please try later.');
          }
          const response = handler(request, shopKey);
          if (response instanceof SimFile) return reply.type(response.contentType).send(response.bytes);
          return shopApi
            ? reply200(reply, response)
            : reply.type('application/json').send(stringify(response));
        } catch (err) {
          if (err instanceof ShopeeFailure) return fail(reply, err);
          throw err;
        }
      },
    });

  const query = (request: FastifyRequest) => request.query as Record<string, string | undefined>;
  const intParam = (value: string | undefined, name: string, min: number, max: number) => {
    const n = Number(value);
    if (value === undefined || !Number.isInteger(n) || n < min || n > max) {
      throw new ShopeeFailure(400, 'error_param', `${name} must be an integer between ${min} and ${max}.`);
    }
    return n;
  };
  const span = (fromText: string | undefined, toText: string | undefined) => {
    const from = intParam(fromText, 'time_from', 0, 4e9);
    const to = intParam(toText, 'time_to', 0, 4e9);
    if (to < from || to - from > MAX_WINDOW_SECONDS) {
      throw new ShopeeFailure(
        400,
        'order.order_list_invalid_time',
        'The time range should be within 15 days.',
      );
    }
    return { from: new Date(from * 1000), to: new Date((to + 1) * 1000) };
  };
  /** Shopee's logistics moves arranged parcels on its own (the channel's journey): played up to now. */
  const played = (order: SimOrder): SimOrder => {
    const at = now();
    const due = dueJourneySteps(order, at);
    if (due.length === 0) return order;
    return store.update(
      order.shopKey,
      order.id,
      (o) => due.forEach(({ key, step }) => moveArrangedPackage(o, key, step, at)),
      at,
    )!;
  };
  const orderOf = (shopKey: string, sn: unknown): SimOrder => {
    const order = typeof sn === 'string' ? store.get(shopKey, sn) : undefined;
    if (!order) throw new ShopeeFailure(400, 'error_not_found', `Order ${String(sn)} not found.`);
    return played(order);
  };

  const logisticsApis = shopeeLogisticsApis({
    order: orderOf,
    channel: channelOf,
    update: (order, change) => store.update(order.shopKey, order.id, change, now()),
    fail: (error, message) => new ShopeeFailure(400, error, message),
    now,
  });

  route('GET', '/api/v2/order/get_order_list', (request, shopKey) => {
    const q = query(request);
    if (q.time_range_field !== 'update_time' && q.time_range_field !== 'create_time') {
      throw new ShopeeFailure(400, 'error_param', 'time_range_field must be create_time or update_time.');
    }
    const size = intParam(q.page_size, 'page_size', 1, 100);
    const { from, to } = span(q.time_from, q.time_to);
    const byCreate = q.time_range_field === 'create_time';
    const key = (o: SimOrder) =>
      `${String((byCreate ? o.createdAt : o.modifiedAt).getTime()).padStart(15, '0')}|${o.id}`;
    // Keyset cursor: the key of the last order returned, so orders changing mid-scan shift nothing.
    const after = q.cursor ? Buffer.from(q.cursor, 'base64url').toString('utf8') : '';
    const all = store
      .listModified(shopKey, new Date(0), new Date(8.64e15))
      .map(played)
      .filter((o) => {
        const t = byCreate ? o.createdAt : o.modifiedAt;
        return t >= from && t < to;
      })
      .map((o) => ({ o, k: key(o) }))
      .sort((a, b) => (a.k < b.k ? -1 : 1))
      .filter(({ k }) => k > after);
    const page = all.slice(0, size);
    const more = all.length > size;
    return {
      more,
      next_cursor: more ? Buffer.from(page[page.length - 1]!.k).toString('base64url') : '',
      order_list: page.map(({ o }) => ({
        order_sn: o.id,
        order_status: renderShopeeOrder(o, logistics).order_status,
      })),
    };
  });

  route('GET', '/api/v2/order/get_order_detail', (request, shopKey) => {
    const sns = (query(request).order_sn_list ?? '').split(',').filter(Boolean);
    if (sns.length < 1 || sns.length > 50)
      throw new ShopeeFailure(400, 'error_param', 'order_sn_list must hold 1 to 50 order_sn.');
    return {
      order_list: sns
        .map((sn) => store.get(shopKey, sn))
        .filter((o): o is SimOrder => !!o)
        .map((o) => renderShopeeOrder(played(o), logistics)),
    };
  });

  route('GET', '/api/v2/payment/get_escrow_detail', (request, shopKey) => {
    const order = orderOf(shopKey, query(request).order_sn);
    if (!order.paidAt) throw new ShopeeFailure(400, 'error_not_found', 'Escrow detail not found.');
    return renderShopeeEscrow(order);
  });

  /**
   * `v2.order.split_order` — not in our facts beyond `split_up` / `package_list`, so its shape is
   * assumed (docs/order-semantics.md): `package_list[{item_list[{item_id, model_id}]}]` naming every
   * item not yet shipped exactly once, in two or more packages; packages already shipped stay as
   * they are. Refused for shops not allowed to split (`splitOrder`).
   */
  route('POST', '/api/v2/order/split_order', (request, shopKey) => {
    const body = bodyOf(request);
    const order = orderOf(shopKey, body.order_sn);
    if (!splitAllowed(shopKey)) {
      throw new ShopeeFailure(400, 'order.split_not_allowed', 'This shop is not allowed to split orders.');
    }
    if (order.status !== 'paid') {
      throw new ShopeeFailure(400, 'order.order_status_error', 'The order status does not allow splitting.');
    }
    const shipped = (order.packages ?? []).filter((p) => p.shipment);
    const open = order.items.filter((i) => !shipped.some((p) => p.lineIds.includes(i.lineId)));
    const list = Array.isArray(body.package_list)
      ? (body.package_list as Array<Record<string, unknown>>)
      : [];
    const groups = list.map((p) =>
      (Array.isArray(p.item_list) ? (p.item_list as Array<Record<string, unknown>>) : []).map((i) => {
        const item = open.find(
          (o) =>
            String(itemId(o.lineId)) === String(i.item_id) &&
            String(itemId(o.platformSkuId)) === String(i.model_id ?? 0),
        );
        if (!item) {
          throw new ShopeeFailure(
            400,
            'order.split_item_invalid',
            `Item ${String(i.item_id)}/${String(i.model_id)} is not an unshipped item of the order.`,
          );
        }
        return item.lineId;
      }),
    );
    const named = groups.flat();
    if (
      groups.length < 2 ||
      groups.some((g) => g.length === 0) ||
      new Set(named).size !== named.length ||
      named.length !== open.length
    ) {
      throw new ShopeeFailure(
        400,
        'order.split_package_invalid',
        'package_list must put every unshipped item in exactly one of two or more packages.',
      );
    }
    const at = now();
    let counter = (order.packages ?? []).length;
    const packages = groups.map((lineIds) => ({ number: `OFG${order.id}-${++counter}`, lineIds }));
    store.update(shopKey, order.id, (o) => void (o.packages = [...shipped, ...packages]), at);
    return {
      order_sn: order.id,
      package_list: packages.map((p) => ({
        package_number: p.number,
        item_list: order.items
          .filter((i) => p.lineIds.includes(i.lineId))
          .map((i) => ({ item_id: itemId(i.lineId), model_id: itemId(i.platformSkuId) })),
      })),
    };
  });

  route('POST', '/api/v2/logistics/ship_order', (request, shopKey) => {
    const body = bodyOf(request);
    const given = ['pickup', 'dropoff', 'non_integrated'].filter((m) => body[m] !== undefined);
    if (given.length !== 1) {
      throw new ShopeeFailure(
        400,
        'error_param',
        'Exactly one of pickup, dropoff and non_integrated is required.',
      );
    }
    if (given[0] !== 'non_integrated')
      return logisticsApis['/api/v2/logistics/ship_order#platform']!.handle(body, shopKey);
    const order = orderOf(shopKey, body.order_sn);
    if (!channelOf(order).methods.includes('non_integrated')) {
      throw new ShopeeFailure(400, 'logistics.error_method', 'Operation is not supported.');
    }
    const arranged = packageKey(order, body.package_number);
    if (arranged && order.shopeeArranged?.[arranged]) {
      throw new ShopeeFailure(400, 'logistics.error_param', 'Order has been shipped.');
    }
    const tracking = (body.non_integrated as { tracking_number?: unknown } | undefined)?.tracking_number;
    if (typeof tracking !== 'string' || !/^[A-Za-z0-9-]{6,40}$/.test(tracking)) {
      throw new ShopeeFailure(400, 'error_param', 'non_integrated.tracking_number is required.');
    }
    if (order.status !== 'paid') {
      throw new ShopeeFailure(
        400,
        'logistics.order_status_error',
        'The order status does not allow shipping.',
      );
    }
    const at = now();
    if (order.packages) {
      // A split order ships package by package.
      const pkg = order.packages.find((p) => p.number === body.package_number);
      if (!pkg) {
        throw new ShopeeFailure(
          400,
          'logistics.package_number_invalid',
          'This order is split: ship each package by its package_number.',
        );
      }
      if (pkg.shipment) {
        throw new ShopeeFailure(400, 'logistics.package_shipped', 'The package has been shipped already.');
      }
      store.update(
        shopKey,
        order.id,
        (o) => {
          const parcel = {
            carrierCode: 'non_integrated',
            trackingNumber: tracking,
            shippedAt: at,
            lineIds: pkg.lineIds,
          };
          const target = o.packages!.find((p) => p.number === pkg.number)!;
          target.shipment = parcel;
          if (!o.shipment) o.shipment = parcel;
          else o.extraShipments = [...(o.extraShipments ?? []), parcel];
          if (o.packages!.every((p) => p.shipment)) o.status = 'shipped';
        },
        at,
      );
      return {};
    }
    if (body.package_number !== undefined && body.package_number !== `OFG${order.id}`) {
      throw new ShopeeFailure(400, 'logistics.package_number_invalid', 'No such package on the order.');
    }
    store.update(
      shopKey,
      order.id,
      (o) => {
        o.status = 'shipped';
        o.shipment = { carrierCode: 'non_integrated', trackingNumber: tracking, shippedAt: at };
      },
      at,
    );
    return {};
  });

  route('GET', '/api/v2/logistics/get_tracking_number', (request, shopKey) => {
    const q = query(request);
    const order = orderOf(shopKey, q.order_sn);
    const pkg = q.package_number ? order.packages?.find((p) => p.number === q.package_number) : undefined;
    const shipped = (pkg ? pkg.shipment : order.shipment)?.trackingNumber;
    // Shopee's own logistics issues its number some time after ship_order: empty until then.
    const key = packageKey(order, q.package_number);
    const arranged = key ? order.shopeeArranged?.[key] : undefined;
    const issued = arranged && arranged.issuedAt <= now() ? arranged.trackingNumber : undefined;
    return { tracking_number: shipped ?? issued ?? '', ...(arranged && !issued ? { hint: '' } : {}) };
  });

  // Shopee logistics: shipping parameters, pickup/dropoff ship_order, shipping documents (logistics.ts).
  for (const [path, api] of Object.entries(logisticsApis)) {
    if (path.includes('#')) continue;
    route(api.method, path, (request, shopKey) =>
      api.handle(api.method === 'GET' ? query(request) : bodyOf(request), shopKey),
    );
  }

  route('GET', '/api/v2/returns/get_return_list', (request, shopKey) => {
    const q = query(request);
    const pageNo = intParam(q.page_no, 'page_no', 0, 1e6);
    const size = intParam(q.page_size, 'page_size', 1, 100);
    const { from, to } = span(q.update_time_from, q.update_time_to);
    const cases = store
      .listModified(shopKey, new Date(0), new Date(8.64e15))
      .filter((o) => o.refund && o.refund.modifiedAt >= from && o.refund.modifiedAt < to)
      .sort(
        (a, b) => a.refund!.modifiedAt.getTime() - b.refund!.modifiedAt.getTime() || a.id.localeCompare(b.id),
      );
    return {
      more: (pageNo + 1) * size < cases.length,
      return: cases.slice(pageNo * size, pageNo * size + size).map((o) => renderShopeeReturn(o, o.refund!)),
    };
  });

  // Returns: detail, confirm and dispute (returns.ts).
  const returnApis = shopeeReturnApis({
    find: (shopKey, sn) => {
      const order = store
        .listModified(shopKey, new Date(0), new Date(8.64e15))
        .find((o) => o.refund?.id === sn);
      return order?.refund ? { order, refund: order.refund } : undefined;
    },
    update: (order, change) => {
      const at = now();
      store.update(
        order.shopKey,
        order.id,
        (o) => {
          change(o.refund!);
          o.refund!.modifiedAt = at;
        },
        at,
      );
    },
    fail: (error, message) => new ShopeeFailure(400, error, message),
    now,
  });
  for (const [path, api] of Object.entries(returnApis)) {
    route(api.method, path, (request, shopKey) =>
      api.handle(api.method === 'GET' ? query(request) : bodyOf(request), shopKey),
    );
  }

  // Stock: per model, a failure_list entry for a model the item does not have or an item that is
  // unlisted or deleted, as Shopee answers per model rather than failing the call.
  route('POST', '/api/v2/product/update_stock', (request, shopKey) => {
    const body = bodyOf(request);
    const itemId = body.item_id;
    const list = body.stock_list;
    if (typeof itemId !== 'number' || !Array.isArray(list) || list.length < 1 || list.length > 50)
      throw new ShopeeFailure(400, 'error_param', 'item_id and stock_list (1 to 50 models) are required.');
    const inventory = options.inventory;
    inventory?.countCall(shopKey);
    const item = inventory?.under(shopKey, `${itemId}:`) ?? [];
    if (item.length === 0) throw new ShopeeFailure(400, 'error_item_not_found', `Item ${itemId} not found.`);
    const success_list: unknown[] = [];
    const failure_list: unknown[] = [];
    for (const entry of list as Array<Record<string, unknown>>) {
      const modelId = Number(entry.model_id ?? 0);
      const stocks = Array.isArray(entry.seller_stock)
        ? (entry.seller_stock as Array<{ stock?: unknown }>)
        : [];
      const stock = stocks.reduce((s, l) => s + (typeof l.stock === 'number' ? l.stock : NaN), 0);
      const listing = inventory?.get(shopKey, `${itemId}:${modelId}`);
      if (stocks.length === 0 || !Number.isInteger(stock) || stock < 0)
        failure_list.push({
          model_id: modelId,
          failed_reason: 'seller_stock must be a non-negative integer',
        });
      else if (!listing) failure_list.push({ model_id: modelId, failed_reason: 'model_id not found' });
      else if (listing.status !== 'listed')
        failure_list.push({ model_id: modelId, failed_reason: 'item status is not NORMAL' });
      else {
        inventory!.set(shopKey, `${itemId}:${modelId}`, stock, now());
        success_list.push({ model_id: modelId, seller_stock: [{ stock }] });
      }
    }
    return { success_list, failure_list };
  });

  route('GET', '/api/v2/product/get_model_list', (request, shopKey) => {
    const itemId = query(request).item_id;
    options.inventory?.countCall(shopKey);
    const models = options.inventory?.under(shopKey, `${itemId}:`) ?? [];
    if (!itemId || models.length === 0)
      throw new ShopeeFailure(400, 'error_item_not_found', `Item ${String(itemId)} not found.`);
    return {
      tier_variation: [],
      model: models.map(([key, listing]) => ({
        model_id: Number(key.slice(key.indexOf(':') + 1)),
        stock_info_v2: {
          summary_info: { total_available_stock: listing.quantity, total_reserved_stock: 0 },
          seller_stock: [{ location_id: '', stock: listing.quantity }],
        },
      })),
    };
  });

  route(
    'POST',
    '/api/v2/auth/access_token/get',
    (request) => {
      const body = bodyOf(request);
      if (String(body.partner_id) !== partner.partnerId || typeof body.refresh_token !== 'string') {
        throw new ShopeeFailure(400, 'error_param', 'refresh_token, partner_id and shop_id are required.');
      }
      const grant = auth.refresh(body.refresh_token, String(body.shop_id));
      if (!grant) throw new ShopeeFailure(403, 'error_auth', 'Invalid refresh_token.');
      return {
        access_token: grant.accessToken,
        refresh_token: grant.refreshToken,
        expire_in: Math.round((grant.expiresAt.getTime() - now().getTime()) / 1000),
        request_id: rid(),
        error: '',
        message: '',
        partner_id: Number(partner.partnerId),
        shop_id: Number(grant.shopKey),
      };
    },
    false,
  );
};

function rid(): string {
  return randomUUID().replace(/-/g, '');
}
