import { agreeSimReturn, answerSimRefund, newsAfter } from '../../kit/after-sales.js';
import type { SimOrderStore } from '../../kit/store.js';
import type { SimOrder, SimRefund } from '../../orders/model.js';

/**
 * The simulator's `/afterSale/operate` (AFTER-SALES-FACTS §1.4), read from the facts, not from the
 * adapter: `{type, items[{aftersale_id, update_time, reason, remark, logistics, reject_reason_code}]}`,
 * at most 20 items and all-or-nothing; `update_time` must be the case's current one (else
 * `isv.business-failed:20309541` 售后状态错误, re-sync); the type must fit the case: 401 agrees a
 * refund before shipment (refused only by shipping), 201/202 agree/refuse a refund after it,
 * 101/102 a return (101 needs `logistics.receiver_address_id`: the buyer then sends the goods back,
 * 7 售后退货中), 111 confirms the returned goods received (二审: only once the buyer sent them, 11
 * 售后已发货; the buyer is refunded and the receipt recorded once — 111 again on a case it already
 * refunded answers the same success and changes nothing). The answer lists each item with
 * `status_code` 0.
 */
export interface DouyinOperateDeps {
  find(aftersaleId: string): { order: SimOrder; refund: SimRefund } | undefined;
  store: SimOrderStore;
  now(): Date;
  fail(code: number, msg: string, subCode?: string, subMsg?: string): Error;
}

const AGREE = new Set([101, 201, 401]);
const REFUSE = new Set([102, 202]);
const RECEIVED = 111;

export function douyinOperate(params: Record<string, unknown>, deps: DouyinOperateDeps) {
  const failed = (sub: string, msg: string) =>
    deps.fail(50002, '业务处理失败', `isv.business-failed:${sub}`, msg);
  const type = typeof params.type === 'number' ? params.type : Number(params.type);
  const items = Array.isArray(params.items) ? (params.items as Array<Record<string, unknown>>) : [];
  if (items.length === 0 || items.length > 20)
    throw deps.fail(40004, '非法的参数', 'isv.parameter-invalid:items', 'items 数量应为1-20');
  if (!AGREE.has(type) && !REFUSE.has(type) && type !== RECEIVED)
    throw deps.fail(
      40004,
      '非法的参数',
      'isv.parameter-invalid:type',
      `不支持的操作类型 ${String(params.type)}`,
    );
  const sec = (d: Date) => Math.floor(d.getTime() / 1000);
  // All or nothing: every item is checked before any is applied.
  const checked = items.map((item) => {
    const found = deps.find(String(item.aftersale_id ?? ''));
    if (!found) throw failed('20309540', `售后单 ${String(item.aftersale_id ?? '')} 不存在`);
    const { order, refund } = found;
    if (type === RECEIVED) {
      if (refund.kind !== 'return_and_refund')
        throw failed('11001', '暂不支持通过OPEN处理，请登录抖店后台人工审核');
      // Asked again after it was taken (a lost answer): the same success, recorded once.
      if (refund.received && refund.status === 'refunded') return { order, refund, item, repeat: true };
      if (Number(item.update_time) !== sec(refund.modifiedAt) || refund.status !== 'returning')
        throw failed('20309541', '售后状态错误，请同步最新售后单后重试');
      return { order, refund, item, repeat: false };
    }
    if (Number(item.update_time) !== sec(refund.modifiedAt) || refund.status !== 'requested')
      throw failed('20309541', '售后状态错误，请同步最新售后单后重试');
    const shipped = order.shipment !== undefined;
    const fits =
      refund.kind === 'return_and_refund'
        ? type === 101 || type === 102
        : shipped
          ? type === 201 || type === 202
          : type === 401;
    if (!fits) throw failed('11001', '暂不支持通过OPEN处理，请登录抖店后台人工审核');
    const logistics = item.logistics as Record<string, unknown> | undefined;
    if (type === 101 && !logistics?.receiver_address_id)
      throw deps.fail(
        40004,
        '非法的参数',
        'isv.parameter-invalid:receiver_address_id',
        '同意退货须填写退货地址',
      );
    return { order, refund, item, repeat: false };
  });
  for (const { order, refund, item, repeat } of checked) {
    if (repeat) continue;
    const at = deps.now();
    if (type === RECEIVED) {
      deps.store.update(
        order.shopKey,
        order.id,
        (o) => {
          const r = o.refund!;
          r.status = 'refunded';
          r.modifiedAt = newsAfter(r.modifiedAt, at);
          r.received = { at, call: 'afterSale.operate 111' };
        },
        at,
      );
      continue;
    }
    if (type === 101) {
      // Agreed with the return address: the buyer sends the goods back (7 售后退货中).
      const logistics = item.logistics as Record<string, unknown>;
      agreeSimReturn(deps.store, order, { receiver_address_id: String(logistics.receiver_address_id) }, at);
      continue;
    }
    answerSimRefund(
      deps.store,
      order,
      AGREE.has(type)
        ? { action: 'agree', amountMinor: refund.amountMinor }
        : { action: 'refuse', message: String(item.reason ?? item.remark ?? '') },
      deps.now(),
    );
  }
  return {
    items: checked.map(({ refund }) => ({ aftersale_id: refund.id, status_code: 0, status_msg: 'success' })),
  };
}
