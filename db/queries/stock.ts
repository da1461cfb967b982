import { sql, type Selectable, type Transaction } from 'kysely';
import type { AllocationPart, StockLevel, WarehouseProfile } from '../../domain/allocation/plan.js';
import { StockError } from '../../domain/stock/errors.js';
import {
  HOLDING_STATUSES,
  type LedgerKind,
  type ReceiptKind,
  type ReservationStatus,
} from '../../domain/stock/ledger.js';
import type { Db } from '../connect.js';
import type { Database } from '../schema.js';
import type { StockWaitsTable, WarehouseCoverageEntry } from '../tables/stock.js';

export type Executor = Db | Transaction<Database>;
type Trx = Transaction<Database>;

// ---------------------------------------------------------------------------------------------
// Warehouses

export interface WarehouseInput {
  code: string;
  name: string;
  province: string;
  regionCode?: string | null;
  coverage: WarehouseCoverageEntry[];
  capabilities: string[];
  active?: boolean;
}

export async function createWarehouse(db: Executor, input: WarehouseInput) {
  const row = await db
    .insertInto('warehouses')
    .values({
      code: input.code,
      name: input.name,
      province: input.province,
      region_code: input.regionCode ?? null,
      coverage: JSON.stringify(input.coverage),
      capabilities: input.capabilities,
      active: input.active ?? true,
    })
    .onConflict((oc) => oc.column('code').doNothing())
    .returningAll()
    .executeTakeFirst();
  if (!row) throw new StockError('conflict', `warehouse "${input.code}" already exists`, 'code');
  return row;
}

export async function updateWarehouse(
  db: Executor,
  code: string,
  patch: Partial<Omit<WarehouseInput, 'code'>>,
) {
  const row = await db
    .updateTable('warehouses')
    .set({
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.province !== undefined ? { province: patch.province } : {}),
      ...(patch.regionCode !== undefined ? { region_code: patch.regionCode } : {}),
      ...(patch.coverage !== undefined ? { coverage: JSON.stringify(patch.coverage) } : {}),
      ...(patch.capabilities !== undefined ? { capabilities: patch.capabilities } : {}),
      ...(patch.active !== undefined ? { active: patch.active } : {}),
      updated_at: new Date(),
    })
    .where('code', '=', code)
    .returningAll()
    .executeTakeFirst();
  if (!row) throw new StockError('unknown_warehouse', `no warehouse "${code}"`, 'code');
  return row;
}

export async function listWarehouses(db: Executor, options: { activeOnly?: boolean } = {}) {
  let query = db.selectFrom('warehouses').selectAll().orderBy('code');
  if (options.activeOnly) query = query.where('active', '=', true);
  return query.execute();
}

export async function findWarehouse(db: Executor, code: string) {
  return db.selectFrom('warehouses').selectAll().where('code', '=', code).executeTakeFirst();
}

/** Warehouses in the shape allocation reasons about. */
export async function warehouseProfiles(db: Executor): Promise<WarehouseProfile[]> {
  const rows = await listWarehouses(db);
  return rows.map((w) => ({
    code: w.code,
    name: w.name,
    active: w.active,
    capabilities: w.capabilities,
    coverage: w.coverage,
  }));
}

// ---------------------------------------------------------------------------------------------
// Reads

/** Available (on hand − reserved) per warehouse × SKU for the given SKUs, in active warehouses. */
export async function stockLevels(db: Executor, skus: readonly string[]): Promise<StockLevel[]> {
  if (skus.length === 0) return [];
  const rows = await db
    .selectFrom('stock')
    .innerJoin('warehouses', 'warehouses.code', 'stock.warehouse_code')
    .select(['stock.warehouse_code', 'stock.sku_code', 'stock.on_hand', 'stock.reserved'])
    .where('stock.sku_code', 'in', [...new Set(skus)])
    .where('warehouses.active', '=', true)
    .execute();
  return rows.map((r) => ({
    warehouse: r.warehouse_code,
    sku: r.sku_code,
    available: r.on_hand - r.reserved,
  }));
}

/** Active warehouses with a bin assigned to one of these SKUs: set up to stock it, stocked or not. */
export async function binAssignments(
  db: Executor,
  skus: readonly string[],
): Promise<{ warehouse: string; sku: string }[]> {
  if (skus.length === 0) return [];
  const rows = await db
    .selectFrom('bin_locations')
    .innerJoin('warehouses', 'warehouses.code', 'bin_locations.warehouse_code')
    .select(['bin_locations.warehouse_code', 'bin_locations.sku_code'])
    .distinct()
    .where('bin_locations.sku_code', 'in', [...new Set(skus)])
    .where('warehouses.active', '=', true)
    .execute();
  return rows.map((r) => ({ warehouse: r.warehouse_code, sku: r.sku_code }));
}

