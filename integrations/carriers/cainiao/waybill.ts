import type { CarrierCode } from '../../../domain/carriers/codes.js';
import { carrierByExternalCode, carrierProfile } from '../../../domain/carriers/registry.js';
import { RequestRejectedError } from '../../platforms/errors.js';
import type { ServiceCoverage } from '../../../domain/carriers/reachability.js';
import type {
  CancelWaybillRequest,
  CoverageQuery,
  PrintData,
  ReturnWaybillRequest,
  Waybill,
  WaybillProvider,
  WaybillReceiver,
  WaybillRequest,
} from '../types.js';
import { topCall, type CainiaoOptions } from './client.js';

export interface CainiaoWaybillOptions extends CainiaoOptions {
  /** Cloud-print template per carrier (`http://cloudprint.cainiao.com/template/standard/${id}`). */
  templateUrls?: Partial<Record<CarrierCode, string>>;
  /**
   * Asks `cainiao.waybill.address.reachable.query` at audit (筛单). Set for a shop's own accounts;
   * the deployment-wide session is not asked.
   */
  screensAddresses?: boolean;
}

interface ReachableResponse {
  result?: {
    success?: boolean | string;
    module?: {
      reachable?: boolean | string;
      interrupt_reason?: string;
      interrupt_type?: string;
      reachable_cps?: Array<{ cp_code?: string; cp_name?: string }>;
    };
    error_info_list?: Array<{ error_code?: string; error_message?: string }>;
  };
}

interface WaybillModule {
  object_id?: string;
  waybill_code?: string;
  print_data?: string;
  cp_code?: string;
}

interface GetResponse {
  modules?: WaybillModule[] | { waybill_cloud_print_response?: WaybillModule[] };
}

interface CainiaoPrint {
  encryptedData?: string;
  templateURL?: string;
  data?: {
    routingInfo?: {
      origin?: { code?: string };
      consolidation?: { code?: string; name?: string };
      sortation?: { name?: string };
    };
  };
}

/**
 * Cainiao electronic waybills (`cainiao.waybill.ii.get` / `.cancel`) for every carrier with a
 * Cainiao cp_code. Our request id is both the object id and the package id, so a retried request
 * is the same package to Cainiao and gets the same waybill back. Protected Taobao receivers go
 * as `oaid` + `tid`; Cainiao then returns encrypted print data that only its print component can
 * render, so such labels are printed there (our own label shows the masked receiver).
 */
