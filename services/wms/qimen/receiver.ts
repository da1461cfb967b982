import type { Db } from '../../../db/connect.js';
import { raiseAlert } from '../../../db/queries/alerts.js';
import {
  findWarehouseWms,
  packTaskStatus,
  reportHandedOver,
  reportPacked,
  reportPicked,
  reportShortage,
  warehouseForQimen,
} from '../../../db/queries/wms-external.js';
import { isStockError } from '../../../domain/stock/errors.js';
import type { ConfirmationResult, WmsEvent } from '../../../domain/wms/adapter.js';
import { QimenWarehouseSettingsSchema } from '../../../domain/wms/systems.js';
import { gmt8ToIso, parseGmt8 } from '../../../integrations/platforms/taobao/gmt8.js';
import { QimenRefusal, QimenUnavailable, type QimenClient } from '../../../integrations/wms/qimen/client.js';
import { qimenSignatureValid } from '../../../integrations/wms/qimen/sign.js';
import {
  deliveryOrderQueryRequest,
  fullMethodName,
  QIMEN_METHODS,
  readPackages,
  responseDocument,
} from '../../../integrations/wms/qimen/wire.js';
import {
  child,
  childrenOf,
  parseXml,
  textOf,
  toXml,
  XmlError,
  type XmlElement,
} from '../../../integrations/wms/qimen/xml.js';

export interface QimenCallback {
  /** The query string the gateway called us with (public parameters and `sign`). */
  query: Record<string, string>;
  /** The exact body text: the signature covers it byte for byte. */
  body: string;
}

export interface QimenReceipt {
  /** The `<response>` document to answer with (always HTTP 200, as Qimen expects). */
  xml: string;
  ok: boolean;
  /** What the report means for shipments (empty when refused). */
  events: WmsEvent[];
}

/** TOP refuses requests whose timestamp is more than ten minutes off; so do we. */
const MAX_SKEW_MS = 10 * 60_000;

const PICKED = new Set(['PICK', 'CHECK']);
const PACKED = new Set(['PACKAGE', 'WEIGH', 'READY']);
const TROUBLE = new Set(['EXCEPTION', 'REJECT']);

class Refused extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Reports a Qimen WMS sends through the gateway: `deliveryorder.confirm` (shipped),
 * `orderprocess.report` (picked, packed, trouble) and `itemlack.report` (units missing). Each is
 * verified (signature, timestamp, a customerId we configured, a parcel of that warehouse), applied
 * once (the same report twice answers success and yields the same events again) and answered with
 * Qimen's `<response>`. A WMS that gets `failure` sends the report again later.
 */