export interface StockFilter {
  warehouse?: string;
  sku?: string;
  /** Only rows whose available quantity is at most this. */
  maxAvailable?: number;
  limit: number;
  offset?: number;
}

export async function listStock(db: Executor, filter: StockFilter) {
  let query = db
    .selectFrom('stock')
    .select([
      'warehouse_code',
      'sku_code',
      'on_hand',
      'reserved',
      sql<number>`on_hand - reserved`.as('available'),
      'updated_at',
    ])
    .orderBy('warehouse_code')
    .orderBy('sku_code')
    .limit(filter.limit)
    .offset(filter.offset ?? 0);
  if (filter.warehouse) query = query.where('warehouse_code', '=', filter.warehouse);
  if (filter.sku) query = query.where('sku_code', '=', filter.sku);
  if (filter.maxAvailable !== undefined)
    query = query.where(sql`on_hand - reserved`, '<=', filter.maxAvailable);
  return query.execute();
}

export interface LedgerFilter {
  warehouse?: string;
  sku?: string;
  orderId?: string;
  kind?: LedgerKind;
  /** Rows with an id below this (paging newest first). */
  beforeId?: number;
  limit: number;
}

export async function listLedger(db: Executor, filter: LedgerFilter) {
  let query = db.selectFrom('stock_ledger').selectAll().orderBy('id', 'desc').limit(filter.limit);
  if (filter.warehouse) query = query.where('warehouse_code', '=', filter.warehouse);
  if (filter.sku) query = query.where('sku_code', '=', filter.sku);
  if (filter.orderId) query = query.where('order_id', '=', filter.orderId);
  if (filter.kind) query = query.where('kind', '=', filter.kind);
  if (filter.beforeId !== undefined) query = query.where('id', '<', filter.beforeId);
  return query.execute();
}

export async function reservationsOf(db: Executor, orderId: string) {
  return db
    .selectFrom('stock_reservations')
    .selectAll()
    .where('order_id', '=', orderId)
    .orderBy('id')
    .execute();
}

// ---------------------------------------------------------------------------------------------
// Idempotent operations

interface Movement {
  warehouse: string;
  sku: string;
  kind: LedgerKind;
  qty: number;
  onHandDelta: number;
  reservedDelta: number;
  orderId?: string | null;
  allocationId?: string | null;
  reference?: string | null;
  reason?: string | null;
}

export interface OperationResult<T> {
  /** True when this key had already been applied: nothing moved this time. */
  replayed: boolean;
  outcome: T;
}

/**
 * Runs `apply` at most once per key, in one transaction with the key's record. A concurrent call with
 * the same key waits for the first to commit and then replays its outcome. When `apply` throws,
 * nothing is written, not even the key, so the caller may try again.
 */
export async function runOnce<T extends object>(
  db: Db,
  key: string,
  kind: string,
  apply: (trx: Trx) => Promise<T>,
  /**
   * The outcome when it is known before `apply` runs: it is stored with the key at once, so the
   * transaction's last statement can be the one that takes a hot row lock.
   */
  known?: T,
): Promise<OperationResult<T>> {
  return db.transaction().execute(async (trx) => {
    const claimed = await trx
      .insertInto('stock_operations')
      .values({ key, kind, ...(known ? { outcome: JSON.stringify(known) } : {}) })
      .onConflict((oc) => oc.column('key').doNothing())
      .returning('key')
      .executeTakeFirst();
    if (!claimed) {
      const previous = await trx
        .selectFrom('stock_operations')
        .select(['kind', 'outcome'])
        .where('key', '=', key)
        .executeTakeFirstOrThrow();
      if (previous.kind !== kind) {
        throw new StockError(
          'conflict',
          `key "${key}" was already used for a ${previous.kind} operation`,
          'key',
        );
      }
      return { replayed: true, outcome: previous.outcome as T };
    }
    const outcome = await apply(trx);
    if (!known) {
      await trx
        .updateTable('stock_operations')
        .set({ outcome: JSON.stringify(outcome) })
        .where('key', '=', key)
        .execute();
    }
    return { replayed: false, outcome };
  });
}

async function writeLedger(trx: Trx, key: string, actor: string, movements: Movement[]): Promise<void> {
  if (movements.length === 0) return;
  await trx
    .insertInto('stock_ledger')
    .values(
      movements.map((m, i) => ({
        warehouse_code: m.warehouse,
        sku_code: m.sku,
        kind: m.kind,
        qty: m.qty,
        on_hand_delta: m.onHandDelta,
        reserved_delta: m.reservedDelta,
        order_id: m.orderId ?? null,
        allocation_id: m.allocationId ?? null,
        reference: m.reference ?? null,
        idempotency_key: movements.length === 1 ? key : `${key}#${i + 1}`,
        actor,
        reason: m.reason ?? null,
      })),
    )
    .execute();
}

