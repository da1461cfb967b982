import { findSimRefund } from '../../kit/after-sales.js';
import { douyinOperate } from './after-sales.js';
import { DOUYIN_EXCHANGE_TYPES, douyinExchangeOperate, renderDouyinExchange } from './exchange.js';
import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { isSafeNumber, parse, stringify } from 'lossless-json';
import type { SimOrder } from '../../orders/model.js';
import type { SimInventory } from '../../kit/inventory.js';
import { FaultPlan, RateLimiter } from '../../kit/rate-limit.js';
import type { SimOrderStore } from '../../kit/store.js';
import type { DouyinSimAuth } from './auth.js';
import { DouyinSimCipher } from './cipher.js';
import { renderDouyinAfterSale, renderDouyinOrder } from './render.js';
import { expectedDouyinSign, sameHex } from './verify.js';
import { createDouyinWaybillSim, douyinWaybillApis, type DouyinWaybillSim } from './waybill.js';

export { DouyinSimAuth } from './auth.js';
export type { DouyinSimGrant } from './auth.js';
export { DouyinSimCipher } from './cipher.js';
export { renderDouyinPush } from './push.js';
export { createDouyinWaybillSim, type DouyinWaybillSim } from './waybill.js';
export type { DouyinPushTag } from './push.js';

export interface DouyinSimulatorOptions {
  store: SimOrderStore;
  /** The one app the simulated platform knows. */
  app: { appKey: string; appSecret: string };
  /** Shops that authorised the app (store shopKey = Douyin shop_id) and their tokens. */
  auth: DouyinSimAuth;
  faults?: FaultPlan;
  now?: () => Date;
  /** Per shop and method; Douyin does not publish its limits. Default 50 calls per second. */
  rateLimit?: { limit: number; windowMs: number };
  /** Longest update-time span searchList accepts; default one day. */
  maxWindowSeconds?: number;
  /** Sellable stock per SKU, keyed `product_id:sku_id` under the shop id (stock uploads land here). */
  inventory?: SimInventory;
  /** Douyin 电子面单: branches, balances and unreachable areas (one of its own when not given). */
  waybills?: DouyinWaybillSim;
}

const PAGE_SIZE_MAX = 100;

/** Company names for the codes the simulator accepts in logisticsAdd. */
const COMPANIES: Record<string, string> = {
  shunfeng: '顺丰速运',
  zhongtong: '中通快递',
  yuantong: '圆通速递',
  shentong: '申通快递',
  yunda: '韵达快递',
  jd: '京东物流',
  ems: 'EMS',
  youzhengguonei: '邮政快递包裹',
  jtexpress: '极兔速递',
  debangkuaidi: '德邦快递',
};

class DouyinFailure extends Error {
  constructor(
    readonly code: number,
    readonly msg: string,
    readonly subCode = '',
    readonly subMsg = '',
  ) {
    super(msg);
  }
}

/**
 * Douyin Shop open platform (抖店) as a Fastify plugin: the real paths (`/order/searchList`, …),
 * query parameters and signature over the raw param_json body, the `{code, msg, sub_code, err_no,
 * data}` envelope with Douyin's error codes, 0-based paging capped at 100, encrypted receivers with
 * a working `/order/batchDecrypt`, token refresh, ship confirmation and after-sales.
 */
