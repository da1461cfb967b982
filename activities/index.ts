import type { Config } from '../config/index.js';
import type { Db } from '../db/connect.js';
import { createOrderAuditActivities } from './order-audit.js';
import { createOrderProjectionActivities } from './order-projection.js';

export interface ActivityDeps {
  db: Db;
  config: Config;
}

/** Every activity the worker registers, built once over injected dependencies. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createOrderProjectionActivities(deps),
    ...createOrderAuditActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