async function assertKnown(trx: Executor, warehouse: string, skus: readonly { sku: string }[]) {
  const found = await findWarehouse(trx, warehouse);
  if (!found) throw new StockError('unknown_warehouse', `unknown warehouse "${warehouse}"`, 'warehouse');
  const codes = [...new Set(skus.map((l) => l.sku))];
  const known = new Set(
    (await trx.selectFrom('skus').select('code').where('code', 'in', codes).execute()).map((r) => r.code),
  );
  skus.forEach((line, i) => {
    if (!known.has(line.sku))
      throw new StockError('unknown_sku', `unknown SKU "${line.sku}"`, `lines.${i}.sku`);
  });
}

/** Sums quantities per warehouse × SKU and orders them, so row locks are always taken in one order. */
function consolidate<T extends { warehouse: string; sku: string; qty: number }>(lines: readonly T[]) {
  const map = new Map<string, { warehouse: string; sku: string; qty: number }>();
  for (const l of lines) {
    const k = `${l.warehouse}\u0000${l.sku}`;
    const existing = map.get(k);
    if (existing) existing.qty += l.qty;
    else map.set(k, { warehouse: l.warehouse, sku: l.sku, qty: l.qty });
  }
  return [...map.values()].sort((a, b) =>
    a.warehouse === b.warehouse ? (a.sku < b.sku ? -1 : 1) : a.warehouse < b.warehouse ? -1 : 1,
  );
}

export interface ReceiptInput {
  key: string;
  warehouse: string;
  kind: ReceiptKind;
  /** Purchase order, transfer note or return case number. */
  reference?: string;
  lines: { sku: string; qty: number }[];
  actor: string;
  note?: string;
}

export interface ReceiptOutcome {
  warehouse: string;
  lines: { sku: string; qty: number; onHand: number; available: number }[];
  /** Replenishment requests this receipt fulfilled. */
  fulfilledRequests: number[];
}

/** Puts received units on hand and counts them against open replenishment requests. */
export async function receiveStock(db: Db, input: ReceiptInput): Promise<OperationResult<ReceiptOutcome>> {
  return runOnce(db, input.key, 'receipt', async (trx) => {
    await assertKnown(trx, input.warehouse, input.lines);
    const lines = consolidate(input.lines.map((l) => ({ ...l, warehouse: input.warehouse })));
    const out: ReceiptOutcome['lines'] = [];
    const fulfilled: number[] = [];
    for (const line of lines) {
      const row = await trx
        .insertInto('stock')
        .values({ warehouse_code: line.warehouse, sku_code: line.sku, on_hand: line.qty })
        .onConflict((oc) =>
          oc.columns(['warehouse_code', 'sku_code']).doUpdateSet({
            on_hand: sql`stock.on_hand + excluded.on_hand`,
            updated_at: new Date(),
          }),
        )
        .returning(['on_hand', 'reserved'])
        .executeTakeFirstOrThrow();
      out.push({ sku: line.sku, qty: line.qty, onHand: row.on_hand, available: row.on_hand - row.reserved });
      const request = await trx
        .updateTable('replenishment_requests')
        .set({
          qty_received: sql`qty_received + ${line.qty}`,
          status: sql`case when qty_received + ${line.qty} >= qty_short then 'fulfilled' else 'open' end`,
          updated_at: new Date(),
        })
        .where('warehouse_code', '=', line.warehouse)
        .where('sku_code', '=', line.sku)
        .where('status', '=', 'open')
        .returning(['id', 'status'])
        .executeTakeFirst();
      if (request?.status === 'fulfilled') fulfilled.push(request.id);
    }
    await writeLedger(
      trx,
      input.key,
      input.actor,
      lines.map((l) => ({
        warehouse: l.warehouse,
        sku: l.sku,
        kind: input.kind === 'return' ? 'return_restock' : 'receipt',
        qty: l.qty,
        onHandDelta: l.qty,
        reservedDelta: 0,
        reference: input.reference ?? null,
        reason: input.note ?? `${input.kind} receipt`,
      })),
    );
    return { warehouse: input.warehouse, lines: out, fulfilledRequests: fulfilled };
  });
}

export interface AdjustmentInput {
  key: string;
  warehouse: string;
  /** Positive adds units found, negative removes units lost or damaged. */
  lines: { sku: string; delta: number }[];
  reason: string;
  actor: string;
}

