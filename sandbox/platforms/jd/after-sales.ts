import { answerSimRefund, findSimRefund } from '../../kit/after-sales.js';
import type { SimOrderStore } from '../../kit/store.js';
import type { SimOrder } from '../../orders/model.js';

/**
 * The simulator's JD refund-apply audit (AFTER-SALES-FACTS §1.2), read from the facts, not from the
 * adapter: `jingdong.pop.afs.soa.refundapply.replyRefund(status, id, checkUserName, remark)`,
 * status 1 approves and 2 turns down (❓ the list's own values), only while the apply is 未审核;
 * an agreed apply cancels the order; the answer is a JOS `success` result (its wrapper key `replyResult` is ours, ❓).
 */
export function jdRefundReplyApi<V>(deps: {
  orders: (vendor: V) => SimOrder[];
  store: SimOrderStore;
  now: () => Date;
}): Record<string, (p: Record<string, unknown>, vendor: V) => Record<string, unknown>> {
  const result = (success: boolean, zh = '', en = '') => ({
    replyResult: { success, chineseErrCode: zh, englishErrCode: en, errorCode: success ? '' : '1' },
  });
  return {
    'jingdong.pop.afs.soa.refundapply.replyRefund'(p, vendor) {
      const id = String(p['id'] ?? '');
      const status = String(p['status'] ?? '');
      if (!id || !p['checkUserName']) return result(false, 'id 和 checkUserName 必填', 'missing parameter');
      if (status !== '1' && status !== '2') return result(false, 'status 取值 1 或 2', 'invalid status');
      const found = findSimRefund(deps.orders(vendor), id);
      if (!found || found.refund.kind !== 'refund_only')
        return result(false, `退款单 ${id} 不存在`, 'refund apply not found');
      if (found.refund.status !== 'requested')
        return result(false, '退款单已审核，不能重复审核', 'already audited');
      answerSimRefund(
        deps.store,
        found.order,
        status === '1'
          ? { action: 'agree', amountMinor: found.refund.amountMinor }
          : { action: 'refuse', message: String(p['remark'] ?? '') },
        deps.now(),
        // An agreed apply is a cancellation: JD closes the order (TRADE_CANCELED).
        (o) => {
          if (status === '1') o.status = 'cancelled';
        },
      );
      return result(true);
    },
  };
}
