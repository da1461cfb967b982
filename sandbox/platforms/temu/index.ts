import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { isSafeNumber, parse } from 'lossless-json';
import type { SimInventory } from '../../kit/inventory.js';
import { FaultPlan } from '../../kit/rate-limit.js';
import type { SimOrderStore } from '../../kit/store.js';
import type { SimTokenAuth } from '../../kit/token-auth.js';
import type { SimOrder } from '../../orders/model.js';
import { TemuAfterSalesFailure, temuAfterSalesApis } from './after-sales.js';
import { temuStockApis } from './stock.js';

export { renderTemuPush, type TemuEventCode } from './push.js';

export interface TemuSimulatorOptions {
  store: SimOrderStore;
  /** The app (app_key, app_secret) and the shop (mall) whose tokens `auth` issues (store shopKey). */
  app: { appKey: string; appSecret: string; shopKey: string };
  auth: SimTokenAuth;
  /** Carrier ids the simulator takes (its own list). */
  carrierIds?: readonly string[];
  faults?: FaultPlan;
  now?: () => Date;
  /**
   * APIs the app has not been granted (Temu grants `bg.order.amount.query` separately): called
   * anyway they answer 3000032. Read on every call, so a test may change it.
   */
  notGranted?: Set<string>;
  /** Stock of local goods by `<goodsId>:<skuId>` (stock.ts). */
  inventory?: SimInventory;
}

/** Temu's carrier ids in the simulator: the docs' example id and a few of its own. */
export const TEMU_SIM_CARRIER_IDS = ['699272611', '699272612', '699272613', '699272614'] as const;

class TemuFailure extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The simulator's own check of `sign`: each top-level body field but `sign`, ordered by name
 * (code-unit order), name followed by the value's text (strings as they are, other values as
 * JSON), wrapped in the app secret, MD5, upper-case hex.
 */
function expectedSign(secret: string, body: Record<string, unknown>): string {
  const names = Object.keys(body).filter((n) => n !== 'sign');
  names.sort();
  const md5 = createHash('md5');
  md5.update(secret, 'utf8');
  for (const n of names) {
    const v = body[n];
    if (v === null || v === undefined) continue;
    md5.update(n, 'utf8');
    md5.update(
      typeof v === 'string'
        ? v
        : JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? Number(x) : x)),
      'utf8',
    );
  }
  md5.update(secret, 'utf8');
  return md5.digest('hex').toUpperCase();
}

const sec = (d: Date | undefined) => (d ? Math.floor(d.getTime() / 1000) : undefined);
const shipmentsOf = (order: SimOrder) =>
  [order.shipment, ...(order.extraShipments ?? [])].filter((s) => s !== undefined);
export function temuSentSubOrders(order: SimOrder): Set<string> {
  return new Set(shipmentsOf(order).flatMap((s) => s.lineIds ?? order.items.map((i) => i.lineId)));
}
/** The goods a SKU belongs to (the simulator's own numbering). */
export const temuGoodsId = (skuId: string) =>
  Number(`60${skuId.replace(/\D/g, '').slice(-10).padStart(10, '0')}`);
const temuSkuId = (skuId: string) => Number(`17${skuId.replace(/\D/g, '').slice(-10).padStart(10, '0')}`);

/**
 * SimOrder → a Temu parent order (the partner docs' `parentOrderMap` + `orderList`), the
 * simulator's rendering.
 */
export function temuOrderBody(order: SimOrder) {
  const sent = temuSentSubOrders(order);
  const parentStatus = (): number => {
    switch (order.status) {
      case 'unpaid':
      case 'deposit_paid':
        return 1;
      case 'paid':
        return sent.size > 0 ? 41 : 2;
      case 'shipped':
        return 4;
      case 'completed':
        return 5;
      case 'cancelled':
        return 3;
    }
  };
  const parent = parentStatus();
  return {
    parentOrderMap: {
      parentOrderSn: order.id,
      parentOrderStatus: parent,
      parentOrderTime: sec(order.createdAt),
      updateTime: sec(order.modifiedAt),
      expectShipLatestTime: sec(order.createdAt)! + 2 * 86_400,
      ...(shipmentsOf(order)[0] ? { parentShippingTime: sec(shipmentsOf(order)[0]!.shippedAt) } : {}),
    },
    orderList: order.items.map((i) => ({
      orderSn: i.lineId,
      goodsId: temuGoodsId(i.platformSkuId),
      goodsName: [i.title, i.spec].filter(Boolean).join(' '),
      skuId: temuSkuId(i.platformSkuId),
      orderStatus: parent === 41 ? (sent.has(i.lineId) ? 4 : 2) : parent,
      orderCreateTime: sec(order.createdAt),
      quantity: i.quantity,
      fulfillmentType: 'fulfillBySeller',
    })),
  };
}

