import type { Db } from '../../../db/connect.js';
import {
  packTaskStatus,
  recordWmsOrderId,
  recordWmsRefusal,
  unsentParcels,
} from '../../../db/queries/wms-external.js';
import { cancelPackTask, loadWave, recordWave, shipParcel } from '../../../db/queries/wms.js';
import { StockError } from '../../../domain/stock/errors.js';
import type { WmsAdapter } from '../../../domain/wms/adapter.js';
import type { QimenWarehouseSettings } from '../../../domain/wms/systems.js';
import { mapLimit } from '../../../domain/map-limit.js';
import { QimenRefusal, type QimenClient } from '../../../integrations/wms/qimen/client.js';
import {
  deliveryOrderCreateRequest,
  orderCancelRequest,
  QIMEN_METHODS,
} from '../../../integrations/wms/qimen/wire.js';
import { textOf } from '../../../integrations/wms/qimen/xml.js';

/**
 * A warehouse run by a WMS reached through Qimen. A wave becomes one delivery order per parcel; the
 * WMS picks and packs with its own lists and reports back through `/webhooks/wms/qimen`
 * (services/wms/qimen/receiver.ts), where its reports become the same WmsEvents the built-in WMS
 * gives. The order system keeps its own record of every parcel it sent, so stock moves the same
 * way whichever system ran the warehouse.
 */
export function createQimenWms(deps: {
  db: Db;
  client: QimenClient;
  warehouse: { code: string; name: string; province: string };
  settings: QimenWarehouseSettings;
}): WmsAdapter {
  const { db, client, settings } = deps;
  return {
    kind: 'qimen',

    async createWave(input) {
      const orders = new Map((input.orders ?? []).map((o) => [o.orderId, o]));
      const missing = input.parcels.flatMap((p) => p.orderIds).find((id) => !orders.has(id));
      if (missing) {
        throw new StockError(
          'invalid',
          `order ${missing} has no receiver in the wave: a Qimen delivery order must name one`,
          'orders',
        );
      }
      const recorded = await recordWave(db, input, 'qimen');
      // A retried activity sends only what the WMS has not accepted yet.
      const unsent = new Set(await unsentParcels(db, input.waveId));
      await mapLimit(
        input.parcels.filter((p) => unsent.has(p.id)),
        8,
        async (parcel) => {
          try {
            const response = await client.call(
              QIMEN_METHODS.deliveryOrderCreate,
              settings.customerId,
              deliveryOrderCreateRequest({
                parcel,
                orders,
                settings,
                warehouseName: deps.warehouse.name,
                warehouseProvince: deps.warehouse.province,
                now: new Date(),
              }),
            );
            await recordWmsOrderId(db, parcel.id, textOf(response, 'deliveryOrderId') ?? parcel.id);
          } catch (err) {
            if (!(err instanceof QimenRefusal)) throw err;
            await recordWmsRefusal(db, { parcelId: parcel.id, wms: 'qimen', message: err.message });
          }
        },
      );
      const wave = await loadWave(db, input.waveId);
      return { ...wave!, created: recorded.created };
    },

    async cancelTask(input) {
      const task = await packTaskStatus(db, input.parcelId);
      if (!task) throw new StockError('not_found', `no parcel "${input.parcelId}"`, 'parcelId');
      if (task.status === 'shipped') {
        throw new StockError(
          'conflict',
          `parcel ${input.parcelId} has already shipped; intercept it with the carrier`,
        );
      }
      if (task.status !== 'cancelled' && task.wms_status !== 'REJECT') {
        try {
          await client.call(
            QIMEN_METHODS.orderCancel,
            settings.customerId,
            orderCancelRequest({
              parcelId: input.parcelId,
              wmsOrderId: task.wms_order_id,
              settings,
              reason: input.reason,
            }),
          );
        } catch (err) {
          if (!(err instanceof QimenRefusal)) throw err;
          throw new StockError(
            'conflict',
            `the WMS would not cancel parcel ${input.parcelId}: ${err.message}`,
          );
        }
      }
      return cancelPackTask(db, input);
    },

    // The WMS already said the parcel left (or the carrier scanned it): only the stock moves here.
    markShipped: (input) => shipParcel(db, input),
    loadWave: (waveId) => loadWave(db, waveId),
  };
}
