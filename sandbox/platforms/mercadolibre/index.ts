import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { stringify } from 'lossless-json';
import type { SimInventory } from '../../kit/inventory.js';
import { FaultPlan } from '../../kit/rate-limit.js';
import type { SimOrderStore } from '../../kit/store.js';
import type { SimTokenAuth } from '../../kit/token-auth.js';
import type { SimOrder } from '../../orders/model.js';
import { meliOrderBody, meliShipmentId, renderMeliShipment } from './render.js';

export { meliItemId, meliShipmentId, renderMeliNotification, renderMeliOrder } from './render.js';

export interface MeliSimulatorOptions {
  store: SimOrderStore;
  /** The one app the simulated Mercado Libre knows (client id = app id, a number). */
  app: { clientId: string; clientSecret: string };
  /** Sellers that authorised the app (store shopKey = user id) and their tokens. */
  auth: SimTokenAuth;
  inventory?: SimInventory;
  faults?: FaultPlan;
  now?: () => Date;
  /** Who ships an order: the seller (`custom`, default) or Mercado Envios (`me2`). */
  shipmentMode?: (order: SimOrder) => 'custom' | 'me2';
}

class MeliFailure extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Mercado Libre's API as a Fastify plugin (MORE-CHANNELS §13): every call's bearer token checked
 * here (missing, unknown or expired → 401 `{message, error, status, cause}`), orders and their
 * search (`seller` must be the token's user, `order.date_last_updated.from/to`, `offset`,
 * `limit` ≤ 51, `sort` date_asc/date_desc), ids as bare 16-digit numbers, shipments in `custom`
 * mode taking the seller's tracking number, items' `available_quantity` (item or variation), and
 * the refresh-token grant with single-use refresh tokens.
 */