/** The simulator's supply (base) price: 80 % of the retail price, its own rule. */
const basePriceOf = (retailMinor: number) => Math.round(retailMinor * 0.8);

/**
 * SimOrder → `bg.order.amount.query`'s answer (money blocks of `{currency, amount}` in minor
 * units), the simulator's rendering: the items' own discounts are the seller's, the order's
 * discount Temu's (on its first sub-order), shipping on the first sub-order, `customerPaid` what
 * the buyer paid less what was refunded, by the docs' formulas.
 */
export function temuOrderAmount(order: SimOrder) {
  const m = (amount: number) => ({ currency: order.currency, amount });
  const retail = order.items.reduce((sum, i) => sum + i.unitPriceMinor * i.quantity, 0);
  const fromSeller = order.items.reduce((sum, i) => sum + i.discountMinor, 0);
  const tax = order.items.reduce((sum, i) => sum + (i.taxMinor ?? 0), 0);
  const refunded = order.refund?.status === 'refunded' ? order.refund.amountMinor : 0;
  const paid = order.status === 'unpaid' ? 0 : order.paidMinor;
  const base = basePriceOf(retail);
  return {
    parentOrderMap: {
      parentOrderSn: order.id,
      basePriceTotal: m(base),
      shippingAmountTotal: m(order.shippingMinor),
      taxTotal: m(tax),
      discountFromSeller: m(fromSeller),
      discountFromTEMU: m(order.discountMinor),
      refundsTotal: m(refunded),
      estimatedRevenueDeduction: m(0),
      estimatedRevenue: m(base + order.shippingMinor),
      retailPriceTotal: m(retail),
      customerPaid: m(Math.max(0, paid - refunded)),
      totalDiscount: m(fromSeller + order.discountMinor),
      signOnDelivery: null,
    },
    orderList: order.items.map((i, n) => ({
      orderSn: i.lineId,
      basePrice: m(basePriceOf(i.unitPriceMinor * i.quantity)),
      unitBasePrice: m(basePriceOf(i.unitPriceMinor)),
      quantity: i.quantity,
      unitRetailPrice: m(i.unitPriceMinor),
      discountFromSeller: m(i.discountMinor),
      discountFromTEMU: m(n === 0 ? order.discountMinor : 0),
      shipAmountTotal: m(n === 0 ? order.shippingMinor : 0),
    })),
    warning: [],
  };
}

/**
 * Temu's open API as a Fastify plugin (docs/platforms/temu.md): `POST /openapi/router` with a
 * JSON body — its own check of `app_key` (3000026), `sign` (3000001 / 3000040), `timestamp`
 * (±300 s: 3000011 / 3000012), `data_type` (3000014) and the token (3000031 unknown, 3000034
 * expired) — answering `{success, errorCode, errorMsg, result}`: the update-time order list
 * (`pageSize` ≤ 100, newest first), one order, its shipping info and amounts (3000032 where the
 * app is not granted that call), `bg.logistics.shipment.confirm`, the Return and Refund calls
 * of after-sales.ts and the stock calls of stock.ts.
 */
