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
import { QimenRefusal, QimenUnavailable, type QimenClient } from '../../../integrations/wms/qimen/client.js';
import {
  openQimenCallback,
  qimenAnswer,
  readDeliveryConfirm,
  readLackReport,
  readProcessReport,
  type QimenCallback,
} from '../../../integrations/wms/qimen/reports.js';
import {
  deliveryOrderQueryRequest,
  QIMEN_METHODS,
  readPackages,
} from '../../../integrations/wms/qimen/wire.js';
import type { XmlElement } from '../../../integrations/wms/qimen/xml.js';

export interface QimenReceipt {
  /** The `<response>` document to answer with (always HTTP 200, as Qimen expects). */
  xml: string;
  ok: boolean;
  /** What the report means for shipments (empty when refused). */
  events: WmsEvent[];
}

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
        const report = readDeliveryConfirm(root);
        const warehouses = await warehouseForQimen(db, { customerId, warehouseCode: report.warehouseCode });
        const task = await parcelFor(report.deliveryOrderCode, warehouses);
        if (report.confirmType === '1' || report.status !== 'DELIVERED') {
          throw new Refused(
            'partial-not-supported',
            `only a final DELIVERED confirmation is accepted (status ${report.status}, confirmType ${report.confirmType ?? '0'})`,
          );
        }
        const numbers = report.trackingNumbers;
        if (numbers.length !== 1) {
          throw new Refused(
            'one-package',
            `a parcel ships as one package with one waybill; got ${numbers.length}`,
          );
        }
        return reportHandedOver(db, {
          key: keyOf(report.outBizCode ?? `confirm:${task.parcelId}`),
          parcelId: task.parcelId,
          trackingNumber: numbers[0]!,
          actor: `qimen:${report.operatorName ?? report.warehouseCode ?? customerId}`,
          at: report.confirmedAt ?? (deps.now?.() ?? new Date()).toISOString(),
        });
      }
      case QIMEN_METHODS.orderProcessReport: {
        const report = readProcessReport(root);
        const warehouses = await warehouseForQimen(db, { customerId, warehouseCode: report.warehouseCode });
        const task = await parcelFor(report.orderCode, warehouses);
        const status = report.processStatus;
        if (!status) throw new Refused('missing-status', 'the report has no processStatus');
        const actor = `qimen:${report.operator ?? customerId}`;
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
            message: `Qimen WMS reports ${status} for parcel ${task.parcelId}: ${report.detail ?? 'no detail'}`,
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
        const report = readLackReport(root);
        const warehouses = await warehouseForQimen(db, { customerId, warehouseCode: report.warehouseCode });
        const task = await parcelFor(report.deliveryOrderCode, warehouses);
        const lines = report.items.map((item, i) => {
          const sku = item.itemCode;
          const qty = Number(item.lackQty);
          if (!sku || !Number.isInteger(qty) || qty < 1) {
            throw new Refused(
              'invalid-item',
              `items.item[${i}] needs an itemCode and a whole lackQty of at least 1`,
            );
          }
          const lineNo = Number(item.orderLineNo);
          return {
            sku,
            qty,
            reason: item.reason ?? '缺货',
            ...(Number.isInteger(lineNo) && lineNo > 0 ? { lineNo } : {}),
          };
        });
        if (lines.length === 0) throw new Refused('invalid-item', 'the report lists no items');
        return reportShortage(db, {
          key: keyOf(report.outBizCode ?? `lack:${task.parcelId}`),
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
        xml: qimenAnswer(ok, code, message),
      });
      const opened = openQimenCallback(callback, deps.secret, deps.now?.() ?? new Date());
      if (!opened.ok) return answer(false, opened.code, opened.message);
      const { method, customerId, root } = opened;
      try {
        const result = await apply(method, customerId, root);
        return answer(true, '0', result.replayed ? 'already recorded' : 'ok', result.events);
      } catch (err) {
        if (err instanceof Refused) return answer(false, err.code, err.message);
        if (isStockError(err)) {
          await raiseAlert(db, {
            shopId: null,
            kind: 'wms_report_rejected',
            message: `Qimen ${method} from ${customerId} refused: ${err.message}`,
          });
          return answer(false, err.code, err.message);
        }
        throw err;
      }
    },
  };
}

export type QimenReceiver = ReturnType<typeof createQimenReceiver>;
