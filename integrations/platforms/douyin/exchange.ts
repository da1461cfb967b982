import type {
  AfterSalesApi,
  ExchangeParcel,
  PlatformCase,
  PlatformCaseStatus,
  PlatformWriteResult,
} from '../after-sales-types.js';
import type { CarrierCode } from '../../../domain/carriers/codes.js';
import { douyinCompanyCode } from './carriers.js';

/**
 * Douyin 抖店 exchanges (aftersale_type 3 换货; AFTER-SALES-FACTS §1.4, docs/after-sales.md "Douyin
 * exchanges"). The facts name `/afterSale/operate` 301 同意换货申请（一审）, 302 拒绝换货申请, 311 同意换货
 * （二审, needs company_code + logistics_code), 312 拒绝换货（二审）, 321 换货转退款 (the type values are
 * from a secondary source, ❓), and the statuses an exchange passes: 6 售后申请, 7 售后退货中 (the
 * buyer sends the goods back), 11 售后已发货 (they are on their way), 13 换货：商家已发货待用户收货, 14
 * 用户已收货, 12 售后成功; 27/29 refused, 28 售后失败. Douyin shows no buyer's waybill the facts name
 * (as for returns), so the warehouse receives the parcel by the case id; and 311 carries the
 * replacement's waybill, so it is sent once the replacement is with the carrier and confirms the
 * goods back at the same time. Once the goods are back, a reviewer may refuse the exchange (312,
 * with the reason) or turn it into a refund (321, also before: at 6 and 7). `/afterSale/buyerExchange`
 * and `/afterSale/buyerExchangeConfirm` are paths only in the facts (no fields, no meaning): not
 * called.
 */

/** An exchange's aftersale_status → where it stands (confirmed status words, AS §1.4). */
const EXCHANGE_STEP: Record<number, NonNullable<PlatformCase['exchangeStep']>> = {
  6: 'requested',
  7: 'returning',
  11: 'returned',
  8: 'to_ship',
  13: 'shipped',
  14: 'shipped',
  12: 'ended',
  27: 'ended',
  28: 'ended',
  29: 'ended',
  51: 'ended',
  53: 'ended',
};

/**
 * Where an exchange stands as a case. 12 售后成功 ends it `closed` (no money moved), unless Douyin
 * refunded it (`refund_status` 3: turned into a refund, 321).
 */
export function douyinExchangeStatus(status: number, refundStatus: number): PlatformCaseStatus | undefined {
  if (status === 12 || status === 53) return refundStatus === 3 ? 'refunded' : 'closed';
  return (
    {
      6: 'open',
      7: 'waiting_buyer',
      11: 'open',
      8: 'agreed',
      13: 'agreed',
      14: 'agreed',
      27: 'refused',
      28: 'closed',
      29: 'refused',
      51: 'refunded',
    } as Record<number, PlatformCaseStatus>
  )[status];
}

export function douyinExchangeStep(status: number): PlatformCase['exchangeStep'] {
  return EXCHANGE_STEP[status];
}

/** What an exchange case carries beside the common fields: its step and how it is answered. */
export function douyinExchangeFields(
  status: number,
): Pick<PlatformCase, 'answersAfterShipment' | 'exchangeStep' | 'exchangeAnswers'> {
  const step = douyinExchangeStep(status);
  return {
    answersAfterShipment: true,
    ...(step ? { exchangeStep: step } : {}),
    exchangeAnswers: {
      refuse: true,
      buyerWaybill: false,
      receiptWithShipment: true,
      refuseReceived: true,
      refundInstead: true,
    },
  };
}

/** The operate types of an exchange (❓ secondary source): the shop's options replace them. */
export interface DouyinExchangeTypes {
  agree: number;
  refuse: number;
  /** 同意换货（二审）with the replacement's waybill. */
  ship: number;
  /** 拒绝换货（二审）: the goods are back and the exchange is refused. */
  refuseReceived: number;
  /** 换货转退款: the exchange becomes a refund Douyin pays. */
  refundInstead: number;
}
export const DOUYIN_EXCHANGE_TYPES: DouyinExchangeTypes = {
  agree: 301,
  refuse: 302,
  ship: 311,
  refuseReceived: 312,
  refundInstead: 321,
};

export function douyinExchangeAnswers(deps: {
  types: DouyinExchangeTypes;
  /** The return address the buyer sends the goods back to (`/address/list` id), if the shop has one. */
  returnAddressId: string | undefined;
  /**
   * Whether 301 carries `logistics.receiver_address_id` (the facts say so of 101 only; assumed for
   * 301 too, since the buyer sends the goods back there): `required` (the default) offers no
   * agreement without it, `omit` sends 301 without an address.
   */
  agreeAddress: 'required' | 'omit';
  /** `/afterSale/rejectReasonCodeList` code sent with a refusal at second review, if the shop set one. */
  rejectReasonCode: number | undefined;
  operate(current: PlatformCase, type: number, item: Record<string, unknown>): Promise<PlatformWriteResult>;
}): NonNullable<AfterSalesApi['exchange']> {
  return {
    async agree(current) {
      if (deps.agreeAddress === 'required' && !deps.returnAddressId) {
        return {
          outcome: 'not_offered',
          message:
            'douyin exchanges are agreed with the seller’s return address: set the shop’s extra.returnAddressId',
        };
      }
      return deps.operate(current, deps.types.agree, {
        remark: '同意换货',
        ...(deps.agreeAddress === 'required'
          ? { logistics: { receiver_address_id: deps.returnAddressId } }
          : {}),
      });
    },
    // 311 confirms the goods back and names the replacement's waybill in one call (below).
    async confirmReturned() {
      return {
        outcome: 'not_offered',
        message: 'douyin confirms the goods back with the replacement’s waybill (operate 311)',
      };
    },
    async consign(current, parcel: ExchangeParcel) {
      const code = parcel.carrierCode ? douyinCompanyCode(parcel.carrierCode as CarrierCode) : undefined;
      if (!code) {
        return {
          outcome: 'not_offered',
          message: `douyin names carriers by its own codes and has none for ${parcel.carrierCode ?? parcel.companyName}: send the replacement’s waybill in 抖店`,
        };
      }
      return deps.operate(current, deps.types.ship, {
        remark: '换货已发出',
        logistics: { company_code: code, logistics_code: parcel.trackingNo },
      });
    },
    // 312 拒绝换货（二审）: the reason (and the shop's reject_reason_code, if it set one; whether 312
    // needs one, and evidence images, is UNCONFIRMED: Douyin's answer then goes to a person).
    async refuseReceived(current, reason) {
      return deps.operate(current, deps.types.refuseReceived, {
        reason,
        remark: reason,
        ...(deps.rejectReasonCode !== undefined && !Number.isNaN(deps.rejectReasonCode)
          ? { reject_reason_code: deps.rejectReasonCode }
          : {}),
      });
    },
    // 321 换货转退款: Douyin refunds the buyer; the case follows it to refund_status 3.
    async refundInstead(current, reason) {
      return deps.operate(current, deps.types.refundInstead, { reason, remark: reason });
    },
  };
}
