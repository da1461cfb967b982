import { z } from 'zod';
import type { CarrierCode } from '../../../domain/carriers/codes.js';
import { createDouyinClient, type DouyinClient } from '../../platforms/douyin/client.js';
import { douyinCompanyCode } from '../../platforms/douyin/carriers.js';
import { RequestRejectedError } from '../../platforms/errors.js';
import type { ServiceCoverage } from '../../../domain/carriers/reachability.js';
import type {
  CancelWaybillRequest,
  CarrierHttpOptions,
  CoverageQuery,
  Waybill,
  WaybillProvider,
  WaybillReceiver,
  WaybillRequest,
} from '../types.js';

export interface DouyinWaybillOptions extends CarrierHttpOptions {
  /** The Douyin app (app_key / app_secret) the shop authorised. */
  appKey: string;
  appSecret: string;
  /** The shop's access token for that app: the shop that opened the e-waybill service. */
  accessToken: string;
}

const ErrInfo = z
  .object({
    order_id: z.union([z.string(), z.number()]).optional(),
    pack_id: z.union([z.string(), z.number()]).optional(),
    err_code: z.union([z.string(), z.number()]).optional(),
    err_msg: z.string().optional(),
  })
  .passthrough();

const CreateData = z
  .object({
    ebill_infos: z
      .array(
        z
          .object({
            order_id: z.union([z.string(), z.number()]).optional(),
            pack_id: z.union([z.string(), z.number()]).optional(),
            track_no: z.string().optional(),
            sort_code: z.string().optional(),
            package_center_code: z.string().optional(),
            package_center_name: z.string().optional(),
            short_address_code: z.string().optional(),
            short_address_name: z.string().optional(),
          })
          .passthrough(),
      )
      .nullish(),
    err_infos: z.array(ErrInfo).nullish(),
  })
  .passthrough();

const ApplyData = z
  .object({
    waybill_infos: z
      .array(
        z
          .object({
            track_no: z.string().optional(),
            print_data: z.string().optional(),
            sign: z.string().optional(),
          })
          .passthrough(),
      )
      .nullish(),
    err_infos: z.array(ErrInfo).nullish(),
  })
  .passthrough();

const CancelData = z.object({ cancel_result: z.union([z.boolean(), z.string()]).optional() }).passthrough();

const NetsiteData = z
  .object({
    logistics_code: z.string().optional(),
    netsites: z
      .array(
        z
          .object({
            netsite_code: z.string().optional(),
            netsite_name: z.string().optional(),
            amount: z.union([z.number(), z.string()]).optional(),
          })
          .passthrough(),
      )
      .nullish(),
  })
  .passthrough();

const OutRangeData = z
  .object({ is_out_range: z.boolean().optional(), out_range_reason: z.string().nullish() })
  .passthrough();

/**
 * `logistics.getOutRange`'s `type`: 1 is taken to ask about delivery to the receiver (0 pick-up at
 * the sender); the values are not in our sources (❓), so it is a constant here, said in docs.
 */
const OUT_RANGE_DELIVERY = 1;

/**
 * Douyin 电子面单 (抖音电子面单) on the Douyin Shop open API, signed like every Douyin call
 * (API-FACTS §4.1): `logistics.newCreateOrder` takes the number (sender, `logistics_code`,
 * `order_infos[]{order_id, pack_id, receiver_info, items}`), `logistics.waybillApply` gives its
 * encrypted print data for Douyin's print component, `logistics.cancelOrder` gives the number back
 * and `logistics.listShopNetsite` reports the branches (网点) and their balances. A Douyin order's
 * receiver goes as the ciphertext the order carries (Douyin decrypts inside the service), so it is
 * never decrypted here. Company codes are Douyin's pinyin codes (`douyinCompanyCode`).
 */