/** Corrects on-hand counts. Units promised to orders cannot be adjusted away: reserved stays within on hand. */
export async function adjustStock(
  db: Db,
  input: AdjustmentInput,
): Promise<OperationResult<{ lines: { sku: string; delta: number; onHand: number }[] }>> {
  if (!input.reason.trim()) throw new StockError('invalid', 'an adjustment needs a reason', 'reason');
  return runOnce(db, input.key, 'adjust', async (trx) => {
    await assertKnown(
      trx,
      input.warehouse,
      input.lines.map((l) => ({ sku: l.sku })),
    );
    const sorted = input.lines
      .map((l, index) => ({ ...l, index }))
      .filter((l) => l.delta !== 0)
      .sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
    const out: { sku: string; delta: number; onHand: number }[] = [];
    for (const line of sorted) {
      const row =
        line.delta > 0
          ? await trx
              .insertInto('stock')
              .values({ warehouse_code: input.warehouse, sku_code: line.sku, on_hand: line.delta })
              .onConflict((oc) =>
                oc
                  .columns(['warehouse_code', 'sku_code'])
                  .doUpdateSet({ on_hand: sql`stock.on_hand + excluded.on_hand`, updated_at: new Date() }),
              )
              .returning('on_hand')
              .executeTakeFirst()
          : await trx
              .updateTable('stock')
              .set({ on_hand: sql`on_hand + ${line.delta}`, updated_at: new Date() })
              .where('warehouse_code', '=', input.warehouse)
              .where('sku_code', '=', line.sku)
              .where(sql`on_hand + ${line.delta}`, '>=', sql`reserved`)
              .returning('on_hand')
              .executeTakeFirst();
      if (!row) {
        const current = await trx
          .selectFrom('stock')
          .select(['on_hand', 'reserved'])
          .where('warehouse_code', '=', input.warehouse)
          .where('sku_code', '=', line.sku)
          .executeTakeFirst();
        throw new StockError(
          'insufficient_stock',
          `cannot remove ${-line.delta} of ${line.sku} at ${input.warehouse}: ` +
            `${current?.on_hand ?? 0} on hand, ${current?.reserved ?? 0} reserved for orders`,
          `lines.${line.index}.delta`,
        );
      }
      out.push({ sku: line.sku, delta: line.delta, onHand: row.on_hand });
    }
    await writeLedger(
      trx,
      input.key,
      input.actor,
      sorted.map((l) => ({
        warehouse: input.warehouse,
        sku: l.sku,
        kind: 'adjust',
        qty: Math.abs(l.delta),
        onHandDelta: l.delta,
        reservedDelta: 0,
        reason: input.reason,
      })),
    );
    return { lines: out };
  });
}

export interface ReserveInput {
  /** Idempotency key; the allocation id is a good one. */
  key: string;
  orderId: string;
  allocationId: string;
  parts: readonly AllocationPart[];
  actor: string;
  /** Stored with the outcome and returned on replay (e.g. the plan's reason). */
  memo?: Record<string, unknown>;
  /**
   * Reserve only while the order is still in the stock-wait queue with this entry, and take it out in
   * the same transaction: an order cancelled meanwhile never gets stock. With `mark` the entry stays,
   * marked with this allocation, until the order has been told (see settleResumedWaits).
   */
  consumeWait?: { seq: number; mark?: boolean };
}

export type ReserveOutcome =
  | {
      ok: true;
      reserved: { warehouse: string; sku: string; qty: number }[];
      memo?: Record<string, unknown>;
    }
  | {
      ok: false;
      short: { warehouse: string; sku: string; needed: number; available: number }[];
      /** The order left the stock-wait queue (cancelled, or resumed by someone else). */
      withdrawn?: boolean;
    };

class Shortage extends Error {}
class Withdrawn extends Error {}

/**
 * Reserves every line of an allocation plan, or nothing. Each line is one conditional UPDATE
 * (`on_hand − reserved ≥ qty`) taken in a fixed order, so concurrent orders queue on the row lock and
 * re-check availability after it: overselling is impossible, and the CHECK constraints would refuse it anyway.
 */
