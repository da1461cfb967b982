import { z } from 'zod';
import { CARRIER_NAMES } from '../../../domain/carriers/names.js';
import type { CarrierCode } from '../../../domain/carriers/codes.js';
import type { PlatformCarrierCodes } from '../../../domain/platform-carrier-codes.js';
import type {
  AfterSalesApi,
  ExchangeParcel,
  PlatformCase,
  PlatformCaseStatus,
  PlatformWriteResult,
} from '../after-sales-types.js';
import { rejectedWrite } from '../after-sales-writes.js';
import { RequestRejectedError } from '../errors.js';
import { isRecord } from '../taobao/json.js';
import { PDD_LOGISTICS_IDS } from './carriers.js';

/**
 * PDD exchanges (换货: `after_sales_type` 3 in the record, 4 in the list's filter; AFTER-SALES-FACTS
 * §1.3, docs/after-sales.md "PDD exchanges"). The facts name one exchange call,
 * `pdd.refund.exchange.shipping` 商家换货发货 `{after_sales_id, order_sn, shipping_id, shipping_name,
 * tracking_number}`, and the record's `exchange_shipping_detail{sku_id_exchange,
 * customer_send_back_ship_id/trunk_number, merchant_exchange_ship_id/trunk_number, …}`. They name no
 * call that agrees, refuses or confirms the goods back of an exchange, and give its statuses only
 * as "14–18 换货补寄…": so a person answers it in the PDD back office, and where it stands is read
 * from the record's fields, not from its status — the buyer's waybill back there means the goods
 * were sent (the person agreed), the merchant's waybill there means the replacement was sent.
 *
 * The SDK's field descriptions (docs/platforms/pdd-exchanges.md) say `*_ship_id` is a logistics
 * company id (物流id, as `shipping_id` 物流公司id of the shipping call), `*_trunk_number` the waybill
 * number (物流单号), `exchange_receiver_*` / `merchant_exchange_detail_*` the buyer's address the
 * replacement goes to (with `_mask` copies), and the shipping call answers `result{succ, message}`.
 * Assumed (❓): that PDD's logistics ids are the ones we ship with (`pdd.logistics.online.send`'s,
 * themselves community-sourced), and that the address fields come in plain (not ciphertext).
 */

const numeric = z.union([z.string(), z.number()]).transform(String);

const plain = z.string().nullish();

export const PddExchangeShippingSchema = z.object({
  sku_id_exchange: numeric.nullish(),
  exchange_goods_number: z.union([z.string(), z.number()]).transform(Number).nullish(),
  customer_send_back_ship_id: numeric.nullish(),
  customer_send_back_trunk_number: plain,
  merchant_exchange_ship_id: numeric.nullish(),
  merchant_exchange_trunk_number: plain,
  // 商家换货发货的… (the buyer's address the replacement goes to): region words, then receiver.
  exchange_receiver_province: plain,
  exchange_receiver_city: plain,
  exchange_receiver_town: plain,
  merchant_exchange_detail_receiver: plain,
  merchant_exchange_detail_phone: plain,
  merchant_exchange_detail_address: plain,
});
export type PddExchangeShipping = z.infer<typeof PddExchangeShippingSchema>;

/** Our carrier codes → PDD logistics ids: the common table, corrected by the shop's own codes. */
export function pddLogisticsIds(carrierCodes: PlatformCarrierCodes | undefined): PlatformCarrierCodes {
  return { ...PDD_LOGISTICS_IDS, ...carrierCodes };
}

/**
 * A PDD logistics id as the company's name the case reads a carrier from (our carriers' Chinese
 * names): an id we know names our carrier; another stays PDD's id, which no tracking service follows.
 */
function companyOf(shipId: string | null | undefined, ids: PlatformCarrierCodes): string {
  const code = (Object.keys(ids) as CarrierCode[]).find((c) => ids[c] === shipId);
  return code ? CARRIER_NAMES[code].zh : `拼多多物流 ${shipId ?? ''}`.trim();
}

const present = (v: string | null | undefined): v is string => typeof v === 'string' && v.trim() !== '';

/** What an exchange case carries beside the common fields: where it stands and how it is answered. */
export function pddExchangeFields(
  detail: PddExchangeShipping | null | undefined,
  status: PlatformCaseStatus,
  boughtSkuId: string | null | undefined,
  ids: PlatformCarrierCodes,
): Pick<
  PlatformCase,
  'answersAfterShipment' | 'exchangeStep' | 'exchangeAnswers' | 'buyerReturn' | 'skuSwap'
