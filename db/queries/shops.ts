import type { Db } from '../connect.js';

export async function findShop(db: Db, shopId: string) {
  return db.selectFrom('shops').selectAll().where('id', '=', shopId).executeTakeFirst();
}
