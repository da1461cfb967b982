import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { isSafeNumber, parse, stringify } from 'lossless-json';
import type { SimInventory } from '../../kit/inventory.js';
import { FaultPlan } from '../../kit/rate-limit.js';
import type { SimOrderStore } from '../../kit/store.js';
import type { SimTokenAuth } from '../../kit/token-auth.js';
import type { SimOrder } from '../../orders/model.js';
import { aliexpressOrderBody, aliexpressStatus } from './render.js';

export {
  aliexpressProductId,
  aliexpressSimPushSign,
  aliexpressSimTime,
  renderAliexpressOrder,
  renderAliexpressPush,
} from './render.js';

export interface AliexpressSimulatorOptions {
  store: SimOrderStore;
  /** The one app the simulated gateway knows. */
  app: { appKey: string; appSecret: string };
  /** Sellers that authorised the app (store shopKey = seller id) and their tokens. */
  auth: SimTokenAuth;
  inventory?: SimInventory;
  faults?: FaultPlan;
  now?: () => Date;
}

/** Logistics services the simulator takes (its own list). */
const SERVICES = new Set(['SF', 'EMS', 'CPAM', 'YTO', 'ZTO', 'JT', 'DHL', 'FEDEX_IE', 'UPS', 'USPS']);
const TIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

class AeFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 200,
  ) {
    super(message);
  }
}

/**
 * The simulator's own reading of the gateway's signing (§9): parameters but `sign` sorted by
 * name, each name followed by its value; `/sync` signs that string alone, `/rest/<path>` puts the
 * path in front; sha256 = HMAC keyed with the secret, md5 = MD5(secret + string + secret); upper hex.
 */
export function aliexpressSimSign(
  secret: string,
  params: Record<string, string>,
  prefix: string,
  method: string,
): string {
  let text = prefix;
  for (const name of Object.keys(params).sort()) if (name !== 'sign') text += name + params[name];
  const digest =
    method === 'md5'
      ? createHash('md5')
          .update(secret + text + secret, 'utf8')
          .digest('hex')
      : createHmac('sha256', secret).update(text, 'utf8').digest('hex');
  return digest.toUpperCase();
}

/**
 * AliExpress Open Platform (IOP gateway) as a Fastify plugin (MORE-CHANNELS §9): `POST /sync`
 * with `method` and signed form parameters — its own check of the signature (sha256 or md5), the
 * timestamp (within 7200 s) and the seller's `session` token — answering
 * `{<method>_response: {result: …}}` or `{error_response: {code, msg}}`; the order list by
 * modified time (`param0`, `page_size` ≤ 50) with 16-digit ids as bare numbers; the order detail;
 * `fulfill` (part, then all); product SKU stock; `POST /rest/auth/token/refresh` signed with its
 * path, refresh tokens single-use.
 */
