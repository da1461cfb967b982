import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { isSafeNumber, parse, stringify } from 'lossless-json';
import { SimFieldCipher } from '../../kit/field-cipher.js';
import type { SimInventory } from '../../kit/inventory.js';
import { FaultPlan } from '../../kit/rate-limit.js';
import type { SimOrderStore } from '../../kit/store.js';
import type { SimTokenAuth } from '../../kit/token-auth.js';
import type { SimOrder } from '../../orders/model.js';
import { bare, renderKuaishouOrder } from './render.js';
import { kuaishouSignMatches } from './verify.js';

export { kuaishouEvent, renderKuaishouPush } from './push.js';
export type { KuaishouEvent } from './push.js';
export { encryptKuaishouMessage } from './verify.js';

export interface KuaishouSimulatorOptions {
  store: SimOrderStore;
  /** The one app the simulated platform knows: app key, app secret (OAuth) and sign secret. */
  app: { appKey: string; appSecret: string; signSecret: string };
  /** Sellers that authorised the app (store shopKey = seller id) and their tokens. */
  auth: SimTokenAuth;
  inventory?: SimInventory;
  faults?: FaultPlan;
  now?: () => Date;
}

/** Express companies the simulator accepts (its own list; Kuaishou's numbers are UNCONFIRMED). */
const EXPRESS = new Map<number, string>([
  [4, '顺丰速运'],
  [6, '中通快递'],
  [7, '圆通速递'],
  [8, '申通快递'],
  [9, '韵达快递'],
  [10, 'EMS'],
  [11, '邮政快递包裹'],
  [12, '京东物流'],
  [13, '极兔速递'],
  [14, '德邦快递'],
]);
const NO_MORE = 'nomore';
const DAY = 86_400_000;

