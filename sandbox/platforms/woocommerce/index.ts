import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { SimInventory } from '../../kit/inventory.js';
import { FaultPlan, RateLimiter } from '../../kit/rate-limit.js';
import type { SimOrderStore } from '../../kit/store.js';
import type { SimOrder } from '../../orders/model.js';
import { renderWooOrder, renderWooRefund, type WooSimExtras } from './render.js';

export { renderWooPing, renderWooWebhook, wooSimSignature } from './webhook.js';
export type { WooTopic } from './webhook.js';

export interface WooCommerceSimulatorOptions {
  store: SimOrderStore;
  /** REST API keys → shop (store shopKey = the site). */
  keys: Array<{ consumerKey: string; consumerSecret: string; shopKey: string }>;
  faults?: FaultPlan;
  now?: () => Date;
  /** Hosts often throttle; core Woo does not. Default generous. */
  rateLimit?: { limit: number; windowMs: number };
  /** Stock per product (`product_id`) or variation (`product_id:variation_id`) under the site. */
  inventory?: SimInventory;
}

class WooFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * WooCommerce REST API v3 as a Fastify plugin: Basic-auth consumer keys, `/wp-json/wc/v3/orders`
 * with modified_after/modified_before (exclusive, GMT with dates_are_gmt), orderby/order, page and
 * per_page ≤ 100, X-WP-Total / X-WP-TotalPages / Link headers, order updates (status, meta_data),
 * order notes, and WordPress's `{code, message, data:{status}}` errors.
 */
