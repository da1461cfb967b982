import path from 'node:path';
import type { Db } from '../../db/connect.js';
import { seedCarrierAccounts } from './demo-carriers.js';
import { seedDemoData, type DemoDataOptions } from './demo-data.js';
import { ensureDevKey, type DevKey } from './demo-keys.js';
import { seedWarehouses } from './demo-warehouses.js';

export interface DevSeed {
  /** The person's key: every role. */
  admin: DevKey;
  /** The warehouse robot's key: the warehouse role only. */
  robot: DevKey;
  /** The shops the demo registered (one per sandbox platform, or the own-store demo shop). */
  shopIds: string[];
}

/**
 * Everything `npm run dev` needs before orders can flow end to end, safe to run on every start:
 * the catalogue and demo shops, three stocked warehouses, each shop's carrier accounts, an admin
 * key for the person and a warehouse key for the robot (both kept in DATA_DIR).
 */
export async function seedDevStack(db: Db, options: DemoDataOptions): Promise<DevSeed> {
  await seedDemoData(db, options);
  await seedWarehouses(db);
  const shopIds = options.sandboxShops?.map((s) => s.id) ?? ['demo-shop'];
  await seedCarrierAccounts(db, shopIds);
  const dataDir = path.resolve(options.config.DATA_DIR);
  const admin = await ensureDevKey(db, {
    dataDir,
    file: 'admin-api-key',
    username: 'admin',
    displayName: 'Administrator',
    roles: ['admin'],
  });
  const robot = await ensureDevKey(db, {
    dataDir,
    file: 'warehouse-robot-api-key',
    username: 'warehouse-robot',
    displayName: 'Simulated warehouse crew',
    roles: ['warehouse'],
  });
  return { admin, robot, shopIds };
}
