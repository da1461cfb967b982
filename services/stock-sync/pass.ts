import type { Db } from '../../db/connect.js';
import { raiseAlert, resolveAlerts } from '../../db/queries/alerts.js';
import {
  claimMarks,
  listingsToReconcile,
  markDrifted,
  pendingListings,
  quantityInputs,
  recordPlatformQuantity,
  recordRefusal,
  recordUpload,
  type ListingRow,
} from '../../db/queries/stock-sync.js';
import { sellableQuantity } from '../../domain/stock-sync/quantity.js';
import { RequestRejectedError } from '../../integrations/platforms/errors.js';
import {
  MissingListingFieldError,
  type StockListing,
  type StockUploader,
} from '../../integrations/platforms/stock.js';

/**
 * One pass of a shop's stock sync and one reconciliation, over a platform's `StockUploader`. The
 * activities bind them to Temporal (heartbeats, failure types); the state they work from and leave
 * is in the database, so a pass cut short by a crash or a rate limit is simply run again.
 */

export interface PassDeps {
  db: Db;
  uploader: StockUploader;
  now?: () => Date;
  /** Waits between platform calls to keep the platform's pace; heartbeats go here too. */
  pace?: (ms: number) => Promise<void>;
}

export interface PassResult {
  /** Ledger marks taken (one per movement × listed SKU). */
  marks: number;
  /** Listings whose quantity was computed. */
  checked: number;
  /** Platform calls made. */
  sent: number;
  /** Listings the platform took a new quantity for (more than calls where it takes many per call). */
  uploaded: number;
  refused: { listingKey: string; reason: string }[];
  /** More listings wait: run another pass at once. */
  more: boolean;
}

const toListing = (row: ListingRow): StockListing => ({
  ...(row.item_id ? { itemId: row.item_id } : {}),
  skuId: row.sku_id,
  ...(Object.keys(row.extra).length ? { extra: row.extra } : {}),
});

function pacer(deps: PassDeps) {
  const interval = 1000 / Math.max(0.01, deps.uploader.limits.callsPerSecond);
  let last = 0;
  return async () => {
    const wait = last + interval - Date.now();
    if (wait > 0) await (deps.pace ?? sleep)(wait);
    last = Date.now();
  };
}

/** Uploads what changed since the last pass: at most one call per listing, only when its quantity moved. */
export async function runSyncPass(deps: PassDeps, shopId: string, maxListings = 100): Promise<PassResult> {
  const { db, uploader } = deps;
  const now = deps.now ?? (() => new Date());
  const claimed = await claimMarks(db, shopId);
  const pending = await pendingListings(db, shopId, maxListings);
  // dirty_seq is read above, before the stock below: a change after this point bumps it again.
  const inputs = await quantityInputs(
    db,
    shopId,
    pending.map((l) => l.sku_code),
  );
  const wait = pacer(deps);
  const result: PassResult = {
    marks: claimed.marks,
    checked: pending.length,
    sent: 0,
    uploaded: 0,
    refused: [],
    more: false,
  };
  const toSend: { row: ListingRow; record: UploadKey; quantity: number }[] = [];
  for (const row of pending) {
    const quantity = Math.min(
      uploader.limits.maxQuantity,
      sellableQuantity(row.sku_code, inputs.stock, inputs.policyOf(row.sku_code), inputs.bundles),
    );
    const record = { shopId, listingKey: row.listing_key, seq: row.dirty_seq, quantity };
    if (row.last_sent_qty === quantity) {
      await recordUpload(db, { ...record, sent: false, at: now() });
      continue;
    }
    toSend.push({ row, record, quantity });
  }

  const refuse = async (record: UploadKey, reason: string) => {
    await recordRefusal(db, { ...record, reason, at: now() });
    result.refused.push({ listingKey: record.listingKey, reason });
  };
  const sendOne = async ({ row, record, quantity }: (typeof toSend)[number]) => {
    await wait();
    result.sent += 1;
    try {
      await uploader.setQuantity(toListing(row), quantity);
    } catch (err) {
      if (!isRefusal(err)) throw err;
      await refuse(record, err.message);
      return;
    }
    result.uploaded += 1;
    await recordUpload(db, { ...record, sent: true, at: now() });
  };

  const batch = uploader.batch;
  for (const group of batch ? groups(toSend, (u) => batch.keyOf(toListing(u.row)), batch.size) : []) {
    if (group.length < Math.max(2, batch!.minSize ?? 2)) {
      for (const update of group) await sendOne(update);
      continue;
    }
    await wait();
    result.sent += 1;
    let outcomes;
    try {
      outcomes = await batch!.set(group.map((u) => ({ listing: toListing(u.row), quantity: u.quantity })));
    } catch (err) {
      if (!isRefusal(err)) throw err;
      // The call as a whole was refused: one at a time, the platform names the listing it refuses.
      for (const update of group) await sendOne(update);
      continue;
    }
    for (const [i, update] of group.entries()) {
      const outcome = outcomes[i] ?? { ok: false, reason: 'not in the platform’s answer' };
      if (!outcome.ok) {
        await refuse(update.record, outcome.reason);
        continue;
      }
      result.uploaded += 1;
      await recordUpload(db, { ...update.record, sent: true, at: now() });
    }
  }
  if (!batch) for (const update of toSend) await sendOne(update);
  if (result.refused.length) {
    await raiseAlert(db, {
      shopId,
      kind: 'stock_sync_refused',
      message: `${uploader.platform} refused the stock of ${result.refused.map((r) => r.listingKey).join(', ')}: ${result.refused[0]!.reason}. Fix the listing and save it again (PUT /stock/listings).`,
    });
  }
  result.more = pending.length === maxListings;
  return result;
}