export async function reserveStock(db: Db, input: ReserveInput): Promise<OperationResult<ReserveOutcome>> {
  const lines = consolidate(
    input.parts.flatMap((p) => p.lines.map((l) => ({ ...l, warehouse: p.warehouse }))),
  );
  try {
    const success: ReserveOutcome = {
      ok: true,
      reserved: lines,
      ...(input.memo ? { memo: input.memo } : {}),
    };
    // Rows are written first and the stock rows updated last, so a popular SKU's row lock is held
    // only from its UPDATE to the commit: concurrent orders for it queue as briefly as possible.
    return await runOnce<ReserveOutcome>(
      db,
      input.key,
      'reserve',
      async (trx) => {
        if (input.consumeWait?.mark) {
          const marked = await trx
            .updateTable('stock_waits')
            .set({ resumed_allocation_id: input.allocationId })
            .where('order_id', '=', input.orderId)
            .where('seq', '=', input.consumeWait.seq)
            .where('resumed_allocation_id', 'is', null)
            .executeTakeFirst();
          if (marked.numUpdatedRows === 0n) throw new Withdrawn();
        } else if (input.consumeWait) {
          const taken = await trx
            .deleteFrom('stock_waits')
            .where('order_id', '=', input.orderId)
            .where('seq', '=', input.consumeWait.seq)
            .executeTakeFirst();
          if (taken.numDeletedRows === 0n) throw new Withdrawn();
        }
        if (lines.length > 0) {
          await trx
            .insertInto('stock_reservations')
            .values(
              lines.map((l) => ({
                order_id: input.orderId,
                allocation_id: input.allocationId,
                warehouse_code: l.warehouse,
                sku_code: l.sku,
                qty: l.qty,
                status: 'reserved',
              })),
            )
            .execute();
        }
        await writeLedger(
          trx,
          input.key,
          input.actor,
          lines.map((l) => ({
            ...l,
            kind: 'reserve',
            onHandDelta: 0,
            reservedDelta: l.qty,
            orderId: input.orderId,
            allocationId: input.allocationId,
          })),
        );
        for (const line of lines) {
          const updated = await trx
            .updateTable('stock')
            .set({ reserved: sql`reserved + ${line.qty}`, updated_at: new Date() })
            .where('warehouse_code', '=', line.warehouse)
            .where('sku_code', '=', line.sku)
            .where(sql`on_hand - reserved`, '>=', line.qty)
            .returning('reserved')
            .executeTakeFirst();
          if (!updated) throw new Shortage();
        }
        return success;
      },
      success,
    );
  } catch (err) {
    if (err instanceof Withdrawn)
      return { replayed: false, outcome: { ok: false, short: [], withdrawn: true } };
    // A ledger row for a warehouse × SKU that has never had stock fails its foreign key: also a shortage.
    const noStockRow = (err as { code?: string }).code === '23503';
    if (!(err instanceof Shortage) && !noStockRow) throw err;
    const rows = await db
      .selectFrom('stock')
      .select(['warehouse_code', 'sku_code', sql<number>`on_hand - reserved`.as('available')])
      .where((eb) =>
        eb.or(lines.map((l) => eb.and([eb('warehouse_code', '=', l.warehouse), eb('sku_code', '=', l.sku)]))),
      )
      .execute();
    const available = new Map(rows.map((r) => [`${r.warehouse_code}\u0000${r.sku_code}`, r.available]));
    return {
      replayed: false,
      outcome: {
        ok: false,
        short: lines
          .map((l) => ({
            warehouse: l.warehouse,
            sku: l.sku,
            needed: l.qty,
            available: available.get(`${l.warehouse}\u0000${l.sku}`) ?? 0,
          }))
          .filter((l) => l.available < l.needed),
      },
    };
  }
}

export interface ReleaseInput {
  key: string;
  orderId: string;
  /** Only this allocation; otherwise everything the order holds. */
  allocationId?: string;
  /** Only what it holds at this warehouse (with `allocationId`: that share of the allocation). */
  warehouse?: string;
  reason: string;
  actor: string;
}

export interface ReleaseOutcome {
  released: { warehouse: string; sku: string; qty: number; from: ReservationStatus }[];
  /** Units already handed to a carrier: they come back only through a return and `returnRestock`. */
  shipped: { warehouse: string; sku: string; qty: number }[];
}

/**
 * Gives back everything an order (or one of its allocations) still holds, whether reserved or
 * already picked, and takes the order out of the stock-wait queue. Safe at every stage.
 */
export async function releaseStock(db: Db, input: ReleaseInput): Promise<OperationResult<ReleaseOutcome>> {
  return runOnce(db, input.key, 'release', async (trx) => {
    let query = trx
      .selectFrom('stock_reservations')
      .select(['id', 'warehouse_code', 'sku_code', 'qty', 'status', 'allocation_id'])
      .where('order_id', '=', input.orderId)
      .where('status', 'in', [...HOLDING_STATUSES, 'shipped'])
      .orderBy('warehouse_code')
      .orderBy('sku_code')
      .orderBy('id')
      .forUpdate();
    if (input.allocationId) query = query.where('allocation_id', '=', input.allocationId);
    if (input.warehouse) query = query.where('warehouse_code', '=', input.warehouse);
    const rows = await query.execute();
    const holding = rows.filter((r) => (HOLDING_STATUSES as readonly string[]).includes(r.status));
    for (const line of consolidate(
      holding.map((r) => ({ warehouse: r.warehouse_code, sku: r.sku_code, qty: r.qty })),
    )) {
      await trx
        .updateTable('stock')
        .set({ reserved: sql`reserved - ${line.qty}`, updated_at: new Date() })
        .where('warehouse_code', '=', line.warehouse)
        .where('sku_code', '=', line.sku)
        .execute();
    }
    if (holding.length) {
      await trx
        .updateTable('stock_reservations')
        .set({ status: 'released', updated_at: new Date() })
        .where(
          'id',
          'in',
          holding.map((r) => r.id),
        )
        .execute();
    }
    await writeLedger(
      trx,
      input.key,
      input.actor,
      holding.map((r) => ({
        warehouse: r.warehouse_code,
        sku: r.sku_code,
        kind: 'release',
        qty: r.qty,
        onHandDelta: 0,
        reservedDelta: -r.qty,
        orderId: input.orderId,
        allocationId: r.allocation_id,
        reason: input.reason,
      })),
    );
    if (!input.allocationId && !input.warehouse) await clearStockWait(trx, input.orderId);
    return {
      released: holding.map((r) => ({
        warehouse: r.warehouse_code,
        sku: r.sku_code,
        qty: r.qty,
        from: r.status as ReservationStatus,
      })),
      shipped: rows
        .filter((r) => r.status === 'shipped')
        .map((r) => ({ warehouse: r.warehouse_code, sku: r.sku_code, qty: r.qty })),
    };
  });
}

