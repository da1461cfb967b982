import { ApplicationFailure } from '@temporalio/common';
import type { Db } from '../db/connect.js';

/** A warehouse's code, name and province; an unknown code fails for good (nothing to retry). */
export async function loadWarehouseRow(db: Db, code: string) {
  const row = await db
    .selectFrom('warehouses')
    .select(['code', 'name', 'province'])
    .where('code', '=', code)
    .executeTakeFirst();
  if (!row) {
    throw ApplicationFailure.create({
      type: 'UnknownWarehouse',
      message: `no warehouse ${code}`,
      nonRetryable: true,
    });
  }
  return row;
}
