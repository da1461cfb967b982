import type { CarrierCode } from '../../../domain/carriers/codes.js';
import { RequestRejectedError } from '../../platforms/errors.js';
import type {
  CancelWaybillRequest,
  PostalAddress,
  ReturnWaybillRequest,
  Waybill,
  WaybillContact,
  WaybillProvider,
  WaybillRequest,
} from '../types.js';
import { sfCall, type SfInner, type SfOptions } from './client.js';
import { sfCoverage } from './filter.js';

interface CreateOrderResult {
  orderId: string;
  originCode?: string;
  destCode?: string;
  waybillNoInfoList?: Array<{ waybillType: number; waybillNo: string }>;
  routeLabelInfo?: Array<{
    code?: string;
    routeLabelData?: { destRouteLabel?: string; twoDimensionCode?: string; [key: string]: unknown };
  }>;
}

/** Cancelling twice, or an order SF never took, leaves nothing to undo (codes ❓, see the simulator). */
const NOTHING_TO_CANCEL = /^(8037|8024)$/;

/**
 * SF Express direct (丰桥): orders placed with `EXP_RECE_CREATE_ORDER` keyed by our request id as
 * SF's `orderId` — SF answers a repeated orderId with the first order's waybill, which makes
 * retries safe — and cancelled with `EXP_RECE_UPDATE_ORDER` dealType 2. SF needs the plaintext
 * receiver; protected platform receivers must be decrypted first (or go through Cainiao).
 */
export function createSfWaybillProvider(
  options: SfOptions & {
    /** The service code of SF's return order (default `EXP_RECE_CREATE_REVERSE_ORDER`). */
    reverseServiceCode?: string;
  },
): WaybillProvider {
  return {
    name: 'sf',
    supports: (carrier: CarrierCode) => carrier === 'SF',

    async createWaybill(request: WaybillRequest): Promise<Waybill> {
      if (request.carrier !== 'SF') {
        throw new RequestRejectedError(`SF direct cannot issue ${request.carrier} waybills`, 'sf');
      }
      if (request.receiver.protected) {
        throw new RequestRejectedError(
          'SF direct needs the decrypted receiver: decrypt it through the platform first, or issue the waybill through Cainiao with the OAID',
          'sf',
        );
      }
      const monthlyCard = request.monthlyAccount ?? options.monthlyCard;
      const message = {
        language: 'zh-CN',
        orderId: request.requestId,
        ...(monthlyCard ? { monthlyCard } : {}),
        expressTypeId: Number(request.serviceType ?? 1),
        payMethod: 1,
        parcelQty: 1,
        totalWeight: request.parcel.weightG / 1000,
        isReturnRoutelabel: 1,
        cargoDetails: request.parcel.items.map((item) => ({
          name: item.name,
          count: item.quantity,
          unit: '件',
        })),
        contactInfoList: [contact(1, request.sender), contact(2, request.receiver)],
        ...(request.remark ? { remark: request.remark } : {}),
      };
      const inner = await sfCall<CreateOrderResult>(options, 'EXP_RECE_CREATE_ORDER', message);
      return waybillFrom(inner, request.requestId, 'the order');
    },

    /**
     * SF's return order (退货下单, `EXP_RECE_CREATE_REVERSE_ORDER`): SF collects at the buyer's and
     * brings the parcel to the return address, billed to the monthly account. The service code is
     * confirmed by SF's official SDK service list; its message is taken to be the order's (orderId
     * as our key, contactType 1 the buyer who sends, 2 the return address) and its answer the
     * order's `waybillNoInfoList` ❓ (no sample in the facts): `reverseServiceCode` can point it
     * elsewhere.
     */
    async createReturnWaybill(request: ReturnWaybillRequest): Promise<Waybill> {
      if (request.carrier !== 'SF') {
        throw new RequestRejectedError(`SF return orders cannot carry ${request.carrier} waybills`, 'sf');
      }
      const monthlyCard = request.monthlyAccount ?? options.monthlyCard;
      const message = {
        language: 'zh-CN',
        orderId: request.requestId,
        ...(monthlyCard ? { monthlyCard } : {}),
        expressTypeId: Number(request.serviceType ?? 1),
        payMethod: 1,
        parcelQty: 1,
        totalWeight: request.parcel.weightG / 1000,
        isReturnRoutelabel: 1,
        cargoDetails: request.parcel.items.map((item) => ({
          name: item.name,
          count: item.quantity,
          unit: '件',
        })),
        contactInfoList: [contact(1, request.buyer), contact(2, request.returnTo)],
        ...(request.remark ? { remark: request.remark } : {}),
      };
      const inner = await sfCall<CreateOrderResult>(
        options,
        options.reverseServiceCode ?? 'EXP_RECE_CREATE_REVERSE_ORDER',
        message,
      );
      return waybillFrom(inner, request.requestId, 'the return order');
    },

    async cancelWaybill(request: CancelWaybillRequest): Promise<void> {
      const inner = await sfCall(options, 'EXP_RECE_UPDATE_ORDER', {
        language: 'zh-CN',
        orderId: request.requestId,
        dealType: 2,
      });
      if (inner.success || NOTHING_TO_CANCEL.test(inner.errorCode ?? '')) return;
      throw new RequestRejectedError(
        `SF refused to cancel ${request.trackingNumber}: ${inner.errorCode ?? ''} ${inner.errorMsg ?? ''}`.trim(),
        'sf',
        inner.errorCode,
      );
    },

    coverage: (query) => sfCoverage(options, query),
  };
}

/** The waybill in SF's answer to an order or a return order (the same msgData). */
function waybillFrom(inner: SfInner<CreateOrderResult>, requestId: string, what: string): Waybill {
  if (!inner.success || !inner.msgData) {
    throw new RequestRejectedError(
      `SF refused ${what}: ${inner.errorCode ?? ''} ${inner.errorMsg ?? ''}`.trim(),
      'sf',
      inner.errorCode,
    );
  }
  const data = inner.msgData;
  const main = data.waybillNoInfoList?.find((w) => w.waybillType === 1) ?? data.waybillNoInfoList?.[0];
  if (!main) throw new RequestRejectedError(`SF accepted ${what} but returned no waybill number`, 'sf');
  const label = data.routeLabelInfo?.[0]?.routeLabelData;
  return {
    carrier: 'SF',
    trackingNumber: main.waybillNo,
    requestId,
    provider: 'sf',
    ...(data.originCode ? { originCode: data.originCode } : {}),
    ...(data.destCode ? { destinationCode: data.destCode } : {}),
    ...(label?.destRouteLabel ? { sortCode: label.destRouteLabel } : {}),
    ...(label
      ? {
          printData: {
            raw: JSON.stringify(label),
            encrypted: false,
            ...(label.twoDimensionCode ? { qrCode: label.twoDimensionCode } : {}),
          },
        }
      : {}),
  };
}

function contact(contactType: 1 | 2, c: WaybillContact) {
  return {
    contactType,
    contact: c.name,
    mobile: c.phone,
    ...(c.company ? { company: c.company } : {}),
    province: c.address.province,
    city: c.address.city,
    county: c.address.district,
    address: streetAddress(c.address),
  };
}

function streetAddress(address: PostalAddress): string {
  return `${address.town ?? ''}${address.detail}`;
}
