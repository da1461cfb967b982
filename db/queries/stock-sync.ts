import { sql } from 'kysely';
import {
  DEFAULT_POLICY,
  stockSkusOf,
  type BundleComponents,
  type ShopStockPolicy,
  type WarehouseStock,
} from '../../domain/stock-sync/quantity.js';
import type { Db } from '../connect.js';
import type { Executor } from './stock.js';

/**
 * Stock sync's tables: listings (what each shop sells and where its upload stands), the shops'
 * share rules, and the marks the ledger trigger leaves (migration 0800). A listing needs an upload
 * while `dirty_seq > synced_seq`; claiming a shop's marks bumps `dirty_seq` of its listings of those
 * SKUs, and an upload records the `dirty_seq` it read as `synced_seq`, so a change that lands while
 * an upload is in flight leaves the listing dirty for the next pass.
 */

export interface ListingInput {
  shopId: string;
  skuCode: string;
  itemId?: string | null;
  skuId: string;
  extra?: Record<string, string>;
}

/** The listing's key within its shop: the platform's item and SKU ids together. */
export function listingKeyOf(input: {
  itemId?: string | null;
  skuId: string;
  extra?: Record<string, string>;
}) {
  const location = input.extra?.['locationId'];
  return `${input.itemId ?? ''}:${input.skuId}${location ? `@${location}` : ''}`;
}

/** Adds or replaces a listing; saving one again clears a refusal and queues an upload. */
export async function saveListing(db: Executor, input: ListingInput) {
  const key = listingKeyOf(input);
  return db
    .insertInto('stock_listings')
    .values({
      shop_id: input.shopId,
      listing_key: key,
      sku_code: input.skuCode,
      item_id: input.itemId ?? null,
      sku_id: input.skuId,
      extra: JSON.stringify(input.extra ?? {}),
    })
    .onConflict((oc) =>
      oc.columns(['shop_id', 'listing_key']).doUpdateSet({
        sku_code: sql`excluded.sku_code`,
        extra: sql`excluded.extra`,
        dirty_seq: sql`stock_listings.dirty_seq + 1`,
        status: 'pending',
        refusal: null,
        refused_at: null,
        updated_at: new Date(),
      }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
}

export interface RuleInput {
  shopId: string;
  /** Omitted: the shop's default. */
  skuCode?: string;
  warehouses?: string[] | null;
  share: ShopStockPolicy['share'];
  safetyStock?: number;
}

/** Sets a share rule and queues an upload of every listing it may change. */
export async function saveRule(db: Db, input: RuleInput): Promise<void> {
  const sku = input.skuCode ?? '*';
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('stock_sync_rules')
      .values({
        shop_id: input.shopId,
        sku_code: sku,
        warehouses: input.warehouses ?? null,
        share_kind: input.share.kind,
        share_percent: input.share.kind === 'ratio' ? input.share.percent : null,
        fixed_qty: input.share.kind === 'fixed' ? input.share.qty : null,
        safety_stock: input.safetyStock ?? 0,
      })
      .onConflict((oc) =>
        oc.columns(['shop_id', 'sku_code']).doUpdateSet({
          warehouses: sql`excluded.warehouses`,
          share_kind: sql`excluded.share_kind`,
          share_percent: sql`excluded.share_percent`,
          fixed_qty: sql`excluded.fixed_qty`,
          safety_stock: sql`excluded.safety_stock`,
          updated_at: new Date(),
        }),
      )
      .execute();
    let listings = trx
      .updateTable('stock_listings')
      .set({ dirty_seq: sql`dirty_seq + 1` })
      .where('shop_id', '=', input.shopId)
      .where('status', '<>', 'refused');
    if (sku !== '*') listings = listings.where('sku_code', '=', sku);
    await listings.execute();
  });
}

/**
 * Takes the shop's marks left by ledger movements and turns them into dirty listings, in one
 * transaction. Returns how many marks it took (a burst of thousands becomes one bump per SKU).
 */
export async function claimMarks(db: Db, shopId: string): Promise<{ marks: number; skus: number }> {
  return db.transaction().execute(async (trx) => {
    const taken = await trx
      .deleteFrom('stock_sync_marks')
      .where('shop_id', '=', shopId)
      .returning('sku_code')
      .execute();
    const skus = [...new Set(taken.map((t) => t.sku_code))];
    if (skus.length) {
      await trx
        .updateTable('stock_listings')
        .set({ dirty_seq: sql`dirty_seq + 1` })
        .where('shop_id', '=', shopId)
        .where('sku_code', 'in', skus)
        .execute();
    }
    return { marks: taken.length, skus: skus.length };
  });
}

export type ListingRow = Awaited<ReturnType<typeof pendingListings>>[number];

/** Listings waiting for an upload (refused ones wait for a person), oldest change first. */
export async function pendingListings(db: Executor, shopId: string, limit: number) {
  return db
    .selectFrom('stock_listings')
    .selectAll()
    .where('shop_id', '=', shopId)
    .where('status', '<>', 'refused')
    .where(sql<boolean>`dirty_seq > synced_seq`)
    .orderBy('updated_at')
    .orderBy('listing_key')
    .limit(limit)
    .execute();
}

/** Every listing of the shop not refused, for reconciliation, in key order from `after`. */
export async function listingsToReconcile(db: Executor, shopId: string, after: string, limit: number) {
  return db
    .selectFrom('stock_listings')
    .selectAll()
    .where('shop_id', '=', shopId)
    .where('status', '<>', 'refused')
    .where('listing_key', '>', after)
    .orderBy('listing_key')
    .limit(limit)
    .execute();
}

