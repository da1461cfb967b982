import type { SimExchange, SimOrder } from '../../orders/model.js';
import { topTime } from './render.js';

/**
 * The simulator's Tmall exchange calls (AFTER-SALES-FACTS §1.1 "Exchange"), read from the facts:
 * `tmall.exchange.get` (dispute_id, fields), `tmall.exchange.agree` (needs `address_id`: 1 换货待处理
 * or 6 待买家修改 → 2 待买家退货), `tmall.exchange.returngoods.agree` (卖家确认收货: 3 买家已退货待收货 →
 * 12 待发出换货商品) and `tmall.exchange.consigngoods` (`logistics_no`, `logistics_type` 100 平邮 / 200
 * 快递, `logistics_company_name`: 12 → 13 待买家收货). Every answer is
 * `result{success, msg_code, message, exchange{…}}`; a call in the wrong status answers
 * `success: false`. A repeated write whose change is already made answers success again.
 */
export interface TmallExchangeDeps {
  find(disputeId: string, shopKey: string): { order: SimOrder; exchange: SimExchange } | undefined;
  update(order: SimOrder, change: (exchange: SimExchange) => void): void;
  fault(code: number, msg: string, subCode?: string, subMsg?: string): Error;
}

type Api = {
  session: boolean;
  handle(params: Record<string, string>, shop: { nick: string } | undefined): Record<string, unknown>;
};

export function renderTmallExchange(order: SimOrder, exchange: SimExchange): Record<string, unknown> {
  const item = order.items.find((i) => i.lineId === exchange.lineId);
  return {
    dispute_id: exchange.id,
    biz_order_id: order.id,
    status: exchange.status,
    created: topTime(exchange.createdAt),
    modified: topTime(exchange.modifiedAt),
    reason: exchange.reason,
    title: item?.title ?? '',
    num: exchange.num,
    ...(exchange.boughtSku ? { bought_sku: exchange.boughtSku } : {}),
    ...(exchange.exchangeSku ? { exchange_sku: exchange.exchangeSku } : {}),
    ...(exchange.buyerLogistic
      ? { buyer_logistic_name: exchange.buyerLogistic.name, buyer_logistic_no: exchange.buyerLogistic.no }
      : {}),
    ...(exchange.sellerLogistic
      ? { seller_logistic_name: exchange.sellerLogistic.name, seller_logistic_no: exchange.sellerLogistic.no }
      : {}),
    ...(exchange.timeOut ? { time_out: topTime(exchange.timeOut) } : {}),
    refund_version: exchange.modifiedAt.getTime(),
  };
}

export function tmallExchangeApis(deps: TmallExchangeDeps): Record<string, Api> {
  const missing = (name: string) =>
    deps.fault(40, 'Missing Required Arguments', `isv.missing-parameter:${name}`);
  const find = (params: Record<string, string>, shop: { nick: string } | undefined) => {
    const id = params['dispute_id'];
    if (!id) throw missing('dispute_id');
    const found = deps.find(id, shop!.nick);
    if (!found) throw deps.fault(15, 'Remote service error', 'isv.exchange-not-exist', `换货单 ${id} 不存在`);
    return found;
  };
  const answer = (order: SimOrder, exchange: SimExchange, ok = true, message = '') => ({
    result: {
      success: ok,
      msg_code: ok ? 'SUCCESS' : 'STATUS_NOT_ALLOWED',
      message,
      exchange: {
        dispute_id: exchange.id,
        biz_order_id: order.id,
        status: exchange.status,
        modified: topTime(exchange.modifiedAt),
      },
    },
  });
  /** Moves the exchange from one of `from` to `to`; already at `to` (a retry) is success again. */
  const move = (
    params: Record<string, string>,
    shop: { nick: string } | undefined,
    from: number[],
    to: number,
    change: (exchange: SimExchange) => void = () => {},
  ) => {
    const { order, exchange } = find(params, shop);
    if (exchange.status === to) return answer(order, exchange);
    if (!from.includes(exchange.status)) {
      return answer(order, exchange, false, `换货单状态（${exchange.status}）不允许此操作`);
    }
    deps.update(order, (e) => {
      e.status = to;
      change(e);
    });
    const now = deps.find(exchange.id, shop!.nick)!;
    return answer(now.order, now.exchange);
  };

  return {
    'tmall.exchange.get': {
      session: true,
      handle(params, shop) {
        if (!params['fields']) throw missing('fields');
        const { order, exchange } = find(params, shop);
        const wanted = new Set(params['fields'].split(',').map((f) => f.trim()));
        const full = renderTmallExchange(order, exchange);
        return {
          result: {
            success: true,
            msg_code: 'SUCCESS',
            message: '',
            exchange: Object.fromEntries(Object.entries(full).filter(([k]) => wanted.has(k))),
          },
        };
      },
    },
    'tmall.exchange.agree': {
      session: true,
      handle(params, shop) {
        if (!params['address_id']) throw missing('address_id');
        return move(params, shop, [1, 6], 2, (e) => (e.addressId = params['address_id']));
      },
    },
    'tmall.exchange.returngoods.agree': {
      session: true,
      handle: (params, shop) => move(params, shop, [3], 12),
    },
    'tmall.exchange.consigngoods': {
      session: true,
      handle(params, shop) {
        for (const name of ['logistics_no', 'logistics_type', 'logistics_company_name']) {
          if (!params[name]) throw missing(name);
        }
        if (params['logistics_type'] !== '100' && params['logistics_type'] !== '200') {
          throw deps.fault(
            41,
            'Invalid arguments',
            'isv.invalid-parameter:logistics_type',
            'logistics_type 只能为 100（平邮）或 200（快递）',
          );
        }
        return move(params, shop, [12], 13, (e) => {
          e.sellerLogistic = {
            name: params['logistics_company_name']!,
            no: params['logistics_no']!,
            type: params['logistics_type']!,
          };
        });
      },
    },
  };
}