export interface ReservationMove {
  key: string;
  allocationId: string;
  warehouse: string;
  sku: string;
  qty: number;
  actor: string;
  reason?: string;
  reference?: string;
}

const MOVES = {
  pick: { from: ['reserved'], to: 'picked', kind: 'pick', onHand: 0, reserved: 0 },
  ship: { from: ['picked', 'reserved'], to: 'shipped', kind: 'ship', onHand: -1, reserved: -1 },
  release: { from: ['reserved', 'picked'], to: 'released', kind: 'release', onHand: 0, reserved: -1 },
  write_off: { from: ['reserved', 'picked'], to: 'written_off', kind: 'adjust', onHand: -1, reserved: -1 },
  /** Shipped units the carrier lost: they left the stock at handover, the ledger records the loss. */
  lose: { from: ['shipped'], to: 'written_off', kind: 'adjust', onHand: 0, reserved: 0 },
} as const satisfies Record<
  string,
  {
    from: readonly ReservationStatus[];
    to: ReservationStatus;
    kind: LedgerKind;
    onHand: number;
    reserved: number;
  }
>;
export type MoveKind = keyof typeof MOVES;

/**
 * Moves `qty` units of one allocation's reservation to the next state (picked, shipped, released, or
 * written off as lost), splitting a reservation row when only part of it moves. Runs inside the
 * caller's transaction; the ledger row's key is `move.key`, so a replay fails on the unique key.
 */
export async function moveReservation(trx: Trx, kind: MoveKind, move: ReservationMove): Promise<void> {
  const rule = MOVES[kind];
  const rows = await trx
    .selectFrom('stock_reservations')
    .select(['id', 'order_id', 'qty', 'status'])
    .where('allocation_id', '=', move.allocationId)
    .where('warehouse_code', '=', move.warehouse)
    .where('sku_code', '=', move.sku)
    .where('status', 'in', [...rule.from])
    .orderBy('id')
    .forUpdate()
    .execute();
  const holding = rows.reduce((s, r) => s + r.qty, 0);
  if (holding < move.qty) {
    throw new StockError(
      'conflict',
      `allocation ${move.allocationId} holds ${holding} of ${move.sku} at ${move.warehouse} ` +
        `in ${rule.from.join('/')} state; cannot ${kind.replace('_', ' ')} ${move.qty}`,
    );
  }
  let left = move.qty;
  for (const row of rows) {
    if (left === 0) break;
    const take = Math.min(left, row.qty);
    left -= take;
    if (take === row.qty) {
      await trx
        .updateTable('stock_reservations')
        .set({ status: rule.to, updated_at: new Date() })
        .where('id', '=', row.id)
        .execute();
    } else {
      await trx
        .updateTable('stock_reservations')
        .set({ qty: row.qty - take, updated_at: new Date() })
        .where('id', '=', row.id)
        .execute();
      await trx
        .insertInto('stock_reservations')
        .values({
          order_id: row.order_id,
          allocation_id: move.allocationId,
          warehouse_code: move.warehouse,
          sku_code: move.sku,
          qty: take,
          status: rule.to,
        })
        .execute();
    }
  }
  if (rule.onHand !== 0 || rule.reserved !== 0) {
    await trx
      .updateTable('stock')
      .set({
        on_hand: sql`on_hand + ${rule.onHand * move.qty}`,
        reserved: sql`reserved + ${rule.reserved * move.qty}`,
        updated_at: new Date(),
      })
      .where('warehouse_code', '=', move.warehouse)
      .where('sku_code', '=', move.sku)
      .execute();
  }
  await writeLedger(trx, move.key, move.actor, [
    {
      warehouse: move.warehouse,
      sku: move.sku,
      kind: rule.kind,
      qty: move.qty,
      onHandDelta: rule.onHand * move.qty,
      reservedDelta: rule.reserved * move.qty,
      orderId: rows[0]?.order_id ?? null,
      allocationId: move.allocationId,
      reference: move.reference ?? null,
      reason: move.reason ?? null,
    },
  ]);
}

