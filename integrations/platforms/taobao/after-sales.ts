import { z } from 'zod';
import { decimalToMinor } from '../../../domain/money.js';
import type { AfterSaleKind } from '../../../domain/after-sales.js';
import type {
  AfterSalesApi,
  PlatformCase,
  PlatformCaseStatus,
  PlatformWriteResult,
} from '../after-sales-types.js';
import { PlatformError, RequestRejectedError } from '../errors.js';
import type { AdapterContext } from '../types.js';
import { TopClient } from './client.js';
import { gmt8ToIso } from './gmt8.js';
import type { TopSignMethod } from './sign.js';
import { TopRefundSchema } from './wire.js';
import { createTmallExchangeApi, disputeIdOf, tmallExchangeToCase } from './exchange.js';
import { shopReturnAddress } from '../return-address.js';

/**
 * Taobao/Tmall refunds as after-sales cases (AFTER-SALES-FACTS §1.1). TMC refund messages carry
 * no status, so every case is read with `taobao.refund.get`; the seller agrees with
 * `taobao.rp.refunds.agree` (amount in fen, `refund_version`, and the phase on Tmall) and refuses
 * with `taobao.refund.refuse`. TOP refuses refusals of a refund on goods not shipped yet (the
 * doc's "卖家未发货"): the seller's way to say no is to ship, so that refusal is `not_offered` and
 * the order simply ships. Tmall refusals need a proof image, which the ERP does not hold: those
 * are `not_offered` too and go to the back office. After handover the seller may ask TOP to
 * intercept the parcel (`taobao.rp.refund.intercept`). A return (退货退款) is agreed with the
 * seller's return address (`taobao.rp.returngoods.agree`) and, once its goods are back at the
 * warehouse, its refund agreed (`taobao.rp.refunds.agree`, ❓ that it is the call then).
 */

const numeric = z.union([z.string(), z.number()]).transform(String);
const text = z.string().optional();

const TopRefundDetailSchema = TopRefundSchema.extend({
  refund_version: numeric.optional(),
  // The buyer's parcel back, once they sent it: the company's name and the return waybill (`sid`).
  company_name: text,
  sid: text,
  order_status: text,
  dispute_type: text,
  refund_remind_timeout: z
    .object({
      exist_timeout: z.union([z.boolean(), z.string()]).optional(),
      remind_type: numeric.optional(),
      timeout: text,
    })
    .optional(),
});
type TopRefundDetail = z.infer<typeof TopRefundDetailSchema>;

const REFUND_GET_FIELDS =
  'refund_id,tid,oid,status,refund_fee,reason,desc,has_good_return,created,modified,refund_phase,' +
  'refund_version,order_status,dispute_type,refund_remind_timeout,company_name,sid';

/** TOP refund status → where the case stands (AFTER-SALES-FACTS §1.1, API-FACTS §1.2(d)). */
const STATUS: Record<string, PlatformCaseStatus> = {
  WAIT_SELLER_AGREE: 'open',
  WAIT_BUYER_RETURN_GOODS: 'waiting_buyer',
  WAIT_SELLER_CONFIRM_GOODS: 'open',
  SELLER_REFUSE_BUYER: 'refused',
  SUCCESS: 'refunded',
  CLOSED: 'closed',
};

/** Trade statuses from which the goods have left the seller. */
const SHIPPED_TRADE = new Set(['WAIT_BUYER_CONFIRM_GOODS', 'TRADE_BUYER_SIGNED', 'TRADE_FINISHED']);

function kindOf(refund: TopRefundDetail): AfterSaleKind {
  switch (refund.dispute_type) {
    case 'REFUND_AND_RETURN':
      return 'return_refund';
    case 'TMALL_EXCHANGE':
    case 'TAOBAO_EXCHANGE':
      return 'exchange';
    case 'RESHIPPING':
      return 'reship';
    case 'REFUND':
      return 'refund_only';
  }
  return refund.has_good_return === true || refund.has_good_return === 'true'
    ? 'return_refund'
    : 'refund_only';
}