export interface ReconcileResult {
  checked: number;
  drifted: { listingKey: string; platform: number; expected: number }[];
  /** Key to continue from in the next call; null when the shop is done. */
  next: string | null;
}

/**
 * Reads what the platform shows for each listing, records it, and queues an upload of any listing
 * that drifted from what the ERP would show now (a seller's edit on the platform, a lost call).
 */
export async function reconcileListings(
  deps: PassDeps,
  shopId: string,
  after = '',
  maxListings = 100,
): Promise<ReconcileResult> {
  const { db, uploader } = deps;
  const now = deps.now ?? (() => new Date());
  const rows = await listingsToReconcile(db, shopId, after, maxListings);
  const wait = pacer(deps);
  const result: ReconcileResult = { checked: 0, drifted: [], next: null };
  for (const row of rows) {
    await wait();
    let platform: number;
    try {
      platform = await uploader.getQuantity(toListing(row));
    } catch (err) {
      if (!(err instanceof RequestRejectedError || err instanceof MissingListingFieldError)) throw err;
      await recordRefusal(db, {
        shopId,
        listingKey: row.listing_key,
        seq: row.dirty_seq,
        quantity: row.computed_qty ?? 0,
        reason: err.message,
        at: now(),
      });
      await raiseAlert(db, {
        shopId,
        kind: 'stock_sync_refused',
        message: `${uploader.platform} cannot read ${row.listing_key}: ${err.message}`,
      });
      continue;
    }
    result.checked += 1;
    await recordPlatformQuantity(db, { shopId, listingKey: row.listing_key, quantity: platform, at: now() });
    // Compared with the quantity the ERP would upload now, read after the platform answered.
    const inputs = await quantityInputs(db, shopId, [row.sku_code]);
    const expected = Math.min(
      uploader.limits.maxQuantity,
      sellableQuantity(row.sku_code, inputs.stock, inputs.policyOf(row.sku_code), inputs.bundles),
    );
    if (platform !== expected) {
      await markDrifted(db, shopId, row.listing_key);
      result.drifted.push({ listingKey: row.listing_key, platform, expected });
    }
  }
  result.next = rows.length === maxListings ? rows[rows.length - 1]!.listing_key : null;
  return result;
}

/** Uploads are going through again: the failing alert (if any) is resolved. */
export async function stockSyncRecovered(db: Db, shopId: string): Promise<void> {
  await resolveAlerts(db, { shopId, kinds: ['stock_sync_failing'] });
}

export async function stockSyncFailing(db: Db, shopId: string, message: string): Promise<void> {
  await raiseAlert(db, { shopId, kind: 'stock_sync_failing', message });
}

type UploadKey = { shopId: string; listingKey: string; seq: string; quantity: number };

function isRefusal(err: unknown): err is RequestRejectedError | MissingListingFieldError {
  return err instanceof RequestRejectedError || err instanceof MissingListingFieldError;
}

/** Items sharing a key, in order of first appearance, cut into runs of at most `size`. */
function groups<T>(items: T[], keyOf: (item: T) => string, size: number): T[][] {
  const byKey = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const list = byKey.get(key) ?? [];
    list.push(item);
    byKey.set(key, list);
  }
  const out: T[][] = [];
  for (const list of byKey.values())
    for (let i = 0; i < list.length; i += Math.max(1, size)) out.push(list.slice(i, i + Math.max(1, size)));
  return out;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
