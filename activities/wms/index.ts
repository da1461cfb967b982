import type { Config } from '../../config/index.js';
import type { Db } from '../../db/connect.js';
import { StockError } from '../../domain/stock/errors.js';
import { loadWaveContents } from '../../db/queries/waves.js';
import { parcelLineUnits, recordedParcelEvents, writeOffLostParcel } from '../../db/queries/wms.js';
import type { NormalizedOrder } from '../../domain/order.js';
import { dataKeyring } from '../../db/crypto/data-keys.js';
import type { CancelTaskInput, WaveOrderRef, WmsAdapter } from '../../domain/wms/adapter.js';
import type { WaveEntry } from '../../workflows/messages.js';
import { asActivity } from '../stock/failures.js';
import { keepAlive } from '../keep-alive.js';
import { createWmsRegistry, type WmsRegistry } from '../../services/wms/registry.js';

export { createBuiltInWms } from '../../services/wms/built-in.js';
export { createWmsRegistry, type WmsRegistry } from '../../services/wms/registry.js';

export interface WmsActivityDeps {
  db: Db;
  /** Qimen credentials and endpoints; without them every warehouse uses the built-in WMS. */
  config?: Config;
  /** One WMS for every warehouse, in place of each warehouse's own (tests). */
  wms?: WmsAdapter;
  registry?: WmsRegistry;
}

/**
 * Activities the wave and shipment workflows call. Each goes to the WMS of the warehouse (or of the
 * wave the parcel was released in); the warehouse's confirmations arrive through the API.
 */
export function createWmsActivities(deps: WmsActivityDeps) {
  const registry =
    deps.registry ??
    createWmsRegistry({
      db: deps.db,
      ...(deps.config ? { config: deps.config } : {}),
      ...(deps.wms ? { override: deps.wms } : {}),
    });
  const ofParcel = async (parcelId: string) => {
    const wms = await registry.forParcel(parcelId);
    if (!wms) throw new StockError('not_found', `no parcel "${parcelId}"`, 'parcelId');
    return wms;
  };
  return {
    /**
     * Hands a formed wave's parcels (stored by `formWave`) to the warehouse's WMS: a pick list and
     * pack tasks, or one delivery order per parcel. Idempotent by wave id. Answers with counts.
     */
    async createWave(input: { waveId: string; warehouse: string; actor?: string }) {
      // Heartbeats: a slow WMS or database is waited for, a dead worker's attempt is retried soon.
      return asActivity(() =>
        keepAlive(async () => {
          // The wave's stored receivers are sealed (db/crypto/receivers.ts): opening them needs the keys.
          if (!deps.config) throw new Error('createWave needs the configuration (DATA_KEYS)');
          const ring = dataKeyring(deps.config);
          const { parcels, entries } = await loadWaveContents<WaveEntry>(deps.db, ring, input.waveId);
          // An external WMS prints the receivers on its delivery orders; the built-in one ignores them.
          const orders: WaveOrderRef[] = entries.map(({ ref }) => ({
            orderId: ref.orderId,
            platform: ref.platform,
            shopId: ref.shopId,
            platformOrderId: ref.platformOrderId,
            receiver: ref.receiver,
            ...(ref.buyerRemark ? { buyerRemark: ref.buyerRemark } : {}),
            paidAt: ref.paidAt ?? null,
          }));
          const wms = await registry.forWarehouse(input.warehouse);
          const wave = await wms.createWave({ ...input, parcels, orders });
          // Counts, not the lists: a 5,000-order wave's pick list is megabytes, more than an activity
          // result may carry, and the workflow reads it from the WMS when it needs it.
          return {
            waveId: wave.waveId,
            warehouse: wave.warehouse,
            created: wave.created,
            pickLines: wave.pickList.length,
            packTasks: wave.packTasks.length,
          };
        }),
      );
    },

    async cancelPackTask(input: CancelTaskInput) {
      return asActivity(async () => (await ofParcel(input.parcelId)).cancelTask(input));
    },

    /**
     * What the warehouse confirmed for a parcel before its shipment started (the crew picked as soon
     * as the pick list showed): the shipment takes these at its start, the later ones by signal.
     */
    async recordedParcelEvents(input: { parcelId: string; waveId: string }) {
      return asActivity(() => recordedParcelEvents(deps.db, input));
    },

    /** The parcel went to the carrier: its units leave the stock. */
    async shipParcel(input: { key: string; parcelId: string; actor?: string; waybill?: string }) {
      return asActivity(async () =>
        (await ofParcel(input.parcelId)).markShipped({ ...input, actor: input.actor ?? 'system' }),
      );
    },

    /** A parcel the carrier lost: this order's units in it are written off through the ledger, once. */
    async writeOffLostParcel(input: {
      key: string;
      orderId: string;
      parcelId: string;
      actor: string;
      reason: string;
    }) {
      return asActivity(() => writeOffLostParcel(deps.db, input));
    },

    /** The units of each order line a parcel carried (a line split across parcels: only this one's). */
    async lostParcelLineUnits(input: {
      orderId: string;
      parcelId: string;
      order: Pick<NormalizedOrder, 'platform' | 'shopId' | 'lines'>;
    }) {
      return asActivity(() => parcelLineUnits(deps.db, input));
    },

    async loadWave(input: { waveId: string }) {
      const wms = await registry.forWave(input.waveId);
      const wave = await wms?.loadWave(input.waveId);
      return wave ? { ...wave, createdAt: wave.createdAt.toISOString() } : null;
    },
  };
}

export type WmsActivities = ReturnType<typeof createWmsActivities>;