class KsFailure extends Error {
  constructor(
    readonly result: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Kuaishou 快手小店 open platform as a Fastify plugin (MORE-CHANNELS §1): method paths
 * (`/open/order/cursor/list`, …), public parameters in the query (GET) or a form body (POST), the
 * signature checked with the simulator's own code, the `{result, error_msg, data}` envelope,
 * cursor paging ending in `"nomore"`, a 7-day / 90-day window, encrypted receivers readable only
 * through `open.order.decrypt.batch`, ship confirmation, difference-only stock changes and token
 * refresh. Result codes follow the SDK's reading (21 token invalid, 24 token expired, 28 signature;
 * UNCONFIRMED), business refusals use 100.
 */
export const kuaishouSimulator: FastifyPluginAsync<KuaishouSimulatorOptions> = async (app, options) => {
  const { store, auth } = options;
  const now = options.now ?? (() => new Date());
  const faults = options.faults ?? new FaultPlan();
  const cipher = new SimFieldCipher('kuaishou-sim', options.app.signSecret);

  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) =>
    done(null, Object.fromEntries(new URLSearchParams(String(body)))),
  );

  const send = (reply: FastifyReply, data: unknown) =>
    reply.type('application/json').send(stringify({ result: 1, error_msg: '', data }));
  const fail = (reply: FastifyReply, failure: KsFailure) =>
    reply
      .type('application/json')
      .send(JSON.stringify({ result: failure.result, error_msg: failure.message }));

  type Handler = (param: Record<string, unknown>, seller: string) => unknown;
  const route = (method: string, http: 'GET' | 'POST', handler: Handler) => {
    const handle = async (request: FastifyRequest, reply: FastifyReply) => {
      const raw = (http === 'GET' ? request.query : request.body) as Record<string, string> | undefined;
      const params = Object.fromEntries(Object.entries(raw ?? {}).map(([k, v]) => [k, String(v)]));
      try {
        const planned = faults.next(method);
        if (planned) {
          if (planned.retryAfterSeconds !== undefined)
            reply.header('retry-after', String(planned.retryAfterSeconds));
          return reply
            .code(planned.status)
            .send({ result: planned.status === 429 ? 17 : 500, error_msg: '系统繁忙' });
        }
        if (params.method !== method || !params.appkey || !params.timestamp || params.version !== '1')
          throw new KsFailure(100, '缺少公共参数');
        if (params.appkey !== options.app.appKey) throw new KsFailure(28, 'appkey 不存在');
        const signed = kuaishouSignMatches(params, options.app.signSecret);
        if (!signed.ok) throw new KsFailure(28, signed.reason ?? '签名验证失败');
        const found = params.access_token ? auth.lookup(params.access_token) : undefined;
        if (!found) throw new KsFailure(21, 'access_token 无效');
        if (found.expired) throw new KsFailure(24, 'access_token 已过期');
        let param: Record<string, unknown>;
        try {
          param = parse(params.param || '{}', null, (d) => (isSafeNumber(d) ? Number(d) : d)) as Record<
            string,
            unknown
          >;
        } catch {
          throw new KsFailure(100, 'param 不是合法的JSON');
        }
        return send(reply, handler(param, found.grant.shopKey));
      } catch (err) {
        if (err instanceof KsFailure) return fail(reply, err);
        throw err;
      }
    };
    const path = `/${method.replace(/\./g, '/')}`;
    if (http === 'GET') app.get(path, handle);
    else app.post(path, handle);
  };

  const idOf = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');
  const orderOf = (seller: string, oid: unknown): SimOrder => {
    const found = store.get(seller, idOf(oid));
    if (!found) throw new KsFailure(100, '订单不存在');
    return found;
  };
  const render = (o: SimOrder) => renderKuaishouOrder(o, cipher);

  route('open.order.cursor.list', 'GET', (p, seller) => {
    const pageSize = p.pageSize ?? 20;
    if (typeof pageSize !== 'number' || !Number.isInteger(pageSize) || pageSize < 1 || pageSize > 50)
      throw new KsFailure(100, 'pageSize 最大50');
    const begin = p.beginTime;
    const end = p.endTime;
    if (typeof begin !== 'number' || typeof end !== 'number' || end < begin)
      throw new KsFailure(100, 'beginTime/endTime 不合法');
    if (end - begin > 7 * DAY) throw new KsFailure(100, '时间范围不能大于7天');
    if (begin < now().getTime() - 90 * DAY) throw new KsFailure(100, '开始时间不能小于90天前');
    const byUpdate = p.queryType === 2;
    const timeOf = (o: SimOrder) => (byUpdate ? o.modifiedAt : o.createdAt).getTime();
    const all = store
      .listModified(seller, new Date(0), new Date(8.64e15))
      .filter(
        (o) => timeOf(o) >= begin && timeOf(o) <= end && (p.orderViewStatus !== 3 || o.status === 'paid'),
      )
      .sort((a, b) => timeOf(a) - timeOf(b) || a.id.localeCompare(b.id));
    if (p.sort !== 2) all.reverse();
    // The cursor is where the previous page ended (time and id), so an order that changes while a
    // window is read moves behind the cursor without shifting the orders still to come.
    const cursor = typeof p.cursor === 'string' ? p.cursor : '';
    const asc = p.sort === 2;
    let rest = all;
    if (cursor !== '') {
      const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
      const t = Number(at);
      if (!Number.isFinite(t) || !id) throw new KsFailure(100, 'cursor 不合法');
      rest = all.filter((o) => {
        const d = timeOf(o) - t || o.id.localeCompare(id);
        return asc ? d > 0 : d < 0;
      });
    }
    const page = rest.slice(0, pageSize);
    const last = page[page.length - 1];
    const next =
      last && rest.length > pageSize
        ? Buffer.from(`${timeOf(last)}|${last.id}`).toString('base64url')
        : NO_MORE;
    return { pageSize, beginTime: begin, endTime: end, cursor: next, orderList: page.map(render) };
  });

  route('open.order.detail', 'GET', (p, seller) => render(orderOf(seller, p.oid)));

  route('open.seller.order.goods.deliver', 'POST', (p, seller) => {
    const order = orderOf(seller, p.orderId);
    const code = p.expressCode;
    if (typeof code !== 'number' || !EXPRESS.has(code)) throw new KsFailure(100, '快递公司编码不存在');
    if (typeof p.expressNo !== 'string' || !/^[A-Za-z0-9]{6,40}$/.test(p.expressNo))
      throw new KsFailure(100, '运单号不合法');
    if (order.status !== 'paid' || order.shipment) throw new KsFailure(100, '订单状态不允许发货');
    if (order.groupStatus === 'forming') throw new KsFailure(100, '多人拼团活动进行中，请勿发货');
    const at = now();
    store.update(
      seller,
      order.id,
      (o) => {
        o.status = 'shipped';
        o.shipment = { carrierCode: String(code), trackingNumber: p.expressNo as string, shippedAt: at };
      },
      at,
    );
    return {};
  });

  route('open.order.decrypt.batch', 'POST', (p, seller) => {
    const list = Array.isArray(p.batchDecryptList) ? (p.batchDecryptList as Record<string, unknown>[]) : [];
    if (list.length === 0 || list.length > 100) throw new KsFailure(100, 'batchDecryptList 条数应为1-100');
    return {
      decryptList: list.map((entry) => {
        const bizId = idOf(entry.bizId);
        const encryptedData = idOf(entry.encryptedData);
        const plain = store.get(seller, bizId) ? cipher.decrypt(encryptedData) : undefined;
        return plain === undefined
          ? { bizId, encryptedData, decryptedData: '', errorCode: 1001, errorMsg: '解密失败' }
          : { bizId, encryptedData, decryptedData: plain, errorCode: 0, errorMsg: '' };
      }),
    };
  });

  const inventoryOf = (seller: string) => {
    options.inventory?.countCall(seller);
    return options.inventory;
  };
  route('open.item.sku.list.get', 'GET', (p, seller) => {
    const itemId = idOf(p.kwaiItemId);
    const skus = inventoryOf(seller)?.under(seller, `${itemId}:`) ?? [];
    if (!itemId || skus.length === 0) throw new KsFailure(100, '商品不存在');
    return skus.map(([key, listing]) => ({
      kwaiItemId: bare(itemId),
      kwaiSkuId: bare(key.slice(itemId.length + 1)),
      skuStock: listing.quantity,
      skuStatus: listing.status === 'listed' ? 1 : 0,
    }));
  });
  route('open.item.sku.stock.update', 'POST', (p, seller) => {
    const key = `${idOf(p.kwaiItemId)}:${idOf(p.skuId)}`;
    const listing = inventoryOf(seller)?.get(seller, key);
    const change = p.skuChangeStock;
    if (typeof change !== 'number' || !Number.isInteger(change) || change <= 0 || change >= 9_999_999)
      throw new KsFailure(100, 'skuChangeStock 应为正整数');
    if (p.changeType !== 1 && p.changeType !== 2) throw new KsFailure(100, 'changeType 应为1或2');
    if (!listing) throw new KsFailure(100, `商品下不存在 SKU ${idOf(p.skuId)}`);
    if (listing.status === 'delisted') throw new KsFailure(100, '商品已下架');
    const target = p.changeType === 1 ? listing.quantity + change : listing.quantity - change;
    if (target < 0) throw new KsFailure(100, '库存不能小于0');
    options.inventory!.set(seller, key, target, now());
    return {};
  });

  app.post('/oauth2/refresh_token', async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, string>;
    if (body.app_id !== options.app.appKey || body.app_secret !== options.app.appSecret)
      return reply.send({ result: 100, error: 'invalid_client', error_msg: 'app_id 或 app_secret 不正确' });
    if (body.grant_type !== 'refresh_token')
      return reply.send({ result: 100, error: 'unsupported_grant_type' });
    const grant = auth.refresh(body.refresh_token ?? '');
    if (!grant) return reply.send({ result: 100, error: 'invalid_grant', error_msg: 'refresh_token 无效' });
    return reply.send({
      result: 1,
      access_token: grant.accessToken,
      refresh_token: grant.refreshToken,
      expires_in: Math.round((grant.expiresAt.getTime() - now().getTime()) / 1000),
      refresh_token_expires_in: 15_552_000,
      open_id: `s-${grant.shopKey}`,
      scopes: ['merchant_order', 'merchant_item'],
    });
  });
};