> {
  const ended = status === 'refunded' || status === 'closed' || status === 'refused';
  const sentBack = present(detail?.customer_send_back_trunk_number);
  const step: NonNullable<PlatformCase['exchangeStep']> = ended
    ? 'ended'
    : present(detail?.merchant_exchange_trunk_number)
      ? 'shipped'
      : sentBack
        ? 'returned'
        : 'requested';
  const wanted = detail?.sku_id_exchange;
  return {
    answersAfterShipment: true,
    exchangeStep: step,
    exchangeAnswers: {
      refuse: false,
      buyerWaybill: true,
      receiptWithShipment: true,
      agreedInBackOffice: true,
    },
    ...(sentBack
      ? {
          buyerReturn: {
            company: companyOf(detail?.customer_send_back_ship_id, ids),
            trackingNo: detail!.customer_send_back_trunk_number!.trim(),
          },
        }
      : {}),
    // Another SKU (size, colour) than the one bought, in PDD's SKU ids.
    ...(wanted && wanted !== '0' && boughtSkuId && wanted !== boughtSkuId
      ? {
          skuSwap: {
            bought: boughtSkuId,
            wanted,
            // How many of it the exchange names (`exchange_goods_number`), where it says.
            ...(Number.isInteger(detail?.exchange_goods_number) && detail!.exchange_goods_number! > 0
              ? { quantity: detail!.exchange_goods_number! }
              : {}),
          },
        }
      : {}),
    ...exchangeReceiverOf(detail),
  };
}

/** The buyer's address for the replacement, when the record names all of it. */
function exchangeReceiverOf(
  detail: PddExchangeShipping | null | undefined,
): Pick<PlatformCase, 'exchangeReceiver'> {
  const name = detail?.merchant_exchange_detail_receiver?.trim();
  const phone = detail?.merchant_exchange_detail_phone?.trim();
  const address = detail?.merchant_exchange_detail_address?.trim();
  const province = detail?.exchange_receiver_province?.trim();
  if (!name || !phone || !address || !province) return {};
  return {
    exchangeReceiver: {
      name,
      phone,
      province,
      city: detail?.exchange_receiver_city?.trim() ?? '',
      district: detail?.exchange_receiver_town?.trim() ?? '',
      detail: address,
    },
  };
}

const succeeded = (value: unknown) => value === true || value === 'true';

/**
 * The exchange answers PDD takes by API: only the replacement's waybill, `pdd.refund.exchange.shipping`.
 * Agreeing, refusing and confirming the goods back are the PDD back office's (no call in the facts).
 */
export function pddExchangeAnswers(deps: {
  call(type: string, params: Record<string, string>): Promise<Record<string, unknown>>;
  ids: PlatformCarrierCodes;
}): NonNullable<AfterSalesApi['exchange']> {
  const backOffice = (what: string): PlatformWriteResult => ({
    outcome: 'not_offered',
    message: `pdd takes no ${what} of an exchange by API: do it in the PDD back office`,
  });
  return {
    agree: async () => backOffice('agreement'),
    confirmReturned: async () => backOffice('confirmation of the goods back'),
    async consign(current, parcel: ExchangeParcel) {
      const shippingId = parcel.carrierCode ? deps.ids[parcel.carrierCode as CarrierCode] : undefined;
      if (!shippingId) {
        return {
          outcome: 'not_offered',
          message: `pdd names carriers by its logistics ids and none is known for ${parcel.carrierCode ?? parcel.companyName}: tell PDD the replacement's waybill in the back office (or add the id to the shop's platformCarrierCodes)`,
        };
      }
      return rejectedWrite(async () => {
        const body = await deps.call('pdd.refund.exchange.shipping', {
          after_sales_id: current.platformCaseId,
          order_sn: current.platformOrderId,
          shipping_id: shippingId,
          shipping_name: parcel.companyName,
          tracking_number: parcel.trackingNo,
        });
        // `result{after_sales_id, order_sn, succ, message}`: `message` says why when it failed.
        const result: Record<string, unknown> = isRecord(body['result']) ? body['result'] : body;
        if (succeeded(result['succ'])) return { outcome: 'done', code: 'pdd.refund.exchange.shipping' };
        throw new RequestRejectedError(
          `pdd refused the replacement's waybill: ${String(result['message'] || 'succ=false')}`,
          'pdd',
          'succ=false',
        );
      });
    },
  };
}
