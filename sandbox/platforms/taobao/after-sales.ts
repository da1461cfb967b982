import type { SimOrder, SimRefund } from '../../orders/model.js';
import { renderTopRefund, topTime } from './render.js';

/**
 * The simulator's TOP after-sales calls (AFTER-SALES-FACTS §1.1), read from the facts, not from
 * the adapter: `taobao.refund.get` (with `refund_version` = the refund's modified time in ms and
 * `refund_remind_timeout` for the seller's window), `taobao.rp.refunds.agree` (batch
 * `refund_id|amount|version|phase` items, amounts in fen, a stale version or a refund not waiting
 * for the seller fails the item) and `taobao.refund.refuse` (2–200 characters, refused while the
 * goods have not shipped: "卖家未发货" cannot be refused), and `taobao.rp.refund.intercept` (a refund
 * whose goods left, at its version; recorded on the refund once), `taobao.rp.returngoods.agree`
 * (a return waiting for the seller: `seller_address_id` on both, `name`/`address`/`post`/`tel`/
 * `mobile` on Taobao, `refund_phase`/`refund_version`/`remark` on Tmall; the buyer then sends the
 * goods back, WAIT_BUYER_RETURN_GOODS; agreeing again answers the same success) and, once the
 * buyer's goods are on their way back (WAIT_SELLER_CONFIRM_GOODS), `taobao.rp.refunds.agree` for
 * the return: the seller confirms the goods and the buyer is refunded, recorded once.
 */
export interface TopAfterSaleDeps {
  find(refundId: string, shopKey: string): { order: SimOrder; refund: SimRefund } | undefined;
  update(order: SimOrder, change: (refund: SimRefund) => void): void;
  fault(code: number, msg: string, subCode?: string, subMsg?: string): Error;
  now(): Date;
  platform: 'taobao' | 'tmall';
}

type Api = {
  session: boolean;
  handle(params: Record<string, string>, shop: { nick: string } | undefined): Record<string, unknown>;
};

const versionOf = (refund: SimRefund) => String(refund.modifiedAt.getTime());
const yuan = (fen: number) => (fen / 100).toFixed(2);

