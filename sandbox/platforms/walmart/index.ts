import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { SimInventory } from '../../kit/inventory.js';
import { FaultPlan } from '../../kit/rate-limit.js';
import type { SimOrderStore } from '../../kit/store.js';
import type { SimTokenAuth } from '../../kit/token-auth.js';
import type { SimOrder } from '../../orders/model.js';
import { renderWalmartOrder, shippedLines } from './render.js';

export { renderWalmartEvent, renderWalmartOrder } from './render.js';

export interface WalmartSimulatorOptions {
  store: SimOrderStore;
  /** Apps (client id and secret) and the seller each one acts for (store shopKey = seller id). */
  clients: Array<{ clientId: string; clientSecret: string; sellerId: string }>;
  /** The access tokens the token call issues (its ttl: Walmart's 15 minutes, UNCONFIRMED). */
  auth: SimTokenAuth;
  inventory?: SimInventory;
  faults?: FaultPlan;
  now?: () => Date;
  /** Walmart's supported carrier names (the simulator's own list). */
  carriers?: readonly string[];
}

const DEFAULT_CARRIERS = [
  'UPS',
  'USPS',
  'FedEx',
  'DHL',
  'SF Express',
  'China Post',
  'YTO Express',
  'ZTO Express',
  'J&T Express',
];

class WmFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly description: string,
    readonly field = '',
  ) {
    super(description);
  }
}

/**
 * Walmart Marketplace (US) as a Fastify plugin (MORE-CHANNELS §11): `POST /v3/token` for client
 * credentials (HTTP Basic), then every call checked on its own: `WM_SEC.ACCESS_TOKEN` must be a
 * token it issued and not expired (else 401 `UNAUTHORIZED.GMP_GATEWAY_API`), `WM_SVC.NAME` and
 * `WM_QOS.CORRELATION_ID` present (else 400). Orders: `GET /v3/orders` by
 * `lastModifiedStartDate`/`EndDate` or `createdStartDate` (at most 180 days back, 10,000 orders a
 * query window), `limit` ≤ 200, `meta.nextCursor`; `GET /v3/orders/{po}`; `acknowledge`, which
 * shipping requires; `shipping` with the facts' body. Inventory: `PUT`/`GET /v3/inventory?sku=`.
 * Unpaid orders are not listed (Walmart shows orders once placed and paid).
 */