export const douyinSimulator: FastifyPluginAsync<DouyinSimulatorOptions> = async (app, options) => {
  const { store, auth } = options;
  const now = options.now ?? (() => new Date());
  const faults = options.faults ?? new FaultPlan();
  const limiter = new RateLimiter(options.rateLimit?.limit ?? 50, options.rateLimit?.windowMs ?? 1000, () =>
    now().getTime(),
  );
  const maxWindow = options.maxWindowSeconds ?? 24 * 3600;
  const cipher = new DouyinSimCipher(options.app.appSecret);

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));

  const send = (reply: FastifyReply, data: unknown) =>
    reply.type('application/json').send(
      stringify({
        code: 10000,
        msg: 'success',
        sub_code: '',
        sub_msg: '',
        err_no: 0,
        message: 'success',
        log_id: randomUUID().replace(/-/g, ''),
        data,
      }),
    );
  const fail = (reply: FastifyReply, failure: DouyinFailure, status = 200) =>
    reply
      .code(status)
      .type('application/json')
      .send(
        JSON.stringify({
          code: failure.code,
          msg: failure.msg,
          sub_code: failure.subCode,
          sub_msg: failure.subMsg,
          err_no: failure.code,
          message: failure.msg,
          log_id: randomUUID().replace(/-/g, ''),
          data: null,
        }),
      );

  type Handler = (params: Record<string, unknown>, shopKey: string) => unknown;
  const route = (method: string, handler: Handler, needsToken = true) => {
    app.post(`/${method.replace(/\./g, '/')}`, async (request, reply) => {
      const query = request.query as Record<string, string | undefined>;
      const raw = typeof request.body === 'string' ? request.body : '';
      try {
        const planned = faults.next(method);
        if (planned) {
          if (planned.retryAfterSeconds !== undefined)
            reply.header('retry-after', String(planned.retryAfterSeconds));
          return fail(
            reply,
            new DouyinFailure(planned.status === 429 ? 60000 : 20000, '服务不可用'),
            planned.status,
          );
        }
        if (!query.app_key || !query.sign || !query.timestamp || !query.v || query.method !== method) {
          throw new DouyinFailure(
            40001,
            '缺少必选参数',
            'isv.signature-missing',
            '获取签名失败，请根据文档确保参数拼装正确',
          );
        }
        if (query.app_key !== options.app.appKey) {
          throw new DouyinFailure(40003, '非法的参数', 'isv.app-id-invalid', '认证失败，app_key不正确');
        }
        const expected = expectedDouyinSign(
          options.app.appSecret,
          {
            app_key: query.app_key,
            method,
            timestamp: query.timestamp,
            v: query.v,
            sign_method: query.sign_method,
          },
          raw,
        );
        if (!sameHex(expected, query.sign)) {
          throw new DouyinFailure(40003, '非法的参数', 'isv.signature-invalid', '签名校验失败');
        }
        let shopKey = '';
        if (needsToken) {
          const found = query.access_token ? auth.lookup(query.access_token) : undefined;
          if (!found) {
            throw new DouyinFailure(
              40003,
              '非法的参数',
              'isv.access-token-no-existed',
              'access_token不存在，请使用最新的access_token访问',
            );
          }
          if (found.expired)
            throw new DouyinFailure(40003, '非法的参数', 'isv.access-token-expired', 'access_token已过期');
          shopKey = found.grant.shopKey;
          if (limiter.take(`${shopKey}:${method}`) > 0)
            throw new DouyinFailure(60000, '触发限流，请稍后重试');
        }
        let params: Record<string, unknown>;
        try {
          params = parse(raw || '{}', null, (d) => (isSafeNumber(d) ? Number(d) : d)) as Record<
            string,
            unknown
          >;
        } catch {
          throw new DouyinFailure(
            40003,
            '非法的参数',
            'isv.parameter-format-invalid',
            '业务参数json解析失败',
          );
        }
        return send(reply, handler(params, shopKey));
      } catch (err) {
        if (err instanceof DouyinFailure) return fail(reply, err);
        throw err;
      }
    });
  };

  const order = (shopKey: string, id: unknown): SimOrder => {
    const found =
      typeof id === 'string' || typeof id === 'number' ? store.get(shopKey, String(id)) : undefined;
    if (!found)
      throw new DouyinFailure(50002, '业务处理失败', 'isv.business-failed:订单不存在', '订单不存在');
    return found;
  };
  const render = (o: SimOrder) => renderDouyinOrder(o, cipher, (code) => COMPANIES[code] ?? code);
  const paging = (params: Record<string, unknown>) => {
    const page = params.page ?? 0;
    const size = params.size ?? 10;
    if (typeof page !== 'number' || !Number.isInteger(page) || page < 0) {
      throw new DouyinFailure(40004, '非法的参数', 'isv.business-failed:page', 'page 从0开始');
    }
    if (typeof size !== 'number' || !Number.isInteger(size) || size < 1 || size > PAGE_SIZE_MAX) {
      throw new DouyinFailure(
        40004,
        '非法的参数',
        'isv.business-failed:size',
        `size 不能超过${PAGE_SIZE_MAX}`,
      );
    }
    return { page, size };
  };
  const span = (start: unknown, end: unknown) => {
    if (typeof start !== 'number' || typeof end !== 'number' || end < start) {
      throw new DouyinFailure(40004, '非法的参数', 'isv.business-failed:time', '时间范围不合法');
    }
    if (end - start > maxWindow) {
      throw new DouyinFailure(
        40004,
        '非法的参数',
        'isv.business-failed:time',
        `时间跨度不能超过${maxWindow}秒`,
      );
    }
    // Douyin's bounds are whole seconds, both inclusive.
    return { from: new Date(start * 1000), to: new Date((end + 1) * 1000) };
  };

  // Stock (docs/stock-sync.md §Douyin): a SKU's stock set whole (`incremental` false) or changed by
  // a difference; a SKU the product does not have, or a product taken down, is refused (❓ 50002).
  const idOf = (value: unknown) =>
    typeof value === 'string' || typeof value === 'number' ? String(value) : '';
  const stockRefused = (what: string) =>
    new DouyinFailure(50002, '业务处理失败', `isv.business-failed:${what}`, what);
  route('sku.syncStock', (params, shopKey) => {
    const inventory = options.inventory;
    inventory?.countCall(shopKey);
    const productId = idOf(params.product_id);
    const skuId = idOf(params.sku_id);
    const stock = params.stock_num;
    if (!productId || !skuId || typeof stock !== 'number' || !Number.isInteger(stock)) {
      throw new DouyinFailure(
        40004,
        '非法的参数',
        'isv.parameter-invalid',
        'product_id、sku_id、stock_num 必填',
      );
    }
    const listing = inventory?.get(shopKey, `${productId}:${skuId}`);
    if (!listing) throw stockRefused(`商品 ${productId} 下不存在 SKU ${skuId}`);
    if (listing.status === 'delisted') throw stockRefused(`商品 ${productId} 已下架`);
    const target = params.incremental === true ? listing.quantity + stock : stock;
    if (target < 0) throw stockRefused('库存不能小于0');
    inventory!.set(shopKey, `${productId}:${skuId}`, target, now());
    return {};
  });
  // The SKUs of one product at once; any SKU refused refuses the whole call (❓).
  route('sku.syncStockBatch', (params, shopKey) => {
    const inventory = options.inventory;
    inventory?.countCall(shopKey);
    const productId = idOf(params.product_id);
    const list = Array.isArray(params.sku_sync_list)
      ? (params.sku_sync_list as Array<{ sku_id?: unknown; stock_num?: unknown }>)
      : [];
    if (!productId || list.length === 0)
      throw new DouyinFailure(40004, '非法的参数', 'isv.parameter-invalid', 'product_id、sku_sync_list 必填');
    const updates = list.map((entry) => {
      const skuId = idOf(entry.sku_id);
      const stock = entry.stock_num;
      if (!skuId || typeof stock !== 'number' || !Number.isInteger(stock))
        throw new DouyinFailure(40004, '非法的参数', 'isv.parameter-invalid', 'sku_id、stock_num 必填');
      const listing = inventory?.get(shopKey, `${productId}:${skuId}`);
      if (!listing) throw stockRefused(`商品 ${productId} 下不存在 SKU ${skuId}`);
      if (listing.status === 'delisted') throw stockRefused(`商品 ${productId} 已下架`);
      const target = params.incremental === true ? listing.quantity + stock : stock;
      if (target < 0) throw stockRefused('库存不能小于0');
      return { key: `${productId}:${skuId}`, target };
    });
    for (const u of updates) inventory!.set(shopKey, u.key, u.target, now());
    return {};
  });
  route('sku.detail', (params, shopKey) => {
    const inventory = options.inventory;
    inventory?.countCall(shopKey);
    const skuId = idOf(params.sku_id);
    const found = skuId
      ? (inventory?.under(shopKey, '') ?? []).find(([key]) => key.endsWith(`:${skuId}`))
      : undefined;
    if (!found) throw stockRefused(`SKU ${skuId} 不存在`);
    const [key, listing] = found;
    return {
      id: skuId,
      product_id: key.slice(0, key.length - skuId.length - 1),
      stock_num: listing.quantity,
    };
  });

  route('order.searchList', (params, shopKey) => {
    const { page, size } = paging(params);
    const { from, to } = span(params.update_time_start, params.update_time_end);
    const asc = params.order_asc === true;
    const all = store.listModified(shopKey, from, to, asc ? 'asc' : 'desc');
    return {
      shop_order_list: all.slice(page * size, page * size + size).map(render),
      total: all.length,
      page,
      size,
    };
  });

  route('order.orderDetail', (params, shopKey) => ({
    shop_order_detail: render(order(shopKey, params.shop_order_id)),
  }));

  /** A company code the simulator knows and a plausible waybill number, as logisticsAdd checks them. */
  function checkWaybill(company: unknown, tracking: unknown): { company: string; tracking: string } {
    if (typeof company !== 'string' || !(company in COMPANIES)) {
      throw new DouyinFailure(40004, '非法的参数', 'isv.business-failed:company_code', '物流公司不存在');
    }
    if (typeof tracking !== 'string' || !/^[A-Za-z0-9]{6,40}$/.test(tracking)) {
      throw new DouyinFailure(40004, '非法的参数', 'isv.business-failed:logistics_code', '运单号不合法');
    }
    return { company, tracking };
  }

  function checkShippable(target: SimOrder): void {
    if (target.status !== 'paid') {
      throw new DouyinFailure(
        50002,
        '业务处理失败',
        'isv.business-failed:order-status',
        '订单状态不允许发货',
      );
    }
  }

  route('order.logisticsAdd', (params, shopKey) => {
    const target = order(shopKey, params.order_id);
    const { company, tracking } = checkWaybill(params.company_code, params.logistics_code);
    checkShippable(target);
    const at = now();
    store.update(
      shopKey,
      target.id,
      (o) => {
        o.status = 'shipped';
        o.shipment = { carrierCode: company, trackingNumber: tracking, shippedAt: at };
      },
      at,
    );
    return {};
  });

  // 单个店铺订单拆分为多个物流包裹进行发货: every pack names the sku orders it carries; the call
  // ships all its packs or none (a sku order refunded, unknown or already shipped fails it whole).
  route('order.logisticsAddMultiPack', (params, shopKey) => {
    const target = order(shopKey, params.order_id);
    const packs = Array.isArray(params.pack_list) ? (params.pack_list as Record<string, unknown>[]) : [];
    if (packs.length === 0) {
      throw new DouyinFailure(40004, '非法的参数', 'isv.parameter-invalid:pack_list', '包裹列表不能为空');
    }
    checkShippable(target);
    const shipped = new Set(
      [target.shipment, ...(target.extraShipments ?? [])].flatMap((s) => s?.lineIds ?? []),
    );
    const planned = packs.map((pack) => {
      const { company, tracking } = checkWaybill(pack.company_code, pack.logistics_code);
      const infos = Array.isArray(pack.shipped_order_info)
        ? (pack.shipped_order_info as Record<string, unknown>[])
        : [];
      if (infos.length === 0) {
        throw new DouyinFailure(
          40004,
          '非法的参数',
          'isv.parameter-invalid:shipped_order_info',
          '发货子订单不能为空',
        );
      }
      const lineIds = infos.map((info) => {
        const id = String(info.shipped_order_id ?? '');
        const item = target.items.find((i) => i.lineId === id);
        if (!item || shipped.has(id) || Number(info.shipped_num) !== item.quantity) {
          throw new DouyinFailure(
            50002,
            '业务处理失败',
            'isv.business-failed:shipped_order_id',
            `子订单${id}不可发货`,
          );
        }
        shipped.add(id);
        return id;
      });
      return { carrierCode: company, trackingNumber: tracking, lineIds };
    });
    const at = now();
    store.update(
      shopKey,
      target.id,
      (o) => {
        for (const pack of planned) {
          const shipment = { ...pack, shippedAt: at };
          if (!o.shipment) o.shipment = shipment;
          else o.extraShipments = [...(o.extraShipments ?? []), shipment];
        }
        if (o.items.every((i) => shipped.has(i.lineId))) o.status = 'shipped';
      },
      at,
    );
    return { pack_list: planned.map((p) => ({ logistics_code: p.trackingNumber })) };
  });

  /** Every after-sale of the shop: an order's refund or return, and its exchange (换货). */
  const afterSales = (shopKey: string) =>
    store.listModified(shopKey, new Date(0), new Date(8.64e15)).flatMap((o) => [
      ...(o.refund
        ? [
            {
              id: o.refund.id,
              modifiedAt: o.refund.modifiedAt,
              render: () => renderDouyinAfterSale(o, o.refund!),
            },
          ]
        : []),
      ...(o.exchange
        ? [
            {
              id: o.exchange.id,
              modifiedAt: o.exchange.modifiedAt,
              render: () => renderDouyinExchange(o, o.exchange!),
            },
          ]
        : []),
    ]);
  const findExchange = (shopKey: string, id: string) => {
    const order = store
      .listModified(shopKey, new Date(0), new Date(8.64e15))
      .find((o) => o.exchange?.id === id);
    return order ? { order, exchange: order.exchange! } : undefined;
  };

  route('afterSale.List', (params, shopKey) => {
    const { page, size } = paging(params);
    // One named case (`aftersale_id`) is listed whatever its time.
    if (params.aftersale_id !== undefined) {
      const named = afterSales(shopKey).filter((c) => c.id === String(params.aftersale_id));
      return {
        items: named.map((c) => c.render()),
        has_more: false,
        total: named.length,
        page,
        size,
      };
    }
    const { from, to } = span(params.update_start_time, params.update_end_time);
    const asc = Array.isArray(params.order_by) && params.order_by.includes('update_time asc');
    const cases = afterSales(shopKey)
      .filter((c) => c.modifiedAt >= from && c.modifiedAt < to)
      .sort((a, b) => a.modifiedAt.getTime() - b.modifiedAt.getTime() || a.id.localeCompare(b.id));
    if (!asc) cases.reverse();
    return {
      items: cases.slice(page * size, page * size + size).map((c) => c.render()),
      has_more: (page + 1) * size < cases.length,
      total: cases.length,
      page,
      size,
    };
  });

  route('afterSale.operate', (params, shopKey) => {
    const type = typeof params.type === 'number' ? params.type : Number(params.type);
    const items = Array.isArray(params.items) ? (params.items as Array<Record<string, unknown>>) : [];
    if (DOUYIN_EXCHANGE_TYPES.has(type) && items.length > 0 && items.length <= 20) {
      return douyinExchangeOperate(type, items, {
        find: (id) => findExchange(shopKey, id),
        store,
        now,
        companies: new Set(Object.keys(COMPANIES)),
        fail: (code, msg, subCode, subMsg) => new DouyinFailure(code, msg, subCode, subMsg),
      });
    }
    return douyinOperate(params, {
      find: (id) => findSimRefund(store.listModified(shopKey, new Date(0), new Date(8.64e15)), id),
      store,
      now,
      fail: (code, msg, subCode, subMsg) => new DouyinFailure(code, msg, subCode, subMsg),
    });
  });

  // Path from the facts (secondary source), parameters not: the simulator takes the case
  // (`aftersale_id`) of an order whose goods left, while it waits for the seller, and records the
  // intercept once (asking again answers the same success).
  route('afterSale.applyLogisticsIntercept', (params, shopKey) => {
    const found = findSimRefund(
      store.listModified(shopKey, new Date(0), new Date(8.64e15)),
      String(params.aftersale_id ?? ''),
    );
    const failed = (sub: string, msg: string) =>
      new DouyinFailure(50002, '业务处理失败', `isv.business-failed:${sub}`, msg);
    if (!found) throw failed('20309540', `售后单 ${String(params.aftersale_id ?? '')} 不存在`);
    const { order, refund } = found;
    if (!order.shipment) throw failed('20309542', '订单未发货，无需拦截');
    if (!refund.intercept) {
      if (refund.status !== 'requested') throw failed('20309541', '售后状态错误，请同步最新售后单后重试');
      const at = now();
      store.update(
        shopKey,
        order.id,
        (o) => (o.refund!.intercept = { at, call: 'afterSale.applyLogisticsIntercept' }),
        at,
      );
    }
    return {};
  });

  const waybills = douyinWaybillApis(
    options.waybills ?? createDouyinWaybillSim(),
    cipher,
    store,
    (code, msg, subCode, subMsg) => new DouyinFailure(code, msg, subCode, subMsg),
  );
  route('logistics.newCreateOrder', (params, shopKey) => waybills.newCreateOrder(params, shopKey));
  route('logistics.waybillApply', (params, shopKey) => waybills.waybillApply(params, shopKey));
  route('logistics.cancelOrder', (params, shopKey) => waybills.cancelOrder(params, shopKey));
  route('logistics.listShopNetsite', (params, shopKey) => waybills.listShopNetsite(params, shopKey));
  route('logistics.getOutRange', (params) => waybills.getOutRange(params));

  route('order.batchDecrypt', (params, shopKey) => {
    const infos = Array.isArray(params.cipher_infos) ? params.cipher_infos : [];
    if (infos.length === 0 || infos.length > 50) {
      throw new DouyinFailure(
        40004,
        '非法的参数',
        'isv.business-failed:cipher_infos',
        'cipher_infos 数量应为1-50',
      );
    }
    return {
      decrypt_infos: infos.map((info: { auth_id?: unknown; cipher_text?: unknown }) => {
        const authId = String(info.auth_id ?? '');
        const cipherText = String(info.cipher_text ?? '');
        const owner = store.get(shopKey, authId);
        const plain = owner ? cipher.decrypt(cipherText) : undefined;
        return plain === undefined
          ? {
              auth_id: authId,
              cipher_text: cipherText,
              decrypt_text: '',
              err_no: 300008,
              err_msg: '解密失败',
            }
          : { auth_id: authId, cipher_text: cipherText, decrypt_text: plain, err_no: 0, err_msg: '' };
      }),
      custom_err: { err_code: 0, err_msg: '' },
    };
  });

  route(
    'token.refresh',
    (params) => {
      if (params.grant_type !== 'refresh_token' || typeof params.refresh_token !== 'string') {
        throw new DouyinFailure(
          50001,
          '平台处理失败',
          'dop.token-generate-failed:grant-type-invalid',
          'grant_type参数取值不正确',
        );
      }
      const grant = auth.refresh(params.refresh_token);
      if (!grant)
        throw new DouyinFailure(
          50001,
          '平台处理失败',
          'dop.token-generate-failed:token-invalid',
          '生成token失败，token不存在',
        );
      return {
        access_token: grant.accessToken,
        expires_in: Math.round((grant.expiresAt.getTime() - now().getTime()) / 1000),
        refresh_token: grant.refreshToken,
        scope: 'SCOPE',
        shop_id: jsonShopId(grant.shopKey),
        shop_name: `抖店 ${grant.shopKey}`,
      };
    },
    false,
  );
};

function jsonShopId(shopKey: string): bigint | string {
  return /^\d+$/.test(shopKey) ? BigInt(shopKey) : shopKey;
}
