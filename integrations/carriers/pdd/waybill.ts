import type { CarrierCode } from '../../../domain/carriers/codes.js';
import { carrierProfile } from '../../../domain/carriers/registry.js';
import { PddClient } from '../../platforms/pdd/client.js';
import { RequestRejectedError } from '../../platforms/errors.js';
import type {
  CancelWaybillRequest,
  CarrierHttpOptions,
  Waybill,
  WaybillProvider,
  WaybillReceiver,
  WaybillRequest,
} from '../types.js';

export interface PddWaybillOptions extends CarrierHttpOptions {
  /** The PDD app (client_id / client_secret) the shop authorised. */
  clientId: string;
  clientSecret: string;
  /** The shop's access token for that app. */
  accessToken: string;
  /** Cloud-print template (`template_url`) per carrier. */
  templateUrls?: Partial<Record<CarrierCode, string>>;
}

interface PddModule {
  object_id?: string;
  waybill_code?: string;
  print_data?: string;
  parent_waybill_code?: string;
}

interface PddPrint {
  encryptedData?: string;
  templateUrl?: string;
  data?: {
    routingInfo?: {
      consolidation?: { code?: string };
      sortation?: { name?: string };
      origin?: { code?: string };
    };
  };
}

/**
 * PDD 电子面单 (拼多多电子面单): `pdd.waybill.get` / `pdd.waybill.cancel` / `pdd.waybill.search` on
 * PDD's gateway, signed like every PDD call. The request mirrors Cainiao's cloud-print apply
 * (`param_waybillcloudprint_apply_new_request`: sender, `trade_order_info_dtos[]` with order,
 * package and recipient, `wp_code` for the carrier). A PDD order's receiver goes as the ciphertext
 * the order carries — PDD decrypts it inside the service and answers encrypted print data that
 * only its print component renders — so the receiver is never decrypted here. Carrier codes
 * (`wp_code`) are taken to be Cainiao's cp_codes (❓, docs/waybill-accounts.md).
 */
export function createPddWaybillProvider(options: PddWaybillOptions): WaybillProvider {
  const client = new PddClient({
    shopId: 'waybill',
    platformShopId: '',
    baseUrl: options.baseUrl,
    credentials: {
      appKey: options.clientId,
      appSecret: options.clientSecret,
      accessToken: options.accessToken,
    },
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.now ? { now: options.now } : {}),
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
  });
  const wpCode = (carrier: CarrierCode) => carrierProfile(carrier).codes.cainiao;

  return {
    name: 'pdd',
    supports: (carrier) => wpCode(carrier) !== undefined,

    async createWaybill(request: WaybillRequest): Promise<Waybill> {
      const wp = wpCode(request.carrier);
      if (!wp) throw new RequestRejectedError(`PDD issues no ${request.carrier} waybills`, 'pdd');
      const apply = {
        wp_code: wp,
        ...(request.branchCode ? { branch_code: request.branchCode } : {}),
        sender: {
          name: request.sender.name,
          mobile: request.sender.phone,
          address: {
            province: request.sender.address.province,
            city: request.sender.address.city,
            district: request.sender.address.district,
            detail: request.sender.address.detail,
          },
        },
        trade_order_info_dtos: [
          {
            object_id: request.requestId,
            order_info: {
              order_channels_type: request.orderChannel ?? 'PDD',
              trade_order_list: request.orderIds,
            },
            package_info: {
              id: request.requestId,
              items: request.parcel.items.map((item) => ({ name: item.name, count: item.quantity })),
              weight: request.parcel.weightG,
            },
            recipient: recipient(request.receiver),
            template_url:
              options.templateUrls?.[request.carrier] ?? 'https://file-link.pinduoduo.com/yunda_std',
            user_id: 0,
          },
        ],
      };
      const body = await client.call('pdd.waybill.get', {
        param_waybillcloudprint_apply_new_request: JSON.stringify(apply),
      });
      const modules = (body.modules ?? []) as PddModule[];
      const module = modules.find((m) => m.object_id === request.requestId) ?? modules[0];
      if (!module?.waybill_code) throw new RequestRejectedError('PDD answered without a waybill code', 'pdd');
      const print = parse(module.print_data);
      const routing = print?.data?.routingInfo;
      return {
        carrier: request.carrier,
        trackingNumber: module.waybill_code,
        requestId: request.requestId,
        provider: 'pdd',
        ...(routing?.origin?.code ? { originCode: routing.origin.code } : {}),
        ...(routing?.consolidation?.code ? { destinationCode: routing.consolidation.code } : {}),
        ...(routing?.sortation?.name ? { sortCode: routing.sortation.name } : {}),
        ...(module.print_data
          ? {
              printData: {
                raw: module.print_data,
                encrypted: Boolean(print?.encryptedData),
                ...(print?.templateUrl ? { templateUrl: print.templateUrl } : {}),
              },
            }
          : {}),
      };
    },

    async cancelWaybill(request: CancelWaybillRequest): Promise<void> {
      const wp = wpCode(request.carrier);
      if (!wp) throw new RequestRejectedError(`PDD issues no ${request.carrier} waybills`, 'pdd');
      const body = await client.call('pdd.waybill.cancel', {
        wp_code: wp,
        waybill_code: request.trackingNumber,
      });
      if (body.cancel_result !== true && body.cancel_result !== 'true') {
        throw new RequestRejectedError(`PDD did not cancel ${request.trackingNumber}`, 'pdd');
      }
    },
  };
}

/** `pdd.waybill.search`: the carriers the shop subscribed, their branches and balances. */
export async function searchPddSubscriptions(
  options: PddWaybillOptions,
  wpCode: string,
): Promise<Array<{ branchCode: string; branchName: string; quantity: number }>> {
  const client = new PddClient({
    shopId: 'waybill',
    platformShopId: '',
    baseUrl: options.baseUrl,
    credentials: {
      appKey: options.clientId,
      appSecret: options.clientSecret,
      accessToken: options.accessToken,
    },
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  const body = await client.call('pdd.waybill.search', { wp_code: wpCode });
  const subs = (body.waybill_apply_subscription_cols ?? []) as Array<{
    wp_code?: string;
    branch_account_cols?: Array<{ branch_code?: string; branch_name?: string; quantity?: number | string }>;
  }>;
  return subs
    .filter((s) => s.wp_code === wpCode)
    .flatMap((s) => s.branch_account_cols ?? [])
    .map((b) => ({
      branchCode: String(b.branch_code ?? ''),
      branchName: String(b.branch_name ?? ''),
      quantity: Number(b.quantity ?? 0) || 0,
    }));
}

function recipient(receiver: WaybillReceiver) {
  if (receiver.protected === 'ciphertext') {
    return {
      name: receiver.name,
      mobile: receiver.phone,
      address: { ...receiver.address, detail: receiver.detail },
    };
  }
  if (receiver.protected) {
    throw new RequestRejectedError(
      'PDD e-waybills take a PDD receiver or a plaintext one, not a Taobao OAID',
      'pdd',
    );
  }
  return {
    name: receiver.name,
    mobile: receiver.phone,
    address: { ...receiver.address },
  };
}

function parse(raw: string | undefined): PddPrint | undefined {
  if (!raw) return undefined;
  try {
    return JSON.parse(raw) as PddPrint;
  } catch {
    return undefined;
  }
}