export const aliexpressSimulator: FastifyPluginAsync<AliexpressSimulatorOptions> = async (app, options) => {
  const { store, auth } = options;
  const now = options.now ?? (() => new Date());
  const faults = options.faults ?? new FaultPlan();
  let requests = 0;

  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) =>
    done(null, Object.fromEntries(new URLSearchParams(String(body)))),
  );
  const requestId = () => `ae-sim-${++requests}`;
  const fail = (reply: FastifyReply, f: AeFailure) =>
    reply
      .code(f.status)
      .type('application/json')
      .send({ error_response: { code: f.code, msg: f.message, request_id: requestId() } });

  const verify = (p: Record<string, string>, prefix: string) => {
    if (p.app_key !== options.app.appKey) throw new AeFailure('InvalidAppKey', 'App key is invalid');
    const method = p.sign_method ?? '';
    if (method !== 'sha256' && method !== 'md5') throw new AeFailure('InvalidSignMethod', 'sign_method');
    const at = Number(p.timestamp);
    if (!Number.isFinite(at) || Math.abs(now().getTime() - at) > 7200_000)
      throw new AeFailure('InvalidTimestamp', 'Timestamp is out of range');
    const expected = Buffer.from(aliexpressSimSign(options.app.appSecret, p, prefix, method));
    const given = Buffer.from(p.sign ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      throw new AeFailure(
        'IncompleteSignature',
        'The request signature does not conform to platform standards',
      );
  };

  app.post('/rest/auth/token/refresh', async (request, reply) => {
    try {
      const p = (request.body ?? {}) as Record<string, string>;
      verify(p, '/auth/token/refresh');
      const grant = auth.refresh(p.refresh_token ?? '');
      if (!grant) throw new AeFailure('InvalidRefreshToken', 'refresh_token is invalid');
      return reply.send({
        code: '0',
        access_token: grant.accessToken,
        refresh_token: grant.refreshToken,
        expires_in: Math.round((grant.expiresAt.getTime() - now().getTime()) / 1000),
        refresh_expires_in: 30 * 86_400,
        seller_id: grant.shopKey,
        account_platform: 'seller_center',
        request_id: requestId(),
      });
    } catch (err) {
      if (err instanceof AeFailure) return fail(reply, err);
      throw err;
    }
  });

  type Handler = (p: Record<string, string>, seller: string) => unknown;
  const methods = new Map<string, Handler>();

  app.post('/sync', async (request, reply) => {
    const p = (request.body ?? {}) as Record<string, string>;
    try {
      const planned = faults.next(p.method ?? '');
      if (planned) {
        if (planned.retryAfterSeconds !== undefined)
          reply.header('retry-after', String(planned.retryAfterSeconds));
        throw new AeFailure(
          planned.status === 429 ? 'ApiCallLimit' : 'isp.service-unavailable',
          'busy',
          planned.status,
        );
      }
      verify(p, '');
      const found = auth.lookup(p.session ?? p.access_token ?? '');
      if (!found || found.expired)
        throw new AeFailure('IllegalAccessToken', 'The specified access token is invalid or expired');
      const handler = methods.get(p.method ?? '');
      if (!handler) throw new AeFailure('InvalidApiPath', `method ${p.method} not found`);
      const result = handler(p, found.grant.shopKey);
      return reply
        .type('application/json')
        .send(
          stringify({ [`${p.method!.replace(/\./g, '_')}_response`]: { result, request_id: requestId() } })!,
        );
    } catch (err) {
      if (err instanceof AeFailure) return fail(reply, err);
      throw err;
    }
  });

  const json = (value: string | undefined, field: string): Record<string, unknown> => {
    try {
      const parsed = parse(value ?? '', null, (d) => (isSafeNumber(d) ? Number(d) : d));
      if (typeof parsed === 'object' && parsed !== null) return parsed as Record<string, unknown>;
    } catch {
      // below
    }
    throw new AeFailure('MissingParameter', `${field} must be a JSON object`);
  };
  const idOf = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');
  const orderOf = (seller: string, id: unknown): SimOrder => {
    const order = store.get(seller, idOf(id));
    if (!order) throw new AeFailure('isv.order-not-exist', `order ${idOf(id)} does not exist`);
    return order;
  };
  const time = (value: unknown, field: string): number => {
    const m = typeof value === 'string' ? TIME.exec(value) : null;
    if (!m) throw new AeFailure('isv.invalid-parameter', `${field} must be yyyy-MM-dd HH:mm:ss`);
    const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
    return Date.UTC(y!, mo! - 1, d!, h! - 8, mi!, s!);
  };

  methods.set('aliexpress.solution.order.get', (p, seller) => {
    const q = json(p.param0, 'param0');
    const from =
      q.modified_date_start === undefined ? -Infinity : time(q.modified_date_start, 'modified_date_start');
    const to = q.modified_date_end === undefined ? Infinity : time(q.modified_date_end, 'modified_date_end');
    const pageSize = q.page_size ?? 20;
    const page = q.current_page ?? 1;
    if (!Number.isInteger(pageSize) || (pageSize as number) < 1 || (pageSize as number) > 50)
      throw new AeFailure('isv.invalid-parameter', 'page_size must be 1-50');
    if (!Number.isInteger(page) || (page as number) < 1)
      throw new AeFailure('isv.invalid-parameter', 'current_page');
    const sec = (d: Date) => Math.floor(d.getTime() / 1000) * 1000;
    const found = store
      .listModified(seller, new Date(0), new Date(8.64e15))
      .filter((o) => sec(o.modifiedAt) >= from && sec(o.modifiedAt) <= to)
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.id.localeCompare(a.id));
    const start = ((page as number) - 1) * (pageSize as number);
    return {
      success: true,
      total_count: found.length,
      current_page: page,
      page_size: pageSize,
      total_page: Math.ceil(found.length / (pageSize as number)),
      target_list: {
        order_dto: found.slice(start, start + (pageSize as number)).map((o) => ({
          order_id: BigInt(o.id),
          order_status: aliexpressStatus(o),
          gmt_create: aliexpressOrderBody(o).gmt_create,
        })),
      },
    };
  });

  methods.set('aliexpress.solution.order.info.get', (p, seller) => ({
    success: true,
    data: aliexpressOrderBody(orderOf(seller, json(p.param1, 'param1').order_id)),
  }));

  methods.set('aliexpress.solution.order.fulfill', (p, seller) => {
    const order = orderOf(seller, p.out_ref);
    if (!SERVICES.has(p.service_name ?? ''))
      throw new AeFailure('isv.invalid-service-name', `service_name ${p.service_name}`);
    if (!/^[A-Za-z0-9]{6,40}$/.test(p.logistics_no ?? ''))
      throw new AeFailure('isv.invalid-parameter', 'logistics_no');
    if (p.send_type !== 'all' && p.send_type !== 'part')
      throw new AeFailure('isv.invalid-parameter', 'send_type must be all or part');
    if (order.status !== 'paid')
      throw new AeFailure(
        'isv.order-status-error',
        `order status ${aliexpressStatus(order)} cannot be fulfilled`,
      );
    const at = now();
    store.update(
      seller,
      order.id,
      (o) => {
        const shipment = { carrierCode: p.service_name!, trackingNumber: p.logistics_no!, shippedAt: at };
        if (o.shipment) (o.extraShipments ??= []).push(shipment);
        else o.shipment = shipment;
        if (p.send_type === 'all') o.status = 'shipped';
      },
      at,
    );
    return { success: true, result_success: true };
  });

  const inventoryOf = (seller: string) => {
    options.inventory?.countCall(seller);
    return options.inventory;
  };
  methods.set('aliexpress.solution.product.info.get', (p, seller) => {
    const productId = idOf(p.product_id);
    const skus = inventoryOf(seller)?.under(seller, `${productId}:`) ?? [];
    if (skus.length === 0)
      throw new AeFailure('isv.product-not-exist', `product ${productId} does not exist`);
    return {
      success: true,
      product_id: /^\d+$/.test(productId) ? BigInt(productId) : productId,
      aeop_ae_product_s_k_us: {
        global_aeop_ae_product_sku: skus.map(([key, v]) => ({
          sku_code: key.slice(productId.length + 1),
          id: `${productId}-${key.slice(productId.length + 1)}`,
          ipm_sku_stock: v.quantity,
        })),
      },
    };
  });
  methods.set('aliexpress.solution.batch.product.inventory.update', (p, seller) => {
    let list: unknown;
    try {
      list = JSON.parse(p.mutiple_product_update_list ?? '');
    } catch {
      list = undefined;
    }
    if (!Array.isArray(list) || list.length === 0 || list.length > 20)
      throw new AeFailure('isv.invalid-parameter', 'mutiple_product_update_list must hold 1-20 products');
    const inventory = inventoryOf(seller);
    for (const product of list as Array<Record<string, unknown>>) {
      const skus = Array.isArray(product.multiple_sku_update_list)
        ? (product.multiple_sku_update_list as Array<Record<string, unknown>>)
        : [];
      for (const sku of skus) {
        const key = `${idOf(product.product_id)}:${idOf(sku.sku_code)}`;
        const listing = inventory?.get(seller, key);
        if (!listing) throw new AeFailure('isv.sku-not-exist', `sku ${key} does not exist`);
        const quantity = sku.inventory;
        if (!Number.isInteger(quantity) || (quantity as number) < 0 || (quantity as number) > 999_999)
          throw new AeFailure('isv.invalid-parameter', 'inventory must be 0-999999');
        if (listing.status === 'delisted')
          throw new AeFailure('isv.product-offline', `product ${key} is offline`);
        inventory!.set(seller, key, quantity as number, now());
      }
    }
    return { success: true };
  });
};
