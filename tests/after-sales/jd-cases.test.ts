import { FaultPlan } from '../../sandbox/kit/rate-limit.js';
import { SimOrderStore } from '../../sandbox/kit/store.js';
import { jdSimulator } from '../../sandbox/platforms/jd/index.js';
import { expectedJdSign } from '../../sandbox/platforms/jd/verify.js';
import { paidSimOrder } from '../support/sim-orders.js';
import { describePlatformCases, formParam } from '../support/market-cases.js';

// JD refund applies (退款审核单) on the real dev server and the simulated JOS gateway: JD pushes
// nothing we can use, so the poll captures them; an apply covers the whole order; the seller
// audits it with jingdong.pop.afs.soa.refundapply.replyRefund (agree 1, refuse 2).

const app = { appKey: 'jd-as-app', appSecret: 'jd-as-secret' };
const store = new SimOrderStore();
const vendors: Array<{ venderId: string; accessToken: string }> = [];
let serial = 0;

const gmt8 = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');

describePlatformCases('JD', {
  platform: 'jd',
  store,
  seller() {
    const venderId = String(10_000_000 + Math.floor(Math.random() * 80_000_000));
    const accessToken = `jd-as-token-${venderId}`;
    vendors.push({ venderId, accessToken });
    return { shopKey: venderId, credentials: { ...app, accessToken } };
  },
  register: (server) => server.register(jdSimulator, { store, ...app, vendors, faults: new FaultPlan() }),
  paidOrder(venderId, skus) {
    const id = `${String(Date.now()).slice(-10)}${++serial}`;
    return paidSimOrder(
      { id, shopKey: venderId, buyerNick: 'jd_buyer', receiver: { name: '赵六', phone: '13600001234' } },
      skus,
      { line: (i) => `${id}${i + 1}`, sku: (i) => String(100_000_000 + serial * 10 + i) },
    );
  },
  lineId: (order, index) => order.items[index]!.platformSkuId,
  isAgree: (request) =>
    formParam(request, 'method') === 'jingdong.pop.afs.soa.refundapply.replyRefund' &&
    JSON.parse(formParam(request, '360buy_param_json') ?? '{}').status === '1',
  async forgedAgree(url, order) {
    const params: Record<string, string> = {
      method: 'jingdong.pop.afs.soa.refundapply.replyRefund',
      app_key: app.appKey,
      access_token: vendors.find((v) => v.venderId === order.shopKey)!.accessToken,
      timestamp: gmt8(new Date()),
      v: '2.0',
      '360buy_param_json': JSON.stringify({
        status: '1',
        id: order.refund!.id,
        checkUserName: 'x',
        remark: '',
      }),
    };
    params['sign'] = expectedJdSign(params, 'not-the-app-secret');
    const res = await fetch(`${url}/routerjson`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(params).toString(),
    });
    return { status: res.status, body: await res.text() };
  },
  refuseBeforeShipment: 'done',
  wholeOrderWaits: false,
  perLine: false,
});