export function createCainiaoWaybillProvider(options: CainiaoWaybillOptions): WaybillProvider {
  const cpCode = (carrier: CarrierCode) => carrierProfile(carrier).codes.cainiao;

  /** One `cainiao.waybill.ii.get` for one package; `extra` goes beside the request's own fields. */
  async function apply(request: WaybillRequest, extra: Record<string, unknown> = {}): Promise<Waybill> {
    const cp = cpCode(request.carrier);
    if (!cp)
      throw new RequestRejectedError(`Cainiao has no waybill service for ${request.carrier}`, 'cainiao');
    const { parcel } = request;
    const volumeMl =
      parcel.lengthMm && parcel.widthMm && parcel.heightMm
        ? Math.ceil((parcel.lengthMm * parcel.widthMm * parcel.heightMm) / 1000)
        : undefined;
    const applyNew = {
      ...extra,
      cp_code: cp,
      ...(request.serviceType ? { product_code: request.serviceType } : {}),
      ...(request.monthlyAccount ? { customer_code: request.monthlyAccount } : {}),
      ...(request.branchCode ? { shipping_branch_code: request.branchCode } : {}),
      sender: {
        name: request.sender.name,
        mobile: request.sender.phone,
        address: { ...request.sender.address },
      },
      trade_order_info_dtos: [
        {
          object_id: request.requestId,
          order_info: {
            order_channels_type: request.orderChannel ?? 'OTHERS',
            trade_order_list: request.orderIds,
          },
          package_info: {
            id: request.requestId,
            items: parcel.items.map((item) => ({ name: item.name, count: item.quantity })),
            weight: parcel.weightG,
            ...(volumeMl ? { volume: volumeMl } : {}),
            goods_description: parcel.items
              .map((item) => item.name)
              .join(',')
              .slice(0, 100),
          },
          recipient: recipient(request.receiver),
          template_url:
            options.templateUrls?.[request.carrier] ?? 'http://cloudprint.cainiao.com/template/standard/101',
        },
      ],
    };
    const response = await topCall<GetResponse>(options, 'cainiao.waybill.ii.get', {
      param_waybill_cloud_print_apply_new_request: JSON.stringify(applyNew),
    });
    const modules = Array.isArray(response.modules)
      ? response.modules
      : (response.modules?.waybill_cloud_print_response ?? []);
    const module = modules.find((m) => m.object_id === request.requestId) ?? modules[0];
    if (!module?.waybill_code) {
      throw new RequestRejectedError('Cainiao answered without a waybill code', 'cainiao');
    }
    const carrier = (module.cp_code && carrierByExternalCode('cainiao', module.cp_code)) || request.carrier;
    const print = parsePrint(module.print_data);
    const routing = print?.data?.routingInfo;
    return {
      carrier,
      trackingNumber: module.waybill_code,
      requestId: request.requestId,
      provider: 'cainiao',
      ...(routing?.origin?.code ? { originCode: routing.origin.code } : {}),
      ...(routing?.consolidation?.code ? { destinationCode: routing.consolidation.code } : {}),
      ...(routing?.sortation?.name ? { sortCode: routing.sortation.name } : {}),
      ...(module.print_data ? { printData: printData(module.print_data, print) } : {}),
    };
  }

  return {
    name: 'cainiao',
    supports: (carrier) => cpCode(carrier) !== undefined,

    createWaybill: (request: WaybillRequest) => apply(request),

    /**
     * A return waybill: the same e-waybill call with the buyer as sender and the return address as
     * recipient, and the courier asked to collect at the door (`call_door_pick_up`, API-FACTS §10).
     */
    createReturnWaybill: (request: ReturnWaybillRequest) =>
      apply(
        {
          requestId: request.requestId,
          carrier: request.carrier,
          sender: request.buyer,
          receiver: { protected: false, ...request.returnTo },
          parcel: request.parcel,
          orderIds: request.orderIds,
          ...(request.monthlyAccount ? { monthlyAccount: request.monthlyAccount } : {}),
          ...(request.serviceType ? { serviceType: request.serviceType } : {}),
        },
        { call_door_pick_up: true },
      ),

    async cancelWaybill(request: CancelWaybillRequest): Promise<void> {
      const cp = cpCode(request.carrier);
      if (!cp)
        throw new RequestRejectedError(`Cainiao has no waybill service for ${request.carrier}`, 'cainiao');
      const response = await topCall<{ cancel_result?: boolean | string }>(
        options,
        'cainiao.waybill.ii.cancel',
        {
          cp_code: cp,
          waybill_code: request.trackingNumber,
        },
      );
      if (response.cancel_result !== true && response.cancel_result !== 'true') {
        throw new RequestRejectedError(`Cainiao did not cancel ${request.trackingNumber}`, 'cainiao');
      }
    },
    ...(options.screensAddresses ? { coverage: (query: CoverageQuery) => reachable(query) } : {}),
  };

  /**
   * `cainiao.waybill.address.reachable.query` (地址可达查询; request and response fields from the
   * TOP doc dump S-TB `waybill/cainiao_waybill_address_reachable_query.json`, not restated in
   * API-FACTS): `reachable_recommend_request_dto{cp_code, address{province_name, city_name,
   * area_name, town_name, address_detail}}` → `result{success, module{reachable, interrupt_reason,
   * interrupt_type, reachable_cps[]}, error_info_list[]}`.
   */
  async function reachable(query: CoverageQuery): Promise<ServiceCoverage> {
    const cp = cpCode(query.carrier);
    if (!cp) return { serves: 'unknown', reason: `Cainiao has no cp_code for ${query.carrier}` };
    const to = query.destination;
    const response = await topCall<ReachableResponse>(options, 'cainiao.waybill.address.reachable.query', {
      reachable_recommend_request_dto: JSON.stringify({
        cp_code: cp,
        address: {
          province_name: to.province,
          city_name: to.city,
          area_name: to.district,
          ...(to.detail ? { address_detail: to.detail } : {}),
        },
      }),
      client_info_dto: JSON.stringify({ description: `screening ${query.reference}` }),
    });
    const result = response.result;
    const module = result?.module;
    if (!result || String(result.success) !== 'true' || !module || module.reachable === undefined) {
      const error = result?.error_info_list?.[0];
      return {
        serves: 'unknown',
        reason: `菜鸟地址可达查询失败: ${error?.error_code ?? ''} ${error?.error_message ?? ''}`.trim(),
      };
    }
    if (String(module.reachable) === 'true') return { serves: true };
    return { serves: false, reason: `菜鸟地址不可达: ${module.interrupt_reason || '不在服务范围'}` };
  }
}

function recipient(receiver: WaybillReceiver) {
  if (receiver.protected === 'ciphertext') {
    throw new RequestRejectedError(
      'Cainiao cannot decrypt a PDD receiver: issue it with a PDD e-waybill account',
      'cainiao',
    );
  }
  if (receiver.protected) {
    return { oaid: receiver.oaid, tid: receiver.tid, address: { ...receiver.address } };
  }
  return { name: receiver.name, mobile: receiver.phone, address: { ...receiver.address } };
}

function parsePrint(raw: string | undefined): CainiaoPrint | undefined {
  if (!raw) return undefined;
  try {
    return JSON.parse(raw) as CainiaoPrint;
  } catch {
    return undefined;
  }
}

function printData(raw: string, print: CainiaoPrint | undefined): PrintData {
  return {
    raw,
    encrypted: Boolean(print?.encryptedData),
    ...(print?.templateURL ? { templateUrl: print.templateURL } : {}),
  };
}
