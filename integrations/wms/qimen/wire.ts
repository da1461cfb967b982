import type { Parcel } from '../../../domain/parcels/types.js';
import type { WaveOrderRef } from '../../../domain/wms/adapter.js';
import type { QimenWarehouseSettings } from '../../../domain/wms/systems.js';
import { formatGmt8 } from '../../platforms/taobao/gmt8.js';
import { child, childrenOf, textOf, type XmlElement, type XmlObject } from './xml.js';

/**
 * Qimen warehouse documents (奇门仓储 API, field names as documented: domain/wms/README.md). The
 * order system sends delivery orders, cancellations and queries; the WMS reports progress, shortages
 * and shipping. Method names are the gateway's full names; a WMS receives them without the
 * `taobao.qimen.` prefix.
 */
export const QIMEN_METHODS = {
  deliveryOrderCreate: 'taobao.qimen.deliveryorder.create',
  deliveryOrderQuery: 'taobao.qimen.deliveryorder.query',
  orderCancel: 'taobao.qimen.order.cancel',
  deliveryOrderConfirm: 'taobao.qimen.deliveryorder.confirm',
  orderProcessReport: 'taobao.qimen.orderprocess.report',
  itemLackReport: 'taobao.qimen.itemlack.report',
} as const;

/** `deliveryorder.create` → `taobao.qimen.deliveryorder.create`: the two spellings of one method. */
export function fullMethodName(method: string): string {
  return method.startsWith('taobao.qimen.') ? method : `taobao.qimen.${method}`;
}

/** Sales channels by Qimen's `sourcePlatformCode` list; channels it does not list go as OTHER. */
const SOURCE_PLATFORM: Record<string, string> = {
  taobao: 'TB',
  tmall: 'TM',
  jd: 'JD',
  amazon: 'AMAZON',
};
const PLATFORM_NAME: Record<string, string> = {
  taobao: '淘宝',
  tmall: '天猫',
  jd: '京东',
  pdd: '拼多多',
  douyin: '抖音',
  shopee: 'Shopee',
  amazon: '亚马逊',
  shopify: 'Shopify',
  woocommerce: 'WooCommerce',
  own: '自有商城',
};

/** The parcel's lines in delivery-order order; `orderLineNo` is the position, from 1. */
export function deliveryOrderLines(parcel: Pick<Parcel, 'contents'>) {
  return [...parcel.contents].sort((a, b) =>
    a.orderId + a.lineId + a.sku < b.orderId + b.lineId + b.sku ? -1 : 1,
  );
}

/**
 * One parcel as a delivery order (出库单, type JYCK). The carrier is chosen after the WMS has weighed
 * the parcel, so `logisticsCode` is OTHER; protected receivers travel as the platform's OAID.
 */
