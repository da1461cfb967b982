import type { SimOrder, SimRefund } from '../../orders/model.js';
import { renderShopeeReturn } from './render.js';

/**
 * The simulator's Shopee return calls (AFTER-SALES-FACTS §1.5), read from the facts, not from the
 * adapter: `get_return_detail` (GET, `return_sn`), `confirm` (POST `{return_sn}`: the refund goes to
 * the buyer) and `dispute` (POST `{return_sn, email, dispute_reason_id, dispute_text_reason,
 * image_list}`, allowed while REQUESTED / PROCESSING / ACCEPTED). Error words for a return in
 * another state or an unknown return are the simulator's own (Shopee's are not in the facts).
 */
export interface ShopeeReturnDeps {
  find(shopKey: string, returnSn: string): { order: SimOrder; refund: SimRefund } | undefined;
  update(order: SimOrder, change: (refund: SimRefund) => void): void;
  fail(error: string, message: string): Error;
  now(): Date;
}

type Handler = (params: Record<string, unknown>, shopKey: string) => unknown;

const OPEN: ReadonlySet<SimRefund['status']> = new Set(['requested', 'returning', 'agreed']);

export function shopeeReturnApis(
  deps: ShopeeReturnDeps,
): Record<string, { method: 'GET' | 'POST'; handle: Handler }> {
  const found = (params: Record<string, unknown>, shopKey: string) => {
    const sn = params['return_sn'];
    if ((typeof sn !== 'string' && typeof sn !== 'number') || String(sn) === '')
      throw deps.fail('error_param', 'return_sn is required.');
    const hit = deps.find(shopKey, String(sn));
    if (!hit) throw deps.fail('error_not_found', `Return ${String(sn)} not found.`);
    return hit;
  };
  return {
    '/api/v2/returns/get_return_detail': {
      method: 'GET',
      handle(params, shopKey) {
        const { order, refund } = found(params, shopKey);
        return renderShopeeReturn(order, refund);
      },
    },
    '/api/v2/returns/confirm': {
      method: 'POST',
      handle(params, shopKey) {
        const { order, refund } = found(params, shopKey);
        if (!OPEN.has(refund.status))
          throw deps.fail('error_return_status', `Return ${refund.id} cannot be confirmed in its status.`);
        deps.update(order, (r) => {
          r.status = 'refunded';
          r.sellerAnswer = { action: 'agree', amountMinor: r.amountMinor, at: deps.now() };
        });
        return { return_sn: refund.id };
      },
    },
    '/api/v2/returns/dispute': {
      method: 'POST',
      handle(params, shopKey) {
        const { order, refund } = found(params, shopKey);
        const email = params['email'];
        const reasonId = params['dispute_reason_id'];
        const text = params['dispute_text_reason'];
        if (typeof email !== 'string' || !email.includes('@'))
          throw deps.fail('error_param', 'email is required.');
        if (typeof reasonId !== 'number' || !Number.isInteger(reasonId))
          throw deps.fail('error_param', 'dispute_reason_id is required.');
        if (typeof text !== 'string') throw deps.fail('error_param', 'dispute_text_reason is required.');
        if (params['image_list'] !== undefined && !Array.isArray(params['image_list']))
          throw deps.fail('error_param', 'image_list must be a list.');
        if (!OPEN.has(refund.status))
          throw deps.fail(
            'error_return_status',
            'Dispute is only allowed when return_status is REQUESTED, PROCESSING or ACCEPTED.',
          );
        deps.update(order, (r) => {
          r.status = 'refused';
          r.sellerAnswer = { action: 'refuse', message: text, at: deps.now() };
        });
        return { return_sn: refund.id };
      },
    },
  };
}
