import type { Db } from '../../db/connect.js';
import { loadWave, shipParcel } from '../../db/queries/wms.js';
import type { CancelTaskInput, CreateWaveInput, WmsAdapter } from '../../domain/wms/adapter.js';
import { asActivity } from '../stock/failures.js';
import { createBuiltInWms } from './built-in.js';

export { createBuiltInWms } from './built-in.js';

export interface WmsActivityDeps {
  db: Db;
  /** An external WMS; the built-in one when absent. */
  wms?: WmsAdapter;
}

/** Activities the wave and shipment workflows call. Confirmations arrive through the API, not here. */
export function createWmsActivities({ db, wms = createBuiltInWms(db) }: WmsActivityDeps) {
  return {
    /** Pick list and pack tasks for the wave's parcels (formed with `formParcels`). Idempotent by wave id. */
    async createWave(input: CreateWaveInput) {
      return asActivity(() => wms.createWave(input));
    },

    async cancelPackTask(input: CancelTaskInput) {
      return asActivity(() => wms.cancelTask(input));
    },

    /** The parcel went to the carrier: its units leave the stock. */
    async shipParcel(input: { key: string; parcelId: string; actor?: string; waybill?: string }) {
      return asActivity(() => shipParcel(db, { ...input, actor: input.actor ?? 'system' }));
    },

    async loadWave(input: { waveId: string }) {
      const wave = await loadWave(db, input.waveId);
      return wave ? { ...wave, createdAt: wave.createdAt.toISOString() } : null;
    },
  };
}

export type WmsActivities = ReturnType<typeof createWmsActivities>;