export function topAfterSaleApis(deps: TopAfterSaleDeps): Record<string, Api> {
  const missing = (name: string) =>
    deps.fault(40, 'Missing Required Arguments', `isv.missing-parameter:${name}`);
  const notFound = (id: string) =>
    deps.fault(15, 'Remote service error', 'isv.refund-not-exist', `退款单 ${id} 不存在`);

  return {
    'taobao.refund.get': {
      session: true,
      handle(params, shop) {
        if (!params['refund_id']) throw missing('refund_id');
        if (!params['fields']) throw missing('fields');
        const found = deps.find(params['refund_id'], shop!.nick);
        if (!found) throw notFound(params['refund_id']);
        const { order, refund } = found;
        const deadline = refund.status === 'requested' ? refund.sellerDeadline : undefined;
        const wanted = new Set(params['fields'].split(',').map((f) => f.trim()));
        const full: Record<string, unknown> = {
          ...renderTopRefund(order, refund),
          refund_version: refund.modifiedAt.getTime(),
          dispute_type: refund.kind === 'return_and_refund' ? 'REFUND_AND_RETURN' : 'REFUND',
          refund_remind_timeout: deadline
            ? { exist_timeout: true, remind_type: 1, timeout: topTime(deadline) }
            : { exist_timeout: false },
        };
        return { refund: Object.fromEntries(Object.entries(full).filter(([k]) => wanted.has(k))) };
      },
    },

    'taobao.rp.refunds.agree': {
      session: true,
      handle(params, shop) {
        const infos = params['refund_infos'];
        if (!infos) throw missing('refund_infos');
        const items = infos.split(',');
        if (items.length > (deps.platform === 'tmall' ? 30 : 20))
          throw deps.fault(
            15,
            'Remote service error',
            'isv.invalid-parameter:refund_infos',
            '一次最多同意20笔退款',
          );
        const results = items.map((item) => {
          const [refundId = '', amount = '', version = '', phase] = item.split('|');
          const found = deps.find(refundId, shop!.nick);
          if (!found) return { refund_id: refundId, succ: false, message: '退款单不存在' };
          const { order, refund } = found;
          if (deps.platform === 'tmall' && phase !== 'onsale' && phase !== 'aftersale')
            return { refund_id: refundId, succ: false, message: '天猫订单必须传入退款阶段' };
          if (version !== versionOf(refund))
            return { refund_id: refundId, succ: false, message: '退款版本已过期，请刷新后重试' };
          // A refund waits for the seller; a return once its goods are back (WAIT_SELLER_CONFIRM_GOODS).
          const agreeable =
            refund.kind === 'refund_only' ? refund.status === 'requested' : refund.status === 'returning';
          if (!agreeable) return { refund_id: refundId, succ: false, message: '退款状态不允许同意退款' };
          const fen = Number(amount);
          if (!/^\d+$/.test(amount) || fen <= 0 || fen > refund.amountMinor)
            return {
              refund_id: refundId,
              succ: false,
              message: `退款金额不正确（最多 ${yuan(refund.amountMinor)} 元）`,
            };
          deps.update(order, (r) => {
            r.status = 'refunded';
            r.amountMinor = fen;
            if (r.kind === 'return_and_refund') {
              r.received = { at: deps.now(), call: 'taobao.rp.refunds.agree', detail: { amount: amount } };
            } else r.sellerAnswer = { action: 'agree', amountMinor: fen, at: deps.now() };
          });
          return { refund_id: refundId, succ: true, message: '' };
        });
        const ok = results.filter((r) => r.succ).length;
        return {
          succ: ok === results.length,
          msg_code: ok === results.length ? 'OP_SUCC' : ok > 0 ? 'SOME_OP_SUCC' : 'OP_FAILURE_UE',
          message: results.find((r) => !r.succ)?.message ?? '',
          results,
        };
      },
    },

    'taobao.refund.refuse': {
      session: true,
      handle(params, shop) {
        const refundId = params['refund_id'];
        if (!refundId) throw missing('refund_id');
        const message = params['refuse_message'] ?? '';
        if ([...message].length < 2 || [...message].length > 200)
          throw deps.fault(
            15,
            'Remote service error',
            'isv.invalid-parameter:refuse_message',
            '拒绝说明须为2到200个字',
          );
        const found = deps.find(refundId, shop!.nick);
        if (!found) throw notFound(refundId);
        const { order, refund } = found;
        if (deps.platform === 'tmall' && (!params['refund_version'] || !params['refund_phase']))
          throw missing(params['refund_version'] ? 'refund_phase' : 'refund_version');
        if (params['refund_version'] && params['refund_version'] !== versionOf(refund))
          throw deps.fault(15, 'Remote service error', 'isv.refund-version-expired', '退款版本已过期');
        if (!order.shipment)
          throw deps.fault(
            15,
            'Remote service error',
            'isv.refund-refuse-not-allowed',
            '卖家未发货，不能拒绝退款',
          );
        if (refund.status !== 'requested' && refund.status !== 'returning')
          throw deps.fault(15, 'Remote service error', 'isv.refund-status-error', '退款状态不允许拒绝');
        deps.update(order, (r) => {
          r.status = 'refused';
          r.sellerAnswer = { action: 'refuse', message, at: deps.now() };
        });
        return {
          refund: { refund_id: refund.id, status: 'SELLER_REFUSE_BUYER', modified: topTime(deps.now()) },
          is_success: true,
        };
      },
    },

    'taobao.rp.returngoods.agree': {
      session: true,
      handle(params, shop) {
        const refundId = params['refund_id'];
        if (!refundId) throw missing('refund_id');
        const required =
          deps.platform === 'tmall'
            ? ['seller_address_id', 'refund_phase', 'refund_version', 'remark']
            : ['seller_address_id', 'name', 'address', 'post', 'tel', 'mobile'];
        for (const name of required) if (!params[name]) throw missing(name);
        const found = deps.find(refundId, shop!.nick);
        if (!found) throw notFound(refundId);
        const { order, refund } = found;
        if (refund.kind !== 'return_and_refund')
          throw deps.fault(15, 'Remote service error', 'isv.refund-status-error', '仅退款不需要同意退货');
        // Agreed already (a lost answer asked again): the same success.
        if (refund.returnAddress && refund.status !== 'requested') return { is_success: true };
        if (params['refund_version'] && params['refund_version'] !== versionOf(refund))
          throw deps.fault(15, 'Remote service error', 'isv.refund-version-expired', '退款版本已过期');
        if (refund.status !== 'requested')
          throw deps.fault(15, 'Remote service error', 'isv.refund-status-error', '退款状态不允许同意退货');
        const address = Object.fromEntries(
          ['seller_address_id', 'name', 'address', 'post', 'tel', 'mobile', 'remark']
            .filter((k) => params[k])
            .map((k) => [k, params[k]!]),
        );
        deps.update(order, (r) => {
          r.status = 'agreed';
          r.returnAddress = address;
          r.sellerAnswer = { action: 'agree', amountMinor: r.amountMinor, at: deps.now() };
        });
        return { is_success: true };
      },
    },

    // 卖家发起拦截 (refund_id, refund_version): only a refund whose goods left, at its current
    // version; the intercept of a refund is one, so asking again answers the same success.
    'taobao.rp.refund.intercept': {
      session: true,
      handle(params, shop) {
        const refundId = params['refund_id'];
        if (!refundId) throw missing('refund_id');
        if (!params['refund_version']) throw missing('refund_version');
        const found = deps.find(refundId, shop!.nick);
        if (!found) throw notFound(refundId);
        const { order, refund } = found;
        if (!order.shipment)
          throw deps.fault(15, 'Remote service error', 'isv.intercept-not-allowed', '订单未发货，无需拦截');
        if (refund.intercept) return { is_success: true };
        if (params['refund_version'] !== versionOf(refund))
          throw deps.fault(15, 'Remote service error', 'isv.refund-version-expired', '退款版本已过期');
        if (refund.status !== 'requested')
          throw deps.fault(15, 'Remote service error', 'isv.refund-status-error', '退款状态不允许拦截');
        deps.update(order, (r) => {
          r.intercept = { at: deps.now(), call: 'taobao.rp.refund.intercept' };
        });
        return { is_success: true };
      },
    },
  };
}
