import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { SimInventory } from '../../kit/inventory.js';
import { FaultPlan } from '../../kit/rate-limit.js';
import type { SimOrderStore } from '../../kit/store.js';
import type { SimTokenAuth } from '../../kit/token-auth.js';
import type { SimOrder } from '../../orders/model.js';
import type { EbayNotificationKey } from './push.js';
import { renderEbayOrder, shipmentsOf } from './render.js';

export { ebayNotificationKey, ebaySignatureHeader, renderEbayNotification } from './push.js';
export type { EbayNotificationKey } from './push.js';
export { renderEbayOrder } from './render.js';

export interface EbaySimulatorOptions {
  store: SimOrderStore;
  /** The one app the simulated eBay knows: its client id and secret (HTTP Basic on the token call). */
  app: { clientId: string; clientSecret: string };
  /** Sellers that authorised the app (store shopKey = eBay user id) and their user tokens. */
  auth: SimTokenAuth;
  inventory?: SimInventory;
  faults?: FaultPlan;
  now?: () => Date;
  /** The notification signing key, whose public half `getPublicKey` serves. */
  notificationKey?: EbayNotificationKey;
  /** Carrier codes eBay takes (the simulator's own list). */
  carriers?: readonly string[];
}

const DEFAULT_CARRIERS = [
  'SF_EXPRESS',
  'CHINA_POST',
  'YTO_EXPRESS',
  'ZTO_EXPRESS',
  'JT_EXPRESS',
  'DHL',
  'FEDEX',
  'UPS',
  'USPS',
];

class EbayFailure extends Error {
  constructor(
    readonly status: number,
    readonly errorId: number,
    message: string,
    readonly domain = 'API_FULFILLMENT',
    readonly category = 'REQUEST',
  ) {
    super(message);
  }
}

/** eBay's answer to a missing, unknown or expired token (its OAuth error 1001). */
const invalidToken = () => new EbayFailure(401, 1001, 'Invalid access token', 'OAuth', 'REQUEST');

const ORDER = '/sell/fulfillment/v1/order';

/**
 * eBay's Sell Fulfillment and Inventory APIs as a Fastify plugin (MORE-CHANNELS §10): the seller's
 * user token checked on every call with the simulator's own lookup (missing, unknown or expired →
 * 401 `{"errors":[{"errorId":1001,"domain":"OAuth",…}]}`), `getOrders` with `filter`
 * (`lastmodifieddate:[a..b]`, `creationdate:[a..b]`, `orderfulfillmentstatus:{A|B}`), `orderIds`
 * (≤ 50), `limit` (≤ 200) and `offset`, orders of the last 90 days by default; `getOrder`;
 * shipping fulfillments (201 with `Location`); bulk quantity updates and inventory items; the
 * refresh-token grant with HTTP Basic client credentials; and the notification public key.
 */
