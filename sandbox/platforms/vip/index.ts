import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { SimInventory } from '../../kit/inventory.js';
import { FaultPlan } from '../../kit/rate-limit.js';
import type { SimOrderStore } from '../../kit/store.js';
import type { SimTokenAuth } from '../../kit/token-auth.js';
import type { SimOrder } from '../../orders/model.js';

export interface VipSimulatorOptions {
  store: SimOrderStore;
  /** The app (appKey, appSecret) and the vendor (vendor_id, store shopKey) whose tokens `auth` issues. */
  app: { appKey: string; appSecret: string; shopKey: string };
  auth: SimTokenAuth;
  /** Carrier codes the simulator takes (its own list). */
  carrierCodes?: readonly string[];
  /** Stock by barcode (listing key = the barcode). */
  inventory?: SimInventory;
  faults?: FaultPlan;
  now?: () => Date;
}

/**
 * The simulator's carrier codes: made-up values of the sandbox, not VIP's (a vendor's real codes come
 * from getCarrierList; none is in our sources, docs/platforms/vip.md).
 */
export const VIP_SIM_CARRIER_CODES = [
  '1200000588',
  '1200000589',
  '1200000590',
  '1200000591',
  '1200000592',
  '1200000593',
  '1200000594',
] as const;

/**
 * The carriers the demo ships with (scripts/stack/demo-carriers.ts: SF, and ZTO, YTO, STO, Yunda,
 * EMS through Cainiao; JD for JD's own) each with a simulator code: the demo VIP vendor's
 * `credentials.extra.carrierCodes`. A demo setting — a real vendor sets the codes VIP gives it.
 */
export const VIP_DEMO_CARRIER_CODES = (['SF', 'ZTO', 'YTO', 'JD', 'STO', 'YUNDA', 'EMS'] as const)
  .map((carrier, i) => `${carrier}=${VIP_SIM_CARRIER_CODES[i]}`)
  .join(',');

/** Its own refusal codes (VOP's are not in our sources). */
class VopFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The simulator's own check of `sign`: HMAC-MD5 with the app secret over the query's system
 * parameters in the order VOP's SDK writes them (accessToken when sent, appKey, format, language
 * when sent, method, service, timestamp, version — each name then its value) followed by the raw
 * request body; upper-case hex.
 */
function expectedSign(secret: string, query: Record<string, string | undefined>, rawBody: string): string {
  const mac = createHmac('md5', secret);
  const put = (name: string, optional = false) => {
    const value = query[name];
    if (optional && !value) return;
    mac.update(name + (value ?? ''), 'utf8');
  };
  put('accessToken', true);
  put('appKey');
  put('format');
  put('language', true);
  put('method');
  put('service');
  put('timestamp');
  put('version');
  mac.update(rawBody, 'utf8');
  return mac.digest('hex').toUpperCase();
}