export function deliveryOrderCreateRequest(input: {
  parcel: Parcel;
  orders: ReadonlyMap<string, WaveOrderRef>;
  settings: QimenWarehouseSettings;
  warehouseName: string;
  warehouseProvince: string;
  now: Date;
}): XmlObject {
  const { parcel, settings } = input;
  const first = input.orders.get(parcel.orderIds[0]!);
  if (!first) throw new Error(`no order reference for ${parcel.orderIds[0]} in parcel ${parcel.id}`);
  const r = first.receiver;
  const lines = deliveryOrderLines(parcel);
  return {
    deliveryOrder: {
      deliveryOrderCode: parcel.id,
      orderType: 'JYCK',
      warehouseCode: settings.warehouseCode,
      sourcePlatformCode: SOURCE_PLATFORM[first.platform] ?? 'OTHER',
      sourcePlatformName: PLATFORM_NAME[first.platform] ?? first.platform,
      createTime: formatGmt8(input.now),
      payTime: first.paidAt ? formatGmt8(new Date(first.paidAt)) : undefined,
      shopNick: first.shopId,
      logisticsCode: 'OTHER',
      isUrgency: parcel.urgent ? 'Y' : 'N',
      buyerMessage: first.buyerRemark,
      remark: parcel.reason,
      senderInfo: settings.sender ?? {
        name: input.warehouseName,
        mobile: '-',
        province: input.warehouseProvince,
        city: '-',
        detailAddress: input.warehouseName,
      },
      receiverInfo: {
        name: r.name,
        mobile: r.phone,
        countryCode: r.country ?? 'CN',
        province: r.province,
        city: r.city,
        area: r.district,
        town: r.town,
        detailAddress: r.detail,
        oaid: r.protected ? r.addressHandle : undefined,
      },
      oaidOrderSourceCode: r.protected && r.addressHandle ? first.platformOrderId : undefined,
      totalOrderLines: lines.length,
    },
    orderLines: {
      item: 'orderLine',
      values: lines.map((c, i) => ({
        orderLineNo: String(i + 1),
        sourceOrderCode: input.orders.get(c.orderId)?.platformOrderId ?? c.orderId,
        subSourceOrderCode: c.lineId,
        ownerCode: settings.ownerCode,
        itemCode: c.sku,
        inventoryType: 'ZP',
        planQty: c.qty,
      })),
    },
  };
}

export function orderCancelRequest(input: {
  parcelId: string;
  wmsOrderId: string | null;
  settings: QimenWarehouseSettings;
  reason: string;
}): XmlObject {
  return {
    warehouseCode: input.settings.warehouseCode,
    ownerCode: input.settings.ownerCode,
    orderCode: input.parcelId,
    orderId: input.wmsOrderId ?? undefined,
    orderType: 'JYCK',
    cancelReason: input.reason.slice(0, 200),
  };
}

export function deliveryOrderQueryRequest(input: {
  parcelId: string;
  wmsOrderId: string | null;
  settings: QimenWarehouseSettings;
}): XmlObject {
  return {
    deliveryOrderCode: input.parcelId,
    deliveryOrderId: input.wmsOrderId ?? undefined,
    warehouseCode: input.settings.warehouseCode,
    ownerCode: input.settings.ownerCode,
  };
}

export interface QimenPackage {
  logisticsCode?: string;
  expressCode?: string;
  weightG?: number;
  lengthMm?: number;
  widthMm?: number;
  heightMm?: number;
}

const number = (text: string | undefined) => {
  const n = text === undefined ? NaN : Number(text);
  return Number.isFinite(n) && n > 0 ? n : undefined;
};

/** A `<package>`: weight in kilograms and sides in centimetres, as Qimen documents them. */
export function readPackage(element: XmlElement | undefined): QimenPackage | undefined {
  if (!element) return undefined;
  const kg = number(textOf(element, 'weight'));
  const cm = (name: string) => {
    const v = number(textOf(element, name));
    return v === undefined ? undefined : Math.round(v * 10);
  };
  return {
    ...(textOf(element, 'logisticsCode') ? { logisticsCode: textOf(element, 'logisticsCode')! } : {}),
    ...(textOf(element, 'expressCode') ? { expressCode: textOf(element, 'expressCode')! } : {}),
    ...(kg !== undefined ? { weightG: Math.round(kg * 1000) } : {}),
    ...(cm('length') !== undefined ? { lengthMm: cm('length')! } : {}),
    ...(cm('width') !== undefined ? { widthMm: cm('width')! } : {}),
    ...(cm('height') !== undefined ? { heightMm: cm('height')! } : {}),
  };
}

/** The packages of a confirm or query document (`<packages><package>…`). */
export function readPackages(root: XmlElement): QimenPackage[] {
  return childrenOf(child(root, 'packages'), 'package')
    .map(readPackage)
    .filter((p): p is QimenPackage => p !== undefined);
}

/** `<response>` the order system answers the gateway with. */
export function responseDocument(flag: 'success' | 'failure', code: string, message: string): XmlObject {
  return { flag, code, message };
}
