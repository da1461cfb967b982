import { FaultPlan } from '../../sandbox/kit/rate-limit.js';
import { SimOrderStore } from '../../sandbox/kit/store.js';
import { taobaoSimulator, type TaobaoSimShop } from '../../sandbox/platforms/taobao/index.js';
import { formParam, type CaseSimulator } from './market-cases.js';
import { paidSimOrder } from './sim-orders.js';

/**
 * The TOP gateway (Taobao) as the after-sales tests on a market world use it: one app, a new seller
 * per shop with the shop's return address among its credentials, polled like any Taobao shop.
 */

export const RETURN_ADDRESS_ID = '7000123';

/** The platform's simulator with the shop's return address id among the seller's credentials. */
export function withReturnAddress(sim: CaseSimulator): CaseSimulator {
  return {
    ...sim,
    seller() {
      const seller = sim.seller();
      return {
        ...seller,
        credentials: {
          ...seller.credentials,
          extra: { ...seller.credentials.extra, returnAddressId: RETURN_ADDRESS_ID },
        },
      };
    },
  };
}

export const RETURN_ADDRESS = {
  contactName: '退货仓 王师傅',
  mobile: '13800138000',
  zipcode: '310000',
  province: '浙江省',
  city: '杭州市',
  county: '余杭区',
  detail: '仓前街道 1 号退货仓',
};

/** The TOP gateway (Taobao), one seller per shop, polled like any Taobao shop. */
export function topCases(): CaseSimulator {
  const store = new SimOrderStore();
  const app = { appKey: '23456789', appSecret: 'top-return-secret' };
  const shops: TaobaoSimShop[] = [];
  let serial = 0;
  const unused = () => {
    throw new Error('not used by these tests');
  };
  return {
    platform: 'taobao',
    store,
    seller() {
      const nick = `退货店${Date.now()}${++serial}`;
      const accessToken = `session-${nick}`;
      shops.push({ nick, accessToken });
      return {
        shopKey: nick,
        credentials: {
          ...app,
          accessToken,
          extra: { returnAddress: JSON.stringify(RETURN_ADDRESS) },
        },
      };
    },
    register: (server) =>
      server.register(taobaoSimulator, { store, ...app, shops, faults: new FaultPlan(), platform: 'taobao' }),
    paidOrder(shopKey, skus) {
      const tid = `39${Date.now()}${++serial}`;
      return paidSimOrder(
        {
          id: tid,
          shopKey,
          buyerNick: 'r**d',
          receiver: { name: '李四', phone: '13900001234', detail: '文三路200号' },
        },
        skus,
        { line: (i) => `${tid}${i + 1}`, sku: (i) => String(i + 1) },
      );
    },
    lineId: (order, index) => order.items[index]!.lineId,
    // The call that makes TOP refund the buyer (a refund's agreement, or a return's goods received).
    isAgree: (request) =>
      (formParam(request, 'method') ?? (request.query as Record<string, string> | undefined)?.['method']) ===
      'taobao.rp.refunds.agree',
    forgedAgree: unused,
    refuseBeforeShipment: 'not_offered',
    wholeOrderWaits: false,
    perLine: true,
  };
}
