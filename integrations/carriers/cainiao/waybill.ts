import type { CarrierCode } from '../../../domain/carriers/codes.js';
import { carrierByExternalCode, carrierProfile } from '../../../domain/carriers/registry.js';
import { RequestRejectedError } from '../../platforms/errors.js';
import type {
  CancelWaybillRequest,
  PrintData,
  Waybill,
  WaybillProvider,
  WaybillReceiver,
  WaybillRequest,
} from '../types.js';
import { topCall, type CainiaoOptions } from './client.js';

export interface CainiaoWaybillOptions extends CainiaoOptions {
  /** Cloud-print template per carrier (`http://cloudprint.cainiao.com/template/standard/${id}`). */
  templateUrls?: Partial<Record<CarrierCode, string>>;
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
  return {
    name: 'cainiao',
    supports: (carrier) => cpCode(carrier) !== undefined,

    async createWaybill(request: WaybillRequest): Promise<Waybill> {
      const cp = cpCode(request.carrier);
      if (!cp)
        throw new RequestRejectedError(`Cainiao has no waybill service for ${request.carrier}`, 'cainiao');
      const { parcel } = request;
      const volumeMl =
        parcel.lengthMm && parcel.widthMm && parcel.heightMm
          ? Math.ceil((parcel.lengthMm * parcel.widthMm * parcel.heightMm) / 1000)
          : undefined;
      const apply = {
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
              options.templateUrls?.[request.carrier] ??
              'http://cloudprint.cainiao.com/template/standard/101',
          },
        ],
      };
      const response = await topCall<GetResponse>(options, 'cainiao.waybill.ii.get', {
        param_waybill_cloud_print_apply_new_request: JSON.stringify(apply),
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
    },

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
  };
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
