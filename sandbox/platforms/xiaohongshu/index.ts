import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { isSafeNumber, parse, stringify } from 'lossless-json';
import type { SimInventory } from '../../kit/inventory.js';
import { FaultPlan } from '../../kit/rate-limit.js';
import type { SimOrderStore } from '../../kit/store.js';
import type { SimTokenAuth } from '../../kit/token-auth.js';
import type { SimOrder } from '../../orders/model.js';
import { renderXiaohongshuOrder, xiaohongshuOpenAddressId, xiaohongshuShippedSkus } from './render.js';
import { xiaohongshuSignMatches } from './verify.js';

export { renderXiaohongshuPush } from './push.js';
export { xiaohongshuExpectedSign, xiaohongshuPushSign } from './verify.js';

/** Where Xiaohongshu's one gateway lives (§2.1); the simulator serves it under its prefix. */
export const XIAOHONGSHU_GATEWAY_PATH = '/ark/open_api/v3/common_controller';

export interface XiaohongshuSimulatorOptions {
  store: SimOrderStore;
  /** The one app the simulated platform knows. */
  app: { appKey: string; appSecret: string };
  /** Sellers that authorised the app (store shopKey = seller id) and their tokens. */
  auth: SimTokenAuth;
  inventory?: SimInventory;
  faults?: FaultPlan;
  now?: () => Date;
  /** Clock skew the signature check allows (UNCONFIRMED). */
  clockSkewSeconds?: number;
}

/** Express companies the simulator accepts (its own list; `common.getExpressCompanyList` is not in our facts). */
const EXPRESS = new Set([
  'shunfeng',
  'zhongtong',
  'yuantong',
  'shentong',
  'yunda',
  'jd',
  'ems',
  'youzhengguonei',
  'jtexpress',
  'debangkuaidi',
  'selfdelivery',
]);
const MINUTE = 60_000;

class XhsFailure extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Xiaohongshu 小红书 open platform as a Fastify plugin (MORE-CHANNELS §2): one JSON gateway whose
 * `method` picks the API, the signature checked with the simulator's own code (MD5 of
 * `method?appId&timestamp&version` + secret, nothing else signed), the
 * `{success, error_code, error_msg, data}` envelope, `order.getOrderList` by update time within 30
 * minutes (pages newest first, `pageNo`/`pageSize` ≤ 100), details with masked receivers, the
 * plaintext only through `order.getOrderReceiverInfo`, `order.orderDeliver` (拆包 with
 * `skuIdList`), stock by SKU and `oauth.refreshToken`. Error codes other than -2000400 are the
 * simulator's choice (UNCONFIRMED): -100 invalid and -101 expired token, -102 signature, -103 app,
 * -104 timestamp.
 */