export function createQimenReceiver(deps: { db: Db; secret: string; client: QimenClient; now?: () => Date }) {
  const { db } = deps;

  async function parcelFor(parcelId: string | undefined, warehouses: string[]) {
    if (!parcelId) throw new Refused('missing-order-code', 'the report names no delivery order');
    const task = await packTaskStatus(db, parcelId);
    if (!task || !warehouses.includes(task.warehouse_code)) {
      throw new Refused('unknown-order', `no delivery order ${parcelId} was sent to this warehouse`);
    }
    return { parcelId, ...task };
  }

  async function settingsOf(warehouse: string) {
    const row = await findWarehouseWms(db, warehouse);
    return QimenWarehouseSettingsSchema.parse(row?.settings);
  }

  async function packedFromQuery(
    parcelId: string,
    wmsOrderId: string | null,
    customerId: string,
    warehouse: string,
  ) {
    const settings = await settingsOf(warehouse);
    let response: XmlElement;
    try {
      response = await deps.client.call(
        QIMEN_METHODS.deliveryOrderQuery,
        customerId,
        deliveryOrderQueryRequest({ parcelId, wmsOrderId, settings }),
      );
    } catch (err) {
      if (err instanceof QimenRefusal || err instanceof QimenUnavailable) {
        throw new Refused('query-failed', `could not read the package of ${parcelId}: ${err.message}`);
      }
      throw err;
    }
    const pkg = readPackages(response)[0];
    if (!pkg?.weightG || !pkg.lengthMm || !pkg.widthMm || !pkg.heightMm) {
      throw new Refused('no-package', `the WMS has no weighed package for ${parcelId} yet`);
    }
    return { weightG: pkg.weightG, lengthMm: pkg.lengthMm, widthMm: pkg.widthMm, heightMm: pkg.heightMm };
  }

  async function apply(method: string, customerId: string, root: XmlElement): Promise<ConfirmationResult> {
    const keyOf = (suffix: string) => `qimen:${customerId}:${suffix}`;
    switch (method) {
      case QIMEN_METHODS.deliveryOrderConfirm: {
        const order = child(root, 'deliveryOrder');
        const warehouses = await warehouseForQimen(db, {
          customerId,
          warehouseCode: textOf(order, 'warehouseCode'),
        });
        const task = await parcelFor(textOf(order, 'deliveryOrderCode'), warehouses);
        const status = textOf(order, 'status') ?? 'DELIVERED';
        if (textOf(order, 'confirmType') === '1' || status !== 'DELIVERED') {
          throw new Refused(
            'partial-not-supported',
            `only a final DELIVERED confirmation is accepted (status ${status}, confirmType ${textOf(order, 'confirmType') ?? '0'})`,
          );
        }
        const packages = readPackages(root);
        const numbers = [...new Set(packages.map((p) => p.expressCode).filter(Boolean))];
        if (numbers.length !== 1) {
          throw new Refused(
            'one-package',
            `a parcel ships as one package with one waybill; got ${numbers.length}`,
          );
        }
        return reportHandedOver(db, {
          key: keyOf(textOf(order, 'outBizCode') ?? `confirm:${task.parcelId}`),
          parcelId: task.parcelId,
          trackingNumber: numbers[0]!,
          actor: `qimen:${textOf(order, 'operatorName') ?? textOf(order, 'warehouseCode') ?? customerId}`,
          at: gmt8ToIso(textOf(order, 'orderConfirmTime')) ?? (deps.now?.() ?? new Date()).toISOString(),
        });
      }
      case QIMEN_METHODS.orderProcessReport: {
        const order = child(root, 'order');
        const process = child(root, 'process');
        const warehouses = await warehouseForQimen(db, {
          customerId,
          warehouseCode: textOf(order, 'warehouseCode'),
        });
        const task = await parcelFor(textOf(order, 'orderCode'), warehouses);
        const status = textOf(process, 'processStatus');
        if (!status) throw new Refused('missing-status', 'the report has no processStatus');
        const actor = `qimen:${textOf(process, 'operatorName') ?? textOf(process, 'operatorCode') ?? customerId}`;
        const key = keyOf(`process:${task.parcelId}:${status}`);
        if (PICKED.has(status)) return reportPicked(db, { key, parcelId: task.parcelId, status, actor });
        if (PACKED.has(status)) {
          const dims = await packedFromQuery(
            task.parcelId,
            task.wms_order_id,
            customerId,
            task.warehouse_code,
          );
          return reportPacked(db, { key, parcelId: task.parcelId, status, actor, ...dims });
        }
        if (TROUBLE.has(status)) {
          await raiseAlert(db, {
            shopId: null,
            kind: 'wms_report_rejected',
            message: `Qimen WMS reports ${status} for parcel ${task.parcelId}: ${textOf(process, 'operateInfo') ?? textOf(process, 'remark') ?? 'no detail'}`,
          });
        }
        await db
          .updateTable('wms_pack_tasks')
          .set({ wms_status: status })
          .where('parcel_id', '=', task.parcelId)
          .execute();
        return { replayed: false, events: [] };
      }
      case QIMEN_METHODS.itemLackReport: {
        const warehouses = await warehouseForQimen(db, {
          customerId,
          warehouseCode: textOf(root, 'warehouseCode'),
        });
        const task = await parcelFor(textOf(root, 'deliveryOrderCode'), warehouses);
        const lines = childrenOf(child(root, 'items'), 'item').map((item, i) => {
          const sku = textOf(item, 'itemCode');
          const qty = Number(textOf(item, 'lackQty'));
          if (!sku || !Number.isInteger(qty) || qty < 1) {
            throw new Refused(
              'invalid-item',
              `items.item[${i}] needs an itemCode and a whole lackQty of at least 1`,
            );
          }
          const lineNo = Number(textOf(item, 'orderLineNo'));
          return {
            sku,
            qty,
            reason: textOf(item, 'reason') ?? textOf(root, 'remark') ?? '缺货',
            ...(Number.isInteger(lineNo) && lineNo > 0 ? { lineNo } : {}),
          };
        });
        if (lines.length === 0) throw new Refused('invalid-item', 'the report lists no items');
        return reportShortage(db, {
          key: keyOf(textOf(root, 'outBizCode') ?? `lack:${task.parcelId}`),
          parcelId: task.parcelId,
          lines,
          actor: `qimen:${customerId}`,
          wms: 'qimen',
        });
      }
      default:
        throw new Refused('invalid-method', `method ${method} is not accepted here`);
    }
  }

  return {
    async receive(callback: QimenCallback): Promise<QimenReceipt> {
      const answer = (ok: boolean, code: string, message: string, events: WmsEvent[] = []): QimenReceipt => ({
        ok,
        events,
        xml: toXml('response', responseDocument(ok ? 'success' : 'failure', code, message)),
      });
      const { query } = callback;
      if (!query.sign || !qimenSignatureValid(query, callback.body, deps.secret)) {
        return answer(false, 'sign-check-failure', 'the signature does not match');
      }
      const at = parseGmt8(query.timestamp);
      const now = (deps.now?.() ?? new Date()).getTime();
      if (!at || Math.abs(now - at.getTime()) > MAX_SKEW_MS) {
        return answer(
          false,
          'invalid-timestamp',
          `timestamp ${query.timestamp ?? '(none)'} is not within ten minutes`,
        );
      }
      if (!query.customerId) return answer(false, 'missing-customer-id', 'customerId is required');
      let root: XmlElement;
      try {
        root = parseXml(callback.body);
      } catch (err) {
        if (err instanceof XmlError) return answer(false, 'invalid-xml', err.message);
        throw err;
      }
      const method = fullMethodName(query.method ?? '');
      try {
        const result = await apply(method, query.customerId, root);
        return answer(true, '0', result.replayed ? 'already recorded' : 'ok', result.events);
      } catch (err) {
        if (err instanceof Refused) return answer(false, err.code, err.message);
        if (isStockError(err)) {
          await raiseAlert(db, {
            shopId: null,
            kind: 'wms_report_rejected',
            message: `Qimen ${method} from ${query.customerId} refused: ${err.message}`,
          });
          return answer(false, err.code, err.message);
        }
        throw err;
      }
    },
  };
}

export type QimenReceiver = ReturnType<typeof createQimenReceiver>;