export interface ReturnRestockInput {
  key: string;
  warehouse: string;
  orderId?: string;
  reference?: string;
  lines: { sku: string; qty: number }[];
  reason: string;
  actor: string;
}

/** Shelves units that came back (a return, or an intercepted parcel) as sellable stock. */
export async function returnRestock(db: Db, input: ReturnRestockInput) {
  return runOnce(db, input.key, 'return_restock', async (trx) => {
    await assertKnown(trx, input.warehouse, input.lines);
    const lines = consolidate(input.lines.map((l) => ({ ...l, warehouse: input.warehouse })));
    for (const line of lines) {
      await trx
        .insertInto('stock')
        .values({ warehouse_code: line.warehouse, sku_code: line.sku, on_hand: line.qty })
        .onConflict((oc) =>
          oc
            .columns(['warehouse_code', 'sku_code'])
            .doUpdateSet({ on_hand: sql`stock.on_hand + excluded.on_hand`, updated_at: new Date() }),
        )
        .execute();
    }
    await writeLedger(
      trx,
      input.key,
      input.actor,
      lines.map((l) => ({
        ...l,
        kind: 'return_restock',
        onHandDelta: l.qty,
        reservedDelta: 0,
        orderId: input.orderId ?? null,
        reference: input.reference ?? null,
        reason: input.reason,
      })),
    );
    return { lines };
  });
}

/** The stored outcome of an operation already applied under this key, if any. */
export async function findOperation(db: Executor, key: string) {
  return db.selectFrom('stock_operations').selectAll().where('key', '=', key).executeTakeFirst();
}

// ---------------------------------------------------------------------------------------------
// Consistency

export interface LedgerMismatch {
  warehouse: string;
  sku: string;
  onHand: number;
  reserved: number;
  ledgerOnHand: number;
  ledgerReserved: number;
  reservationsHolding: number;
}

/**
 * Proves, for every warehouse × SKU, that on hand and reserved equal the sums of the ledger, and
 * that reserved equals what open reservations hold. Returns the rows that disagree (none, normally).
 */
export async function verifyLedger(db: Executor): Promise<{ checked: number; mismatches: LedgerMismatch[] }> {
  const { rows } = await sql<{
    warehouse_code: string;
    sku_code: string;
    on_hand: number;
    reserved: number;
    ledger_on_hand: number;
    ledger_reserved: number;
    holding: number;
  }>`
    with ledger as (
      select warehouse_code, sku_code, sum(on_hand_delta)::int as on_hand, sum(reserved_delta)::int as reserved
      from stock_ledger group by warehouse_code, sku_code
    ), holding as (
      select warehouse_code, sku_code, sum(qty)::int as qty
      from stock_reservations where status in ('reserved', 'picked') group by warehouse_code, sku_code
    )
    select coalesce(s.warehouse_code, l.warehouse_code) as warehouse_code,
           coalesce(s.sku_code, l.sku_code) as sku_code,
           coalesce(s.on_hand, 0) as on_hand, coalesce(s.reserved, 0) as reserved,
           coalesce(l.on_hand, 0) as ledger_on_hand, coalesce(l.reserved, 0) as ledger_reserved,
           coalesce(h.qty, 0) as holding
    from stock s
    full join ledger l on l.warehouse_code = s.warehouse_code and l.sku_code = s.sku_code
    left join holding h on h.warehouse_code = coalesce(s.warehouse_code, l.warehouse_code)
                       and h.sku_code = coalesce(s.sku_code, l.sku_code)
  `.execute(db);
  const mismatches = rows
    .filter(
      (r) => r.on_hand !== r.ledger_on_hand || r.reserved !== r.ledger_reserved || r.reserved !== r.holding,
    )
    .map((r) => ({
      warehouse: r.warehouse_code,
      sku: r.sku_code,
      onHand: r.on_hand,
      reserved: r.reserved,
      ledgerOnHand: r.ledger_on_hand,
      ledgerReserved: r.ledger_reserved,
      reservationsHolding: r.holding,
    }));
  return { checked: rows.length, mismatches };
}

// ---------------------------------------------------------------------------------------------
// Replenishment and the stock-wait queue

export interface ReplenishmentInput {
  warehouse: string;
  sku: string;
  qty: number;
  orderId?: string;
  reason: string;
}

/**
 * Opens a replenishment request, or adds to the open one for that warehouse × SKU. The same order
 * asking twice (an activity retry, a second allocation attempt) does not inflate the quantity.
 */
