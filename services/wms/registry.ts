import type { Config } from '../../config/index.js';
import type { Db } from '../../db/connect.js';
import { findWarehouse } from '../../db/queries/stock.js';
import { findWarehouseWms, wmsOfParcel, wmsOfWave } from '../../db/queries/wms-external.js';
import { StockError } from '../../domain/stock/errors.js';
import type { WmsAdapter } from '../../domain/wms/adapter.js';
import { QimenWarehouseSettingsSchema } from '../../domain/wms/systems.js';
import { createBuiltInWms } from './built-in.js';
import { createQimenWms } from './qimen/adapter.js';
import {
  createQimenClient,
  type QimenClient,
  type QimenCredentials,
} from '../../integrations/wms/qimen/client.js';
import { createQimenReceiver, type QimenReceiver } from './qimen/receiver.js';

export interface WmsRegistry {
  /** The WMS running this warehouse: its `warehouse_wms` row, or the built-in one. */
  forWarehouse(warehouse: string): Promise<WmsAdapter>;
  /** The WMS a wave was released to (undefined: no such wave). */
  forWave(waveId: string): Promise<WmsAdapter | undefined>;
  /** The WMS holding a parcel (undefined: no such parcel). */
  forParcel(parcelId: string): Promise<WmsAdapter | undefined>;
  /** Handles reports from Qimen WMSs; undefined when Qimen is not configured. */
  qimenReceiver(): QimenReceiver | undefined;
}

export function qimenCredentials(config: Config): QimenCredentials | undefined {
  if (!config.QIMEN_BASE_URL || !config.QIMEN_APP_KEY || !config.QIMEN_APP_SECRET) return undefined;
  return { baseUrl: config.QIMEN_BASE_URL, appKey: config.QIMEN_APP_KEY, secret: config.QIMEN_APP_SECRET };
}

/**
 * Chooses the WMS per warehouse, from the warehouse's row, on every call: a warehouse switched to
 * another system takes effect for the next wave, and waves already released stay with the system
 * they went to. `override` puts one adapter in front of every warehouse (tests, a single-WMS setup).
 */
export function createWmsRegistry(deps: {
  db: Db;
  config?: Config;
  fetch?: typeof fetch;
  override?: WmsAdapter;
}): WmsRegistry {
  const { db } = deps;
  const builtIn = createBuiltInWms(db);
  const credentials = deps.config ? qimenCredentials(deps.config) : undefined;
  let client: QimenClient | undefined;
  const qimenClient = () =>
    (client ??= credentials
      ? createQimenClient(credentials, deps.fetch ? { fetch: deps.fetch } : {})
      : undefined);

  async function forWarehouse(warehouse: string): Promise<WmsAdapter> {
    if (deps.override) return deps.override;
    const row = await findWarehouseWms(db, warehouse);
    if (!row || row.kind === 'built_in') return builtIn;
    const qimen = qimenClient();
    if (!qimen) {
      throw new StockError(
        'conflict',
        `warehouse ${warehouse} is run by a Qimen WMS, but QIMEN_BASE_URL, QIMEN_APP_KEY and QIMEN_APP_SECRET are not configured`,
      );
    }
    const info = await findWarehouse(db, warehouse);
    return createQimenWms({
      db,
      client: qimen,
      warehouse: { code: warehouse, name: info?.name ?? warehouse, province: info?.province ?? '' },
      settings: QimenWarehouseSettingsSchema.parse(row.settings),
    });
  }

  // A released wave stays with the system it went to (a warehouse cannot switch with waves open).
  const forReleased = async (found: { warehouse: string; kind: string } | undefined) => {
    if (!found) return undefined;
    if (found.kind === 'built_in') return deps.override ?? builtIn;
    return forWarehouse(found.warehouse);
  };

  return {
    forWarehouse,
    forWave: async (waveId) => forReleased(await wmsOfWave(db, waveId)),
    forParcel: async (parcelId) => forReleased(await wmsOfParcel(db, parcelId)),
    qimenReceiver() {
      const qimen = qimenClient();
      return credentials && qimen
        ? createQimenReceiver({ db, secret: credentials.secret, client: qimen })
        : undefined;
    },
  };
}