export const wooCommerceSimulator: FastifyPluginAsync<WooCommerceSimulatorOptions> = async (app, options) => {
  const { store } = options;
  const now = options.now ?? (() => new Date());
  const faults = options.faults ?? new FaultPlan();
  const limiter = new RateLimiter(options.rateLimit?.limit ?? 1000, options.rateLimit?.windowMs ?? 1000, () =>
    now().getTime(),
  );
  const extras = new Map<string, WooSimExtras>();
  const notes = new Map<
    string,
    Array<{ id: number; note: string; customer_note: boolean; date_created_gmt: string }>
  >();
  const extrasOf = (id: string) => extras.get(id) ?? { meta: [] };

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));

  type Handler = (request: FastifyRequest, shopKey: string, reply: FastifyReply) => unknown;
  const route = (method: 'GET' | 'POST' | 'PUT', url: string, op: string, handler: Handler) =>
    app.route({
      method,
      url: `/wp-json/wc/v3${url}`,
      handler: async (request, reply) => {
        try {
          const planned = faults.next(op);
          if (planned) {
            if (planned.retryAfterSeconds !== undefined)
              reply.header('retry-after', String(planned.retryAfterSeconds));
            throw new WooFailure(
              planned.status,
              planned.status === 429 ? 'too_many_requests' : 'internal_server_error',
              'Planned failure.',
            );
          }
          const header = request.headers.authorization ?? '';
          const [user = '', pass = ''] = Buffer.from(header.replace(/^Basic /, ''), 'base64')
            .toString('utf8')
            .split(':');
          const key = options.keys.find((k) => k.consumerKey === user && k.consumerSecret === pass);
          if (!header.startsWith('Basic ') || !key) {
            throw new WooFailure(401, 'woocommerce_rest_authentication_error', 'Consumer key is invalid.');
          }
          if (limiter.take(key.shopKey) > 0) {
            reply.header('retry-after', '1');
            throw new WooFailure(429, 'too_many_requests', 'Too many requests.');
          }
          return reply.send(handler(request, key.shopKey, reply));
        } catch (err) {
          if (err instanceof WooFailure)
            return reply
              .code(err.status)
              .send({ code: err.code, message: err.message, data: { status: err.status } });
          throw err;
        }
      },
    });

  const orderOf = (shopKey: string, id: string): SimOrder => {
    const order = store.get(shopKey, id);
    if (!order) throw new WooFailure(404, 'woocommerce_rest_shop_order_invalid_id', 'Invalid ID.');
    return order;
  };
  const gmtParam = (value: string | undefined, name: string) => {
    if (value === undefined) return undefined;
    const at = Date.parse(/Z|[+-]\d\d:\d\d$/.test(value) ? value : `${value}Z`);
    if (Number.isNaN(at)) throw new WooFailure(400, 'rest_invalid_param', `Invalid parameter(s): ${name}`);
    return at;
  };

  // Stock (docs/stock-sync.md §WooCommerce): `stock_quantity` of a product or a variation, counted
  // only with `manage_stock` on. A product or variation the site does not have, or one deleted, is
  // 404 Invalid ID.
  const stockKey = (request: FastifyRequest) => {
    const p = request.params as { id: string; product?: string };
    return p.product ? `${p.product}:${p.id}` : p.id;
  };
  const stocked = (shopKey: string, key: string) => {
    const listing = options.inventory?.get(shopKey, key);
    if (!listing || listing.status === 'delisted') {
      const variation = key.includes(':');
      throw new WooFailure(
        404,
        variation ? 'woocommerce_rest_product_variation_invalid_id' : 'woocommerce_rest_product_invalid_id',
        'Invalid ID.',
      );
    }
    return listing;
  };
  const renderStock = (key: string, quantity: number) => {
    const [product, variation] = key.split(':');
    return {
      id: Number(variation ?? product),
      ...(variation ? { parent_id: Number(product) } : {}),
      manage_stock: true,
      stock_quantity: quantity,
      stock_status: quantity > 0 ? 'instock' : 'outofstock',
    };
  };
  const getStock = (request: FastifyRequest, shopKey: string) => {
    options.inventory?.countCall(shopKey);
    const key = stockKey(request);
    return renderStock(key, stocked(shopKey, key).quantity);
  };
  const putStock = (request: FastifyRequest, shopKey: string) => {
    options.inventory?.countCall(shopKey);
    const key = stockKey(request);
    stocked(shopKey, key);
    let body: { manage_stock?: unknown; stock_quantity?: unknown };
    try {
      body = JSON.parse(typeof request.body === 'string' ? request.body : '{}') as typeof body;
    } catch {
      throw new WooFailure(400, 'rest_invalid_json', 'Invalid JSON body passed.');
    }
    const quantity = body.stock_quantity;
    if (typeof quantity !== 'number' || !Number.isInteger(quantity))
      throw new WooFailure(400, 'rest_invalid_param', 'Invalid parameter(s): stock_quantity');
    if (body.manage_stock !== true)
      throw new WooFailure(400, 'rest_invalid_param', 'stock_quantity needs manage_stock on');
    options.inventory!.set(shopKey, key, quantity, now());
    return renderStock(key, quantity);
  };
  route('GET', '/products/:id', 'product', getStock);
  route('PUT', '/products/:id', 'update_product', putStock);
  route('GET', '/products/:product/variations/:id', 'variation', getStock);
  route('PUT', '/products/:product/variations/:id', 'update_variation', putStock);

  route('GET', '/orders', 'orders', (request, shopKey, reply) => {
    const q = request.query as Record<string, string | undefined>;
    const perPage = q.per_page === undefined ? 10 : Number(q.per_page);
    const page = q.page === undefined ? 1 : Number(q.page);
    if (!Number.isInteger(perPage) || perPage < 1 || perPage > 100) {
      throw new WooFailure(
        400,
        'rest_invalid_param',
        'Invalid parameter(s): per_page (per_page must be between 1 (inclusive) and 100 (inclusive))',
      );
    }
    if (!Number.isInteger(page) || page < 1)
      throw new WooFailure(400, 'rest_invalid_param', 'Invalid parameter(s): page');
    const after = gmtParam(q.modified_after, 'modified_after');
    const before = gmtParam(q.modified_before, 'modified_before');
    const asc = q.order === 'asc';
    // Exclusive bounds, compared at Woo's one-second resolution.
    const all = store
      .listModified(shopKey, new Date(0), new Date(8.64e15), asc ? 'asc' : 'desc')
      .filter((o) => {
        const t = Math.floor(o.modifiedAt.getTime() / 1000) * 1000;
        return (after === undefined || t > after) && (before === undefined || t < before);
      });
    const pages = Math.max(1, Math.ceil(all.length / perPage));
    reply.header('x-wp-total', String(all.length));
    reply.header('x-wp-totalpages', String(pages));
    if (page < pages)
      reply.header(
        'link',
        `<http://${request.headers.host}/wp-json/wc/v3/orders?page=${page + 1}>; rel="next"`,
      );
    return all.slice((page - 1) * perPage, page * perPage).map((o) => renderWooOrder(o, extrasOf(o.id)));
  });

  route('GET', '/orders/:id', 'order', (request, shopKey) => {
    const order = orderOf(shopKey, (request.params as { id: string }).id);
    return renderWooOrder(order, extrasOf(order.id));
  });

  // An order's refund (the merchant's; AFTER-SALES-FACTS §1.8), its lines naming the order items.
  route('GET', '/orders/:id/refunds/:refundId', 'refund', (request, shopKey) => {
    const { id, refundId } = request.params as { id: string; refundId: string };
    const refund = renderWooRefund(orderOf(shopKey, id), refundId);
    if (!refund) throw new WooFailure(404, 'woocommerce_rest_invalid_id', 'Invalid ID.');
    return refund;
  });

  route('PUT', '/orders/:id', 'update_order', (request, shopKey) => {
    const order = orderOf(shopKey, (request.params as { id: string }).id);
    let body: { status?: unknown; meta_data?: Array<{ key?: unknown; value?: unknown }> };
    try {
      body = JSON.parse(String(request.body ?? '{}')) as typeof body;
    } catch {
      throw new WooFailure(400, 'rest_invalid_json', 'Invalid JSON body passed.');
    }
    const extra = extrasOf(order.id);
    for (const m of body.meta_data ?? []) {
      if (typeof m.key !== 'string') continue;
      const existing = extra.meta.find((e) => e.key === m.key);
      if (existing) existing.value = m.value;
      else extra.meta.push({ id: extra.meta.length + 1, key: m.key, value: m.value });
    }
    extras.set(order.id, extra);
    const at = now();
    if (body.status === 'completed') {
      if (order.status !== 'paid')
        throw new WooFailure(
          400,
          'woocommerce_rest_invalid_order_status',
          'Order cannot be completed from its status.',
        );
      const value = (key: string) => String(extra.meta.find((e) => e.key === key)?.value ?? '');
      store.update(
        shopKey,
        order.id,
        (o) => {
          o.status = 'shipped';
          o.shipment = {
            carrierCode: value('erp_carrier'),
            trackingNumber: value('erp_tracking_number'),
            shippedAt: at,
          };
        },
        at,
      );
    } else if (body.status !== undefined) {
      throw new WooFailure(400, 'rest_invalid_param', 'The simulator only moves orders to completed.');
    } else {
      store.update(shopKey, order.id, () => {}, at);
    }
    return renderWooOrder(store.get(shopKey, order.id)!, extra);
  });

  route('POST', '/orders/:id/notes', 'order_notes', (request, shopKey, reply) => {
    const order = orderOf(shopKey, (request.params as { id: string }).id);
    let body: { note?: unknown; customer_note?: unknown };
    try {
      body = JSON.parse(String(request.body ?? '{}')) as typeof body;
    } catch {
      throw new WooFailure(400, 'rest_invalid_json', 'Invalid JSON body passed.');
    }
    if (typeof body.note !== 'string' || !body.note)
      throw new WooFailure(400, 'rest_missing_callback_param', 'Missing parameter(s): note');
    const list = notes.get(order.id) ?? [];
    const note = {
      id: list.length + 1,
      note: body.note,
      customer_note: body.customer_note === true,
      date_created_gmt: now().toISOString().slice(0, 19),
    };
    list.push(note);
    notes.set(order.id, list);
    reply.code(201);
    return note;
  });

  route('GET', '/orders/:id/notes', 'order_notes', (request, shopKey) => {
    const order = orderOf(shopKey, (request.params as { id: string }).id);
    return notes.get(order.id) ?? [];
  });
};
