import { z } from 'zod';
import { amountToMinor, currencyExponent, formatMinor } from '../../../domain/money.js';
import type {
  AfterSalesApi,
  PlatformCase,
  PlatformCaseStatus,
  PlatformWriteResult,
} from '../after-sales-types.js';
import { RequestRejectedError } from '../errors.js';
import type { AdapterContext } from '../types.js';
import { createShopeeClient } from './client.js';
import { ShopeeReturnSchema, type ShopeeReturn } from './wire.js';

/**
 * Shopee returns as after-sales cases (AFTER-SALES-FACTS §1.5). Shopee pushes no return events, so
 * cases come from the poll (`v2.returns.get_return_list`, the shop sync's refund sweep) and are
 * read with `v2.returns.get_return_detail`. Returns exist only after shipment, and the seller
 * answers them there: `v2.returns.confirm` (the refund goes to the buyer) or `v2.returns.dispute`
 * (allowed while REQUESTED / PROCESSING / ACCEPTED). A dispute needs the seller's contact e-mail
 * and a reason id from `get_return_dispute_reason`, which the facts do not list: both are shop
 * settings (`extra.disputeEmail`, `extra.disputeReasonId`); without them a dispute is
 * `not_offered` and goes to Seller Centre. The full ReturnStatus list is unconfirmed: unknown
 * statuses read as still open. A partial agreement is an offer (`v2.returns.offer`, the seller
 * proposes a lower refund, docs/platforms/shopee-returns.md); agreeing the amount the buyer offered
 * accepts it (`v2.returns.accept_offer`).
 */

/** Shopee return status → where the case stands; JUDGING and unknown words wait for the seller. */
const STATUS: Record<string, PlatformCaseStatus> = {
  REQUESTED: 'open',
  PROCESSING: 'open',
  JUDGING: 'open',
  ACCEPTED: 'agreed',
  SELLER_DISPUTE: 'refused',
  REFUND_PAID: 'refunded',
  COMPLETED: 'refunded',
  CANCELLED: 'closed',
  CLOSED: 'closed',
};
const DISPUTABLE = new Set(['REQUESTED', 'PROCESSING', 'ACCEPTED']);

const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

export interface ShopeeAfterSalesOptions {
  /**
   * The shop receives returns here (its `returnReceipt` rule is `platform`): a return whose goods
   * come back to the seller for the seller's validation is agreed here without a call, received
   * and inspected at the warehouse, and only then confirmed on Shopee (`v2.returns.confirm`, which
   * refunds the buyer). Otherwise (the default) agreeing a return confirms it at once.
   */
  receiveHere?: boolean;
}

/**
 * Whether the return's goods come back to the seller, who validates them: the shop receives them
 * here. `validation_type` `warehouse_validation` (a warehouse of Shopee's validates them, its
 * inbound in `is_arrived_at_warehouse`) and refunds without logistics are answered on Shopee.
 */
const receivedHere = (ret: ShopeeReturn, options: ShopeeAfterSalesOptions) =>
  options.receiveHere === true &&
  ret.needs_logistics !== false &&
  ret.validation_type !== 'warehouse_validation';

/** Shopee names no carrier on a return: the buyer's parcel back goes with Shopee's logistics. */
export const SHOPEE_RETURN_LOGISTICS = 'Shopee';

export function shopeeReturnToCase(ret: ShopeeReturn, options: ShopeeAfterSalesOptions = {}): PlatformCase {
  const currency = ret.currency.toUpperCase();
  const status = STATUS[ret.status] ?? 'open';
  const here = receivedHere(ret, options);
  return {
    platformCaseId: ret.return_sn,
    platformOrderId: ret.order_sn,
    kind: ret.needs_logistics === false ? 'refund_only' : 'return_refund',
    status,
    platformStatus: ret.status,
    amountFen: amountToMinor(ret.refund_amount, currency),
    currency,
    reason: ret.text_reason || ret.reason || '',
    lineIds: ret.item.map((i) => `${i.item_id}-${i.model_id ?? '0'}`),
    // A Shopee return is on goods the buyer received: always after shipment, answered there.
    shipped: true,
    answersAfterShipment: true,
    ...(status === 'open' && ret.return_seller_due_date
      ? { sellerDeadline: iso(ret.return_seller_due_date) }
      : {}),
    ...(status === 'agreed' && ret.needs_logistics !== false && ret.return_ship_due_date
      ? { buyerDeadline: iso(ret.return_ship_due_date) }
      : {}),
    ...(offerOf(ret, currency) ? { offer: offerOf(ret, currency)! } : {}),
    ...(here ? { receivedByApi: true } : {}),
    // The buyer's parcel back (the return's `tracking_number`, empty until the buyer sent it).
    ...(here && ret.tracking_number
      ? { buyerReturn: { company: SHOPEE_RETURN_LOGISTICS, trackingNo: ret.tracking_number } }
      : {}),
    createdAt: iso(ret.create_time),
    modifiedAt: iso(ret.update_time),
  };
}

