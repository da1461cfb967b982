import type { SimOrder, SimRefund } from '../../orders/model.js';
import { minorOf, renderShopeeReturn } from './render.js';

/**
 * The simulator's Shopee return calls (AFTER-SALES-FACTS §1.5), read from the facts, not from the
 * adapter: `get_return_detail` (GET, `return_sn`; the buyer's parcel back as `tracking_number`, the
 * goods validated by the seller: `validation_type` `seller_validation`), `confirm` (POST
 * `{return_sn}`: the refund goes to the buyer; after the buyer sent the goods back, recorded as the
 * seller's receipt) and `dispute` (POST `{return_sn, email, dispute_reason_id, dispute_text_reason,
 * image_list}`, allowed while REQUESTED / PROCESSING / ACCEPTED), `offer` (POST `{return_sn,
 * proposed_solution, proposed_adjusted_refund_amount}`: the seller proposes a lower refund, shown
 * as the return's `negotiation`; positive, at most the return's amount, not while an offer of the
 * seller's waits) and `accept_offer` (POST `{return_sn}`: the buyer's offer taken, the buyer refunded
 * that amount; "Cannot accept your own offer", `error_no_buyer_offer` without one) — their
 * parameters and error words from the doc pages (docs/platforms/shopee-returns.md). Error words for
 * a return in another state or an unknown return are otherwise the simulator's own.
 */
export interface ShopeeReturnDeps {
  find(shopKey: string, returnSn: string): { order: SimOrder; refund: SimRefund } | undefined;
  /** A major-unit amount of the order's currency in its minor unit. */
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
          const at = deps.now();
          r.status = 'refunded';
          r.sellerAnswer = { action: 'agree', amountMinor: r.amountMinor, at };
          // Confirmed once the buyer sent the goods back: the seller's receipt of them.
          if (r.buyerReturn) r.received = { at, call: 'v2.returns.confirm' };
        });
        return { return_sn: refund.id };
      },
    },
    '/api/v2/returns/offer': {
      method: 'POST',
      handle(params, shopKey) {
        const { order, refund } = found(params, shopKey);
        const solution = params['proposed_solution'];
        const amount = params['proposed_adjusted_refund_amount'];
        if (typeof solution !== 'string' || solution === '')
          throw deps.fail('error_param', 'Wrong parameters, detail: proposed_solution is required.');
        if (!OPEN.has(refund.status))
          throw deps.fail('error_return_status', 'The return status cannot support this action');
        if (typeof amount !== 'number')
          throw deps.fail('error_param', 'Please fill a value for proposed adjusted refund amount');
        if (amount <= 0)
          throw deps.fail('error_param', 'The proposed adjusted refund amount must be positive');
        const minor = minorOf(amount, order.currency);
        if (minor > refund.amountMinor)
          throw deps.fail(
            'error_param',
            'The proposed adjusted refund amount can not exceed max refund amount',
          );
        if (refund.offer?.by === 'seller' && !refund.offer.accepted)
          throw deps.fail('error_negotiation_status', 'The negotiation status cannot support this action');
        deps.update(order, (r) => {
          r.offer = { by: 'seller', amountMinor: minor, solution, at: deps.now() };
        });
        return { return_sn: refund.id };
      },
    },
    '/api/v2/returns/accept_offer': {
      method: 'POST',
      handle(params, shopKey) {
        const { order, refund } = found(params, shopKey);
        if (!refund.offer || refund.offer.accepted)
          throw deps.fail(
            'error_no_buyer_offer',
            'cannot accept refund offer because there is no proposal from buyer',
          );
        if (refund.offer.by === 'seller') throw deps.fail('err_data', 'Cannot accept your own offer.');
        if (!OPEN.has(refund.status))
          throw deps.fail('error_return_status', 'The return status cannot support this action');
        deps.update(order, (r) => {
          const at = deps.now();
          r.offer = { ...r.offer!, accepted: at };
          r.status = 'refunded';
          r.amountMinor = r.offer.amountMinor;
          r.sellerAnswer = { action: 'agree', amountMinor: r.offer.amountMinor, at };
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