export function topRefundToCase(refund: TopRefundDetail): PlatformCase {
  const status = STATUS[refund.status];
  if (!status) throw new PlatformError(`unknown TOP refund status ${refund.status}`, 'taobao');
  const createdAt = gmt8ToIso(refund.created);
  const modifiedAt = gmt8ToIso(refund.modified);
  if (!createdAt || !modifiedAt)
    throw new PlatformError(`TOP refund ${refund.refund_id}: times missing`, 'taobao');
  const remind = refund.refund_remind_timeout;
  const timeout =
    remind && (remind.exist_timeout === true || remind.exist_timeout === 'true')
      ? gmt8ToIso(remind.timeout)
      : undefined;
  return {
    platformCaseId: refund.refund_id,
    platformOrderId: refund.tid,
    kind: kindOf(refund),
    // A reship (RESHIPPING 补寄) moves no money: its SUCCESS ends it closed, not refunded.
    status: status === 'refunded' && kindOf(refund) === 'reship' ? 'closed' : status,
    platformStatus: refund.status,
    amountFen: decimalToMinor(refund.refund_fee),
    reason: refund.reason ?? '',
    lineIds: refund.oid && refund.oid !== refund.tid ? [refund.oid] : [],
    shipped: refund.refund_phase === 'aftersale' || SHIPPED_TRADE.has(refund.order_status ?? ''),
    // A return (退货退款) is answered after shipment: agreed with the return address
    // (`taobao.rp.returngoods.agree`), and once the goods are back the refund is agreed.
    ...(kindOf(refund) === 'return_refund' ? { answersAfterShipment: true, receivedByApi: true } : {}),
    ...(refund.refund_version ? { version: refund.refund_version } : {}),
    // The waybill the buyer filled in when sending the goods back (AFTER-SALES-FACTS §1.1, the
    // refund object's `company_name` and `sid`): a company name, not a code (read by its name).
    ...(refund.sid ? { buyerReturn: { company: refund.company_name ?? '', trackingNo: refund.sid } } : {}),
    // Whose move the timeout is follows from the status: the seller's while it waits for the
    // seller, the buyer's while it waits for the goods to come back (remind_type's values: ❓).
    ...(timeout && status === 'open' ? { sellerDeadline: timeout } : {}),
    ...(timeout && status === 'waiting_buyer' ? { buyerDeadline: timeout } : {}),
    createdAt,
    modifiedAt,
  };
}