export const ebaySimulator: FastifyPluginAsync<EbaySimulatorOptions> = async (app, options) => {
  const { store, auth } = options;
  const now = options.now ?? (() => new Date());
  const faults = options.faults ?? new FaultPlan();
  const carriers = new Set(options.carriers ?? DEFAULT_CARRIERS);

  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) =>
    done(null, Object.fromEntries(new URLSearchParams(String(body)))),
  );

  const fail = (reply: FastifyReply, f: EbayFailure) =>
    reply.code(f.status).send({
      errors: [{ errorId: f.errorId, domain: f.domain, category: f.category, message: f.message }],
    });

  /** The seller the bearer token belongs to: checked here, apart from any adapter code. */
  const sellerOf = (request: FastifyRequest): string => {
    const header = request.headers.authorization ?? '';
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    const found = m ? auth.lookup(m[1]!) : undefined;
    if (!found || found.expired) throw invalidToken();
    return found.grant.shopKey;
  };

  type Handler = (request: FastifyRequest, seller: string, reply: FastifyReply) => unknown;
  const route = (method: 'GET' | 'POST', url: string, op: string, handler: Handler) =>
    app.route({
      method,
      url,
      handler: async (request, reply) => {
        try {
          const planned = faults.next(op);
          if (planned) {
            if (planned.retryAfterSeconds !== undefined)
              reply.header('retry-after', String(planned.retryAfterSeconds));
            throw new EbayFailure(
              planned.status,
              planned.status === 429 ? 2001 : 2003,
              planned.status === 429 ? 'Too many requests' : 'Internal error',
              'API_FULFILLMENT',
              planned.status === 429 ? 'REQUEST' : 'APPLICATION',
            );
          }
          const seller = sellerOf(request);
          return await handler(request, seller, reply);
        } catch (err) {
          if (err instanceof EbayFailure) return fail(reply, err);
          throw err;
        }
      },
    });

  const orderOf = (seller: string, id: string): SimOrder => {
    const order = store.get(seller, id);
    if (!order) throw new EbayFailure(404, 32100, `Invalid order ID: ${id}`);
    return order;
  };

  /** `[a..b]` with either end open; eBay compares with both ends included. */
  const range = (text: string, name: string): [number, number] => {
    const m = /^\[(.*?)\.\.(.*)\]$/.exec(text);
    const from = m?.[1] ? Date.parse(m[1]) : -Infinity;
    const to = m?.[2] ? Date.parse(m[2]) : Infinity;
    if (!m || Number.isNaN(from) || Number.isNaN(to))
      throw new EbayFailure(400, 30700, `Invalid filter ${name}: ${text}`);
    return [from, to];
  };

  route('GET', ORDER, 'getOrders', (request, seller) => {
    const q = request.query as Record<string, string | undefined>;
    const limit = Number(q.limit ?? 50);
    const offset = Number(q.offset ?? 0);
    if (!Number.isInteger(limit) || limit < 1 || limit > 200)
      throw new EbayFailure(400, 30820, 'Invalid limit: 1-200');
    if (!Number.isInteger(offset) || offset < 0) throw new EbayFailure(400, 30830, 'Invalid offset');
    let orders = store.listModified(seller, new Date(0), new Date(8.64e15));
    if (q.orderIds !== undefined) {
      const ids = q.orderIds.split(',').filter(Boolean);
      if (ids.length === 0 || ids.length > 50) throw new EbayFailure(400, 30850, 'orderIds: 1-50 ids');
      orders = orders.filter((o) => ids.includes(o.id));
    } else {
      let created: [number, number] | undefined;
      let modified: [number, number] | undefined;
      let statuses: string[] | undefined;
      for (const part of (q.filter ?? '').split(/,(?=[a-z]+:)/).filter(Boolean)) {
        const [name, value = ''] = [part.slice(0, part.indexOf(':')), part.slice(part.indexOf(':') + 1)];
        if (name === 'creationdate') created = range(value, name);
        else if (name === 'lastmodifieddate') modified = range(value, name);
        else if (name === 'orderfulfillmentstatus') statuses = value.replace(/^\{|\}$/g, '').split('|');
        else throw new EbayFailure(400, 30700, `Invalid filter: ${name}`);
      }
      // Without a date filter: orders created in the last 90 days.
      if (!created && !modified) created = [now().getTime() - 90 * 86_400_000, Infinity];
      orders = orders.filter((o) => {
        const inRange = (r: [number, number] | undefined, at: Date) =>
          !r || (at.getTime() >= r[0] && at.getTime() <= r[1]);
        return (
          inRange(created, o.createdAt) &&
          inRange(modified, o.modifiedAt) &&
          (!statuses || statuses.includes(renderEbayOrder(o).orderFulfillmentStatus))
        );
      });
    }
    const page = orders.slice(offset, offset + limit);
    const self = `${ORDER}?limit=${limit}&offset=${offset}`;
    return {
      href: self,
      total: orders.length,
      limit,
      offset,
      ...(offset + limit < orders.length ? { next: `${ORDER}?limit=${limit}&offset=${offset + limit}` } : {}),
      orders: page.map(renderEbayOrder),
      warnings: [],
    };
  });

  route('GET', `${ORDER}/:orderId`, 'getOrder', (request, seller) =>
    renderEbayOrder(orderOf(seller, (request.params as { orderId: string }).orderId)),
  );

  route('GET', `${ORDER}/:orderId/shipping_fulfillment`, 'getShippingFulfillments', (request, seller) => {
    const order = orderOf(seller, (request.params as { orderId: string }).orderId);
    const fulfillments = shipmentsOf(order).map((s) => ({
      fulfillmentId: s.trackingNumber,
      shipmentTrackingNumber: s.trackingNumber,
      shippingCarrierCode: s.carrierCode,
      shippedDate: s.shippedAt.toISOString(),
      lineItems: (s.lineIds ?? order.items.map((i) => i.lineId)).map((lineItemId) => ({
        lineItemId,
        quantity: order.items.find((i) => i.lineId === lineItemId)?.quantity ?? 1,
      })),
    }));
    return { fulfillments, total: fulfillments.length, warnings: [] };
  });

  route(
    'POST',
    `${ORDER}/:orderId/shipping_fulfillment`,
    'createShippingFulfillment',
    (request, seller, reply) => {
      const order = orderOf(seller, (request.params as { orderId: string }).orderId);
      const body = (request.body ?? {}) as {
        lineItems?: Array<{ lineItemId?: string; quantity?: number }>;
        shippedDate?: string;
        shippingCarrierCode?: string;
        trackingNumber?: string;
      };
      const lines = body.lineItems ?? [];
      if (lines.length === 0) throw new EbayFailure(400, 32200, 'lineItems is required');
      for (const line of lines) {
        const item = order.items.find((i) => i.lineId === line.lineItemId);
        if (!item) throw new EbayFailure(400, 32210, `Invalid lineItemId: ${line.lineItemId ?? ''}`);
        if (!Number.isInteger(line.quantity) || line.quantity! < 1 || line.quantity! > item.quantity)
          throw new EbayFailure(400, 32220, `Invalid quantity for ${item.lineId}`);
      }
      if (!carriers.has(body.shippingCarrierCode ?? ''))
        throw new EbayFailure(400, 32300, `Invalid shippingCarrierCode: ${body.shippingCarrierCode ?? ''}`);
      if (!/^[A-Za-z0-9]{6,40}$/.test(body.trackingNumber ?? ''))
        throw new EbayFailure(400, 32310, 'Invalid trackingNumber');
      if (body.shippedDate !== undefined && Number.isNaN(Date.parse(body.shippedDate)))
        throw new EbayFailure(400, 32320, 'Invalid shippedDate');
      if (order.status !== 'paid' && order.status !== 'shipped')
        throw new EbayFailure(409, 32400, `Order ${order.id} cannot be fulfilled in its state`);
      const ids = lines.map((l) => l.lineItemId!);
      const shipped = new Set(
        shipmentsOf(order).flatMap((s) => s.lineIds ?? order.items.map((i) => i.lineId)),
      );
      if (ids.some((id) => shipped.has(id)))
        throw new EbayFailure(409, 32410, 'Line items already fulfilled');
      const at = now();
      store.update(
        seller,
        order.id,
        (o) => {
          const shipment = {
            carrierCode: body.shippingCarrierCode!,
            trackingNumber: body.trackingNumber!,
            shippedAt: body.shippedDate ? new Date(body.shippedDate) : at,
            lineIds: ids,
          };
          if (o.shipment) (o.extraShipments ??= []).push(shipment);
          else o.shipment = shipment;
          const sent = new Set(shipmentsOf(o).flatMap((s) => s.lineIds ?? []));
          if (o.items.every((i) => sent.has(i.lineId))) o.status = 'shipped';
        },
        at,
      );
      reply.header('location', `${ORDER}/${order.id}/shipping_fulfillment/${body.trackingNumber}`);
      return reply.code(201).send();
    },
  );

  const inventoryOf = (seller: string) => {
    options.inventory?.countCall(seller);
    return options.inventory;
  };
  route(
    'POST',
    '/sell/inventory/v1/bulk_update_price_quantity',
    'bulkUpdatePriceQuantity',
    (request, seller) => {
      const requests =
        (
          (request.body ?? {}) as {
            requests?: Array<{ sku?: string; shipToLocationAvailability?: { quantity?: number } }>;
          }
        ).requests ?? [];
      if (requests.length === 0 || requests.length > 25)
        throw new EbayFailure(400, 25709, 'requests: 1-25 SKUs', 'API_INVENTORY');
      const inventory = inventoryOf(seller);
      return {
        responses: requests.map((r) => {
          const sku = r.sku ?? '';
          const quantity = r.shipToLocationAvailability?.quantity;
          const listing = inventory?.get(seller, sku);
          const error = (errorId: number, message: string, statusCode = 400) => ({
            sku,
            statusCode,
            errors: [{ errorId, domain: 'API_INVENTORY', category: 'REQUEST', message }],
          });
          if (!Number.isInteger(quantity) || quantity! < 0 || quantity! > 999_999)
            return error(25604, `Invalid quantity for ${sku}`);
          if (!listing) return error(25702, `SKU ${sku} is not available in the system`, 404);
          if (listing.status === 'delisted') return error(25713, `The offer of ${sku} is ended`);
          inventory!.set(seller, sku, quantity!, now());
          return { sku, statusCode: 200 };
        }),
      };
    },
  );
  route('GET', '/sell/inventory/v1/inventory_item/:sku', 'getInventoryItem', (request, seller) => {
    const sku = (request.params as { sku: string }).sku;
    const listing = inventoryOf(seller)?.get(seller, sku);
    if (!listing)
      throw new EbayFailure(404, 25702, `SKU ${sku} is not available in the system`, 'API_INVENTORY');
    return { sku, availability: { shipToLocationAvailability: { quantity: listing.quantity } } };
  });

  app.get('/commerce/notification/v1/public_key/:kid', async (request, reply) => {
    try {
      sellerOf(request);
      const key = options.notificationKey;
      if (!key || (request.params as { kid: string }).kid !== key.kid)
        throw new EbayFailure(404, 195000, 'Public key not found', 'API_NOTIFICATION');
      return { key: key.publicKey, algorithm: 'ECDSA', digest: 'SHA1' };
    } catch (err) {
      if (err instanceof EbayFailure) return fail(reply, err);
      throw err;
    }
  });

  app.post('/identity/v1/oauth2/token', async (request, reply) => {
    const expected = `Basic ${Buffer.from(`${options.app.clientId}:${options.app.clientSecret}`).toString('base64')}`;
    const body = (request.body ?? {}) as Record<string, string>;
    if (request.headers.authorization !== expected)
      return reply
        .code(401)
        .send({ error: 'invalid_client', error_description: 'client authentication failed' });
    if (body.grant_type !== 'refresh_token')
      return reply
        .code(400)
        .send({ error: 'unsupported_grant_type', error_description: 'grant type unsupported' });
    const stale = body.refresh_token ?? '';
    const next = auth.refresh(stale);
    if (!next)
      return reply.code(400).send({
        error: 'invalid_grant',
        error_description: 'the provided authorization refresh token is invalid',
      });
    // eBay's refresh token stays valid (about 18 months): the new access token rides on the old one.
    const grant = auth.grant(next.shopKey, { accessToken: next.accessToken, refreshToken: stale });
    return reply.send({
      access_token: grant.accessToken,
      expires_in: Math.round((grant.expiresAt.getTime() - now().getTime()) / 1000),
      token_type: 'User Access Token',
      request_id: randomUUID(),
    });
  });
};