export const temuSimulator: FastifyPluginAsync<TemuSimulatorOptions> = async (app, options) => {
  const { store, auth } = options;
  const now = options.now ?? (() => new Date());
  const faults = options.faults ?? new FaultPlan();
  const shopKey = options.app.shopKey;
  const carriers = new Set<string>(options.carrierIds ?? TEMU_SIM_CARRIER_IDS);

  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(
        null,
        parse(String(body), null, (d) => (isSafeNumber(d) ? Number(d) : BigInt(d))),
      );
    } catch (err) {
      done(err as Error, undefined);
    }
  });
  const ok = (reply: FastifyReply, result: unknown) =>
    reply.type('application/json').send({ success: true, errorCode: 1000000, errorMsg: '', result });
  const fail = (reply: FastifyReply, f: { code: number; message: string }) =>
    reply
      .type('application/json')
      .send({ success: false, errorCode: f.code, errorMsg: f.message, result: null });

  type Handler = (body: Record<string, unknown>) => unknown;
  const apis = new Map<string, Handler>();

  app.post('/openapi/router', async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    try {
      const type = typeof body.type === 'string' ? body.type : '';
      const planned = faults.next(type);
      if (planned) {
        if (planned.retryAfterSeconds !== undefined)
          reply.header('retry-after', String(planned.retryAfterSeconds));
        return reply
          .code(planned.status)
          .send({ success: false, errorCode: 4000000, errorMsg: 'SYSTEM_EXCEPTION' });
      }
      if (!type) throw new TemuFailure(3000002, 'there is no type in body.');
      if (body.app_key === undefined) throw new TemuFailure(3000025, 'there is no app_key in body.');
      if (body.app_key !== options.app.appKey) throw new TemuFailure(3000026, 'app_key not exists.');
      if (typeof body.sign !== 'string') throw new TemuFailure(3000040, 'there is no sign in body.');
      const expected = expectedSign(options.app.appSecret, body);
      if (
        body.sign.length !== expected.length ||
        !timingSafeEqual(Buffer.from(body.sign), Buffer.from(expected))
      )
        throw new TemuFailure(3000001, 'SIGN_UNVALID');
      const stamp = Number(body.timestamp);
      if (body.timestamp === undefined) throw new TemuFailure(3000010, 'there is no timestamp in body.');
      const nowS = now().getTime() / 1000;
      if (!Number.isFinite(stamp) || stamp > nowS + 300)
        throw new TemuFailure(3000011, 'timestamp is invalid.');
      if (stamp < nowS - 300) throw new TemuFailure(3000012, 'timestamp is expired.');
      if (String(body.data_type ?? '').toLowerCase() !== 'json')
        throw new TemuFailure(3000014, 'data_type is invalid');
      const found = auth.lookup(String(body.access_token ?? ''));
      if (!found || found.grant.shopKey !== shopKey)
        throw new TemuFailure(3000031, 'access_token not exists.');
      if (found.expired)
        throw new TemuFailure(
          3000034,
          'access_token is expired or have been refreshed, please contact seller to share the new access_token with you.',
        );
      const handler = apis.get(type);
      if (!handler) throw new TemuFailure(3000003, 'type not exists');
      if (options.notGranted?.has(type))
        throw new TemuFailure(3000032, 'access_token is unauthorized for this type.');
      return ok(reply, handler(body));
    } catch (err) {
      if (err instanceof TemuFailure || err instanceof TemuAfterSalesFailure) return fail(reply, err);
      throw err;
    }
  });

  const orderOf = (sn: unknown): SimOrder => {
    const order = store.get(shopKey, typeof sn === 'string' ? sn : '');
    if (!order) throw new TemuFailure(140020002, 'Order not found');
    return order;
  };
  const int = (v: unknown, fallback: number) =>
    v === undefined ? fallback : typeof v === 'number' ? v : NaN;

  apis.set('bg.order.list.v2.get', (b) => {
    const page = int(b.pageNumber, 1);
    const size = int(b.pageSize, 10);
    if (!Number.isInteger(page) || page < 1) throw new TemuFailure(3000000, 'BAD_PARAMS: pageNumber');
    if (!Number.isInteger(size) || size < 1 || size > 100)
      throw new TemuFailure(3000000, 'BAD_PARAMS: pageSize');
    const hasStart = b.updateAtStart !== undefined;
    if (hasStart !== (b.updateAtEnd !== undefined))
      throw new TemuFailure(3000000, 'BAD_PARAMS: updateAtStart and updateAtEnd go together');
    const from = hasStart ? int(b.updateAtStart, 0) : -Infinity;
    const to = hasStart ? int(b.updateAtEnd, 0) : Infinity;
    const found = store
      .listModified(shopKey, new Date(0), new Date(8.64e15), 'desc')
      .filter((o) => sec(o.modifiedAt)! >= from && sec(o.modifiedAt)! <= to);
    const start = (page - 1) * size;
    return { totalItemNum: found.length, pageItems: found.slice(start, start + size).map(temuOrderBody) };
  });

  for (const [type, handler] of Object.entries(temuAfterSalesApis({ store, shopKey, now })))
    apis.set(type, handler);
  for (const [type, handler] of Object.entries(
    temuStockApis({ ...(options.inventory ? { inventory: options.inventory } : {}), shopKey, now }),
  ))
    apis.set(type, handler);

  apis.set('bg.order.detail.v2.get', (b) => temuOrderBody(orderOf(b.parentOrderSn)));

  apis.set('bg.order.amount.query', (b) => temuOrderAmount(orderOf(b.parentOrderSn)));

  apis.set('bg.order.shippinginfo.v2.get', (b) => {
    const r = orderOf(b.parentOrderSn).receiver;
    return {
      receiptName: r.name,
      mobile: r.phone,
      regionName1: r.country,
      regionName2: r.province,
      regionName3: r.city,
      regionName4: r.district,
      addressLine1: r.detail,
      addressLineAll: [r.detail, r.district, r.city, r.province, r.country].filter(Boolean).join(', '),
      postCode: r.postalCode ?? '',
    };
  });

  apis.set('bg.logistics.shipment.confirm', (b) => {
    const requests = b.sendRequestList as Array<{
      carrierId?: unknown;
      trackingNumber?: unknown;
      orderSendInfoList?: Array<{ parentOrderSn?: unknown; orderSn?: unknown; quantity?: unknown }>;
    }>;
    if (!Array.isArray(requests) || requests.length === 0)
      throw new TemuFailure(3000000, 'BAD_PARAMS: sendRequestList');
    for (const r of requests) {
      const carrierId = String(r.carrierId ?? '');
      const tracking = String(r.trackingNumber ?? '');
      if (!carriers.has(carrierId)) throw new TemuFailure(3000000, `BAD_PARAMS: carrierId ${carrierId}`);
      if (!/^[A-Za-z0-9]{8,40}$/.test(tracking)) throw new TemuFailure(3000000, 'BAD_PARAMS: trackingNumber');
      const infos = r.orderSendInfoList ?? [];
      if (infos.length === 0) throw new TemuFailure(3000000, 'BAD_PARAMS: orderSendInfoList');
      const order = orderOf(infos[0]!.parentOrderSn);
      if (infos.some((i) => i.parentOrderSn !== order.id))
        throw new TemuFailure(3000000, 'BAD_PARAMS: one parent order per request');
      if (order.status !== 'paid')
        throw new TemuFailure(2000000, `order ${order.id} is not waiting for shipment`);
      const lines = new Map(order.items.map((i) => [i.lineId, i]));
      const named = infos.map((i) => String(i.orderSn ?? ''));
      if (named.some((sn) => !lines.has(sn))) throw new TemuFailure(3000000, 'BAD_PARAMS: orderSn');
      if (infos.some((i, n) => Number(i.quantity) !== lines.get(named[n]!)!.quantity))
        throw new TemuFailure(3000000, 'BAD_PARAMS: quantity');
      const sent = temuSentSubOrders(order);
      if (named.some((sn) => sent.has(sn))) throw new TemuFailure(2000000, 'sub order already shipped');
      const at = now();
      store.update(
        shopKey,
        order.id,
        (o) => {
          const shipment = {
            carrierCode: carrierId,
            trackingNumber: tracking,
            shippedAt: at,
            lineIds: named,
          };
          if (o.shipment) (o.extraShipments ??= []).push(shipment);
          else o.shipment = shipment;
          if (temuSentSubOrders(o).size >= lines.size) o.status = 'shipped';
        },
        at,
      );
    }
    return { shipmentResult: true };
  });
};