export const meliSimulator: FastifyPluginAsync<MeliSimulatorOptions> = async (app, options) => {
  const { store, auth } = options;
  const now = options.now ?? (() => new Date());
  const faults = options.faults ?? new FaultPlan();
  const modeOf = options.shipmentMode ?? (() => 'custom' as const);

  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) =>
    done(null, Object.fromEntries(new URLSearchParams(String(body)))),
  );
  const fail = (reply: FastifyReply, f: MeliFailure) =>
    reply.code(f.status).send({ message: f.message, error: f.error, status: f.status, cause: [] });
  const json = (reply: FastifyReply, text: string) => reply.type('application/json').send(text);

  const userOf = (request: FastifyRequest): string => {
    const m = /^Bearer\s+(\S+)$/.exec(request.headers.authorization ?? '');
    const found = m ? auth.lookup(m[1]!) : undefined;
    if (!found || found.expired) throw new MeliFailure(401, 'unauthorized', 'invalid access token');
    return found.grant.shopKey;
  };

  type Handler = (request: FastifyRequest, user: string, reply: FastifyReply) => unknown;
  const route = (method: 'GET' | 'PUT', url: string, handler: Handler) =>
    app.route({
      method,
      url,
      handler: async (request, reply) => {
        try {
          const planned = faults.next(url);
          if (planned) {
            if (planned.retryAfterSeconds !== undefined)
              reply.header('retry-after', String(planned.retryAfterSeconds));
            throw new MeliFailure(
              planned.status,
              planned.status === 429 ? 'too_many_requests' : 'internal_error',
              'busy',
            );
          }
          return await handler(request, userOf(request), reply);
        } catch (err) {
          if (err instanceof MeliFailure) return fail(reply, err);
          throw err;
        }
      },
    });

  const all = (user: string) => store.listModified(user, new Date(0), new Date(8.64e15));
  const orderOf = (user: string, id: string): SimOrder => {
    const order = /^\d+$/.test(id) ? store.get(user, id) : undefined;
    if (!order) throw new MeliFailure(404, 'not_found', `Order ${id} not found`);
    return order;
  };
  /** Shipment id → order id, learnt as orders are served (a shipment is found through its order). */
  const shipments = new Map<string, string>();
  const served = (o: SimOrder) => {
    shipments.set(`${o.shopKey}:${meliShipmentId(o)}`, o.id);
    return meliOrderBody(o);
  };
  const shipmentOf = (user: string, id: string): SimOrder => {
    const known = shipments.get(`${user}:${id}`);
    const order = known ? store.get(user, known) : all(user).find((o) => meliShipmentId(o) === id);
    if (!order) throw new MeliFailure(404, 'not_found', `Shipment ${id} not found`);
    return order;
  };

  route('GET', '/orders/search', (request, user, reply) => {
    const q = request.query as Record<string, string | undefined>;
    if (q.seller !== user) throw new MeliFailure(403, 'forbidden', 'caller.id does not match seller');
    const limit = Number(q.limit ?? 50);
    const offset = Number(q.offset ?? 0);
    if (!Number.isInteger(limit) || limit < 1 || limit > 51)
      throw new MeliFailure(400, 'bad_request', 'limit must be 1-51');
    if (!Number.isInteger(offset) || offset < 0) throw new MeliFailure(400, 'bad_request', 'invalid offset');
    const bound = (name: string) => {
      const value = q[name];
      if (value === undefined) return undefined;
      const at = Date.parse(value);
      if (Number.isNaN(at)) throw new MeliFailure(400, 'bad_request', `invalid ${name}`);
      return at;
    };
    const from = bound('order.date_last_updated.from') ?? -Infinity;
    const to = bound('order.date_last_updated.to') ?? Infinity;
    const sort = q.sort ?? 'date_asc';
    if (sort !== 'date_asc' && sort !== 'date_desc')
      throw new MeliFailure(400, 'bad_request', `invalid sort ${sort}`);
    const found = all(user)
      .filter((o) => o.modifiedAt.getTime() >= from && o.modifiedAt.getTime() <= to)
      .filter((o) => !q['order.status'] || meliOrderBody(o).status === q['order.status'])
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id));
    if (sort === 'date_desc') found.reverse();
    return json(
      reply,
      stringify({
        query: q.q ?? null,
        results: found.slice(offset, offset + limit).map(served),
        sort: { id: sort, name: sort === 'date_asc' ? 'Date ascending' : 'Date descending' },
        available_sorts: [],
        filters: [],
        paging: { total: found.length, offset, limit },
        display: 'complete',
      })!,
    );
  });

  route('GET', '/orders/:id', (request, user, reply) =>
    json(reply, stringify(served(orderOf(user, (request.params as { id: string }).id)))!),
  );
  route('GET', '/shipments/:id', (request, user, reply) => {
    const order = shipmentOf(user, (request.params as { id: string }).id);
    return json(reply, renderMeliShipment(order, modeOf(order)));
  });
  route('PUT', '/shipments/:id', (request, user, reply) => {
    const order = shipmentOf(user, (request.params as { id: string }).id);
    const body = (request.body ?? {}) as {
      tracking_number?: string;
      tracking_method?: string;
      status?: string;
    };
    if (!/^[A-Za-z0-9]{6,40}$/.test(body.tracking_number ?? ''))
      throw new MeliFailure(400, 'bad_request', 'tracking_number is invalid');
    if (body.status !== 'shipped') throw new MeliFailure(400, 'bad_request', 'status must be shipped');
    if (modeOf(order) !== 'custom')
      throw new MeliFailure(400, 'bad_request', 'the shipment is handled by Mercado Envios');
    if (order.status !== 'paid')
      throw new MeliFailure(400, 'bad_request', `shipment of order ${order.id} is not ready_to_ship`);
    const updated = store.update(
      user,
      order.id,
      (o) => {
        o.shipment = {
          carrierCode: body.tracking_method || 'other',
          trackingNumber: body.tracking_number!,
          shippedAt: now(),
        };
        o.status = 'shipped';
      },
      now(),
    )!;
    return json(reply, renderMeliShipment(updated, modeOf(updated)));
  });

  const inventoryOf = (user: string) => {
    options.inventory?.countCall(user);
    return options.inventory;
  };
  route('GET', '/items/:id', (request, user) => {
    const id = (request.params as { id: string }).id;
    const inventory = inventoryOf(user);
    const own = inventory?.get(user, id);
    const variations = inventory?.under(user, `${id}:`) ?? [];
    if (!own && variations.length === 0) throw new MeliFailure(404, 'not_found', `Item ${id} not found`);
    return {
      id,
      status: own?.status === 'delisted' ? 'closed' : 'active',
      available_quantity: own?.quantity ?? variations.reduce((t, [, v]) => t + v.quantity, 0),
      variations: variations.map(([key, v]) => ({
        id: Number(key.slice(id.length + 1)),
        available_quantity: v.quantity,
      })),
    };
  });
  const setQuantity = (user: string, key: string, body: unknown) => {
    const quantity = (body as { available_quantity?: number } | undefined)?.available_quantity;
    const inventory = inventoryOf(user);
    const listing = inventory?.get(user, key);
    if (!listing) throw new MeliFailure(404, 'not_found', `Item ${key} not found`);
    if (!Number.isInteger(quantity) || quantity! < 0 || quantity! > 99_999)
      throw new MeliFailure(400, 'validation_error', 'available_quantity must be 0-99999');
    if (listing.status === 'delisted')
      throw new MeliFailure(400, 'item.status.invalid', `Item ${key} is closed`);
    inventory!.set(user, key, quantity!, now());
    return { id: key, available_quantity: quantity };
  };
  route('PUT', '/items/:id', (request, user) =>
    setQuantity(user, (request.params as { id: string }).id, request.body),
  );
  route('PUT', '/items/:id/variations/:variation', (request, user) => {
    const { id, variation } = request.params as { id: string; variation: string };
    return setQuantity(user, `${id}:${variation}`, request.body);
  });

  app.post('/oauth/token', async (request, reply) => {
    const p = (request.body ?? {}) as Record<string, string>;
    if (p.client_id !== options.app.clientId || p.client_secret !== options.app.clientSecret)
      return reply
        .code(401)
        .send({ error: 'invalid_client', message: 'invalid client_id or client_secret', status: 401 });
    if (p.grant_type !== 'refresh_token')
      return reply.code(400).send({ error: 'unsupported_grant_type', message: 'grant_type', status: 400 });
    // Refresh tokens are single-use: the old pair stops working.
    const grant = auth.refresh(p.refresh_token ?? '');
    if (!grant)
      return reply.code(400).send({ error: 'invalid_grant', message: 'invalid refresh_token', status: 400 });
    return reply.send({
      access_token: grant.accessToken,
      token_type: 'Bearer',
      expires_in: Math.round((grant.expiresAt.getTime() - now().getTime()) / 1000),
      scope: 'offline_access read write',
      user_id: Number(grant.shopKey),
      refresh_token: grant.refreshToken,
    });
  });
};