/** Everything the quantities of these SKUs depend on, for the shop: its rules, bundles and stock. */
export async function quantityInputs(db: Executor, shopId: string, skus: readonly string[]) {
  const wanted = [...new Set(skus)];
  const rules = await db
    .selectFrom('stock_sync_rules')
    .selectAll()
    .where('shop_id', '=', shopId)
    .where('sku_code', 'in', ['*', ...wanted])
    .execute();
  const componentRows = wanted.length
    ? await db
        .selectFrom('sku_components')
        .select(['bundle_code', 'component_code', 'qty'])
        .where('bundle_code', 'in', wanted)
        .execute()
    : [];
  const bundles = new Map<string, { sku: string; qty: number }[]>();
  for (const row of componentRows) {
    const list = bundles.get(row.bundle_code) ?? [];
    list.push({ sku: row.component_code, qty: row.qty });
    bundles.set(row.bundle_code, list);
  }
  const stockSkus = [...new Set(wanted.flatMap((s) => stockSkusOf(s, bundles as BundleComponents)))];
  const stock: WarehouseStock[] = stockSkus.length
    ? (
        await db
          .selectFrom('stock')
          .innerJoin('warehouses', 'warehouses.code', 'stock.warehouse_code')
          .select(['stock.warehouse_code', 'stock.sku_code', 'stock.on_hand', 'stock.reserved'])
          .where('stock.sku_code', 'in', stockSkus)
          .where('warehouses.active', '=', true)
          .execute()
      ).map((r) => ({
        warehouse: r.warehouse_code,
        sku: r.sku_code,
        onHand: r.on_hand,
        reserved: r.reserved,
      }))
    : [];
  const byKey = new Map(rules.map((r) => [r.sku_code, r]));
  const toPolicy = (r: (typeof rules)[number] | undefined, fallback: ShopStockPolicy): ShopStockPolicy =>
    r
      ? {
          warehouses: r.warehouses ?? fallback.warehouses,
          share:
            r.share_kind === 'fixed'
              ? { kind: 'fixed', qty: r.fixed_qty ?? 0 }
              : { kind: 'ratio', percent: r.share_percent ?? 100 },
          safetyStock: r.safety_stock,
        }
      : fallback;
  const shopDefault = toPolicy(byKey.get('*'), DEFAULT_POLICY);
  const policyOf = (sku: string) => toPolicy(byKey.get(sku), shopDefault);
  return { stock, bundles: bundles as BundleComponents, policyOf };
}

export interface UploadRecord {
  shopId: string;
  listingKey: string;
  /** The `dirty_seq` read before the quantity was computed. */
  seq: string;
  quantity: number;
  /** False when the platform already had this quantity from us: no call was made. */
  sent: boolean;
  at: Date;
}

export async function recordUpload(db: Executor, r: UploadRecord): Promise<void> {
  await db
    .updateTable('stock_listings')
    .set({
      synced_seq: r.seq,
      status: 'synced',
      computed_qty: r.quantity,
      ...(r.sent ? { last_sent_qty: r.quantity, last_sent_at: r.at, calls: sql`calls + 1` } : {}),
      updated_at: r.at,
    })
    .where('shop_id', '=', r.shopId)
    .where('listing_key', '=', r.listingKey)
    .execute();
}

export async function recordRefusal(
  db: Executor,
  r: { shopId: string; listingKey: string; seq: string; quantity: number; reason: string; at: Date },
): Promise<void> {
  await db
    .updateTable('stock_listings')
    .set({
      synced_seq: r.seq,
      status: 'refused',
      computed_qty: r.quantity,
      refusal: r.reason,
      refused_at: r.at,
      calls: sql`calls + 1`,
      updated_at: r.at,
    })
    .where('shop_id', '=', r.shopId)
    .where('listing_key', '=', r.listingKey)
    .execute();
}

export async function recordPlatformQuantity(
  db: Executor,
  r: { shopId: string; listingKey: string; quantity: number; at: Date },
): Promise<void> {
  await db
    .updateTable('stock_listings')
    .set({ platform_qty: r.quantity, platform_read_at: r.at })
    .where('shop_id', '=', r.shopId)
    .where('listing_key', '=', r.listingKey)
    .execute();
}

/** Forces an upload of a listing at the next pass (reconciliation found the platform drifted). */
export async function markDrifted(db: Executor, shopId: string, listingKey: string): Promise<void> {
  await db
    .updateTable('stock_listings')
    .set({ dirty_seq: sql`dirty_seq + 1`, last_sent_qty: null })
    .where('shop_id', '=', shopId)
    .where('listing_key', '=', listingKey)
    .execute();
}

export interface SyncStateFilter {
  shopId?: string;
  /** Only these shops' rows (a user limited to shops); an empty list matches none. */
  shopIds?: readonly string[];
  sku?: string;
  status?: string;
  limit: number;
  offset?: number;
}

export async function listSyncState(db: Executor, filter: SyncStateFilter) {
  let query = db
    .selectFrom('stock_listings')
    .selectAll()
    .orderBy('shop_id')
    .orderBy('sku_code')
    .orderBy('listing_key')
    .limit(filter.limit)
    .offset(filter.offset ?? 0);
  if (filter.shopId) query = query.where('shop_id', '=', filter.shopId);
  if (filter.shopIds) query = query.where(sql<boolean>`shop_id = any(${[...filter.shopIds]}::text[])`);
  if (filter.sku) query = query.where('sku_code', '=', filter.sku);
  if (filter.status) query = query.where('status', '=', filter.status);
  return query.execute();
}

/** Shops with at least one listing: the ones a stock sync runs for. */
export async function shopsWithListings(db: Executor): Promise<string[]> {
  const rows = await db.selectFrom('stock_listings').select('shop_id').distinct().execute();
  return rows.map((r) => r.shop_id);
}
