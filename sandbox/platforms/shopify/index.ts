import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { isSafeNumber, parse, stringify } from 'lossless-json';
import type { SimInventory } from '../../kit/inventory.js';
import { FaultPlan, RateLimiter } from '../../kit/rate-limit.js';
import type { SimOrderStore } from '../../kit/store.js';
import type { SimOrder } from '../../orders/model.js';
import {
  exchangeFulfillmentOrderId,
  fulfillmentOrderId,
  fulfillmentOrderLineItemId,
  fulfillmentOrderStatus,
  num,
  releasedExchangeItems,
  remainingUnits,
  renderFulfillment,
  renderFulfillmentOrders,
  renderShopifyOrder,
  shopifyShipments,
} from './render.js';
import { answerShopifyGraphql, shopifyRefundOf } from './returns.js';

export { renderShopifyWebhook, shopifyAfterSaleTopics, shopifySimHmac } from './webhook.js';
export type { ShopifyAfterSaleSent, ShopifyTopic } from './webhook.js';

export interface ShopifySimulatorOptions {
  store: SimOrderStore;
  /** Admin API access tokens → shop (store shopKey = the myshopify domain). */
  tokens: Record<string, string>;
  faults?: FaultPlan;
  now?: () => Date;
  /** REST leaky bucket: 40 requests, leaking 2 per second (Shopify's standard plan). */
  bucket?: { size: number; perSecond: number };
  /** Available quantity per inventory level, keyed `inventory_item_id@location_id`. */
  inventory?: SimInventory;
}

class ShopifyFailure extends Error {
  constructor(
    readonly status: number,
    readonly errors: unknown,
  ) {
    super(typeof errors === 'string' ? errors : JSON.stringify(errors));
  }
}

/**
 * Shopify REST Admin API as a Fastify plugin: `X-Shopify-Access-Token`, orders.json with
 * updated_at filters, limit ≤ 250 and cursor paging through `page_info` in the Link header,
 * single orders, fulfillment orders and fulfillments with tracking, the leaky-bucket limit (429
 * with Retry-After) and Shopify's `{"errors": …}` bodies.
 */
