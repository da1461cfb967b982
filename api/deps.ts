import type { Client } from '@temporalio/client';
import type { Config } from '../config/index.js';
import type { Db } from '../db/connect.js';

/** What every route module is given by `buildServer`: route modules never import the server. */
export interface ApiDeps {
  db: Db;
  temporal: Client;
  config: Config;
}