export function createDouyinWaybillProvider(options: DouyinWaybillOptions): WaybillProvider {
  const client = clientOf(options);

  return {
    name: 'douyin',
    supports: (carrier) => douyinCompanyCode(carrier) !== undefined,

    async createWaybill(request: WaybillRequest): Promise<Waybill> {
      const code = companyOf(request.carrier);
      const orderId = request.orderIds[0] ?? request.requestId;
      const douyinOrder = request.orderChannel === undefined || request.orderChannel === 'DY';
      const body = {
        sender_info: {
          address: address(request.sender.address),
          contact: { name: request.sender.name, mobile: request.sender.phone },
        },
        logistics_code: code,
        order_infos: [
          {
            order_id: orderId,
            // Douyin answers the same number for the same order and pack: the pack is our key.
            pack_id: request.requestId,
            receiver_info: receiverInfo(request.receiver),
            items: request.parcel.items.map((item) => ({ item_name: item.name, item_count: item.quantity })),
            ...(request.serviceType ? { product_type: request.serviceType } : {}),
            ...(request.branchCode || request.monthlyAccount
              ? {
                  net_info: {
                    ...(request.branchCode ? { net_code: request.branchCode } : {}),
                    ...(request.monthlyAccount ? { monthly_account: request.monthlyAccount } : {}),
                  },
                }
              : {}),
            ...(request.remark ? { remark: request.remark } : {}),
          },
        ],
        ...(douyinOrder ? {} : { order_channel: request.orderChannel }),
      };
      const created = await client.call('logistics.newCreateOrder', body, CreateData);
      const error = created.err_infos?.[0];
      if (error) throw refusal(error);
      const bill = created.ebill_infos?.find((b) => String(b.pack_id) === request.requestId);
      if (!bill?.track_no)
        throw new RequestRejectedError('Douyin answered without a waybill number', 'douyin');

      const applied = await client.call(
        'logistics.waybillApply',
        { waybill_applies: [{ logistics_code: code, track_no: bill.track_no }] },
        ApplyData,
      );
      const print = applied.waybill_infos?.find((w) => w.track_no === bill.track_no);
      return {
        carrier: request.carrier,
        trackingNumber: bill.track_no,
        requestId: request.requestId,
        provider: 'douyin',
        ...(bill.package_center_code ? { originCode: bill.package_center_code } : {}),
        ...(bill.short_address_code ? { destinationCode: bill.short_address_code } : {}),
        ...(bill.sort_code ? { sortCode: bill.sort_code } : {}),
        ...(print?.print_data
          ? {
              printData: {
                raw: JSON.stringify({ print_data: print.print_data, sign: print.sign ?? '' }),
                encrypted: true,
              },
            }
          : {}),
      };
    },

    async cancelWaybill(request: CancelWaybillRequest): Promise<void> {
      const data = await client.call(
        'logistics.cancelOrder',
        { logistics_code: companyOf(request.carrier), track_no: request.trackingNumber },
        CancelData,
      );
      if (data.cancel_result === false || data.cancel_result === 'false') {
        throw new RequestRejectedError(`Douyin did not cancel ${request.trackingNumber}`, 'douyin');
      }
    },

    /**
     * `logistics.getOutRange` (超区校验): whether the company delivers from the sender's region to the
     * receiver's (`is_out_range`, `out_range_reason`; S-DY1 models, ⚠️). Only the region is sent,
     * with the street when the order holds it in plaintext.
     */
    async coverage(query: CoverageQuery): Promise<ServiceCoverage> {
      const to = query.destination;
      const data = await client.call(
        'logistics.getOutRange',
        {
          type: OUT_RANGE_DELIVERY,
          logistics_code: companyOf(query.carrier),
          sender_address: address({
            province: query.origin?.province ?? '',
            city: query.origin?.city ?? '',
            district: '',
            detail: '',
          }),
          receiver_address: address({ ...to, detail: to.detail ?? '' }),
        },
        OutRangeData,
      );
      if (data.is_out_range === false) return { serves: true };
      if (data.is_out_range === true)
        return { serves: false, reason: `抖音电子面单超区: ${data.out_range_reason || '不在服务范围'}` };
      return { serves: 'unknown', reason: 'Douyin getOutRange answered no is_out_range' };
    },
  };
}

/** `logistics.listShopNetsite`: the shop's branches for the carrier and the waybills each has left. */
export async function searchDouyinNetsites(
  options: DouyinWaybillOptions,
  carrier: CarrierCode,
): Promise<Array<{ branchCode: string; branchName: string; quantity: number }>> {
  const data = await clientOf(options).call(
    'logistics.listShopNetsite',
    { logistics_code: companyOf(carrier) },
    NetsiteData,
  );
  return (data.netsites ?? []).map((n) => ({
    branchCode: String(n.netsite_code ?? ''),
    branchName: String(n.netsite_name ?? ''),
    quantity: Number(n.amount ?? 0) || 0,
  }));
}

function clientOf(options: DouyinWaybillOptions): DouyinClient {
  return createDouyinClient({
    shopId: 'waybill',
    platformShopId: '',
    baseUrl: options.baseUrl,
    credentials: { appKey: options.appKey, appSecret: options.appSecret, accessToken: options.accessToken },
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.now ? { now: options.now } : {}),
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
  });
}

function companyOf(carrier: CarrierCode): string {
  const code = douyinCompanyCode(carrier);
  if (!code) throw new RequestRejectedError(`Douyin issues no ${carrier} waybills`, 'douyin');
  return code;
}

function address(a: { province: string; city: string; district: string; town?: string; detail?: string }) {
  return {
    country_code: 'CHN',
    province_name: a.province,
    city_name: a.city,
    district_name: a.district,
    ...(a.town ? { street_name: a.town } : {}),
    ...(a.detail !== undefined ? { detail_address: a.detail } : {}),
  };
}

function receiverInfo(receiver: WaybillReceiver) {
  if (receiver.protected === 'ciphertext') {
    if ((receiver.platform ?? 'pdd') !== 'douyin') {
      throw new RequestRejectedError('Douyin e-waybills cannot open another platform’s ciphertext', 'douyin');
    }
    return {
      address: address({ ...receiver.address, detail: receiver.detail }),
      contact: { name: receiver.name, mobile: receiver.phone },
    };
  }
  if (receiver.protected) {
    throw new RequestRejectedError(
      'Douyin e-waybills take a Douyin receiver or a plaintext one, not a Taobao OAID',
      'douyin',
    );
  }
  return {
    address: address(receiver.address),
    contact: { name: receiver.name, mobile: receiver.phone },
  };
}

/** A per-order error of newCreateOrder, in Douyin's words (the reader classifies them). */
function refusal(error: z.infer<typeof ErrInfo>): RequestRejectedError {
  const code = error.err_code === undefined ? undefined : String(error.err_code);
  return new RequestRejectedError(
    `Douyin refused the waybill: ${code ? `${code} ` : ''}${error.err_msg ?? ''}`.trim(),
    'douyin',
    code,
  );
}
