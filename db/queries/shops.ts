import { sql, type Selectable, type Updateable } from 'kysely';
import type { Db } from '../connect.js';
import type { ShopsTable } from '../schema.js';

export type ShopRow = Selectable<ShopsTable>;

export async function findShop(db: Db, shopId: string) {
  return db.selectFrom('shops').selectAll().where('id', '=', shopId).executeTakeFirst();
}

export async function listShops(
  db: Db,
  filter: {
    platform?: string;
    /** Only these shops' rows (a user limited to shops); an empty list matches none. */
    shopIds?: readonly string[];
  } = {},
) {
  let query = db.selectFrom('shops').selectAll().orderBy('created_at').orderBy('id');
  if (filter.platform) query = query.where('platform', '=', filter.platform);
  if (filter.shopIds) query = query.where(sql<boolean>`id = any(${[...filter.shopIds]}::text[])`);
  return query.execute();
}

export interface NewShop {
  id: string;
  platform: string;
  name: string;
  platformShopId: string;
  baseUrl: string | null;
  credentialsEncrypted: string | null;
  pollIntervalSeconds: number;
  syncEnabled: boolean;
  settings: Record<string, unknown>;
}

/** Inserts the shop; undefined when a shop with that id already exists. */
export async function insertShop(db: Db, shop: NewShop): Promise<ShopRow | undefined> {
  return db
    .insertInto('shops')
    .values({
      id: shop.id,
      platform: shop.platform,
      name: shop.name,
      platform_shop_id: shop.platformShopId,
      base_url: shop.baseUrl,
      credentials_encrypted: shop.credentialsEncrypted,
      poll_interval_seconds: shop.pollIntervalSeconds,
      sync_enabled: shop.syncEnabled,
      settings: JSON.stringify(shop.settings),
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .returningAll()
    .executeTakeFirst();
}

export type ShopChanges = Omit<Updateable<ShopsTable>, 'id' | 'platform' | 'created_at'>;

export async function updateShop(db: Db, shopId: string, changes: ShopChanges) {
  return db
    .updateTable('shops')
    .set({ ...changes, updated_at: new Date() })
    .where('id', '=', shopId)
    .returningAll()
    .executeTakeFirst();
}

/**
 * The shop's sync progress: shown by the shops API, and where a sync that starts afresh resumes
 * (the running workflow holds the live cursor).
 */
export async function recordSyncProgress(
  db: Db,
  shopId: string,
  progress: { cursor?: string | null; syncedAt?: Date; error?: string | null },
): Promise<void> {
  await db
    .updateTable('shops')
    .set({
      ...(progress.cursor !== undefined ? { sync_cursor: progress.cursor } : {}),
      ...(progress.syncedAt ? { last_synced_at: progress.syncedAt } : {}),
      ...(progress.error !== undefined ? { sync_error: progress.error } : {}),
    })
    .where('id', '=', shopId)
    .execute();
}

/**
 * Remembers a webhook delivery id. True the first time; false for a redelivery, which the caller
 * answers at once without doing the work again.
 */
export async function rememberDelivery(
  db: Db,
  input: { shopId: string; platform: string; deliveryId: string },
): Promise<boolean> {
  const row = await db
    .insertInto('webhook_deliveries')
    .values({ shop_id: input.shopId, platform: input.platform, delivery_id: input.deliveryId })
    .onConflict((oc) => oc.columns(['shop_id', 'delivery_id']).doNothing())
    .returning('delivery_id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Forgets a delivery whose handling failed, so the platform's retry is not mistaken for a repeat. */
export async function forgetDelivery(db: Db, input: { shopId: string; deliveryId: string }): Promise<void> {
  await db
    .deleteFrom('webhook_deliveries')
    .where('shop_id', '=', input.shopId)
    .where('delivery_id', '=', input.deliveryId)
    .execute();
}

/** Drops delivery ids older than platforms redeliver (Shopify retries for 48 hours). */
export async function pruneDeliveries(db: Db, olderThan: Date): Promise<number> {
  const result = await db
    .deleteFrom('webhook_deliveries')
    .where('received_at', '<', olderThan)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Keeps the newest snapshot of an order that cannot be taken in yet (see parked_orders). */
export async function parkOrder(
  db: Db,
  input: {
    shopId: string;
    platformOrderId: string;
    reason: string;
    currency: string;
    modifiedAt: string;
    snapshot: Record<string, unknown>;
  },
): Promise<void> {
  await db
    .insertInto('parked_orders')
    .values({
      shop_id: input.shopId,
      platform_order_id: input.platformOrderId,
      reason: input.reason,
      currency: input.currency,
      modified_at: input.modifiedAt,
      snapshot: JSON.stringify(input.snapshot),
    })
    .onConflict((oc) =>
      oc
        .columns(['shop_id', 'platform_order_id'])
        .doUpdateSet((eb) => ({
          reason: eb.ref('excluded.reason'),
          currency: eb.ref('excluded.currency'),
          modified_at: eb.ref('excluded.modified_at'),
          snapshot: eb.ref('excluded.snapshot'),
        }))
        .where('parked_orders.modified_at', '<=', sql<Date>`excluded.modified_at`),
    )
    .execute();
}

export async function listParkedOrders(
  db: Db,
  filter: { shopId?: string; currency?: string; limit: number },
) {
  let query = db.selectFrom('parked_orders').selectAll().orderBy('parked_at').limit(filter.limit);
  if (filter.shopId) query = query.where('shop_id', '=', filter.shopId);
  if (filter.currency) query = query.where('currency', '=', filter.currency);
  return query.execute();
}

export async function countParkedOrders(db: Db, shopId: string): Promise<number> {
  const row = await db
    .selectFrom('parked_orders')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('shop_id', '=', shopId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Removes a parked order once taken in, unless a newer snapshot was parked meanwhile. */
export async function unparkOrder(
  db: Db,
  input: { shopId: string; platformOrderId: string; modifiedAt: Date },
): Promise<void> {
  await db
    .deleteFrom('parked_orders')
    .where('shop_id', '=', input.shopId)
    .where('platform_order_id', '=', input.platformOrderId)
    .where('modified_at', '<=', input.modifiedAt)
    .execute();
}

/** Platform modified times of the orders we already hold, to skip unchanged ones. */
export async function storedModifiedTimes(db: Db, orderIds: readonly string[]): Promise<Map<string, number>> {
  if (orderIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('orders')
    .select(['id', 'platform_modified_at'])
    .where('id', 'in', [...orderIds])
    .execute();
  return new Map(rows.map((r) => [r.id, r.platform_modified_at.getTime()]));
}