export function createTaobaoAfterSales(
  ctx: AdapterContext,
  options: { platform?: 'taobao' | 'tmall'; signMethod?: TopSignMethod } = {},
): AfterSalesApi {
  const platform = options.platform ?? 'taobao';
  const client = new TopClient(ctx, platform, options.signMethod ?? 'md5');
  // Tmall exchanges (`exchange-{dispute_id}` cases) answer through tmall.exchange.*; the return
  // address is the shop's `extra.returnAddressId` (contact_id of taobao.logistics.address.search).
  const exchanges = platform === 'tmall' ? createTmallExchangeApi(ctx, options) : undefined;
  const addressId = ctx.credentials.extra?.['returnAddressId'];
  const disputeOf = (current: PlatformCase) => disputeIdOf(current.platformCaseId) ?? current.platformCaseId;
  const rejected = (err: unknown): PlatformWriteResult => {
    if (err instanceof RequestRejectedError)
      return { outcome: 'rejected', code: err.code ?? 'rejected', message: err.message };
    throw err;
  };

  /** `taobao.rp.refunds.agree`: refund_id|amount(fen)|version|phase; the phase is required on Tmall only. */
  const agreeRefund = async (current: PlatformCase, amountFen: number): Promise<PlatformWriteResult> => {
    const item = [
      current.platformCaseId,
      String(amountFen),
      current.version ?? '',
      ...(platform === 'tmall' ? [current.shipped ? 'aftersale' : 'onsale'] : []),
    ].join('|');
    try {
      const body = await client.call('taobao.rp.refunds.agree', { refund_infos: item });
      const succ = body['succ'] === true || body['succ'] === 'true';
      const code = typeof body['msg_code'] === 'string' ? body['msg_code'] : undefined;
      const message = typeof body['message'] === 'string' ? body['message'] : '';
      if (!succ) return { outcome: 'rejected', code: code ?? 'OP_FAILURE', message };
      return { outcome: 'done', ...(code ? { code } : {}), ...(message ? { message } : {}) };
    } catch (err) {
      return rejected(err);
    }
  };

  /**
   * `taobao.rp.returngoods.agree` 卖家同意退货 (AS §1.1): the seller's return address
   * (`seller_address_id` = the shop's `extra.returnAddressId`; on Taobao also name, address, post,
   * tel and mobile from `extra.returnAddress`; on Tmall the phase, version and a remark). No amount:
   * a partial agreement of a return is for the back office.
   */
  const agreeReturn = async (current: PlatformCase, amountFen: number): Promise<PlatformWriteResult> => {
    if (amountFen !== current.amountFen) {
      return {
        outcome: 'not_offered',
        message: `${platform} agrees a return for the buyer's amount (${current.amountFen} fen) only: agree part in the back office`,
      };
    }
    const address = shopReturnAddress(ctx.credentials.extra, platform);
    if (typeof addressId !== 'string' || !addressId || (platform === 'taobao' && !address)) {
      return {
        outcome: 'not_offered',
        message: `${platform} returns are agreed with the seller's return address: set the shop's extra.returnAddressId${platform === 'taobao' ? ' and extra.returnAddress' : ''}`,
      };
    }
    try {
      const body = await client.call('taobao.rp.returngoods.agree', {
        refund_id: current.platformCaseId,
        seller_address_id: addressId,
        ...(platform === 'tmall'
          ? { refund_phase: 'aftersale', refund_version: current.version ?? '', remark: '同意退货' }
          : {
              name: address!.contactName,
              address: [address!.province, address!.city, address!.county, address!.village, address!.detail]
                .filter(Boolean)
                .join(''),
              post: address!.zipcode ?? '000000',
              tel: address!.tel ?? address!.mobile,
              mobile: address!.mobile,
            }),
      });
      const ok = body['is_success'] === true || body['is_success'] === 'true';
      return ok
        ? { outcome: 'done', code: 'taobao.rp.returngoods.agree' }
        : { outcome: 'rejected', code: 'is_success=false', message: 'return not agreed' };
    } catch (err) {
      return rejected(err);
    }
  };

  return {
    platform,

    async getCase(ref) {
      const disputeId = exchanges ? disputeIdOf(ref.platformCaseId) : undefined;
      if (disputeId && exchanges) return tmallExchangeToCase(await exchanges.get(disputeId));
      const body = await client.call('taobao.refund.get', {
        refund_id: ref.platformCaseId,
        fields: REFUND_GET_FIELDS,
      });
      const refund = TopRefundDetailSchema.parse(body['refund']);
      return topRefundToCase(refund);
    },

    async agree(current, amountFen) {
      if (current.kind === 'return_refund' && current.platformStatus === 'WAIT_SELLER_AGREE') {
        return agreeReturn(current, amountFen);
      }
      return agreeRefund(current, amountFen);
    },

    /**
     * The return's goods are back at the warehouse and inspected as sold (TOP shows
     * WAIT_SELLER_CONFIRM_GOODS): the refund is agreed with `taobao.rp.refunds.agree` for the
     * buyer's amount. That this is the call after the goods came back is ❓ in the facts (AS §6):
     * a shop sets `credentials.extra.refundAgreeAfterReturn = "false"` to leave it to a person.
     */
    async returnReceived(current) {
      if (current.kind !== 'return_refund') {
        return { outcome: 'not_offered', message: `${platform} confirms receipts of returns only` };
      }
      if (ctx.credentials.extra?.['refundAgreeAfterReturn'] === 'false') {
        return {
          outcome: 'not_offered',
          message: `the shop agrees ${platform} refunds after a return in the back office (extra.refundAgreeAfterReturn)`,
        };
      }
      return agreeRefund(current, current.amountFen);
    },

    async refuse(current, reason) {
      if (!current.shipped) {
        return {
          outcome: 'not_offered',
          message: `${platform} takes no refusal of a refund before shipment: shipping the goods is the answer`,
        };
      }
      if (platform === 'tmall') {
        return {
          outcome: 'not_offered',
          message: 'tmall refusals need a proof image: refuse in the back office',
        };
      }
      // TOP wants 2–200 characters.
      const message = (reason.length >= 2 ? reason : `${reason}。`).slice(0, 200);
      try {
        const body = await client.call('taobao.refund.refuse', {
          refund_id: current.platformCaseId,
          refuse_message: message,
          ...(current.version ? { refund_version: current.version } : {}),
          refund_phase: current.shipped ? 'aftersale' : 'onsale',
        });
        const ok = body['is_success'] === true || body['is_success'] === 'true';
        return ok
          ? { outcome: 'done' }
          : { outcome: 'rejected', code: 'is_success=false', message: 'not refused' };
      } catch (err) {
        return rejected(err);
      }
    },

    /**
     * `taobao.rp.refund.intercept` 卖家发起拦截 (`refund_id`, `refund_version`; AFTER-SALES-FACTS
     * §1.1). Its answer's fields are not in the facts: a TOP error is a rejection, an explicit
     * `is_success`/`succ`/`result.success` of false too, anything else is taken.
     */
    async intercept(current) {
      try {
        const body = await client.call('taobao.rp.refund.intercept', {
          refund_id: current.platformCaseId,
          refund_version: current.version ?? '',
        });
        const result = body['result'] as Record<string, unknown> | undefined;
        const flags = [body['is_success'], body['succ'], result?.['success']];
        if (flags.some((f) => f === false || f === 'false')) {
          const message = typeof result?.['message'] === 'string' ? result['message'] : 'not intercepted';
          return { outcome: 'rejected', code: 'intercept_failed', message };
        }
        return { outcome: 'done', code: 'taobao.rp.refund.intercept' };
      } catch (err) {
        return rejected(err);
      }
    },
    ...(exchanges
      ? {
          exchange: {
            agree: async (current: PlatformCase): Promise<PlatformWriteResult> =>
              typeof addressId === 'string' && addressId
                ? exchanges.agree(disputeOf(current), addressId)
                : {
                    outcome: 'not_offered',
                    message:
                      'tmall exchanges are agreed with a return address: set the shop’s extra.returnAddressId',
                  },
            confirmReturned: (current: PlatformCase) => exchanges.confirmReturned(disputeOf(current)),
            consign: (current: PlatformCase, parcel: { trackingNo: string; companyName: string }) =>
              exchanges.consign(disputeOf(current), parcel),
          },
        }
      : {}),
  };
}