export const xiaohongshuSimulator: FastifyPluginAsync<XiaohongshuSimulatorOptions> = async (app, options) => {
  const { store, auth } = options;
  const now = options.now ?? (() => new Date());
  const faults = options.faults ?? new FaultPlan();
  const skewMs = (options.clockSkewSeconds ?? 300) * 1000;

  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) =>
    done(null, String(body)),
  );

  const send = (reply: FastifyReply, data: unknown) =>
    reply.type('application/json').send(stringify({ success: true, error_code: 0, error_msg: '', data }));
  const fail = (reply: FastifyReply, f: XhsFailure) =>
    reply
      .type('application/json')
      .send(JSON.stringify({ success: false, error_code: f.code, error_msg: f.message }));

  type Handler = (p: Record<string, unknown>, seller: string) => unknown;
  const methods = new Map<string, Handler>();

  app.post(XIAOHONGSHU_GATEWAY_PATH, async (request, reply) => {
    let body: Record<string, unknown>;
    try {
      body = parse(String(request.body ?? ''), null, (d) => (isSafeNumber(d) ? Number(d) : d)) as Record<
        string,
        unknown
      >;
    } catch {
      return fail(reply, new XhsFailure(-2000400, '请求参数错误: body 不是合法的JSON'));
    }
    const method = typeof body.method === 'string' ? body.method : '';
    try {
      const planned = faults.next(method);
      if (planned) {
        if (planned.retryAfterSeconds !== undefined)
          reply.header('retry-after', String(planned.retryAfterSeconds));
        return reply.code(planned.status).send({ success: false, error_code: -1, error_msg: '系统繁忙' });
      }
      if (body.appId !== options.app.appKey) throw new XhsFailure(-103, 'appId 不存在');
      if (body.version !== '2.0') throw new XhsFailure(-2000400, '请求参数错误: version');
      const at = Number(body.timestamp) * 1000;
      if (
        typeof body.timestamp !== 'string' ||
        !/^\d+$/.test(body.timestamp) ||
        Math.abs(now().getTime() - at) > skewMs
      )
        throw new XhsFailure(-104, 'timestamp 已过期');
      if (!xiaohongshuSignMatches(body, options.app.appSecret)) throw new XhsFailure(-102, '签名错误');
      if (method === 'oauth.refreshToken') {
        const grant = auth.refresh(typeof body.refreshToken === 'string' ? body.refreshToken : '');
        if (!grant) throw new XhsFailure(-2000400, 'refreshToken 无效');
        return send(reply, {
          accessToken: grant.accessToken,
          refreshToken: grant.refreshToken,
          accessTokenExpiresAt: grant.expiresAt.getTime(),
          refreshTokenExpiresAt: now().getTime() + 14 * 86_400_000,
          sellerId: grant.shopKey,
          sellerName: `小红书店铺${grant.shopKey.slice(-4)}`,
        });
      }
      const found = typeof body.accessToken === 'string' ? auth.lookup(body.accessToken) : undefined;
      if (!found) throw new XhsFailure(-100, 'accessToken 无效');
      if (found.expired) throw new XhsFailure(-101, 'accessToken 已过期');
      const handler = methods.get(method);
      if (!handler) throw new XhsFailure(-2000400, `method ${method} 不存在`);
      return send(reply, handler(body, found.grant.shopKey));
    } catch (err) {
      if (err instanceof XhsFailure) return fail(reply, err);
      throw err;
    }
  });

  const orderOf = (seller: string, id: unknown): SimOrder => {
    const found = typeof id === 'string' ? store.get(seller, id) : undefined;
    if (!found) throw new XhsFailure(-2000400, `订单不存在: ${String(id)}`);
    return found;
  };
  const int = (value: unknown, name: string): number => {
    if (typeof value !== 'number' || !Number.isInteger(value))
      throw new XhsFailure(-2000400, `请求参数错误: ${name}`);
    return value;
  };

  methods.set('order.getOrderList', (p, seller) => {
    const start = int(p.startTime, 'startTime');
    const end = int(p.endTime, 'endTime');
    const byUpdate = p.timeType === 2;
    if (end < start) throw new XhsFailure(-2000400, '请求参数错误: endTime < startTime');
    if ((end - start) * 1000 > (byUpdate ? 30 * MINUTE : 24 * 60 * MINUTE))
      throw new XhsFailure(
        -2000400,
        byUpdate ? '更新时间查询范围不能超过30分钟' : '创建时间查询范围不能超过24小时',
      );
    const pageNo = p.pageNo === undefined ? 1 : int(p.pageNo, 'pageNo');
    const pageSize = p.pageSize === undefined ? 50 : int(p.pageSize, 'pageSize');
    if (pageNo < 1 || pageNo > 100 || pageSize < 1 || pageSize > 100)
      throw new XhsFailure(-2000400, '请求参数错误: pageNo/pageSize 最大100');
    const timeOf = (o: SimOrder) => Math.floor((byUpdate ? o.modifiedAt : o.createdAt).getTime() / 1000);
    // Newest first, as Xiaohongshu pages them.
    const all = store
      .listModified(seller, new Date(0), new Date(8.64e15))
      .filter((o) => timeOf(o) >= start && timeOf(o) <= end)
      .sort((a, b) => timeOf(b) - timeOf(a) || b.id.localeCompare(a.id));
    const page = all.slice((pageNo - 1) * pageSize, pageNo * pageSize);
    return {
      total: all.length,
      pageNo,
      pageSize,
      maxPageNo: Math.max(1, Math.ceil(all.length / pageSize)),
      orderList: page.map((o) => ({
        orderId: o.id,
        orderStatus: renderXiaohongshuOrder(o).orderStatus,
        updateTime: o.modifiedAt.getTime(),
      })),
    };
  });

  methods.set('order.getOrderDetail', (p, seller) => renderXiaohongshuOrder(orderOf(seller, p.orderId)));

  methods.set('order.getOrderReceiverInfo', (p, seller) => {
    const queries = Array.isArray(p.receiverQueries) ? (p.receiverQueries as Record<string, unknown>[]) : [];
    if (queries.length === 0 || queries.length > 20)
      throw new XhsFailure(-2000400, 'receiverQueries 应为1-20条');
    return {
      receiverInfos: queries.map((q) => {
        const order = orderOf(seller, q.orderId);
        const matched = q.openAddressId === xiaohongshuOpenAddressId(order);
        const r = order.receiver;
        return matched
          ? {
              orderId: order.id,
              matched,
              receiverProvinceName: r.province,
              receiverCityName: r.city,
              receiverDistrictName: r.district,
              receiverTownName: r.town ?? '',
              receiverName: r.name,
              receiverPhone: r.phone,
              receiverAddress: r.detail,
            }
          : { orderId: order.id, matched };
      }),
    };
  });

  methods.set('order.orderDeliver', (p, seller) => {
    const order = orderOf(seller, p.orderId);
    const code = typeof p.expressCompanyCode === 'string' ? p.expressCompanyCode : '';
    if (!EXPRESS.has(code)) throw new XhsFailure(-2000400, `快递公司编码不存在: ${code}`);
    if (typeof p.expressNo !== 'string' || !/^[A-Za-z0-9]{6,40}$/.test(p.expressNo))
      throw new XhsFailure(-2000400, '运单号不合法');
    const skus = order.items.map((i) => i.platformSkuId);
    const parcel = p.unpack === true ? (Array.isArray(p.skuIdList) ? p.skuIdList.map(String) : []) : skus;
    if (parcel.length === 0 || parcel.some((s) => !skus.includes(s)))
      throw new XhsFailure(-2000400, '拆包发货 skuIdList 不属于该订单');
    const sent = xiaohongshuShippedSkus(order);
    if (order.status !== 'paid' || parcel.some((s) => sent.has(s)))
      throw new XhsFailure(-2000400, '订单状态不允许发货');
    const at = typeof p.deliveringTime === 'number' ? new Date(p.deliveringTime) : now();
    store.update(
      seller,
      order.id,
      (o) => {
        const shipment = {
          carrierCode: code,
          trackingNumber: p.expressNo as string,
          shippedAt: at,
          lineIds: parcel,
        };
        if (o.shipment) (o.extraShipments ??= []).push(shipment);
        else o.shipment = shipment;
        if (xiaohongshuShippedSkus(o).size >= skus.length) o.status = 'shipped';
      },
      now(),
    );
    return {};
  });

  const inventoryOf = (seller: string) => {
    options.inventory?.countCall(seller);
    return options.inventory;
  };
  methods.set('inventory.getSkuStock', (p, seller) => {
    const skuId = typeof p.skuId === 'string' ? p.skuId : '';
    const listing = inventoryOf(seller)?.get(seller, skuId);
    if (!listing) throw new XhsFailure(-2000400, `sku 不存在: ${skuId}`);
    return { skuId, skuStockInfo: { available: listing.quantity, total: listing.quantity } };
  });
  methods.set('inventory.syncSkuStock', (p, seller) => {
    const skuId = typeof p.skuId === 'string' ? p.skuId : '';
    const qty = p.qty;
    if (typeof qty !== 'number' || !Number.isInteger(qty) || qty < 0 || qty > 999_999)
      throw new XhsFailure(-2000400, 'qty 应为0-999999的整数');
    const inventory = inventoryOf(seller);
    const listing = inventory?.get(seller, skuId);
    if (!listing) throw new XhsFailure(-2000400, `sku 不存在: ${skuId}`);
    if (listing.status === 'delisted') throw new XhsFailure(-2000400, '商品已下架');
    inventory!.set(seller, skuId, qty, now());
    return { skuId, skuStockInfo: { available: qty } };
  });
};
