import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { stringify } from 'lossless-json';
import type { SimInventory } from '../../kit/inventory.js';
import { FaultPlan } from '../../kit/rate-limit.js';
import type { SimOrderStore } from '../../kit/store.js';
import type { SimTokenAuth } from '../../kit/token-auth.js';
import { childrenOf, parseXml, textOf } from '../../kit/xml.js';
import type { SimOrder } from '../../orders/model.js';
import { bare, renderLazadaItems, renderLazadaOrder, unitIds } from './render.js';
import { lazadaSignMatches } from './verify.js';

export { renderLazadaPush } from './push.js';
export { lazadaExpectedSign, lazadaPushSignature } from './verify.js';

export interface LazadaSimulatorOptions {
  store: SimOrderStore;
  /** The one app the simulated platform knows. */
  app: { appKey: string; appSecret: string };
  /** Sellers that authorised the app (store shopKey = seller id) and their tokens. */
  auth: SimTokenAuth;
  inventory?: SimInventory;
  faults?: FaultPlan;
  now?: () => Date;
  /** Shipment providers the seller may use (the simulator's own list; Lazada's is per seller). */
  providers?: readonly string[];
}

const DEFAULT_PROVIDERS = [
  'SF Express',
  'China Post EMS',
  'China Post',
  'J&T Express',
  'YTO Express',
  'ZTO Express',
  'DHL',
  'FedEx',
  'UPS',
];
/** §8.2: the timestamp must be within 7200 s of UTC. */
const CLOCK_SKEW_MS = 7_200_000;

class LzFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly type: 'ISV' | 'ISP' = 'ISV',
  ) {
    super(message);
  }
}

/**
 * Lazada Open Platform as a Fastify plugin (MORE-CHANNELS §8): REST paths under the venture
 * gateway, system parameters in the query (GET) or a form body (POST), the signature checked with
 * the simulator's own code (path + sorted name/value pairs, HMAC-SHA256 upper hex), the timestamp
 * within 7200 s, the `{code, data, request_id}` envelope with `"0"` for success, offset paging,
 * one order item per unit, the dropship pack → ready-to-ship flow, full-value stock updates from
 * an XML payload and token refresh. Error codes follow the SDK's names (IllegalAccessToken,
 * IncompleteSignature; UNCONFIRMED which code Lazada gives for which case).
 */