const pad = (n: number) => String(n).padStart(2, '0');
/** China time `yyyy-MM-dd HH:mm:ss`. */
export function vipSimTime(d: Date): string {
  const t = new Date(d.getTime() + 8 * 3_600_000);
  return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())} ${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}`;
}
function readSimTime(text: unknown): number {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(String(text ?? ''));
  if (!m) return NaN;
  return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) - 8 * 3_600_000;
}
const yuan = (minor: number) => (minor / 100).toFixed(2);

/** When VIP released the order to the vendor (its payment): what the list's add-time window reads. */
const releasedAt = (o: SimOrder) => o.paidAt ?? o.createdAt;

/** SimOrder → a `DvdOrder` (the SDK's field names), the simulator's rendering. */
export function vipOrderBody(order: SimOrder, vendorId: string) {
  const refund = order.refund;
  const refunding = refund && ['requested', 'agreed', 'returning'].includes(refund.status);
  const status = (): string => {
    if (refund?.status === 'refunded') return '49';
    switch (order.status) {
      case 'paid':
        return refunding ? '45' : '10';
      case 'shipped':
        return refunding ? '53' : '22';
      case 'completed':
        return '60';
      default:
        return '97';
    }
  };
  const goods = order.items.reduce((t, i) => t + i.unitPriceMinor * i.quantity, 0);
  const r = order.receiver;
  return {
    order_id: order.id,
    order_status: status(),
    buyer: r.name,
    address: r.detail,
    mobile: r.phone,
    tel: '',
    postcode: r.postalCode ?? '',
    province: r.province,
    city: r.city,
    country: r.district,
    country_id: 'CN',
    invoice: '',
    carriage: yuan(order.shippingMinor),
    remark: order.buyerRemark ?? '',
    transport_day: '',
    vendor_id: Number(vendorId),
    vendor_name: 'sandbox vendor',
    product_money: yuan(goods),
    add_time: vipSimTime(order.createdAt),
    vis_add_time: vipSimTime(releasedAt(order)),
    po_no: `PO${vendorId}${vipSimTime(order.createdAt).slice(0, 10).replace(/-/g, '')}`,
    vip_order_total_amount: order.paidMinor / 100,
    invoice_amount: order.paidMinor / 100,
  };
}

/**
 * VIP's open platform (VOP) as a Fastify plugin (docs/platforms/vip.md): `POST /` with the system
 * parameters in the query and the method's arguments as a JSON body — its own checks of `appKey`,
 * `sign`, `timestamp` (±10 min), the token and the vendor — answering `{returnCode: "0", result}`
 * or `{returnCode, returnMessage}`: `DvdDeliveryService` getOrderList (add-time window read as
 * the release time, pages), getOrderDetail (lines by barcode), ship; `InventoryService`
 * updateInventory / getSkuStock; `OauthService.refreshToken`.
 */
export const vipSimulator: FastifyPluginAsync<VipSimulatorOptions> = async (app, options) => {
  const { store, auth } = options;
  const now = options.now ?? (() => new Date());
  const faults = options.faults ?? new FaultPlan();
  const vendor = options.app.shopKey;
  const carriers = new Set<string>(options.carrierCodes ?? VIP_SIM_CARRIER_CODES);
  const batches = new Set<string>();

  // The body is signed as sent: it is kept as text and parsed after the signature check.
  const asText = (_req: unknown, body: string | Buffer, done: (err: null, body: string) => void) =>
    done(null, String(body));
  app.addContentTypeParser('application/json', { parseAs: 'string' }, asText);
  app.addContentTypeParser('*', { parseAs: 'string' }, asText);

  const answer = (reply: FastifyReply, body: unknown) => reply.type('application/json').send(body);
  type Handler = (args: Record<string, unknown>) => unknown;
  const apis = new Map<string, Handler>();
  const open = new Set(['vipapis.oauth.OauthService.refreshToken']);

  app.post('/', async (request, reply) => {
    const query = request.query as Record<string, string | undefined>;
    const raw = typeof request.body === 'string' ? request.body : '';
    try {
      const name = `${query.service ?? ''}.${query.method ?? ''}`;
      const planned = faults.next(query.method ?? '');
      if (planned) {
        if (planned.retryAfterSeconds !== undefined)
          reply.header('retry-after', String(planned.retryAfterSeconds));
        return reply
          .code(planned.status)
          .send({ returnCode: 'vipapis.system-busy', returnMessage: '系统繁忙' });
      }
      for (const p of ['service', 'method', 'version', 'timestamp', 'format', 'appKey', 'sign'])
        if (!query[p]) throw new VopFailure('vipapis.param-missing', `system parameter ${p} is missing`);
      if (query.appKey !== options.app.appKey)
        throw new VopFailure('vipapis.appKey-invalid', 'appKey not found');
      const expected = expectedSign(options.app.appSecret, query, raw);
      const given = query.sign!;
      if (given.length !== expected.length || !timingSafeEqual(Buffer.from(given), Buffer.from(expected)))
        throw new VopFailure('vipapis.sign-invalid', 'sign is invalid');
      const stamp = Number(query.timestamp);
      if (!Number.isInteger(stamp) || Math.abs(stamp - now().getTime() / 1000) > 600)
        throw new VopFailure(
          'vipapis.timestamp-invalid',
          'timestamp differs from the server by more than 10 min',
        );
      if (query.format!.toLowerCase() !== 'json') throw new VopFailure('vipapis.format-invalid', 'format');
      const handler = apis.get(name);
      if (!handler) throw new VopFailure('vipapis.service-not-found', `${name} not found`);
      if (!open.has(name)) {
        const found = auth.lookup(query.accessToken ?? '');
        if (!found || found.grant.shopKey !== vendor)
          throw new VopFailure('vipapis.oauth-token-invalid', 'accessToken is invalid');
        if (found.expired) throw new VopFailure('vipapis.oauth-token-expired', 'accessToken has expired');
      }
      let args: Record<string, unknown>;
      try {
        args = (raw ? JSON.parse(raw) : {}) as Record<string, unknown>;
      } catch {
        throw new VopFailure('vipapis.param-invalid', 'body is not JSON');
      }
      return answer(reply, { returnCode: '0', result: handler(args ?? {}) });
    } catch (err) {
      if (err instanceof VopFailure)
        return answer(reply, { returnCode: err.code, returnMessage: err.message });
      throw err;
    }
  });

  const vendorOf = (args: Record<string, unknown>) => {
    if (args.vendor_id === undefined)
      throw new VopFailure('vipapis.param-invalid', 'vendor_id can not be null');
    if (String(args.vendor_id) !== vendor)
      throw new VopFailure('vipapis.vendor-forbidden', `vendor ${String(args.vendor_id)} is not authorized`);
  };
  const orderOf = (id: unknown): SimOrder | undefined => {
    const order = store.get(vendor, typeof id === 'string' ? id : '');
    return order && order.status !== 'unpaid' && order.status !== 'deposit_paid' ? order : undefined;
  };
  const paging = (args: Record<string, unknown>, max: number) => {
    const page = args.page === undefined ? 1 : Number(args.page);
    const limit = args.limit === undefined ? 50 : Number(args.limit);
    if (!Number.isInteger(page) || page < 1) throw new VopFailure('vipapis.param-invalid', 'page');
    if (!Number.isInteger(limit) || limit < 1 || limit > max)
      throw new VopFailure('vipapis.param-invalid', 'limit');
    return { start: (page - 1) * limit, limit };
  };

  const D = 'vipapis.delivery.DvdDeliveryService';
  apis.set(`${D}.getOrderList`, (args) => {
    vendorOf(args);
    const from = readSimTime(args.st_add_time);
    const to = readSimTime(args.et_add_time);
    if (Number.isNaN(from) || Number.isNaN(to) || to < from)
      throw new VopFailure('vipapis.param-invalid', 'st_add_time / et_add_time (yyyy-MM-dd HH:mm:ss)');
    const { start, limit } = paging(args, 200);
    const found = store
      .listModified(vendor, new Date(0), new Date(8.64e15))
      .filter((o) => o.status !== 'unpaid' && o.status !== 'deposit_paid')
      .filter((o) => {
        const at = Math.floor(releasedAt(o).getTime() / 1000) * 1000;
        return at >= from && at <= to;
      })
      .filter((o) => args.order_id === undefined || o.id === args.order_id)
      .sort((a, b) => releasedAt(a).getTime() - releasedAt(b).getTime() || (a.id < b.id ? -1 : 1));
    return {
      dvd_order_list: found.slice(start, start + limit).map((o) => vipOrderBody(o, vendor)),
      total: found.length,
    };
  });

  apis.set(`${D}.getOrderDetail`, (args) => {
    vendorOf(args);
    const order = orderOf(args.order_id);
    if (!order) throw new VopFailure('vipapis.order-not-found', `order ${String(args.order_id)} not found`);
    const { start, limit } = paging(args, 200);
    return {
      orderDetails: order.items.slice(start, start + limit).map((i) => ({
        brand_name: '示例品牌',
        product_name: i.title,
        size: i.spec,
        art_no: i.skuCode,
        barcode: i.platformSkuId,
        amount: i.quantity,
        sell_price: i.unitPriceMinor / 100,
        order_id: order.id,
        customized_info: '',
      })),
      total: order.items.length,
    };
  });

  apis.set(`${D}.ship`, (args) => {
    vendorOf(args);
    const list = args.ship_list as Array<Record<string, unknown>> | undefined;
    if (!Array.isArray(list) || list.length === 0) throw new VopFailure('vipapis.param-invalid', 'ship_list');
    const success: unknown[] = [];
    const fail: unknown[] = [];
    for (const ship of list) {
      const refuse = (error_msg: string) => fail.push({ ...ship, error_msg });
      const order = orderOf(ship.order_id);
      if (!order) {
        refuse('订单不存在');
        continue;
      }
      if (!carriers.has(String(ship.carrier_code ?? ''))) {
        refuse(`承运商编码 ${String(ship.carrier_code)} 不存在`);
        continue;
      }
      if (order.status !== 'paid' || order.refund) {
        refuse('订单状态不允许发货');
        continue;
      }
      const packages = (ship.packages ?? []) as Array<{
        transport_no?: unknown;
        package_product_list?: Array<{ barcode?: unknown; amount?: unknown }>;
      }>;
      const tracking = String(packages[0]?.transport_no ?? '');
      if (packages.length !== 1 || ship.package_type !== '1' || !/^[A-Za-z0-9]{8,40}$/.test(tracking)) {
        refuse('包裹信息错误');
        continue;
      }
      const sent = new Map<string, number>();
      for (const p of packages[0]!.package_product_list ?? [])
        sent.set(String(p.barcode ?? ''), (sent.get(String(p.barcode ?? '')) ?? 0) + Number(p.amount));
      const due = new Map<string, number>();
      for (const i of order.items) due.set(i.platformSkuId, (due.get(i.platformSkuId) ?? 0) + i.quantity);
      if (sent.size !== due.size || [...due].some(([b, n]) => sent.get(b) !== n)) {
        refuse('发货商品与订单商品不一致');
        continue;
      }
      const at = now();
      store.update(
        vendor,
        order.id,
        (o) => {
          o.shipment = { carrierCode: String(ship.carrier_code), trackingNumber: tracking, shippedAt: at };
          o.status = 'shipped';
        },
        at,
      );
      success.push(ship);
    }
    return { success_num: success.length, success_data: success, fail_num: fail.length, fail_data: fail };
  });

  const inventoryOf = () => {
    options.inventory?.countCall(vendor);
    return options.inventory;
  };
  const I = 'vipapis.inventory.InventoryService';
  apis.set(`${I}.updateInventory`, (args) => {
    const r = (args.request ?? {}) as Record<string, unknown>;
    vendorOf(r);
    const barcode = String(r.barcode ?? '');
    const batch = String(r.batch_no ?? '');
    if (!batch || batch.length > 40) throw new VopFailure('vipapis.param-invalid', 'batch_no');
    if (batches.has(batch))
      throw new VopFailure('vipapis.inventory-batch-repeated', `batch_no ${batch} was used`);
    const quantity = r.quantity;
    const mode = r.sync_mode === undefined ? 0 : Number(r.sync_mode);
    if (!Number.isInteger(quantity) || (mode === 0 && (quantity as number) < 0))
      throw new VopFailure('vipapis.param-invalid', 'quantity');
    const inventory = inventoryOf();
    const listing = inventory?.get(vendor, barcode);
    if (!listing) throw new VopFailure('vipapis.inventory-barcode-not-found', `barcode ${barcode} not found`);
    if (listing.status === 'delisted')
      throw new VopFailure('vipapis.inventory-barcode-offline', `barcode ${barcode} is not on sale`);
    batches.add(batch);
    inventory!.set(
      vendor,
      barcode,
      mode === 1 ? listing.quantity + (quantity as number) : (quantity as number),
      now(),
    );
    return null;
  });
  apis.set(`${I}.getSkuStock`, (args) => {
    vendorOf(args);
    const barcode = String(args.barcode ?? '');
    const listing = inventoryOf()?.get(vendor, barcode);
    return listing
      ? [{ barcode, leaving_stock: listing.quantity, current_hold: 0, warehouse: args.warehouse ?? 'VIP_NH' }]
      : [];
  });

  apis.set('vipapis.oauth.OauthService.refreshToken', (args) => {
    const r = (args.request ?? {}) as Record<string, unknown>;
    if (r.client_id !== options.app.appKey || r.client_secret !== options.app.appSecret)
      throw new VopFailure('vipapis.oauth-client-invalid', 'client_id / client_secret');
    const grant = auth.refresh(String(r.refresh_token ?? ''));
    if (!grant) throw new VopFailure('vipapis.oauth-refresh-token-invalid', 'refresh_token is invalid');
    return {
      access_token: grant.accessToken,
      refresh_token: grant.refreshToken,
      expires_in: Math.round((grant.expiresAt.getTime() - now().getTime()) / 1000),
    };
  });
};