export const shopifySimulator: FastifyPluginAsync<ShopifySimulatorOptions> = async (app, options) => {
  const { store } = options;
  const now = options.now ?? (() => new Date());
  const faults = options.faults ?? new FaultPlan();
  const bucket = options.bucket ?? { size: 40, perSecond: 2 };
  const limiter = new RateLimiter(bucket.size, (bucket.size / bucket.perSecond) * 1000, () =>
    now().getTime(),
  );

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));

  type Handler = (request: FastifyRequest, shopKey: string, reply: FastifyReply) => unknown;
  const route = (method: 'GET' | 'POST', url: string, op: string, handler: Handler) =>
    app.route({
      method,
      url: `/admin/api/:version${url}`,
      handler: async (request, reply) => {
        try {
          const planned = faults.next(op);
          if (planned) {
            if (planned.retryAfterSeconds !== undefined)
              reply.header('retry-after', planned.retryAfterSeconds.toFixed(1));
            throw new ShopifyFailure(
              planned.status,
              planned.status === 429
                ? 'Exceeded 2 calls per second for api client.'
                : 'Internal Server Error',
            );
          }
          const token = request.headers['x-shopify-access-token'];
          const shopKey = typeof token === 'string' ? options.tokens[token] : undefined;
          if (!shopKey)
            throw new ShopifyFailure(
              401,
              '[API] Invalid API key or access token (unrecognized login or wrong password)',
            );
          if (limiter.take(shopKey) > 0) {
            reply.header('retry-after', (1 / bucket.perSecond).toFixed(1));
            throw new ShopifyFailure(
              429,
              'Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.',
            );
          }
          reply.header('x-shopify-shop-api-call-limit', `1/${bucket.size}`);
          const result = handler(request, shopKey, reply);
          return reply.type('application/json').send(stringify(result));
        } catch (err) {
          if (err instanceof ShopifyFailure)
            return reply
              .code(err.status)
              .type('application/json')
              .send(JSON.stringify({ errors: err.errors }));
          throw err;
        }
      },
    });

  const orderOf = (shopKey: string, id: string): SimOrder => {
    const order = store.get(shopKey, id);
    if (!order) throw new ShopifyFailure(404, 'Not Found');
    return order;
  };

  route('GET', '/orders.json', 'orders', (request, shopKey, reply) => {
    const q = request.query as Record<string, string | undefined>;
    const limit = q.limit === undefined ? 50 : Number(q.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 250)
      throw new ShopifyFailure(400, { limit: ['must be between 1 and 250'] });
    type Scan = { min: number; max: number; status: string; after: string };
    let scan: Scan;
    if (q.page_info) {
      if (Object.keys(q).some((k) => k !== 'page_info' && k !== 'limit' && k !== 'fields')) {
        throw new ShopifyFailure(400, {
          page_info: ['cannot be combined with parameters other than limit and fields'],
        });
      }
      try {
        scan = JSON.parse(Buffer.from(q.page_info, 'base64url').toString('utf8')) as Scan;
      } catch {
        throw new ShopifyFailure(400, { page_info: ['Invalid value.'] });
      }
    } else {
      scan = {
        min: q.updated_at_min ? Date.parse(q.updated_at_min) : 0,
        max: q.updated_at_max ? Date.parse(q.updated_at_max) : 8.64e15,
        status: q.status ?? 'open',
        after: '',
      };
      if (Number.isNaN(scan.min) || Number.isNaN(scan.max))
        throw new ShopifyFailure(400, { updated_at: ['must be ISO 8601'] });
    }
    const key = (o: SimOrder) => `${String(o.modifiedAt.getTime()).padStart(15, '0')}|${o.id}`;
    const rest = store
      .listModified(shopKey, new Date(scan.min), new Date(scan.max + 1000))
      .filter(
        (o) =>
          scan.status === 'any' ||
          (scan.status === 'open' ? o.status !== 'cancelled' && o.status !== 'completed' : true),
      )
      .filter((o) => key(o) > scan.after);
    const page = rest.slice(0, limit);
    if (rest.length > limit) {
      const next = Buffer.from(JSON.stringify({ ...scan, after: key(page[page.length - 1]!) })).toString(
        'base64url',
      );
      const version = (request.params as { version: string }).version;
      reply.header(
        'link',
        `<http://${request.headers.host}/admin/api/${version}/orders.json?limit=${limit}&page_info=${next}>; rel="next"`,
      );
    }
    return { orders: page.map(renderShopifyOrder) };
  });

  route('GET', '/orders/:id.json', 'order', (request, shopKey) => ({
    order: renderShopifyOrder(orderOf(shopKey, (request.params as { id: string }).id)),
  }));

  route('GET', '/orders/:id/refunds/:refundId.json', 'refund', (request, shopKey) => {
    const { id, refundId } = request.params as { id: string; refundId: string };
    const found = shopifyRefundOf(orderOf(shopKey, id), refundId);
    if (!found) throw new ShopifyFailure(404, 'Not Found');
    return found;
  });

  // GraphQL Admin: returns (returns.ts).
  route('POST', '/graphql.json', 'graphql', (request, shopKey) =>
    answerShopifyGraphql(
      {
        find: (key, returnId) =>
          store.listModified(key, new Date(0), new Date(8.64e15)).find((o) => o.refund?.id === returnId),
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
        now,
      },
      shopKey,
      String(request.body ?? ''),
      (request.params as { version: string }).version,
    ),
  );

  route('GET', '/orders/:id/fulfillment_orders.json', 'fulfillment_orders', (request, shopKey) =>
    renderFulfillmentOrders(orderOf(shopKey, (request.params as { id: string }).id)),
  );

  // Fulfillments from fulfillment orders (POST fulfillments.json): each fulfillment names the
  // fulfillment order line items and how many units of each it ships; what it leaves stays open on
  // the fulfillment order (in_progress), and the fulfillment that takes the last unit closes it. A
  // quantity beyond what is still fulfillable is refused as Shopify refuses it (422 "Invalid
  // fulfillment order line item quantity requested."), as is a closed fulfillment order ("…has an
  // unfulfillable status= closed."); docs/capture.md, "Ship confirmation per platform".
  route('POST', '/fulfillments.json', 'fulfillments', (request, shopKey, reply) => {
    let body: {
      fulfillment?: {
        line_items_by_fulfillment_order?: Array<{
          fulfillment_order_id?: unknown;
          fulfillment_order_line_items?: Array<{ id?: unknown; quantity?: unknown }>;
        }>;
        tracking_info?: { company?: unknown; number?: unknown };
      };
    };
    try {
      body = parse(String(request.body ?? ''), null, (d) => (isSafeNumber(d) ? Number(d) : d)) as typeof body;
    } catch {
      throw new ShopifyFailure(400, 'Bad Request');
    }
    const groups = body.fulfillment?.line_items_by_fulfillment_order ?? [];
    const tracking = body.fulfillment?.tracking_info;
    // Every order here has one fulfillment order (one location), so a fulfillment names one.
    if (groups.length !== 1)
      throw new ShopifyFailure(422, { fulfillment: ['needs exactly one fulfillment order'] });
    // Shopify takes a fulfillment without tracking; the simulator's parcels all carry a number.
    const trackingNumber = tracking?.number;
    if (typeof trackingNumber !== 'string')
      throw new ShopifyFailure(422, { fulfillment: ['the simulator needs a tracking number'] });
    const foId = String(groups[0]!.fulfillment_order_id);
    // The exchange items' fulfillment order (opened by returnProcess): the replacement's parcel
    // fulfils all its units at once here.
    const exchanged = store
      .listModified(shopKey, new Date(0), new Date(8.64e15))
      .find((o) => releasedExchangeItems(o).length > 0 && exchangeFulfillmentOrderId(o) === foId);
    if (exchanged) {
      if (exchanged.refund!.exchangeShipment)
        throw new ShopifyFailure(422, [`Fulfillment order ${foId} has an unfulfillable status= closed.`]);
      const items = releasedExchangeItems(exchanged);
      const named = groups[0]!.fulfillment_order_line_items ?? [];
      const whole =
        named.length === 0 ||
        (named.length === items.length &&
          items.every((e) =>
            named.some(
              (li) =>
                String(li.id) === fulfillmentOrderLineItemId(e.lineItemId) && li.quantity === e.processed,
            ),
          ));
      if (!whole) throw new ShopifyFailure(422, ['Invalid fulfillment order line item quantity requested.']);
      const at = now();
      const updated = store.update(
        shopKey,
        exchanged.id,
        (o) => {
          o.refund!.exchangeShipment = {
            trackingNumber,
            company: String(tracking?.company ?? 'Other'),
            at,
          };
        },
        at,
      )!;
      reply.code(201);
      return { fulfillment: renderShopifyOrder(updated).fulfillments.at(-1) };
    }
    const order = store
      .listModified(shopKey, new Date(0), new Date(8.64e15))
      .find((o) => fulfillmentOrderId(o) === foId);
    if (!order) throw new ShopifyFailure(404, 'Not Found');
    const status = fulfillmentOrderStatus(order);
    if (status === 'closed' || status === 'cancelled')
      throw new ShopifyFailure(422, [`Fulfillment order ${foId} has an unfulfillable status= ${status}.`]);
    if (order.status !== 'paid')
      throw new ShopifyFailure(422, { fulfillment_order: ['the simulator fulfils paid orders only'] });
    const left = remainingUnits(order);
    const byItem = new Map(order.items.map((i) => [fulfillmentOrderLineItemId(i.lineId), i.lineId]));
    // No line items named: every unit still open on the fulfillment order (shopify.dev
    // FulfillmentOrderLineItemsInput: "If left blank, all line items … will be fulfilled").
    const named = groups[0]!.fulfillment_order_line_items ?? [];
    const taking = new Map<string, number>();
    if (named.length === 0) {
      for (const [lineId, n] of left) if (n > 0) taking.set(lineId, n);
    }
    for (const li of named) {
      const lineId = byItem.get(String(li.id));
      const quantity = li.quantity;
      const already = lineId ? (taking.get(lineId) ?? 0) : 0;
      if (
        !lineId ||
        typeof quantity !== 'number' ||
        !Number.isInteger(quantity) ||
        quantity < 1 ||
        already + quantity > (left.get(lineId) ?? 0)
      ) {
        throw new ShopifyFailure(422, ['Invalid fulfillment order line item quantity requested.']);
      }
      taking.set(lineId, already + quantity);
    }
    const at = now();
    const shipment = {
      carrierCode: String(tracking?.company ?? 'Other'),
      trackingNumber,
      shippedAt: at,
      lineIds: [...taking.keys()],
      quantities: Object.fromEntries(taking),
    };
    const updated = store.update(
      shopKey,
      order.id,
      (o) => {
        if (o.shipment) (o.extraShipments ??= []).push(shipment);
        else o.shipment = shipment;
        if ([...remainingUnits(o).values()].every((n) => n === 0)) o.status = 'shipped';
      },
      at,
    );
    const fulfilled = updated ?? store.get(shopKey, order.id)!;
    reply.code(201);
    return { fulfillment: renderFulfillment(fulfilled, shipment, shopifyShipments(fulfilled).length - 1) };
  });

  // Inventory levels: `available` per inventory item and location. Setting one needs the item to be
  // stocked at the location (422 otherwise) and inventory tracking on (422 for a delisted item here).
  const levelOf = (shopKey: string, item: string, location: string) => {
    options.inventory?.countCall(shopKey);
    const level = options.inventory?.get(shopKey, `${item}@${location}`);
    if (!level)
      throw new ShopifyFailure(422, ['Inventory item does not exist or is not stocked at the location']);
    return level;
  };

  route('POST', '/inventory_levels/set.json', 'inventory_levels_set', (request, shopKey) => {
    let body: { location_id?: unknown; inventory_item_id?: unknown; available?: unknown };
    try {
      body = parse(String(request.body ?? ''), null, (d) => (isSafeNumber(d) ? Number(d) : d)) as typeof body;
    } catch {
      throw new ShopifyFailure(400, 'Bad Request');
    }
    const { location_id: location, inventory_item_id: item, available } = body;
    if (location === undefined) throw new ShopifyFailure(422, { location_id: ['is required'] });
    if (item === undefined) throw new ShopifyFailure(422, { inventory_item_id: ['is required'] });
    if (typeof available !== 'number' || !Number.isInteger(available))
      throw new ShopifyFailure(422, { available: ['must be an integer'] });
    const level = levelOf(shopKey, String(item), String(location));
    if (level.status !== 'listed')
      throw new ShopifyFailure(422, ['Inventory item does not have inventory tracking enabled']);
    const at = now();
    options.inventory!.set(shopKey, `${String(item)}@${String(location)}`, available, at);
    return {
      inventory_level: {
        inventory_item_id: num(String(item)),
        location_id: num(String(location)),
        available,
        updated_at: at.toISOString(),
      },
    };
  });

  route('GET', '/inventory_levels.json', 'inventory_levels', (request, shopKey) => {
    const q = request.query as Record<string, string | undefined>;
    const items = (q.inventory_item_ids ?? '').split(',').filter(Boolean);
    const locations = (q.location_ids ?? '').split(',').filter(Boolean);
    if (items.length === 0 && locations.length === 0)
      throw new ShopifyFailure(422, ['inventory_item_ids or location_ids is required']);
    options.inventory?.countCall(shopKey);
    const levels = items.flatMap((item) =>
      locations.flatMap((location) => {
        const level = options.inventory?.get(shopKey, `${item}@${location}`);
        return level
          ? [
              {
                inventory_item_id: num(item),
                location_id: num(location),
                available: level.quantity,
                updated_at: (level.updatedAt ?? new Date(0)).toISOString(),
              },
            ]
          : [];
      }),
    );
    return { inventory_levels: levels };
  });
};