export const lazadaSimulator: FastifyPluginAsync<LazadaSimulatorOptions> = async (app, options) => {
  const { store, auth } = options;
  const now = options.now ?? (() => new Date());
  const faults = options.faults ?? new FaultPlan();
  const providers = new Set(options.providers ?? DEFAULT_PROVIDERS);
  /** Order items packed and awaiting ready-to-ship, by seller. */
  const packed = new Map<string, Set<string>>();
  const packedOf = (seller: string) => packed.get(seller) ?? packed.set(seller, new Set()).get(seller)!;

  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) =>
    done(null, Object.fromEntries(new URLSearchParams(String(body)))),
  );

  const ok = (reply: FastifyReply, data: unknown) =>
    reply.type('application/json').send(stringify({ code: '0', data, request_id: randomUUID() }));
  const fail = (reply: FastifyReply, f: LzFailure) =>
    reply
      .type('application/json')
      .send(JSON.stringify({ type: f.type, code: f.code, message: f.message, request_id: randomUUID() }));

  const paramsOf = (request: FastifyRequest) => {
    const raw = {
      ...((request.query ?? {}) as Record<string, unknown>),
      ...(request.method === 'POST' ? ((request.body ?? {}) as Record<string, unknown>) : {}),
    };
    return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, String(v)]));
  };
  const checkSignature = (path: string, p: Record<string, string>) => {
    if (p.app_key !== options.app.appKey) throw new LzFailure('InvalidAppKey', 'Invalid app key');
    if (p.sign_method !== 'sha256') throw new LzFailure('InvalidSignMethod', 'sign_method must be sha256');
    const at = Number(p.timestamp);
    if (!Number.isFinite(at) || Math.abs(now().getTime() - at) > CLOCK_SKEW_MS)
      throw new LzFailure('InvalidTimestamp', 'timestamp is more than 7200 seconds from now');
    if (!lazadaSignMatches(options.app.appSecret, path, p))
      throw new LzFailure(
        'IncompleteSignature',
        'The request signature does not conform to lazada standards',
      );
  };

  type Handler = (p: Record<string, string>, seller: string) => unknown;
  const route = (path: string, http: 'GET' | 'POST', handler: Handler) => {
    const handle = async (request: FastifyRequest, reply: FastifyReply) => {
      const p = paramsOf(request);
      try {
        const planned = faults.next(path);
        if (planned) {
          if (planned.retryAfterSeconds !== undefined)
            reply.header('retry-after', String(planned.retryAfterSeconds));
          return reply.code(planned.status).send({
            type: 'ISP',
            code: planned.status === 429 ? 'ApiCallLimit' : 'ServiceUnavailable',
            message: 'busy',
          });
        }
        checkSignature(path, p);
        const found = p.access_token ? auth.lookup(p.access_token) : undefined;
        if (!found || found.expired)
          throw new LzFailure('IllegalAccessToken', 'The specified access token is invalid or expired');
        return ok(reply, handler(p, found.grant.shopKey));
      } catch (err) {
        if (err instanceof LzFailure) return fail(reply, err);
        throw err;
      }
    };
    if (http === 'GET') app.get(path, handle);
    else app.post(path, handle);
  };

  const orderOf = (seller: string, id: string | undefined): SimOrder => {
    const found = id && /^\d+$/.test(id) ? store.get(seller, id) : undefined;
    if (!found) throw new LzFailure('OrderNotFound', `Order ${id ?? ''} not found`);
    return found;
  };
  const idList = (value: string | undefined, name: string): string[] => {
    const m = /^\[\s*(\d+(?:\s*,\s*\d+)*)\s*\]$/.exec(value ?? '');
    if (!m) throw new LzFailure('MissingParameter', `${name} must be a list such as [123,456]`);
    return m[1]!.split(',').map((s) => s.trim());
  };
  const iso = (value: string | undefined, name: string) => {
    const at = value ? Date.parse(value) : NaN;
    if (Number.isNaN(at)) throw new LzFailure('InvalidParameter', `${name} must be ISO 8601`);
    return at;
  };

  route('/orders/get', 'GET', (p, seller) => {
    const byUpdate = p.update_after !== undefined;
    if (!byUpdate && p.created_after === undefined)
      throw new LzFailure('MissingParameter', 'created_after or update_after is required');
    const from = iso(
      byUpdate ? p.update_after : p.created_after,
      byUpdate ? 'update_after' : 'created_after',
    );
    const toText = byUpdate ? p.update_before : p.created_before;
    const to = toText === undefined ? Infinity : iso(toText, byUpdate ? 'update_before' : 'created_before');
    const limit = Number(p.limit ?? 100);
    const offset = Number(p.offset ?? 0);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100)
      throw new LzFailure('InvalidParameter', 'limit must be 1-100');
    if (!Number.isInteger(offset) || offset < 0)
      throw new LzFailure('InvalidParameter', 'offset must be >= 0');
    const sortBy = p.sort_by ?? 'created_at';
    const timeOf = (o: SimOrder) => (sortBy === 'updated_at' ? o.modifiedAt : o.createdAt).getTime();
    const windowTime = (o: SimOrder) => (byUpdate ? o.modifiedAt : o.createdAt).getTime();
    // Lazada compares whole seconds.
    const all = store
      .listModified(seller, new Date(0), new Date(8.64e15))
      .filter((o) => windowTime(o) >= Math.floor(from / 1000) * 1000 && windowTime(o) < to)
      .sort((a, b) => timeOf(a) - timeOf(b) || a.id.localeCompare(b.id));
    if ((p.sort_direction ?? 'DESC') === 'DESC') all.reverse();
    const page = all.slice(offset, offset + limit);
    return {
      count: page.length,
      countTotal: all.length,
      orders: page.map((o) => renderLazadaOrder(o, packedOf(seller))),
    };
  });

  route('/order/get', 'GET', (p, seller) => renderLazadaOrder(orderOf(seller, p.order_id), packedOf(seller)));
  route('/order/items/get', 'GET', (p, seller) =>
    renderLazadaItems(orderOf(seller, p.order_id), packedOf(seller)),
  );
  route('/orders/items/get', 'GET', (p, seller) => {
    const ids = idList(p.order_ids, 'order_ids');
    if (ids.length > 100) throw new LzFailure('InvalidParameter', 'order_ids: at most 100');
    return ids.map((id) => {
      const order = orderOf(seller, id);
      return {
        order_id: bare(order.id),
        order_number: bare(order.id),
        order_items: renderLazadaItems(order, packedOf(seller)),
      };
    });
  });

  /** The seller's order owning every one of these items (they must share one order). */
  const unitsOf = (seller: string, ids: string[]) => {
    const order = store
      .listModified(seller, new Date(0), new Date(8.64e15))
      .find((o) => unitIds(o).some((u) => u.unitId === ids[0]));
    const units = order ? unitIds(order).map((u) => u.unitId) : [];
    if (!order || ids.some((id) => !units.includes(id)))
      throw new LzFailure('OrderItemNotFound', `order items ${ids.join(',')} not found in one order`);
    return order;
  };
  const shippedUnits = (o: SimOrder) =>
    new Set([o.shipment, ...(o.extraShipments ?? [])].flatMap((s) => s?.lineIds ?? []));

  route('/order/pack', 'POST', (p, seller) => {
    const ids = idList(p.order_item_ids, 'order_item_ids');
    const order = unitsOf(seller, ids);
    if (p.delivery_type !== 'dropship')
      throw new LzFailure('InvalidParameter', 'delivery_type must be dropship');
    if (!providers.has(p.shipping_provider ?? ''))
      throw new LzFailure(
        'InvalidShippingProvider',
        `unknown shipping_provider ${p.shipping_provider ?? ''}`,
      );
    const shipped = shippedUnits(order);
    if (order.status !== 'paid' || ids.some((id) => shipped.has(id)))
      throw new LzFailure('InvalidOrderItemStatus', 'order items are not pending');
    ids.forEach((id) => packedOf(seller).add(id));
    return { order_items: ids.map((id) => ({ order_item_id: bare(id), package_id: `FP${id}` })) };
  });

  route('/order/rts', 'POST', (p, seller) => {
    const ids = idList(p.order_item_ids, 'order_item_ids');
    const order = unitsOf(seller, ids);
    if (ids.some((id) => !packedOf(seller).has(id)))
      throw new LzFailure('InvalidOrderItemStatus', 'order items must be packed first');
    if (!providers.has(p.shipment_provider ?? ''))
      throw new LzFailure(
        'InvalidShippingProvider',
        `unknown shipment_provider ${p.shipment_provider ?? ''}`,
      );
    if (!/^[A-Za-z0-9-]{6,40}$/.test(p.tracking_number ?? ''))
      throw new LzFailure('InvalidParameter', 'tracking_number is invalid');
    const at = now();
    store.update(
      seller,
      order.id,
      (o) => {
        const shipment = {
          carrierCode: p.shipment_provider!,
          trackingNumber: p.tracking_number!,
          shippedAt: at,
          lineIds: ids,
        };
        if (o.shipment) (o.extraShipments ??= []).push(shipment);
        else o.shipment = shipment;
        const sent = shippedUnits(o);
        if (unitIds(o).every((u) => sent.has(u.unitId))) o.status = 'shipped';
      },
      at,
    );
    ids.forEach((id) => packedOf(seller).delete(id));
    return { order_items: ids.map((id) => ({ order_item_id: bare(id) })) };
  });

  const inventoryOf = (seller: string) => {
    options.inventory?.countCall(seller);
    return options.inventory;
  };
  route('/product/item/get', 'GET', (p, seller) => {
    const itemId = p.item_id ?? '';
    const skus = inventoryOf(seller)?.under(seller, `${itemId}:`) ?? [];
    if (!itemId || skus.length === 0) throw new LzFailure('ItemNotFound', `item ${itemId} not found`);
    return {
      item_id: bare(itemId),
      skus: skus.map(([key, listing]) => ({
        SkuId: bare(key.slice(itemId.length + 1)),
        SellerSku: key,
        quantity: listing.quantity,
        Status: listing.status === 'listed' ? 'active' : 'inactive',
      })),
    };
  });
  route('/product/price_quantity/update', 'POST', (p, seller) => {
    let skus;
    try {
      skus = childrenOf(childrenOf(childrenOf(parseXml(p.payload ?? ''), 'Product')[0], 'Skus')[0], 'Sku');
    } catch {
      throw new LzFailure('InvalidPayload', 'payload is not valid XML');
    }
    if (skus.length === 0 || skus.length > 50) throw new LzFailure('InvalidPayload', 'payload: 1-50 Sku');
    const inventory = inventoryOf(seller);
    const updates = skus.map((sku) => {
      const key = `${textOf(sku, 'ItemId') ?? ''}:${textOf(sku, 'SkuId') ?? ''}`;
      const quantity = Number(textOf(sku, 'Quantity'));
      const listing = inventory?.get(seller, key);
      if (!Number.isInteger(quantity) || quantity < 0 || quantity > 999_999)
        throw new LzFailure('InvalidPayload', `Quantity of ${key} must be 0-999999`);
      if (!listing) throw new LzFailure('SkuNotFound', `sku ${key} not found`);
      if (listing.status === 'delisted') throw new LzFailure('ItemInactive', `item of ${key} is inactive`);
      return { key, quantity };
    });
    for (const u of updates) inventory!.set(seller, u.key, u.quantity, now());
    return {};
  });

  app.post('/auth/token/refresh', async (request, reply) => {
    const p = paramsOf(request);
    try {
      checkSignature('/auth/token/refresh', p);
      const grant = auth.refresh(p.refresh_token ?? '');
      if (!grant) throw new LzFailure('InvalidRefreshToken', 'refresh_token is invalid');
      return reply.send({
        code: '0',
        access_token: grant.accessToken,
        refresh_token: grant.refreshToken,
        expires_in: Math.round((grant.expiresAt.getTime() - now().getTime()) / 1000),
        refresh_expires_in: 30 * 86_400,
        account: `seller-${grant.shopKey}@example.com`,
        country: 'sg',
        country_user_info: [{ country: 'sg', seller_id: grant.shopKey, user_id: grant.shopKey }],
        request_id: randomUUID(),
      });
    } catch (err) {
      if (err instanceof LzFailure) return fail(reply, err);
      throw err;
    }
  });
};
