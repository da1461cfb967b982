import { FaultPlan } from '../../sandbox/kit/rate-limit.js';
import { SimOrderStore } from '../../sandbox/kit/store.js';
import { jdSimulator } from '../../sandbox/platforms/jd/index.js';
import { expectedJdSign } from '../../sandbox/platforms/jd/verify.js';
import type { SimOrder } from '../../sandbox/orders/model.js';
import { paidSimOrder } from './sim-orders.js';
import { formParam, type CaseSimulator } from './market-cases.js';
import { clockDigits } from './fixtures.js';

/** The return address a JD shop agrees returns with (`credentials.extra.returnAddress`). */
export const JD_RETURN_ADDRESS = {
  contactName: '退货组 王五',
  mobile: '13700001111',
  province: '浙江',
  city: '杭州市',
  county: '余杭区',
  detail: '仓前街道良睦路1号 退货仓',
};

const gmt8 = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');

/**
 * The simulated JOS gateway as the after-sales tests use it: one app, a new vendor per shop, the
 * shop's return address in its credentials. `isAgree` matches both agreements JD takes: the refund
 * apply's `replyRefund` status 1 and the service order's `asc.audit.send`.
 */
export function jdCaseSimulator(): CaseSimulator & {
  /** A JOS call signed with a secret JD never issued: JD's answer. */
  forged(url: string, order: SimOrder, method: string, business: Record<string, unknown>): Promise<string>;
} {
  const app = { appKey: 'jd-as-app', appSecret: 'jd-as-secret' };
  const store = new SimOrderStore();
  const vendors: Array<{ venderId: string; accessToken: string }> = [];
  let serial = 0;
  const forged = async (url: string, order: SimOrder, method: string, business: Record<string, unknown>) => {
    const params: Record<string, string> = {
      method,
      app_key: app.appKey,
      access_token: vendors.find((v) => v.venderId === order.shopKey)!.accessToken,
      timestamp: gmt8(new Date()),
      v: '2.0',
      '360buy_param_json': JSON.stringify(business),
    };
    params['sign'] = expectedJdSign(params, 'not-the-app-secret');
    const res = await fetch(`${url}/routerjson`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(params).toString(),
    });
    return `${res.status} ${await res.text()}`;
  };
  return {
    platform: 'jd',
    store,
    seller() {
      const venderId = String(10_000_000 + Math.floor(Math.random() * 80_000_000));
      const accessToken = `jd-as-token-${venderId}`;
      vendors.push({ venderId, accessToken });
      return {
        shopKey: venderId,
        credentials: { ...app, accessToken, extra: { returnAddress: JSON.stringify(JD_RETURN_ADDRESS) } },
      };
    },
    register: (server) => server.register(jdSimulator, { store, ...app, vendors, faults: new FaultPlan() }),
    paidOrder(venderId, skus) {
      const id = `${clockDigits(10)}${++serial}`;
      return paidSimOrder(
        { id, shopKey: venderId, buyerNick: 'jd_buyer', receiver: { name: '赵六', phone: '13600001234' } },
        skus,
        { line: (i) => `${id}${i + 1}`, sku: (i) => String(100_000_000 + serial * 10 + i) },
      );
    },
    lineId: (order, index) => order.items[index]!.platformSkuId,
    isAgree: (request) => {
      const method = formParam(request, 'method');
      if (method === 'jingdong.asc.audit.send') return true;
      return (
        method === 'jingdong.pop.afs.soa.refundapply.replyRefund' &&
        JSON.parse(formParam(request, '360buy_param_json') ?? '{}').status === '1'
      );
    },
    async forgedAgree(url, order) {
      const answer = await forged(url, order, 'jingdong.pop.afs.soa.refundapply.replyRefund', {
        status: '1',
        id: order.refund!.id,
        checkUserName: 'x',
        remark: '',
      });
      const [status, ...body] = answer.split(' ');
      return { status: Number(status), body: body.join(' ') };
    },
    forged,
    refuseBeforeShipment: 'done',
    wholeOrderWaits: false,
    perLine: false,
  };
}
