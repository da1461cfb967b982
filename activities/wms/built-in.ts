import type { Db } from '../../db/connect.js';
import { cancelPackTask, confirmPack, confirmPick, createWave } from '../../db/queries/wms.js';
import type { WmsAdapter } from '../../domain/wms/adapter.js';

/** The WMS that ships with the system: waves, pick lists, pack tasks and confirmations in Postgres. */
export function createBuiltInWms(db: Db): WmsAdapter {
  return {
    createWave: (input) => createWave(db, input),
    confirmPick: (input) => confirmPick(db, input),
    confirmPack: (input) => confirmPack(db, input),
    cancelTask: (input) => cancelPackTask(db, input),
  };
}
