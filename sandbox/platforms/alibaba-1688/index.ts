import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { SimInventory } from '../../kit/inventory.js';
import { FaultPlan } from '../../kit/rate-limit.js';
import type { SimOrderStore } from '../../kit/store.js';
import type { SimTokenAuth } from '../../kit/token-auth.js';
import type { SimOrder } from '../../orders/model.js';
import { alibaba1688OrderBody, alibaba1688SentLines } from './render.js';
import { stringify } from 'lossless-json';

export { alibaba1688ProductId, alibaba1688SimTime, renderAlibaba1688Order } from './render.js';

export interface Alibaba1688SimulatorOptions {
  store: SimOrderStore;
  /** The app (appKey, appSecret) and the seller that authorized it (store shopKey = member id). */
  app: { appKey: string; appSecret: string; shopKey: string };
  /** The seller's OAuth tokens (refreshed through `system.oauth2/getToken`). */
  auth: SimTokenAuth;
  inventory?: SimInventory;
  faults?: FaultPlan;
  now?: () => Date;
}

/** Logistics company codes the simulator takes (its own list; SF's "SF" is the doc's). */
const CP_CODES = new Set(['SF', 'EMS', 'ZTO', 'YTO', 'STO', 'YUNDA', 'HTKY', 'POSTB', 'JD', 'JTSD', 'DBKD']);
const TIME = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{3})\+0800$/;
/** How far `_aop_timestamp` may be from the simulator's clock (its own rule). */
const CLOCK_SKEW_MS = 15 * 60_000;

/** A gateway refusal (HTTP status, `{error_code, error_message}`). */
class GwFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
/** A business refusal (HTTP 200, `{success: false, errorCode, errorMessage}`). */
class BizFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The simulator's own check of `_aop_signature`: the signing path taken from the request URL, each
 * form field but the signature as name followed by value, those pieces put in byte order and
 * appended to the path, HMAC-SHA1 under the app secret, upper-case hex.
 */
function expectedSignature(secret: string, signPath: string, form: Record<string, string>): string {
  const pieces = Object.keys(form)
    .filter((k) => k !== '_aop_signature')
    .map((k) => Buffer.from(k + form[k], 'utf8'));
  pieces.sort(Buffer.compare);
  const mac = createHmac('sha1', Buffer.from(secret, 'utf8'));
  mac.update(Buffer.from(signPath, 'utf8'));
  for (const p of pieces) mac.update(p);
  return mac.digest('hex').toUpperCase();
}

/**
 * 1688's open platform as a Fastify plugin (docs/platforms/1688.md): `POST /openapi/param2/1/
 * <namespace>/<apiName>/<appKey>` with a form — its own check of the app key, `_aop_signature`,
 * `_aop_timestamp` and the seller's token (HTTP 401 for an unknown or expired one, 400
 * `gw.SignatureInvalid` for a bad signature: the codes are the simulator's own) — and
 * `POST /openapi/http/1/system.oauth2/getToken/<appKey>` for the refresh grant. APIs: the seller's
 * order list by modify time (`pageSize` ≤ 20), one order (`alibaba.trade.get.sellerView`),
 * `alibaba.logistics.OpDeliverySendOrder.offline` by sub-order, product stock
 * (`alibaba.product.modifyStock` with `increaceModify=false` as full values, `alibaba.product.get`).
 */