/**
 * The latest offer on the return. `latest_offer_creator` names a party by user name (the doc's
 * sample is "username"): the buyer's is the return's `user.username`, any other is the seller's
 * (an inference, docs/platforms/shopee-returns.md).
 */
function offerOf(ret: ShopeeReturn, currency: string): PlatformCase['offer'] | undefined {
  const n = ret.negotiation;
  if (!n || n.latest_offer_amount === null || n.latest_offer_amount === undefined || !n.latest_offer_creator)
    return undefined;
  const amount = Number(n.latest_offer_amount);
  if (!Number.isFinite(amount) || amount <= 0) return undefined;
  const buyer = ret.user?.username;
  return {
    by: buyer && n.latest_offer_creator === buyer ? 'buyer' : 'seller',
    amountFen: amountToMinor(amount, currency),
    solution: n.latest_solution || 'RETURN_REFUND',
  };
}

const AnswerSchema = z.object({ return_sn: z.union([z.string(), z.number()]).optional() }).passthrough();

export function createShopeeAfterSales(
  ctx: AdapterContext,
  options: ShopeeAfterSalesOptions = {},
): AfterSalesApi {
  const client = createShopeeClient(ctx);
  const rejected = (err: unknown): PlatformWriteResult => {
    if (err instanceof RequestRejectedError)
      return { outcome: 'rejected', code: err.code ?? 'rejected', message: err.message };
    throw err;
  };
  // return_sn goes back as the detail gave it (a string of digits).
  const sn = (current: PlatformCase) => current.platformCaseId;

  return {
    platform: 'shopee',

    async getCase(ref) {
      const detail = await client.get(
        '/api/v2/returns/get_return_detail',
        { return_sn: ref.platformCaseId },
        ShopeeReturnSchema,
      );
      return shopeeReturnToCase(detail, options);
    },

    async agree(current, amountFen) {
      if (current.receivedByApi) {
        // Received here: `confirm` refunds the buyer, so it waits for the goods (returnReceived).
        // Shopee takes no agreement of a return short of that, and no lower amount for it here.
        if (amountFen < current.amountFen) {
          return {
            outcome: 'not_offered',
            message:
              'a return received here is confirmed whole once its goods are back: offer a lower refund in Seller Centre',
          };
        }
        return {
          outcome: 'done',
          code: 'receive_first',
          message: 'nothing sent: Shopee is confirmed once the goods are received and inspected here',
        };
      }
      try {
        if (amountFen < current.amountFen) {
          // Less than the return asks: agreeing what the buyer offered accepts it; otherwise the
          // seller offers that amount (once: an offer of ours for it is already there).
          if (current.offer?.by === 'buyer' && current.offer.amountFen === amountFen) {
            await client.post('/api/v2/returns/accept_offer', { return_sn: sn(current) }, AnswerSchema);
            return { outcome: 'done', code: 'accept_offer' };
          }
          if (current.offer?.by === 'seller' && current.offer.amountFen === amountFen) {
            return { outcome: 'already', status: current.status };
          }
          await client.post(
            '/api/v2/returns/offer',
            {
              return_sn: sn(current),
              proposed_solution: current.offer?.solution ?? 'RETURN_REFUND',
              proposed_adjusted_refund_amount: Number(
                formatMinor(amountFen, currencyExponent(current.currency ?? 'CNY')),
              ),
            },
            AnswerSchema,
          );
          return { outcome: 'done', code: 'offer' };
        }
        // The whole amount: confirm takes none (Shopee refunds what the return says).
        await client.post('/api/v2/returns/confirm', { return_sn: sn(current) }, AnswerSchema);
        return { outcome: 'done' };
      } catch (err) {
        return rejected(err);
      }
    },

    async returnReceived(current) {
      if (!current.receivedByApi) {
        return { outcome: 'not_offered', message: 'shopee answers this return on the platform' };
      }
      try {
        await client.post('/api/v2/returns/confirm', { return_sn: sn(current) }, AnswerSchema);
        return { outcome: 'done', code: 'confirm' };
      } catch (err) {
        return rejected(err);
      }
    },

    async refuse(current, reason) {
      if (!DISPUTABLE.has(current.platformStatus)) {
        return {
          outcome: 'not_offered',
          message: `shopee takes no dispute of a ${current.platformStatus} return`,
        };
      }
      const email = ctx.credentials.extra?.['disputeEmail'];
      const reasonId = Number(ctx.credentials.extra?.['disputeReasonId']);
      if (!email || !Number.isInteger(reasonId)) {
        return {
          outcome: 'not_offered',
          message:
            'shopee disputes need the shop settings disputeEmail and disputeReasonId: dispute in Seller Centre',
        };
      }
      try {
        await client.post(
          '/api/v2/returns/dispute',
          {
            return_sn: sn(current),
            email,
            dispute_reason_id: reasonId,
            dispute_text_reason: reason,
            image_list: [],
          },
          AnswerSchema,
        );
        return { outcome: 'done' };
      } catch (err) {
        return rejected(err);
      }
    },
  };
}
