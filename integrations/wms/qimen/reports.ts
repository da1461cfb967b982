import { gmt8ToIso, parseGmt8 } from '../../platforms/taobao/gmt8.js';
import { qimenSignatureValid } from './sign.js';
import { fullMethodName, readPackages, responseDocument } from './wire.js';
import { child, childrenOf, parseXml, textOf, toXml, XmlError, type XmlElement } from './xml.js';

/**
 * The wire side of the reports a Qimen WMS sends through the gateway: checking a callback, reading
 * each report into plain fields, and the `<response>` to answer with. What a report means for the
 * order system (which parcel, which stock move) is decided by its receiver (services/wms/qimen).
 */

export interface QimenCallback {
  /** The query string the gateway called us with (public parameters and `sign`). */
  query: Record<string, string>;
  /** The exact body text: the signature covers it byte for byte. */
  body: string;
}

export type OpenedCallback =
  | { ok: true; method: string; customerId: string; root: XmlElement }
  | { ok: false; code: string; message: string };

/** TOP refuses requests whose timestamp is more than ten minutes off; so do we. */
const MAX_SKEW_MS = 10 * 60_000;

/** Checks a callback in the gateway's order: signature over the exact body, timestamp, customerId, XML. */
export function openQimenCallback(callback: QimenCallback, secret: string, now: Date): OpenedCallback {
  const { query } = callback;
  if (!query.sign || !qimenSignatureValid(query, callback.body, secret)) {
    return { ok: false, code: 'sign-check-failure', message: 'the signature does not match' };
  }
  const at = parseGmt8(query.timestamp);
  if (!at || Math.abs(now.getTime() - at.getTime()) > MAX_SKEW_MS) {
    return {
      ok: false,
      code: 'invalid-timestamp',
      message: `timestamp ${query.timestamp ?? '(none)'} is not within ten minutes`,
    };
  }
  if (!query.customerId) return { ok: false, code: 'missing-customer-id', message: 'customerId is required' };
  try {
    const root = parseXml(callback.body);
    return { ok: true, method: fullMethodName(query.method ?? ''), customerId: query.customerId, root };
  } catch (err) {
    if (err instanceof XmlError) return { ok: false, code: 'invalid-xml', message: err.message };
    throw err;
  }
}

/** The `<response>` document a caller of the gateway expects, always with HTTP 200. */
export function qimenAnswer(ok: boolean, code: string, message: string): string {
  return toXml('response', responseDocument(ok ? 'success' : 'failure', code, message));
}

/** `deliveryorder.confirm`: the parcel left the warehouse. */
export function readDeliveryConfirm(root: XmlElement) {
  const order = child(root, 'deliveryOrder');
  return {
    warehouseCode: textOf(order, 'warehouseCode'),
    deliveryOrderCode: textOf(order, 'deliveryOrderCode'),
    status: textOf(order, 'status') ?? 'DELIVERED',
    confirmType: textOf(order, 'confirmType'),
    /** The distinct waybill numbers of its packages. */
    trackingNumbers: [...new Set(readPackages(root).map((p) => p.expressCode))].filter((n): n is string =>
      Boolean(n),
    ),
    outBizCode: textOf(order, 'outBizCode'),
    operatorName: textOf(order, 'operatorName'),
    confirmedAt: gmt8ToIso(textOf(order, 'orderConfirmTime')),
  };
}

/** `orderprocess.report`: picked, packed, or in trouble. */
export function readProcessReport(root: XmlElement) {
  const order = child(root, 'order');
  const process = child(root, 'process');
  return {
    warehouseCode: textOf(order, 'warehouseCode'),
    orderCode: textOf(order, 'orderCode'),
    processStatus: textOf(process, 'processStatus'),
    operator: textOf(process, 'operatorName') ?? textOf(process, 'operatorCode'),
    detail: textOf(process, 'operateInfo') ?? textOf(process, 'remark'),
  };
}

/** `itemlack.report`: units the warehouse could not find. Quantities are left as sent. */
export function readLackReport(root: XmlElement) {
  const remark = textOf(root, 'remark');
  return {
    warehouseCode: textOf(root, 'warehouseCode'),
    deliveryOrderCode: textOf(root, 'deliveryOrderCode'),
    outBizCode: textOf(root, 'outBizCode'),
    items: childrenOf(child(root, 'items'), 'item').map((item) => ({
      itemCode: textOf(item, 'itemCode'),
      lackQty: textOf(item, 'lackQty'),
      orderLineNo: textOf(item, 'orderLineNo'),
      reason: textOf(item, 'reason') ?? remark,
    })),
  };
}