export const walmartSimulator: FastifyPluginAsync<WalmartSimulatorOptions> = async (app, options) => {
  const { store, auth } = options;
  const now = options.now ?? (() => new Date());
  const faults = options.faults ?? new FaultPlan();
  const carriers = new Set(options.carriers ?? DEFAULT_CARRIERS);
  const acknowledged = new Set<string>();

  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) =>
    done(null, Object.fromEntries(new URLSearchParams(String(body)))),
  );

  const fail = (reply: FastifyReply, f: WmFailure) =>
    reply.code(f.status).send({
      errors: [
        {
          code: f.code,
          field: f.field,
          description: f.description,
          info: f.description,
          severity: 'ERROR',
          category: 'DATA',
          causes: [],
          errorIdentifiers: {},
        },
      ],
    });

  /** The seller behind the request's token: the simulator's own check of Walmart's headers. */
  const sellerOf = (request: FastifyRequest): string => {
    const h = request.headers;
    const token = h['wm_sec.access_token'];
    const found = typeof token === 'string' ? auth.lookup(token) : undefined;
    if (!found || found.expired)
      throw new WmFailure(
        401,
        'UNAUTHORIZED.GMP_GATEWAY_API',
        'Unauthorized token or invalid service name',
        'UNAUTHORIZED',
      );
    if (!h['wm_svc.name'] || !h['wm_qos.correlation_id'])
      throw new WmFailure(
        400,
        'INVALID_REQUEST_HEADER.GMP_GATEWAY_API',
        'WM_SVC.NAME and WM_QOS.CORRELATION_ID are required',
      );
    return found.grant.shopKey;
  };

  type Handler = (request: FastifyRequest, seller: string) => unknown;
  const route = (method: 'GET' | 'POST' | 'PUT', url: string, op: string, handler: Handler) =>
    app.route({
      method,
      url,
      handler: async (request, reply) => {
        try {
          const planned = faults.next(op);
          if (planned) {
            if (planned.retryAfterSeconds !== undefined)
              reply.header('retry-after', String(planned.retryAfterSeconds));
            throw new WmFailure(
              planned.status,
              planned.status === 429
                ? 'REQUEST_THRESHOLD_VIOLATED.GMP_GATEWAY_API'
                : 'SYSTEM_ERROR.GMP_GATEWAY_API',
              planned.status === 429 ? 'Too many requests' : 'Internal error',
            );
          }
          return await handler(request, sellerOf(request));
        } catch (err) {
          if (err instanceof WmFailure) return fail(reply, err);
          throw err;
        }
      },
    });

  const visible = (o: SimOrder) => o.status !== 'unpaid' && o.status !== 'deposit_paid';
  const orderOf = (seller: string, po: string): SimOrder => {
    const order = store.get(seller, po);
    if (!order || !visible(order))
      throw new WmFailure(404, 'CONTENT_NOT_FOUND.GMP_ORDER_API', `PO ${po} not found`);
    return order;
  };
  const render = (o: SimOrder) => renderWalmartOrder(o, acknowledged.has(`${o.shopKey}:${o.id}`));
  const time = (value: string | undefined, name: string) => {
    if (value === undefined) return undefined;
    const at = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
    if (Number.isNaN(at))
      throw new WmFailure(400, 'INVALID_REQUEST_PARAM.GMP_ORDER_API', `${name} is not a date`, name);
    return at;
  };

  route('GET', '/v3/orders', 'getAllOrders', (request, seller) => {
    const q = request.query as Record<string, string | undefined>;
    const limit = Number(q.limit ?? 10);
    const offset = Number(q.soIndex ?? 0);
    if (!Number.isInteger(limit) || limit < 1 || limit > 200)
      throw new WmFailure(400, 'INVALID_REQUEST_PARAM.GMP_ORDER_API', 'limit must be 1-200', 'limit');
    const modifiedFrom = time(q.lastModifiedStartDate, 'lastModifiedStartDate');
    const modifiedTo = time(q.lastModifiedEndDate, 'lastModifiedEndDate') ?? Infinity;
    const createdFrom = time(q.createdStartDate, 'createdStartDate');
    const oldest = now().getTime() - 180 * 86_400_000;
    if ((modifiedFrom ?? createdFrom ?? oldest) < oldest)
      throw new WmFailure(
        400,
        'INVALID_REQUEST_PARAM.GMP_ORDER_API',
        'only the last 180 days can be queried',
      );
    const all = store
      .listModified(seller, new Date(0), new Date(8.64e15))
      .filter(visible)
      .filter((o) =>
        modifiedFrom !== undefined
          ? o.modifiedAt.getTime() >= modifiedFrom && o.modifiedAt.getTime() <= modifiedTo
          : o.createdAt.getTime() >= (createdFrom ?? oldest),
      )
      .sort((a, b) => a.modifiedAt.getTime() - b.modifiedAt.getTime() || a.id.localeCompare(b.id))
      // At most 10,000 orders per query window.
      .slice(0, 10_000);
    const page = all.slice(offset, offset + limit);
    const more = offset + limit < all.length;
    const next = new URLSearchParams({
      ...Object.fromEntries(
        Object.entries(q).filter(([k, v]) => v !== undefined && k !== 'soIndex' && k !== 'hasMoreElements'),
      ),
      limit: String(limit),
      hasMoreElements: 'true',
      soIndex: String(offset + limit),
    } as Record<string, string>);
    return {
      list: {
        meta: { totalCount: all.length, limit, ...(more ? { nextCursor: `?${next}` } : {}) },
        elements: { order: page.map(render) },
      },
    };
  });

  route('GET', '/v3/orders/:po', 'getAnOrder', (request, seller) => ({
    order: render(orderOf(seller, (request.params as { po: string }).po)),
  }));

  route('POST', '/v3/orders/:po/acknowledge', 'acknowledgeOrders', (request, seller) => {
    const order = orderOf(seller, (request.params as { po: string }).po);
    if (order.status === 'cancelled')
      throw new WmFailure(400, 'INVALID_REQUEST_CONTENT.GMP_ORDER_API', `PO ${order.id} is cancelled`);
    acknowledged.add(`${seller}:${order.id}`);
    return { order: render(order) };
  });

  route('POST', '/v3/orders/:po/shipping', 'shippingUpdates', (request, seller) => {
    const order = orderOf(seller, (request.params as { po: string }).po);
    const body = (request.body ?? {}) as {
      orderLines?: Array<{
        lineNumber?: string;
        trackingInfo?: {
          shipDateTime?: string;
          carrierName?: string;
          methodCode?: string;
          trackingNumber?: string;
        };
      }>;
    };
    const lines = body.orderLines ?? [];
    const bad = (text: string, field = '') =>
      new WmFailure(400, 'INVALID_REQUEST_CONTENT.GMP_ORDER_API', text, field);
    if (lines.length === 0) throw bad('orderLines is required', 'orderLines');
    if (!acknowledged.has(`${seller}:${order.id}`))
      throw bad(`PO ${order.id} must be acknowledged before shipping`);
    if (order.status !== 'paid') throw bad(`PO ${order.id} cannot ship in its state`);
    const sent = shippedLines(order);
    for (const line of lines) {
      const t = line.trackingInfo;
      if (!order.items.some((i) => i.lineId === line.lineNumber))
        throw bad(`no line ${line.lineNumber ?? ''}`, 'lineNumber');
      if (sent.has(line.lineNumber!)) throw bad(`line ${line.lineNumber} is already shipped`, 'lineNumber');
      if (!t || !/^\d{12,14}$/.test(t.shipDateTime ?? ''))
        throw bad('shipDateTime must be epoch milliseconds', 'shipDateTime');
      if (!carriers.has(t.carrierName ?? ''))
        throw bad(`carrierName ${t.carrierName ?? ''} is not supported`, 'carrierName');
      if (!t.methodCode) throw bad('methodCode is required', 'methodCode');
      if (!/^[A-Za-z0-9]{6,40}$/.test(t.trackingNumber ?? ''))
        throw bad('trackingNumber is invalid', 'trackingNumber');
    }
    const byNumber = new Map<string, string[]>();
    for (const line of lines) {
      const n = line.trackingInfo!.trackingNumber!;
      byNumber.set(n, [...(byNumber.get(n) ?? []), line.lineNumber!]);
    }
    store.update(
      seller,
      order.id,
      (o) => {
        for (const [trackingNumber, lineIds] of byNumber) {
          const first = lines.find((l) => l.trackingInfo!.trackingNumber === trackingNumber)!.trackingInfo!;
          const shipment = {
            carrierCode: first.carrierName!,
            trackingNumber,
            shippedAt: new Date(Number(first.shipDateTime)),
            lineIds,
          };
          if (o.shipment) (o.extraShipments ??= []).push(shipment);
          else o.shipment = shipment;
        }
        const shipped = shippedLines(o);
        if (o.items.every((i) => shipped.has(i.lineId))) o.status = 'shipped';
      },
      now(),
    );
    return { order: render(store.get(seller, order.id)!) };
  });

  const inventoryOf = (seller: string) => {
    options.inventory?.countCall(seller);
    return options.inventory;
  };
  const listingOf = (seller: string, sku: string | undefined) => {
    const listing = sku ? inventoryOf(seller)?.get(seller, sku) : undefined;
    if (!listing)
      throw new WmFailure(404, 'CONTENT_NOT_FOUND.GMP_INVENTORY_API', `SKU ${sku ?? ''} not found`, 'sku');
    return listing;
  };
  route('GET', '/v3/inventory', 'getInventory', (request, seller) => {
    const sku = (request.query as { sku?: string }).sku;
    return { sku, quantity: { unit: 'EACH', amount: listingOf(seller, sku).quantity } };
  });
  route('PUT', '/v3/inventory', 'updateInventory', (request, seller) => {
    const sku = (request.query as { sku?: string }).sku;
    const body = (request.body ?? {}) as { sku?: string; quantity?: { unit?: string; amount?: number } };
    const listing = listingOf(seller, sku);
    const amount = body.quantity?.amount;
    if (
      body.sku !== sku ||
      body.quantity?.unit !== 'EACH' ||
      !Number.isInteger(amount) ||
      amount! < 0 ||
      amount! > 999_999
    )
      throw new WmFailure(
        400,
        'INVALID_REQUEST_CONTENT.GMP_INVENTORY_API',
        'sku and quantity {unit: EACH, amount} are required',
      );
    if (listing.status === 'delisted')
      throw new WmFailure(400, 'INVALID_REQUEST_CONTENT.GMP_INVENTORY_API', `SKU ${sku} is retired`, 'sku');
    options.inventory!.set(seller, sku!, amount!, now());
    return { sku, quantity: { unit: 'EACH', amount } };
  });

  app.post('/v3/token', async (request, reply) => {
    const header = request.headers.authorization ?? '';
    const client = options.clients.find(
      (c) => header === `Basic ${Buffer.from(`${c.clientId}:${c.clientSecret}`).toString('base64')}`,
    );
    if (!client)
      return fail(reply, new WmFailure(401, 'UNAUTHORIZED.GMP_GATEWAY_API', 'Invalid client credentials'));
    if ((request.body as Record<string, string> | undefined)?.grant_type !== 'client_credentials')
      return fail(
        reply,
        new WmFailure(
          400,
          'INVALID_REQUEST_CONTENT.GMP_GATEWAY_API',
          'grant_type must be client_credentials',
        ),
      );
    const grant = auth.grant(client.sellerId);
    return reply.send({
      access_token: grant.accessToken,
      token_type: 'Bearer',
      expires_in: Math.round((grant.expiresAt.getTime() - now().getTime()) / 1000),
    });
  });
};
