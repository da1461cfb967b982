import { fetchRequestsOf } from '../../activities/capture/channels/dispatch.js';
import { parsePmcFrame } from '../../integrations/platforms/pdd/webhook.js';
import { FaultPlan } from '../../sandbox/kit/rate-limit.js';
import { SimOrderStore } from '../../sandbox/kit/store.js';
import {
  expectedPddSign,
  pddSimulator,
  renderPmcFrame,
  type PddSimMall,
} from '../../sandbox/platforms/pdd/index.js';
import { requestOrderFetch } from '../../services/capture/sync-control.js';
import { formParam, type CaseSimulator } from './market-cases.js';
import { paidPddOrder } from './pdd.js';

const client = { clientId: 'pdd-as-client', clientSecret: 'pdd-as-secret' };

/**
 * The PDD gateway as the after-sales tests on a market world drive it: one app, a new mall per
 * shop, captured by the poll (pdd.refund.list.increment.get) and by PMC pdd_refund_* messages, read
 * with pdd.refund.information.get, agreed with pdd.refund.agree; PDD has no refusal API, so a
 * refusal before shipment is answered by shipping.
 */
export function pddCases(): CaseSimulator {
  const store = new SimOrderStore();
  const malls: PddSimMall[] = [];
  let frames = 0;
  return {
    platform: 'pdd',
    store,
    seller() {
      const mallId = String(100_000_000 + Math.floor(Math.random() * 800_000_000));
      const mall = {
        mallId,
        accessToken: `pdd-as-token-${mallId}`,
        refreshToken: `pdd-as-refresh-${mallId}`,
      };
      malls.push(mall);
      return {
        shopKey: mallId,
        credentials: {
          appKey: client.clientId,
          appSecret: client.clientSecret,
          accessToken: mall.accessToken,
          refreshToken: mall.refreshToken,
        },
      };
    },
    register: (server) => server.register(pddSimulator, { store, ...client, malls, faults: new FaultPlan() }),
    paidOrder: (mallId, skus) => paidPddOrder(mallId, skus),
    lineId: (order, index) => order.items[index]!.platformSkuId,
    isAgree: (request) => formParam(request, 'type') === 'pdd.refund.agree',
    async forgedAgree(url, order) {
      const params: Record<string, string> = {
        type: 'pdd.refund.agree',
        client_id: client.clientId,
        access_token: malls.find((m) => m.mallId === order.shopKey)!.accessToken,
        timestamp: String(Math.floor(Date.now() / 1000)),
        data_type: 'JSON',
        after_sales_id: order.refund!.id,
        order_sn: order.id,
        operate_desc: '同意退款',
      };
      params['sign'] = expectedPddSign(params, 'not-the-client-secret');
      const res = await fetch(`${url}/api/router`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(params).toString(),
      });
      return { status: res.status, body: await res.text() };
    },
    // PMC says pdd_refund_RefundCreated, read by the adapter's own frame parser.
    async push(world, shopId, order) {
      const frame = renderPmcFrame(order, 'pdd_refund_RefundCreated', {
        id: String(++frames),
        mallId: order.shopKey,
        now: new Date(),
      });
      await requestOrderFetch(
        world.h.client,
        world.h.config.TASK_QUEUE_ORDERS,
        { id: shopId, platform: 'pdd' },
        fetchRequestsOf(parsePmcFrame(frame).events),
      );
    },
    refuseBeforeShipment: 'not_offered',
    wholeOrderWaits: false,
    perLine: true,
    // `expire_time` while the case waits for the merchant (AFTER-SALES-FACTS §1.3).
    sellerDeadlines: true,
  };
}