export async function requestReplenishment(db: Executor, input: ReplenishmentInput): Promise<number> {
  const orderIds = input.orderId ? [input.orderId] : [];
  const { rows } = await sql<{ id: number }>`
    insert into replenishment_requests (warehouse_code, sku_code, qty_short, order_ids, reasons)
    values (${input.warehouse}, ${input.sku}, ${input.qty}, ${orderIds}::text[], array[${input.reason}]::text[])
    on conflict (warehouse_code, sku_code) where status = 'open' do update set
      qty_short = case when ${input.orderId ?? null}::text = any(replenishment_requests.order_ids)
                       then replenishment_requests.qty_short
                       else replenishment_requests.qty_short + excluded.qty_short end,
      order_ids = case when ${input.orderId ?? null}::text is null
                         or ${input.orderId ?? null}::text = any(replenishment_requests.order_ids)
                       then replenishment_requests.order_ids
                       else replenishment_requests.order_ids || excluded.order_ids end,
      reasons = case when excluded.reasons[1] = any(replenishment_requests.reasons)
                     then replenishment_requests.reasons
                     else replenishment_requests.reasons || excluded.reasons end,
      updated_at = now()
    returning id`.execute(db);
  return rows[0]!.id;
}

export interface ReplenishmentFilter {
  status?: string;
  warehouse?: string;
  sku?: string;
  limit: number;
}

export async function listReplenishmentRequests(db: Executor, filter: ReplenishmentFilter) {
  let query = db.selectFrom('replenishment_requests').selectAll().orderBy('id', 'desc').limit(filter.limit);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.warehouse) query = query.where('warehouse_code', '=', filter.warehouse);
  if (filter.sku) query = query.where('sku_code', '=', filter.sku);
  return query.execute();
}

/**
 * Puts an order in the queue for stock. An order already waiting keeps its place (its original
 * time) and gets its request refreshed: waiting orders are resumed oldest first.
 */
export async function waitForStock(
  db: Executor,
  input: { orderId: string; skus: readonly string[]; request: Record<string, unknown> },
): Promise<{ seq: number; attempt: number }> {
  return db
    .insertInto('stock_waits')
    .values({
      order_id: input.orderId,
      sku_codes: [...new Set(input.skus)],
      request: JSON.stringify(input.request),
    })
    .onConflict((oc) =>
      oc.column('order_id').doUpdateSet({
        sku_codes: sql`excluded.sku_codes`,
        request: sql`excluded.request`,
        attempt: sql`stock_waits.attempt + 1`,
        resumed_allocation_id: null,
      }),
    )
    .returning(['seq', 'attempt'])
    .executeTakeFirstOrThrow();
}

export async function clearStockWait(db: Executor, orderId: string): Promise<boolean> {
  const result = await db.deleteFrom('stock_waits').where('order_id', '=', orderId).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export interface WaitingOrder {
  orderId: string;
  seq: number;
  attempt: number;
  waitingSince: Date;
  skus: string[];
  request: Record<string, unknown>;
}

/** Orders waiting for any of these SKUs (all waiting orders when none given), longest-waiting first. */
export async function ordersWaitingForStock(
  db: Executor,
  skus: readonly string[] = [],
  limit = 1000,
): Promise<WaitingOrder[]> {
  let query = db
    .selectFrom('stock_waits')
    .selectAll()
    .where('resumed_allocation_id', 'is', null)
    .orderBy('seq')
    .limit(limit);
  if (skus.length) query = query.where(sql<boolean>`sku_codes && ${[...skus]}::text[]`);
  const rows = await query.execute();
  return rows.map(waitingOrder);
}

/**
 * One page of the stock-wait queue for a receipt, by keyset (`seq` after the last one seen), so a
 * receipt reaches every waiting order however many there are. Entries a receipt already reserved for
 * (and has not yet settled) come back with their allocation id.
 */
export async function stockWaitPage(
  db: Executor,
  input: { skus: readonly string[]; afterSeq: number; limit: number },
): Promise<(WaitingOrder & { resumedAllocationId: string | null })[]> {
  let query = db
    .selectFrom('stock_waits')
    .selectAll()
    .where('seq', '>', input.afterSeq)
    .orderBy('seq')
    .limit(input.limit);
  if (input.skus.length) query = query.where(sql<boolean>`sku_codes && ${[...input.skus]}::text[]`);
  const rows = await query.execute();
  return rows.map((r) => ({ ...waitingOrder(r), resumedAllocationId: r.resumed_allocation_id }));
}

/** The orders a receipt reserved for have been told: their queue entries go. */
export async function settleResumedWaits(
  db: Executor,
  entries: readonly { orderId: string; seq: number }[],
): Promise<void> {
  for (const e of entries) {
    await db
      .deleteFrom('stock_waits')
      .where('order_id', '=', e.orderId)
      .where('seq', '=', e.seq)
      .where('resumed_allocation_id', 'is not', null)
      .execute();
  }
}

function waitingOrder(r: Selectable<StockWaitsTable>): WaitingOrder {
  return {
    orderId: r.order_id,
    seq: r.seq,
    attempt: r.attempt,
    waitingSince: r.waiting_since,
    skus: r.sku_codes,
    request: r.request,
  };
}