export const alibaba1688Simulator: FastifyPluginAsync<Alibaba1688SimulatorOptions> = async (app, options) => {
  const { store, auth } = options;
  const now = options.now ?? (() => new Date());
  const faults = options.faults ?? new FaultPlan();
  const shopKey = options.app.shopKey;

  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) =>
    done(null, Object.fromEntries(new URLSearchParams(String(body)))),
  );
  const send = (reply: FastifyReply, status: number, body: unknown) =>
    reply.code(status).type('application/json;charset=UTF-8').send(stringify(body));

  app.post<{ Params: { appKey: string } }>(
    '/openapi/http/1/system.oauth2/getToken/:appKey',
    async (request, reply) => {
      const form = (request.body ?? {}) as Record<string, string>;
      if (form.grant_type !== 'refresh_token')
        return send(reply, 400, { error: 'unsupported_grant_type', error_description: 'grant_type' });
      if (
        request.params.appKey !== options.app.appKey ||
        form.client_id !== options.app.appKey ||
        form.client_secret !== options.app.appSecret
      )
        return send(reply, 401, { error: 'invalid_client', error_description: 'client_id or client_secret' });
      const grant = auth.refresh(form.refresh_token ?? '');
      if (!grant)
        return send(reply, 400, { error: 'invalid_grant', error_description: 'refresh_token is invalid' });
      return send(reply, 200, {
        access_token: grant.accessToken,
        refresh_token: grant.refreshToken,
        expires_in: String(Math.round((grant.expiresAt.getTime() - now().getTime()) / 1000)),
        memberId: shopKey,
        resource_owner: shopKey,
      });
    },
  );

  type Handler = (form: Record<string, string>) => unknown;
  const apis = new Map<string, Handler>();

  app.post<{ Params: { namespace: string; apiName: string; appKey: string } }>(
    '/openapi/param2/1/:namespace/:apiName/:appKey',
    async (request, reply) => {
      const { namespace, apiName, appKey } = request.params;
      const form = (request.body ?? {}) as Record<string, string>;
      try {
        const planned = faults.next(apiName);
        if (planned) {
          if (planned.retryAfterSeconds !== undefined)
            reply.header('retry-after', String(planned.retryAfterSeconds));
          return send(reply, planned.status, {
            error_code: String(planned.status),
            error_message: 'system busy',
          });
        }
        if (appKey !== options.app.appKey)
          throw new GwFailure(400, 'gw.AppKeyNotExist', `appKey ${appKey} does not exist`);
        const given = form._aop_signature ?? '';
        const expected = expectedSignature(
          options.app.appSecret,
          `param2/1/${namespace}/${apiName}/${appKey}`,
          form,
        );
        if (given.length !== expected.length || !timingSafeEqual(Buffer.from(given), Buffer.from(expected)))
          throw new GwFailure(400, 'gw.SignatureInvalid', 'Request signature is invalid');
        const stamp = Number(form._aop_timestamp);
        if (
          form._aop_timestamp !== undefined &&
          (!Number.isFinite(stamp) || Math.abs(stamp - now().getTime()) > CLOCK_SKEW_MS)
        )
          throw new GwFailure(400, 'gw.TimestampInvalid', '_aop_timestamp is too far from the server time');
        const found = auth.lookup(form.access_token ?? '');
        if (!found || found.expired || found.grant.shopKey !== shopKey)
          throw new GwFailure(401, '401', 'Request need user authorized');
        const handler = apis.get(`${namespace}:${apiName}`);
        if (!handler)
          throw new GwFailure(400, 'gw.APIUnsupported', `${namespace}:${apiName} is not supported`);
        return send(reply, 200, handler(form));
      } catch (err) {
        if (err instanceof GwFailure)
          return send(reply, err.status, { error_code: err.code, error_message: err.message });
        if (err instanceof BizFailure)
          return send(reply, 200, { success: false, errorCode: err.code, errorMessage: err.message });
        throw err;
      }
    },
  );

  const json = (text: string | undefined, field: string): unknown => {
    try {
      return JSON.parse(text ?? '');
    } catch {
      throw new BizFailure('400', `${field} is not JSON`);
    }
  };
  const orderOf = (id: string | undefined): SimOrder => {
    const order = store.get(shopKey, id ?? '');
    if (!order) throw new BizFailure('ORDER_NOT_EXIST', `order ${id} does not exist`);
    return order;
  };
  const time = (value: string | undefined, field: string): number | undefined => {
    if (value === undefined || value === '') return undefined;
    const m = TIME.exec(value);
    if (!m) throw new BizFailure('400', `${field} must be yyyyMMddHHmmssSSS+0800`);
    const [, y, mo, d, h, mi, s, ms] = m.map(Number) as number[];
    return Date.UTC(y!, mo! - 1, d!, h! - 8, mi!, s!, ms!);
  };
  const int = (value: string | undefined, fallback: number) =>
    value === undefined ? fallback : Number(value);

  apis.set('com.alibaba.trade:alibaba.trade.getSellerOrderList', (form) => {
    const from = time(form.modifyStartTime, 'modifyStartTime') ?? -Infinity;
    const to = time(form.modifyEndTime, 'modifyEndTime') ?? Infinity;
    const page = int(form.page, 1);
    const pageSize = int(form.pageSize, 20);
    if (!Number.isInteger(page) || page < 1) throw new BizFailure('400', 'page');
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 20)
      throw new BizFailure('400', 'pageSize (最高20)');
    const found = store
      .listModified(shopKey, new Date(0), new Date(8.64e15), 'desc')
      .filter((o) => o.modifiedAt.getTime() >= from && o.modifiedAt.getTime() <= to);
    const start = (page - 1) * pageSize;
    return {
      result: found.slice(start, start + pageSize).map(alibaba1688OrderBody),
      totalRecord: found.length,
    };
  });

  apis.set('com.alibaba.trade:alibaba.trade.get.sellerView', (form) => {
    if (form.webSite !== '1688') throw new BizFailure('400', 'webSite must be 1688');
    return { success: true, result: alibaba1688OrderBody(orderOf(form.orderId)) };
  });

  apis.set('com.alibaba.logistics:alibaba.logistics.OpDeliverySendOrder.offline', (form) => {
    const goods = json(form.sendGoods, 'sendGoods') as Array<{
      sourceId?: unknown;
      sendGoodEntries?: Array<{ sourceEntryId?: unknown; amount?: unknown }>;
    }>;
    const ext = json(form.extBody, 'extBody') as { cpCode?: unknown; mailNo?: unknown };
    if (!Array.isArray(goods) || goods.length !== 1) throw new BizFailure('INVALID_PARAM', 'sendGoods');
    const cpCode = String(ext?.cpCode ?? '');
    const mailNo = String(ext?.mailNo ?? '');
    // The doc's error table: a wrong cpCode reads 系统繁忙 (we answer it plainly).
    if (!CP_CODES.has(cpCode)) throw new BizFailure('INVALID_PARAM', `cpCode ${cpCode} is unknown`);
    if (!/^[A-Za-z0-9]{6,40}$/.test(mailNo)) throw new BizFailure('INVALID_PARAM', '运单号不符合规则');
    const order = orderOf(String(goods[0]!.sourceId ?? ''));
    if (order.status !== 'paid')
      throw new BizFailure('ORDER_STATUS_ERROR', `order ${order.id} is not waiting for shipment`);
    const entries = goods[0]!.sendGoodEntries ?? [];
    const all = new Map(order.items.map((i) => [i.lineId, i]));
    const named = entries.map((e) => String(e.sourceEntryId ?? ''));
    if (named.length === 0 || named.some((id) => !all.has(id)))
      throw new BizFailure('INVALID_PARAM', 'sourceEntryId');
    if (entries.some((e, n) => Number(e.amount) !== all.get(named[n]!)!.quantity))
      throw new BizFailure('INVALID_PARAM', 'amount: 1688 ships whole sub-orders');
    const sent = alibaba1688SentLines(order);
    if (named.some((id) => sent.has(id))) throw new BizFailure('SEND_GOODS_REPEAT', 'sub order already sent');
    const at = now();
    store.update(
      shopKey,
      order.id,
      (o) => {
        const shipment = { carrierCode: cpCode, trackingNumber: mailNo, shippedAt: at, lineIds: named };
        if (o.shipment) (o.extraShipments ??= []).push(shipment);
        else o.shipment = shipment;
        if (alibaba1688SentLines(o).size >= all.size) o.status = 'shipped';
      },
      at,
    );
    return {
      success: true,
      result: { logisticsId: `BX${order.id.slice(-8)}${sent.size + 1}`, sendGoods: goods },
    };
  });

  const inventoryOf = () => {
    options.inventory?.countCall(shopKey);
    return options.inventory;
  };
  apis.set('com.alibaba.product:alibaba.product.get', (form) => {
    const productId = form.productID ?? '';
    const inventory = inventoryOf();
    const own = inventory?.get(shopKey, productId);
    const skus = inventory?.under(shopKey, `${productId}:`) ?? [];
    if (!own && skus.length === 0)
      throw new BizFailure('PRODUCT_NOT_EXIST', `product ${productId} does not exist`);
    return {
      success: true,
      productInfo: {
        productID: productId,
        skuInfos: skus.map(([key, v]) => ({
          specId: key.slice(productId.length + 1),
          amountOnSale: v.quantity,
        })),
        saleInfo: { amountOnSale: own?.quantity ?? skus.reduce((t, [, v]) => t + v.quantity, 0) },
      },
    };
  });
  apis.set('com.alibaba.product:alibaba.product.modifyStock', (form) => {
    if (form.increaceModify !== 'false')
      throw new BizFailure('400', 'the simulator takes full values only (increaceModify=false)');
    const changes = json(form.productStockChange, 'productStockChange') as Array<{
      productId?: unknown;
      productAmountChange?: unknown;
      skuStocks?: Array<{ skuId?: unknown; stockChange?: unknown }>;
    }>;
    if (!Array.isArray(changes) || changes.length === 0) throw new BizFailure('400', 'productStockChange');
    const inventory = inventoryOf();
    for (const change of changes) {
      const productId = String(change.productId ?? '');
      const updates: Array<[string, unknown]> = Array.isArray(change.skuStocks)
        ? change.skuStocks.map((s) => [`${productId}:${String(s.skuId ?? '')}`, s.stockChange])
        : [[productId, change.productAmountChange]];
      for (const [key, stock] of updates) {
        const listing = inventory?.get(shopKey, key);
        if (!listing) throw new BizFailure('PRODUCT_NOT_EXIST', `product ${key} does not exist`);
        if (!Number.isInteger(stock) || (stock as number) < 0 || (stock as number) > 99_999_999)
          throw new BizFailure('400', 'stock must be 0-99999999');
        if (listing.status === 'delisted')
          throw new BizFailure('PRODUCT_OFFLINE', `product ${key} is off the shelf`);
        inventory!.set(shopKey, key, stock as number, now());
      }
    }
    return { success: true, result: changes.map((c) => ({ productId: c.productId, result: true })) };
  });
};
