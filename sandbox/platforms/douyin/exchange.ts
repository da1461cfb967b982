import type { SimExchange, SimOrder } from '../../orders/model.js';
import type { SimOrderStore } from '../../kit/store.js';
import { newsAfter } from '../../kit/after-sales.js';

/**
 * The simulator's Douyin exchanges (换货, aftersale_type 3; AFTER-SALES-FACTS §1.4), read from the
 * facts, not from the adapter. An exchange lives on the order (`SimOrder.exchange`) with Douyin's
 * `aftersale_status`: 6 售后申请 → (301 同意换货申请, with `logistics.receiver_address_id` like 101) 7
 * 售后退货中 → (the buyer sends the goods back) 11 售后已发货 → (311 同意换货（二审）, which needs
 * `logistics.company_code` + `logistics_code`, the replacement's waybill) 13 商家已发货待用户收货 → (the
 * buyer receives it) 14 用户已收货 → 12 售后成功. 302 拒绝换货申请 refuses at 6 (27 拒绝售后申请), 312
 * 拒绝换货（二审）at 11 (29 售后退货拒绝), 321 换货转退款 turns it into a refund (12 with refund_status 3).
 * Each item carries `update_time`, which must be the exchange's current one (`isv.business-failed:
 * 20309541` 售后状态错误 otherwise); a write asked again after it was taken (its answer lost) answers
 * the same success and changes nothing. Every write taken is recorded on the exchange (`calls`).
 *
 * A 补寄 (aftersale_type 7) is kept the same way (`type: 7`): its statuses are the facts' 6 售后申请,
 * 8 补寄：售后待商家发货, 13 补寄：商家已发货待用户收货, 14 用户已收货, 12 售后成功 (and 27/28 when refused
 * or failed). The facts name no operate type for a 补寄 (agreeing, refusing or telling its waybill):
 * ASSUMPTION — the seller does those in the 抖店 back office, which a test plays by moving the
 * status; the simulator refuses the exchange types (3xx) on a 补寄.
 */
export const DOUYIN_EXCHANGE_TYPES = new Set([301, 302, 311, 312, 321]);

/** The exchange as `/afterSale/List` lists it: `{aftersale_info, order_info, text_part}`. */
export function renderDouyinExchange(order: SimOrder, exchange: SimExchange) {
  const sec = (d: Date) => Math.floor(d.getTime() / 1000);
  return {
    aftersale_info: {
      aftersale_id: exchange.id,
      aftersale_order_type: 2,
      aftersale_type: exchange.type ?? 3,
      aftersale_status: exchange.status,
      related_id: order.id,
      apply_time: sec(exchange.createdAt),
      update_time: sec(exchange.modifiedAt),
      refund_amount: 0,
      refund_post_amount: 0,
      refund_status: exchange.refunded ? 3 : 0,
      reason: exchange.reason,
    },
    order_info: { shop_order_id: order.id, related_order_info: [{ sku_order_id: exchange.lineId }] },
    text_part: { reason_text: exchange.reason },
  };
}

export interface DouyinExchangeOperateDeps {
  find(aftersaleId: string): { order: SimOrder; exchange: SimExchange } | undefined;
  store: SimOrderStore;
  now(): Date;
  /** Douyin's company codes the simulator knows (`/order/logisticsCompanyList`). */
  companies: ReadonlySet<string>;
  fail(code: number, msg: string, subCode?: string, subMsg?: string): Error;
}

/** From which status each type moves the exchange, and to which. */
const MOVES: Record<number, { from: number[]; to: number }> = {
  301: { from: [6], to: 7 },
  302: { from: [6], to: 27 },
  311: { from: [11], to: 13 },
  312: { from: [11], to: 29 },
  321: { from: [6, 7, 11], to: 12 },
};

export function douyinExchangeOperate(
  type: number,
  items: Array<Record<string, unknown>>,
  deps: DouyinExchangeOperateDeps,
) {
  const failed = (sub: string, msg: string) =>
    deps.fail(50002, '业务处理失败', `isv.business-failed:${sub}`, msg);
  const invalid = (field: string, msg: string) =>
    deps.fail(40004, '非法的参数', `isv.parameter-invalid:${field}`, msg);
  const sec = (d: Date) => Math.floor(d.getTime() / 1000);
  const move = MOVES[type]!;
  // All or nothing: every item is checked before any is applied.
  const checked = items.map((item) => {
    const found = deps.find(String(item.aftersale_id ?? ''));
    if (!found) throw failed('20309540', `售后单 ${String(item.aftersale_id ?? '')} 不存在`);
    const { order, exchange } = found;
    // ASSUMPTION (no operate type for a 补寄 in the facts): the exchange types do not apply to it.
    if ((exchange.type ?? 3) !== 3) throw failed('20309541', '售后类型不支持该操作');
    const logistics = (item.logistics ?? {}) as Record<string, unknown>;
    if (type === 301 && !logistics.receiver_address_id)
      throw invalid('receiver_address_id', '同意换货须填写退货地址');
    if (type === 311) {
      if (!logistics.company_code || !logistics.logistics_code)
        throw invalid('logistics', '同意换货须填写换货物流公司和运单号');
      if (!deps.companies.has(String(logistics.company_code)))
        throw invalid('company_code', `物流公司编码 ${String(logistics.company_code)} 不存在`);
    }
    // Taken before (its answer lost): the same success, nothing changes.
    const repeat =
      exchange.status === move.to &&
      (type !== 311 || exchange.sellerLogistic?.no === String(logistics.logistics_code));
    if (repeat) return { order, exchange, item, repeat };
    if (Number(item.update_time) !== sec(exchange.modifiedAt) || !move.from.includes(exchange.status))
      throw failed('20309541', '售后状态错误，请同步最新售后单后重试');
    return { order, exchange, item, repeat };
  });
  for (const { order, item, repeat } of checked) {
    if (repeat) continue;
    const at = deps.now();
    const logistics = (item.logistics ?? {}) as Record<string, unknown>;
    deps.store.update(
      order.shopKey,
      order.id,
      (o) => {
        const e = o.exchange!;
        e.status = move.to;
        e.modifiedAt = newsAfter(e.modifiedAt, at);
        if (type === 301) e.addressId = String(logistics.receiver_address_id);
        if (type === 311) {
          e.sellerLogistic = {
            name: String(logistics.company_code),
            no: String(logistics.logistics_code),
            type: '311',
          };
        }
        if (type === 321) e.refunded = true;
        e.calls = [
          ...(e.calls ?? []),
          {
            call: `afterSale.operate ${type}`,
            at,
            detail: Object.fromEntries(
              Object.entries(item).map(([k, v]) => [
                k,
                typeof v === 'object' ? JSON.stringify(v) : String(v),
              ]),
            ),
          },
        ];
      },
      at,
    );
  }
  return {
    items: checked.map(({ exchange }) => ({
      aftersale_id: exchange.id,
      status_code: 0,
      status_msg: 'success',
    })),
  };
}
