import { FaultPlan } from '../../sandbox/kit/rate-limit.js';
import { SimOrderStore } from '../../sandbox/kit/store.js';
import {
  DouyinSimAuth,
  douyinSimulator,
  renderDouyinPush,
  type DouyinPushTag,
} from '../../sandbox/platforms/douyin/index.js';
import type { SimExchange, SimOrder } from '../../sandbox/orders/model.js';
import { expectedDouyinSign } from '../../sandbox/platforms/douyin/verify.js';
import { clockDigits } from './fixtures.js';
import { paidSimOrder } from './sim-orders.js';
import type { CaseSimulator, MarketWorld } from './market-cases.js';

const app = { appKey: '7300000000000000001', appSecret: 'douyin-as-secret' };
const store = new SimOrderStore();
const auth = new DouyinSimAuth();
let serial = 0;

/** Douyin 抖店's after-sales simulator as the market case tests drive it. */
export const douyinCases: CaseSimulator = {
  platform: 'douyin',
  store,
  seller() {
    const shopKey = String(30_000_000 + Math.floor(Math.random() * 60_000_000));
    const grant = auth.grant(shopKey);
    return {
      shopKey,
      credentials: { ...app, accessToken: grant.accessToken, refreshToken: grant.refreshToken },
    };
  },
  register: (server) => server.register(douyinSimulator, { store, app, auth, faults: new FaultPlan() }),
  paidOrder(shopKey, skus) {
    const id = `69${String(Date.now()).slice(-13)}${String(++serial).padStart(4, '0')}`;
    return paidSimOrder(
      { id, shopKey, buyerNick: '', receiver: { name: '孙七', phone: '13500001234' } },
      skus,
      // Sku order ids: numbers of their own, like the shop order's.
      { line: (i) => `70${id.slice(2, -1)}${i + 1}`, sku: (i) => String(1_700_000_000 + i) },
    );
  },
  lineId: (order, index) => order.items[index]!.lineId,
  isAgree: (request) => request.url.split('?')[0]!.endsWith('/afterSale/operate'),
  isIntercept: (request) => request.url.split('?')[0]!.endsWith('/afterSale/applyLogisticsIntercept'),
  async forgedAgree(url, order) {
    const body = JSON.stringify({
      type: 401,
      items: [
        {
          aftersale_id: order.refund!.id,
          update_time: Math.floor(order.refund!.modifiedAt.getTime() / 1000),
        },
      ],
    });
    const query = {
      app_key: app.appKey,
      method: 'afterSale.operate',
      timestamp: String(Math.floor(Date.now() / 1000)),
      v: '2',
      sign_method: 'hmac-sha256',
    };
    const sign = expectedDouyinSign('not-the-app-secret', query, body);
    const params = new URLSearchParams({ ...query, sign, access_token: 'any' });
    const res = await fetch(`${url}/afterSale/operate?${params.toString()}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    return { status: res.status, body: await res.text() };
  },
  // A signed RefundCreated push to the ERP's webhook route (verified, then through the inbox).
  push: (world, shopId, order) => pushDouyin(world, shopId, order, 200, 'refund'),
  refuseBeforeShipment: 'not_offered',
  wholeOrderWaits: false,
  perLine: true,
};

/**
 * A signed push (verified, then through the inbox) naming the order's refund, or its exchange (tag
 * 200 RefundCreated, 211 ExchangeConfirmed), to the ERP's webhook route.
 */
export async function pushDouyin(
  world: Pick<MarketWorld, 'api'>,
  shopId: string,
  order: SimOrder,
  tag: DouyinPushTag,
  about: 'refund' | 'exchange',
): Promise<void> {
  const pushed = renderDouyinPush(app, order, tag, about);
  const res = await world.api.inject({
    method: 'POST',
    url: `/webhooks/douyin/${shopId}`,
    headers: pushed.headers,
    payload: pushed.body,
  });
  if (res.statusCode !== 200) throw new Error(`douyin push answered ${res.statusCode}: ${res.body}`);
}

/** The buyer's exchange (换货) or 补寄 on `order` as Douyin holds it. */
export const douyinExchangeOf = (order: SimOrder): SimExchange =>
  store.get(order.shopKey, order.id)!.exchange!;

/**
 * The buyer asks Douyin for an exchange (换货, aftersale_type 3) or a 补寄 (`type` 7) of one unit of
 * line 1 (6 售后申请), with an id of `prefix` and clock digits; the case as Douyin now holds it.
 */
export function douyinBuyerAsks(
  order: SimOrder,
  ask: { prefix: string; reason: string; type?: 3 | 7 },
): SimExchange {
  const at = new Date(Math.max(Date.now(), store.get(order.shopKey, order.id)!.modifiedAt.getTime() + 1000));
  const exchange: SimExchange = {
    id: `${ask.prefix}${clockDigits(12)}`,
    ...(ask.type ? { type: ask.type } : {}),
    status: 6,
    lineId: order.items[0]!.lineId,
    num: 1,
    reason: ask.reason,
    createdAt: at,
    modifiedAt: at,
  };
  store.update(order.shopKey, order.id, (o) => (o.exchange = exchange), at);
  return exchange;
}

/** The exchange or 补寄 moves on Douyin (the buyer, the back office): a newer update time. */
export function onDouyin(order: SimOrder, status: number, change: (e: SimExchange) => void = () => {}): void {
  const at = new Date(Math.max(Date.now(), douyinExchangeOf(order).modifiedAt.getTime() + 1000));
  store.update(
    order.shopKey,
    order.id,
    (o) => {
      o.exchange!.status = status;
      o.exchange!.modifiedAt = at;
      change(o.exchange!);
    },
    at,
  );
}
