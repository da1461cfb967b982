import type { Db } from '../../db/connect.js';
import {
  cancelPackTask,
  confirmPack,
  confirmPick,
  createWave,
  loadWave,
  shipParcel,
} from '../../db/queries/wms.js';
import type { WmsAdapter } from '../../domain/wms/adapter.js';

/**
 * The WMS that ships with the system: waves, pick lists in walking order, pack tasks and the
 * handhelds' confirmations, all in Postgres.
 */
export function createBuiltInWms(db: Db): WmsAdapter {
  return {
    kind: 'built_in',
    createWave: (input) => createWave(db, input),
    cancelTask: (input) => cancelPackTask(db, input),
    markShipped: (input) => shipParcel(db, input),
    loadWave: (waveId) => loadWave(db, waveId),
    handheld: {
      confirmPick: (input) => confirmPick(db, input),
      confirmPack: (input) => confirmPack(db, input),
    },
  };
}
