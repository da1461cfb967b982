import { sql, type Insertable, type Transaction } from 'kysely';
import type { Handling, Parcel, ParcelContent } from '../../domain/parcels/types.js';
import { StockError } from '../../domain/stock/errors.js';
import type {
  CancelTaskInput,
  ConfirmationResult,
  PackConfirmation,
  PackTaskStatus,
  PickConfirmation,
  PickExceptionEvent,
  WaveCreated,
  WaveView,
  WmsEvent,
  WmsKind,
} from '../../domain/wms/adapter.js';
import { buildPickList } from '../../domain/wms/pick-list.js';
import { lineUnitsInParcel } from '../../domain/lost-parcels.js';
import type { NormalizedOrder } from '../../domain/order.js';
import type { Db } from '../connect.js';
import { resolveOrderLines } from './catalog.js';
import type { Database } from '../schema.js';
import { raiseAlert, resolveAlerts } from './alerts.js';
import { moveReservation, requestReplenishment, runOnce, type Executor } from './stock.js';

export type Trx = Transaction<Database>;

const INSERT_CHUNK = 2000;

// ---------------------------------------------------------------------------------------------
// Bins

export async function assignBin(db: Executor, input: { warehouse: string; bin: string; sku: string }) {
  await db
    .insertInto('bin_locations')
    .values({ warehouse_code: input.warehouse, bin_code: input.bin, sku_code: input.sku })
    .onConflict((oc) => oc.columns(['warehouse_code', 'sku_code', 'bin_code']).doNothing())
    .execute();
}

export async function removeBin(db: Executor, input: { warehouse: string; bin: string; sku: string }) {
  const result = await db
    .deleteFrom('bin_locations')
    .where('warehouse_code', '=', input.warehouse)
    .where('bin_code', '=', input.bin)
    .where('sku_code', '=', input.sku)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export async function listBins(db: Executor, filter: { warehouse?: string; sku?: string; limit: number }) {
  let query = db
    .selectFrom('bin_locations')
    .select(['warehouse_code', 'bin_code', 'sku_code'])
    .orderBy('warehouse_code')
    .orderBy('bin_code')
    .limit(filter.limit);
  if (filter.warehouse) query = query.where('warehouse_code', '=', filter.warehouse);
  if (filter.sku) query = query.where('sku_code', '=', filter.sku);
  return query.execute();
}

export async function binsForSkus(db: Executor, warehouse: string, skus: readonly string[]) {
  const map = new Map<string, string[]>();
  if (skus.length === 0) return map;
  const rows = await db
    .selectFrom('bin_locations')
    .select(['sku_code', 'bin_code'])
    .where('warehouse_code', '=', warehouse)
    .where('sku_code', 'in', [...new Set(skus)])
    .execute();
  for (const r of rows) map.set(r.sku_code, [...(map.get(r.sku_code) ?? []), r.bin_code]);
  return map;
}

// ---------------------------------------------------------------------------------------------
// Waves

/** Records a wave: its pick list in walking order and one pack task per parcel. Idempotent by wave id. */
export async function createWave(
  db: Db,
  input: { waveId: string; warehouse: string; parcels: readonly Parcel[] },
): Promise<WaveCreated> {
  return recordWave(db, input, 'built_in', async (trx) => {
    const skus = [...new Set(input.parcels.flatMap((p) => p.contents.map((c) => c.sku)))];
    const pickList = buildPickList(input.parcels, await binsForSkus(trx, input.warehouse, skus));
    const lineIds = new Map<number, number>();
    for (let i = 0; i < pickList.length; i += INSERT_CHUNK) {
      const rows = await trx
        .insertInto('wms_pick_lines')
        .values(
          pickList.slice(i, i + INSERT_CHUNK).map((l) => ({
            wave_id: input.waveId,
            seq: l.seq,
            bin_code: l.bin,
            sku_code: l.sku,
            qty: l.qty,
          })),
        )
        .returning(['id', 'seq'])
        .execute();
      for (const r of rows) lineIds.set(r.seq, r.id);
    }
    await insertChunked(
      trx,
      'wms_pick_demands',
      pickList.flatMap((l) =>
        l.demands.map((d) => ({
          pick_line_id: lineIds.get(l.seq)!,
          priority: d.priority,
          parcel_id: d.parcelId,
          order_id: d.orderId,
          allocation_id: d.allocationId,
          qty: d.qty,
        })),
      ),
    );
  });
}

/**
 * The order system's own record of a released wave, whichever WMS runs the warehouse: the wave, one
 * pack task per parcel and what each parcel carries (stock moves from it when the parcel ships, and
 * an external WMS's reports are matched against it). `extra` writes what that WMS keeps besides, in
 * the same transaction; it runs only the first time.
 */
export async function recordWave(
  db: Db,
  input: { waveId: string; warehouse: string; parcels: readonly Parcel[] },
  kind: WmsKind,
  extra: (trx: Trx) => Promise<void> = async () => {},
): Promise<WaveCreated> {
  const wrongWarehouse = input.parcels.find((p) => p.warehouse !== input.warehouse);
  if (wrongWarehouse) {
    throw new StockError(
      'invalid',
      `parcel ${wrongWarehouse.id} ships from ${wrongWarehouse.warehouse}, not ${input.warehouse}`,
      'parcels',
    );
  }
  if (input.parcels.length === 0)
    throw new StockError('invalid', 'a wave needs at least one parcel', 'parcels');
  const created = await db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('wms_waves')
      .values({
        id: input.waveId,
        warehouse_code: input.warehouse,
        status: 'picking',
        wms_kind: kind,
        parcel_count: input.parcels.length,
        unit_count: input.parcels.reduce((s, p) => s + p.contents.reduce((t, c) => t + c.qty, 0), 0),
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!inserted) return false;
    await insertChunked(
      trx,
      'wms_pack_tasks',
      input.parcels.map((p) => ({
        parcel_id: p.id,
        wave_id: input.waveId,
        warehouse_code: p.warehouse,
        handling: p.handling,
        urgent: p.urgent,
        order_ids: p.orderIds,
        estimated_weight_g: p.weightG,
        status: 'picking',
      })),
    );
    await insertChunked(
      trx,
      'wms_parcel_contents',
      input.parcels.flatMap((p) =>
        p.contents.map((c) => ({
          parcel_id: p.id,
          order_id: c.orderId,
          allocation_id: c.allocationId,
          line_id: c.lineId,
          sku_code: c.sku,
          qty: c.qty,
        })),
      ),
    );
    await extra(trx);
    return true;
  });
  const wave = await loadWave(db, input.waveId);
  if (!wave) throw new Error(`wave ${input.waveId} vanished after it was written`);
  if (wave.warehouse !== input.warehouse) {
    throw new StockError(
      'conflict',
      `wave ${input.waveId} already exists for warehouse ${wave.warehouse}`,
      'waveId',
    );
  }
  return { ...wave, created };
}

/** Large waves insert in chunks: one statement may carry at most 65,535 parameters. */
async function insertChunked<T extends 'wms_pack_tasks' | 'wms_parcel_contents' | 'wms_pick_demands'>(
  trx: Trx,
  table: T,
  rows: Insertable<Database[T]>[],
) {
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    // The generic table type defeats kysely's row inference; `rows` is already checked against it.
    await trx
      .insertInto(table)
      .values(rows.slice(i, i + INSERT_CHUNK) as never)
      .execute();
  }
}

export type { WaveView } from '../../domain/wms/adapter.js';

export async function loadWave(db: Executor, waveId: string): Promise<WaveView | undefined> {
  const wave = await db.selectFrom('wms_waves').selectAll().where('id', '=', waveId).executeTakeFirst();
  if (!wave) return undefined;
  const [lines, demands, tasks, contents] = await Promise.all([
    db.selectFrom('wms_pick_lines').selectAll().where('wave_id', '=', waveId).orderBy('seq').execute(),
    db
      .selectFrom('wms_pick_demands')
      .innerJoin('wms_pick_lines', 'wms_pick_lines.id', 'wms_pick_demands.pick_line_id')
      .select([
        'wms_pick_demands.pick_line_id',
        'wms_pick_demands.parcel_id',
        'wms_pick_demands.order_id',
        'wms_pick_demands.allocation_id',
        'wms_pick_demands.qty',
        'wms_pick_demands.priority',
      ])
      .where('wms_pick_lines.wave_id', '=', waveId)
      .orderBy('wms_pick_demands.pick_line_id')
      .orderBy('wms_pick_demands.priority')
      .execute(),
    db.selectFrom('wms_pack_tasks').selectAll().where('wave_id', '=', waveId).execute(),
    db
      .selectFrom('wms_parcel_contents')
      .innerJoin('wms_pack_tasks', 'wms_pack_tasks.parcel_id', 'wms_parcel_contents.parcel_id')
      .selectAll('wms_parcel_contents')
      .where('wms_pack_tasks.wave_id', '=', waveId)
      .execute(),
  ]);
  const demandsByLine = group(demands, (d) => d.pick_line_id);
  const contentsByParcel = group(contents, (c) => c.parcel_id);
  return {
    waveId: wave.id,
    warehouse: wave.warehouse_code,
    wms: wave.wms_kind as WmsKind,
    status: wave.status,
    createdAt: wave.created_at,
    pickList: lines.map((l) => ({
      seq: l.seq,
      bin: l.bin_code,
      sku: l.sku_code,
      qty: l.qty,
      picked: l.picked,
      short: l.short,
      damaged: l.damaged,
      cancelled: l.cancelled,
      demands: (demandsByLine.get(l.id) ?? []).map((d) => ({
        parcelId: d.parcel_id,
        orderId: d.order_id,
        allocationId: d.allocation_id,
        qty: d.qty,
        priority: d.priority,
      })),
    })),
    packTasks: tasks
      .sort((a, b) => parcelOrder(a.parcel_id, b.parcel_id))
      .map((t) => ({
        parcelId: t.parcel_id,
        waveId: t.wave_id,
        warehouse: t.warehouse_code,
        handling: t.handling as Handling,
        urgent: t.urgent,
        orderIds: t.order_ids,
        estimatedWeightG: t.estimated_weight_g,
        status: t.status as PackTaskStatus,
        contents: (contentsByParcel.get(t.parcel_id) ?? [])
          .map((c): ParcelContent => ({
            orderId: c.order_id,
            allocationId: c.allocation_id,
            lineId: c.line_id,
            sku: c.sku_code,
            qty: c.qty,
          }))
          .sort((a, b) => (a.orderId + a.lineId + a.sku < b.orderId + b.lineId + b.sku ? -1 : 1)),
      })),
  };
}

/** Parcel ids end in their number (`W1-P-12`): sort numerically so P-2 comes before P-10. */
function parcelOrder(a: string, b: string): number {
  const na = Number(/(\d+)$/.exec(a)?.[1] ?? NaN);
  const nb = Number(/(\d+)$/.exec(b)?.[1] ?? NaN);
  if (a.replace(/\d+$/, '') === b.replace(/\d+$/, '') && !Number.isNaN(na) && !Number.isNaN(nb))
    return na - nb;
  return a < b ? -1 : a > b ? 1 : 0;
}

export async function listWaves(
  db: Executor,
  filter: { warehouse?: string; status?: string; limit: number; offset?: number },
) {
  let query = db
    .selectFrom('wms_waves')
    .selectAll()
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(filter.limit)
    .offset(filter.offset ?? 0);
  if (filter.warehouse) query = query.where('warehouse_code', '=', filter.warehouse);
  if (filter.status) query = query.where('status', '=', filter.status);
  return query.execute();
}

// ---------------------------------------------------------------------------------------------
// Confirmations

/**
 * Runs a confirmation at most once per key, in one transaction. A repeated key returns the events the
 * first call produced, marked as replayed, so a caller that crashed before signalling can signal again.
 */
export async function confirmOnce(
  db: Db,
  input: {
    key: string;
    kind: string;
    waveId?: string | null;
    parcelId?: string | null;
    actor: string;
    payload: object;
  },
  apply: (trx: Trx) => Promise<WmsEvent[]>,
): Promise<ConfirmationResult> {
  return db.transaction().execute(async (trx) => {
    const claimed = await trx
      .insertInto('wms_confirmations')
      .values({
        key: input.key,
        kind: input.kind,
        wave_id: input.waveId ?? null,
        parcel_id: input.parcelId ?? null,
        payload: JSON.stringify(input.payload),
        actor: input.actor,
      })
      .onConflict((oc) => oc.column('key').doNothing())
      .returning('key')
      .executeTakeFirst();
    if (!claimed) {
      const previous = await trx
        .selectFrom('wms_confirmations')
        .select(['kind', 'outcome'])
        .where('key', '=', input.key)
        .executeTakeFirstOrThrow();
      if (previous.kind !== input.kind) {
        throw new StockError('conflict', `key "${input.key}" was already used for a ${previous.kind}`, 'key');
      }
      return { replayed: true, events: (previous.outcome as { events?: WmsEvent[] }).events ?? [] };
    }
    const events = await apply(trx);
    await trx
      .updateTable('wms_confirmations')
      .set({ outcome: JSON.stringify({ events }) })
      .where('key', '=', input.key)
      .execute();
    return { replayed: false, events };
  });
}

/**
 * The events recorded confirmations produced for one parcel, oldest first: its own confirmations
 * (pack, cancel, an external WMS's reports) and its wave's pick confirmations. A shipment reads them
 * when it starts, since a confirmation recorded before then found no workflow to tell.
 */
export async function recordedParcelEvents(
  db: Executor,
  input: { parcelId: string; waveId: string },
): Promise<WmsEvent[]> {
  const { rows } = await sql<{ event: WmsEvent }>`
    select e.event
      from wms_confirmations c,
           jsonb_array_elements(coalesce(c.outcome -> 'events', '[]'::jsonb)) with ordinality as e(event, n)
     where (c.parcel_id = ${input.parcelId} or (c.wave_id = ${input.waveId} and c.parcel_id is null))
       and e.event ->> 'parcelId' = ${input.parcelId}
     order by c.at, c.key, e.n`.execute(db);
  return rows.map((r) => r.event);
}

/**
 * Records picked, short-picked or damaged units on one pick line. Picked units go to the parcels in
 * priority order (urgent first) and mark their reservations picked. Missing or damaged units are taken
 * from the lowest-priority parcels: written off the stock, recorded as exceptions and added to a
 * replenishment request.
 */
export async function confirmPick(db: Db, input: PickConfirmation): Promise<ConfirmationResult> {
  return confirmOnce(
    db,
    { key: input.key, kind: 'pick', waveId: input.waveId, actor: input.actor, payload: input },
    async (trx) => {
      const wave = await trx
        .selectFrom('wms_waves')
        .select(['id', 'warehouse_code', 'status'])
        .where('id', '=', input.waveId)
        .forUpdate()
        .executeTakeFirst();
      if (!wave) throw new StockError('not_found', `no wave "${input.waveId}"`, 'waveId');
      const line = await trx
        .selectFrom('wms_pick_lines')
        .selectAll()
        .where('wave_id', '=', input.waveId)
        .where('seq', '=', input.line)
        .executeTakeFirst();
      if (!line)
        throw new StockError('not_found', `wave ${input.waveId} has no pick line ${input.line}`, 'line');
      const open = line.qty - line.picked - line.short - line.damaged - line.cancelled;
      if (input.qty > open) {
        throw new StockError(
          'invalid',
          `pick line ${input.line} (${line.sku_code}) has ${open} unit(s) left to confirm, not ${input.qty}`,
          'qty',
        );
      }
      const demands = await trx
        .selectFrom('wms_pick_demands')
        .selectAll()
        .where('pick_line_id', '=', line.id)
        .orderBy('priority')
        .execute();
      const events: WmsEvent[] = [];
      const base = { warehouse: wave.warehouse_code, waveId: wave.id };
      const touched = new Set<string>();
      const ordered = input.outcome === 'picked' ? demands : [...demands].reverse();
      let left = input.qty;
      for (const demand of ordered) {
        if (left === 0) break;
        const take = Math.min(left, demand.qty - demand.picked - demand.lost - demand.cancelled);
        if (take <= 0) continue;
        left -= take;
        touched.add(demand.parcel_id);
        const move = {
          key: `${input.key}:${demand.id}`,
          allocationId: demand.allocation_id,
          warehouse: wave.warehouse_code,
          sku: line.sku_code,
          qty: take,
          actor: input.actor,
          reference: `wave ${wave.id} line ${line.seq}`,
        };
        if (input.outcome === 'picked') {
          await moveReservation(trx, 'pick', move);
          await trx
            .updateTable('wms_pick_demands')
            .set({ picked: demand.picked + take })
            .where('id', '=', demand.id)
            .execute();
          continue;
        }
        const reason = `${input.outcome === 'damaged' ? 'damaged' : 'missing'} at pick from bin ${line.bin_code ?? '(none)'}`;
        await trx
          .updateTable('wms_pick_demands')
          .set({ lost: demand.lost + take })
          .where('id', '=', demand.id)
          .execute();
        events.push(
          await recordShortage(trx, {
            ...move,
            key: input.key,
            moveKey: move.key,
            kind: input.outcome,
            waveId: wave.id,
            parcelId: demand.parcel_id,
            orderId: demand.order_id,
            bin: line.bin_code,
            reason: input.note ? `${reason}: ${input.note}` : reason,
            replenishmentReason: reason,
          }),
        );
      }
      await trx
        .updateTable('wms_pick_lines')
        .set(
          input.outcome === 'picked'
            ? { picked: line.picked + input.qty }
            : input.outcome === 'short_picked'
              ? { short: line.short + input.qty }
              : { damaged: line.damaged + input.qty },
        )
        .where('id', '=', line.id)
        .execute();
      events.push(...(await settleParcels(trx, input.key, base, [...touched])));
      events.push(...(await settleWave(trx, input.key, base)));
      return events;
    },
  );
}

/**
 * Units the warehouse could not pick (missing from the bin, or damaged): written off the stock,
 * recorded as an exception for a person to look into, added to a replenishment request, and raised
 * as an ops alert. Shared by every WMS: the built-in handhelds and an external WMS's shortage report.
 */
export async function recordShortage(
  trx: Trx,
  input: {
    /** The confirmation or report that found the shortage. */
    key: string;
    /** The ledger row's key (unique per write-off). */
    moveKey: string;
    kind: 'short_picked' | 'damaged';
    waveId: string;
    warehouse: string;
    parcelId: string;
    orderId: string;
    allocationId: string;
    sku: string;
    bin: string | null;
    qty: number;
    actor: string;
    reference: string;
    reason: string;
    replenishmentReason: string;
  },
): Promise<PickExceptionEvent> {
  await moveReservation(trx, 'write_off', {
    key: input.moveKey,
    allocationId: input.allocationId,
    warehouse: input.warehouse,
    sku: input.sku,
    qty: input.qty,
    actor: input.actor,
    reference: input.reference,
    reason: input.reason,
  });
  const replenishmentRequestId = await requestReplenishment(trx, {
    warehouse: input.warehouse,
    sku: input.sku,
    qty: input.qty,
    orderId: input.orderId,
    reason: input.replenishmentReason,
  });
  const exception = await trx
    .insertInto('wms_exceptions')
    .values({
      kind: input.kind,
      wave_id: input.waveId,
      parcel_id: input.parcelId,
      order_id: input.orderId,
      allocation_id: input.allocationId,
      warehouse_code: input.warehouse,
      sku_code: input.sku,
      bin_code: input.bin,
      qty: input.qty,
      replenishment_request_id: replenishmentRequestId,
      confirmation_key: input.key,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await syncPickExceptionAlert(trx, { raised: true });
  return {
    warehouse: input.warehouse,
    waveId: input.waveId,
    eventKey: `${input.key}:exception:${exception.id}`,
    type: 'pick_exception',
    kind: input.kind,
    exceptionId: exception.id,
    parcelId: input.parcelId,
    orderId: input.orderId,
    allocationId: input.allocationId,
    sku: input.sku,
    bin: input.bin,
    qty: input.qty,
    replenishmentRequestId,
  };
}

/**
 * Keeps the one `pick_exception` ops alert in step with the open warehouse exceptions: raised (or
 * bumped) when a shortage is recorded, its message rewritten as they change, resolved when a person
 * has closed the last one. New stock arriving does not close an exception: the bin count was wrong,
 * and someone has to find out why.
 */
export async function syncPickExceptionAlert(db: Executor, options: { raised?: boolean } = {}) {
  const open = await db
    .selectFrom('wms_exceptions')
    .select(['id', 'kind', 'warehouse_code', 'sku_code', 'bin_code', 'qty', 'order_id'])
    .where('status', '=', 'open')
    .orderBy('id')
    .execute();
  if (open.length === 0) {
    await resolveAlerts(db, { shopId: null, kinds: ['pick_exception'] });
    return;
  }
  const shown = open
    .slice(0, 5)
    .map(
      (e) =>
        `#${e.id} ${e.warehouse_code} ${e.sku_code} ×${e.qty} ${e.kind === 'damaged' ? 'damaged' : 'missing'}` +
        `${e.bin_code ? ` at ${e.bin_code}` : ''} (order ${e.order_id})`,
    );
  const units = open.reduce((n, e) => n + e.qty, 0);
  const message =
    `${open.length} open pick exception(s), ${units} unit(s) written off: ${shown.join('; ')}` +
    `${open.length > shown.length ? `; and ${open.length - shown.length} more` : ''}. ` +
    'The orders were re-allocated or held and replenishment requested; count the bins and close each ' +
    'exception (POST /wms/exceptions/:id/resolve).';
  if (options.raised) {
    await raiseAlert(db, { shopId: null, kind: 'pick_exception', message });
    return;
  }
  await db
    .updateTable('alerts')
    .set({ message })
    .where('kind', '=', 'pick_exception')
    .where('shop_id', 'is', null)
    .where('resolved_at', 'is', null)
    .execute();
}

/** Parcels whose every unit is now accounted for become ready to pack, or an exception if units are missing. */
async function settleParcels(
  trx: Trx,
  key: string,
  base: { warehouse: string; waveId: string },
  parcelIds: string[],
): Promise<WmsEvent[]> {
  if (parcelIds.length === 0) return [];
  const totals = await trx
    .selectFrom('wms_pick_demands')
    .innerJoin('wms_pick_lines', 'wms_pick_lines.id', 'wms_pick_demands.pick_line_id')
    .select([
      'wms_pick_demands.parcel_id',
      'wms_pick_demands.order_id',
      'wms_pick_demands.allocation_id',
      'wms_pick_lines.sku_code',
      'wms_pick_demands.qty',
      'wms_pick_demands.picked',
      'wms_pick_demands.lost',
      'wms_pick_demands.cancelled',
    ])
    .where('wms_pick_demands.parcel_id', 'in', parcelIds)
    .execute();
  const tasks = await trx
    .selectFrom('wms_pack_tasks')
    .select(['parcel_id', 'status', 'order_ids'])
    .where('parcel_id', 'in', parcelIds)
    .where('status', '=', 'picking')
    .orderBy('parcel_id')
    .forUpdate()
    .execute();
  const events: WmsEvent[] = [];
  for (const task of tasks) {
    const rows = totals.filter((t) => t.parcel_id === task.parcel_id);
    if (rows.some((r) => r.picked + r.lost + r.cancelled < r.qty)) continue;
    const missing = rows
      .filter((r) => r.lost > 0)
      .map((r) => ({ orderId: r.order_id, allocationId: r.allocation_id, sku: r.sku_code, qty: r.lost }));
    await trx
      .updateTable('wms_pack_tasks')
      .set({ status: missing.length ? 'exception' : 'ready' })
      .where('parcel_id', '=', task.parcel_id)
      .execute();
    events.push(
      missing.length
        ? {
            ...base,
            eventKey: `${key}:parcel_short:${task.parcel_id}`,
            type: 'parcel_short',
            parcelId: task.parcel_id,
            orderIds: task.order_ids,
            missing,
          }
        : {
            ...base,
            eventKey: `${key}:parcel_picked:${task.parcel_id}`,
            type: 'parcel_picked',
            parcelId: task.parcel_id,
            orderIds: task.order_ids,
          },
    );
  }
  return events;
}

/**
 * Every unit of the wave is accounted for: the wave is picked (said once). The built-in WMS counts
 * its pick lines; an external one keeps its own, so there it is when no parcel is left to pick.
 */
export async function settleWave(
  trx: Trx,
  key: string,
  base: { warehouse: string; waveId: string },
): Promise<WmsEvent[]> {
  const wave = await trx
    .selectFrom('wms_waves')
    .select('wms_kind')
    .where('id', '=', base.waveId)
    .executeTakeFirstOrThrow();
  const open =
    wave.wms_kind === 'built_in'
      ? await trx
          .selectFrom('wms_pick_lines')
          .select(sql<number>`count(*)::int`.as('n'))
          .where('wave_id', '=', base.waveId)
          .where(sql`picked + short + damaged + cancelled`, '<', sql`qty`)
          .executeTakeFirstOrThrow()
      : await trx
          .selectFrom('wms_pack_tasks')
          .select(sql<number>`count(*)::int`.as('n'))
          .where('wave_id', '=', base.waveId)
          .where('status', '=', 'picking')
          .executeTakeFirstOrThrow();
  if (open.n > 0) return [];
  const moved = await trx
    .updateTable('wms_waves')
    .set({ status: 'picked', updated_at: new Date() })
    .where('id', '=', base.waveId)
    .where('status', '=', 'picking')
    .returning('id')
    .executeTakeFirst();
  return moved ? [{ ...base, eventKey: `${key}:wave_picked`, type: 'wave_picked' }] : [];
}

export async function settleWaveDone(trx: Trx, waveId: string): Promise<void> {
  const open = await trx
    .selectFrom('wms_pack_tasks')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('wave_id', '=', waveId)
    .where('status', 'in', ['picking', 'ready', 'exception'])
    .executeTakeFirstOrThrow();
  if (open.n === 0) {
    await trx
      .updateTable('wms_waves')
      .set({ status: 'done', updated_at: new Date() })
      .where('id', '=', waveId)
      .where('status', 'in', ['picking', 'picked'])
      .execute();
  }
}

/**
 * Locks the parcel's wave, then the parcel. Work on one wave is serialized so that whoever finishes
 * its last parcel sees every other parcel's committed state and can close the wave.
 */
export async function lockTask(trx: Trx, parcelId: string) {
  const found = await trx
    .selectFrom('wms_pack_tasks')
    .select('wave_id')
    .where('parcel_id', '=', parcelId)
    .executeTakeFirst();
  if (!found) throw new StockError('not_found', `no parcel "${parcelId}"`, 'parcelId');
  await trx.selectFrom('wms_waves').select('id').where('id', '=', found.wave_id).forUpdate().execute();
  return trx
    .selectFrom('wms_pack_tasks')
    .selectAll()
    .where('parcel_id', '=', parcelId)
    .forUpdate()
    .executeTakeFirstOrThrow();
}

/** Records a parcel as packed, with what the scale and tape measure said. Only a fully picked parcel can be packed. */
export async function confirmPack(db: Db, input: PackConfirmation): Promise<ConfirmationResult> {
  return confirmOnce(
    db,
    { key: input.key, kind: 'pack', parcelId: input.parcelId, actor: input.actor, payload: input },
    async (trx) => {
      const task = await lockTask(trx, input.parcelId);
      if (task.status !== 'ready') {
        const why: Record<string, string> = {
          picking: 'still has units to pick',
          exception: 'is missing units (short-picked or damaged) and must be re-formed',
          packed: 'is already packed',
          shipped: 'has already shipped',
          cancelled: 'was cancelled',
        };
        throw new StockError(
          'conflict',
          `parcel ${input.parcelId} ${why[task.status] ?? task.status}`,
          'parcelId',
        );
      }
      await trx
        .updateTable('wms_pack_tasks')
        .set({
          status: 'packed',
          packed_weight_g: input.weightG,
          length_mm: input.lengthMm,
          width_mm: input.widthMm,
          height_mm: input.heightMm,
          packed_by: input.actor,
          packed_at: new Date(),
        })
        .where('parcel_id', '=', input.parcelId)
        .execute();
      await settleWaveDone(trx, task.wave_id);
      return [
        {
          eventKey: `${input.key}:parcel_packed`,
          type: 'parcel_packed',
          warehouse: task.warehouse_code,
          waveId: task.wave_id,
          parcelId: task.parcel_id,
          orderIds: task.order_ids,
          weightG: input.weightG,
          lengthMm: input.lengthMm,
          widthMm: input.widthMm,
          heightMm: input.heightMm,
          actor: input.actor,
        },
      ];
    },
  );
}

/**
 * Stops a parcel: units not yet picked are struck off the pick list (an external WMS has already
 * agreed to stop it). Stock is not touched here: the order's reservations are released with
 * `releaseStock` (the order's own decision).
 */
export async function cancelPackTask(db: Db, input: CancelTaskInput): Promise<ConfirmationResult> {
  return confirmOnce(
    db,
    { key: input.key, kind: 'cancel', parcelId: input.parcelId, actor: input.actor, payload: input },
    async (trx) => {
      const task = await lockTask(trx, input.parcelId);
      if (task.status === 'shipped') {
        throw new StockError(
          'conflict',
          `parcel ${input.parcelId} has already shipped; intercept it with the carrier`,
        );
      }
      if (task.status === 'cancelled') return [];
      const demands = await trx
        .selectFrom('wms_pick_demands')
        .select(['id', 'pick_line_id', 'qty', 'picked', 'lost', 'cancelled'])
        .where('parcel_id', '=', input.parcelId)
        .orderBy('pick_line_id')
        .execute();
      for (const d of demands) {
        const open = d.qty - d.picked - d.lost - d.cancelled;
        if (open <= 0) continue;
        await trx
          .updateTable('wms_pick_demands')
          .set({ cancelled: d.cancelled + open })
          .where('id', '=', d.id)
          .execute();
        await trx
          .updateTable('wms_pick_lines')
          .set({ cancelled: sql`cancelled + ${open}` })
          .where('id', '=', d.pick_line_id)
          .execute();
      }
      await trx
        .updateTable('wms_pack_tasks')
        .set({
          status: 'cancelled',
          cancel_reason: input.reason,
          ...(task.wms_order_id ? { wms_status: 'CANCELED' } : {}),
        })
        .where('parcel_id', '=', input.parcelId)
        .execute();
      const base = { warehouse: task.warehouse_code, waveId: task.wave_id };
      const events: WmsEvent[] = [
        {
          ...base,
          eventKey: `${input.key}:cancelled`,
          type: 'pack_task_cancelled',
          parcelId: task.parcel_id,
          orderIds: task.order_ids,
          reason: input.reason,
        },
      ];
      events.push(...(await settleWave(trx, input.key, base)));
      await settleWaveDone(trx, task.wave_id);
      return events;
    },
  );
}

/**
 * The carrier has the parcel: its units leave the stock (on hand and reserved both drop). Call it
 * when the waybill is handed over. Idempotent by key.
 */
export async function shipParcel(
  db: Db,
  input: { key: string; parcelId: string; actor: string; waybill?: string },
): Promise<{ replayed: boolean; shipped: { allocationId: string; sku: string; qty: number }[] }> {
  let shipped: { allocationId: string; sku: string; qty: number }[] = [];
  const result = await confirmOnce(
    db,
    { key: input.key, kind: 'ship', parcelId: input.parcelId, actor: input.actor, payload: input },
    async (trx) => {
      const task = await lockTask(trx, input.parcelId);
      if (task.status !== 'packed') {
        throw new StockError(
          'conflict',
          `parcel ${input.parcelId} is ${task.status}, not packed`,
          'parcelId',
        );
      }
      const contents = await trx
        .selectFrom('wms_parcel_contents')
        .select(['allocation_id', 'sku_code', sql<number>`sum(qty)::int`.as('qty')])
        .where('parcel_id', '=', input.parcelId)
        .groupBy(['allocation_id', 'sku_code'])
        .orderBy('allocation_id')
        .orderBy('sku_code')
        .execute();
      for (const [i, c] of contents.entries()) {
        await moveReservation(trx, 'ship', {
          key: `${input.key}:${i + 1}`,
          allocationId: c.allocation_id,
          warehouse: task.warehouse_code,
          sku: c.sku_code,
          qty: c.qty,
          actor: input.actor,
          reference: input.waybill
            ? `parcel ${input.parcelId} waybill ${input.waybill}`
            : `parcel ${input.parcelId}`,
        });
      }
      await trx
        .updateTable('wms_pack_tasks')
        .set({ status: 'shipped' })
        .where('parcel_id', '=', input.parcelId)
        .execute();
      await settleWaveDone(trx, task.wave_id);
      shipped = contents.map((c) => ({ allocationId: c.allocation_id, sku: c.sku_code, qty: c.qty }));
      return [];
    },
  );
  return { replayed: result.replayed, shipped };
}

/**
 * One order's units in a parcel the carrier lost are written off through the ledger: units that
 * were handed over already left the stock (the ledger records the loss, kind `adjust`, no
 * delta), units still held (a parcel lost before handover) leave on hand and reserved now. Once
 * per key; a parcel with no contents here (an external WMS packed it) writes nothing.
 */
export async function writeOffLostParcel(
  db: Db,
  input: { key: string; orderId: string; parcelId: string; actor: string; reason: string },
): Promise<{ writtenOff: { sku: string; qty: number; shipped: boolean }[] }> {
  const result = await runOnce(db, input.key, 'lost_parcel', async (trx) => {
    const task = await trx
      .selectFrom('wms_pack_tasks')
      .select('warehouse_code')
      .where('parcel_id', '=', input.parcelId)
      .executeTakeFirst();
    if (!task) return { writtenOff: [] };
    const contents = await trx
      .selectFrom('wms_parcel_contents')
      .select(['allocation_id', 'sku_code', sql<number>`sum(qty)::int`.as('qty')])
      .where('parcel_id', '=', input.parcelId)
      .where('order_id', '=', input.orderId)
      .groupBy(['allocation_id', 'sku_code'])
      .orderBy('allocation_id')
      .orderBy('sku_code')
      .execute();
    const writtenOff: { sku: string; qty: number; shipped: boolean }[] = [];
    for (const [i, c] of contents.entries()) {
      const held = await trx
        .selectFrom('stock_reservations')
        .select(['status', sql<number>`sum(qty)::int`.as('qty')])
        .where('allocation_id', '=', c.allocation_id)
        .where('warehouse_code', '=', task.warehouse_code)
        .where('sku_code', '=', c.sku_code)
        .where('status', 'in', ['shipped', 'reserved', 'picked'])
        .groupBy('status')
        .execute();
      const shipped = held.find((h) => h.status === 'shipped')?.qty ?? 0;
      const holding = held.filter((h) => h.status !== 'shipped').reduce((n, h) => n + h.qty, 0);
      const lost = Math.min(c.qty, shipped);
      const stillHeld = Math.min(c.qty - lost, holding);
      const move = {
        allocationId: c.allocation_id,
        warehouse: task.warehouse_code,
        sku: c.sku_code,
        actor: input.actor,
        reason: input.reason,
        reference: `parcel ${input.parcelId} lost`,
      };
      if (lost > 0) await moveReservation(trx, 'lose', { ...move, key: `${input.key}:${i + 1}`, qty: lost });
      if (stillHeld > 0)
        await moveReservation(trx, 'write_off', {
          ...move,
          key: `${input.key}:${i + 1}:held`,
          qty: stillHeld,
        });
      if (lost > 0) writtenOff.push({ sku: c.sku_code, qty: lost, shipped: true });
      if (stillHeld > 0) writtenOff.push({ sku: c.sku_code, qty: stillHeld, shipped: false });
    }
    return { writtenOff };
  });
  return result.outcome;
}

/**
 * How many units of each of the order's lines a parcel carried (docs/order-semantics.md, "A lost
 * parcel is reshipped or refunded"): its contents for the order, per line and SKU, over what one
 * unit of the line is made of (bundles expanded). A line split across parcels counts only its
 * units in this one.
 */
export async function parcelLineUnits(
  db: Executor,
  input: { orderId: string; parcelId: string; order: Pick<NormalizedOrder, 'platform' | 'shopId' | 'lines'> },
): Promise<Array<{ lineId: string; quantity: number }>> {
  const contents = await db
    .selectFrom('wms_parcel_contents')
    .select(['line_id', 'sku_code', sql<number>`sum(qty)::int`.as('qty')])
    .where('parcel_id', '=', input.parcelId)
    .where('order_id', '=', input.orderId)
    .groupBy(['line_id', 'sku_code'])
    .orderBy('line_id')
    .orderBy('sku_code')
    .execute();
  const named = new Set(contents.map((c) => c.line_id));
  const lines = input.order.lines.filter((l) => named.has(l.lineId));
  if (lines.length === 0) return [];
  // One unit of each line, expanded as allocation expands it.
  const one = await resolveOrderLines(db, {
    ...input.order,
    lines: lines.map((l) => ({ ...l, quantity: 1 })),
  });
  const perUnit = new Map<string, Map<string, number>>();
  for (const r of one.lines) {
    const skus = perUnit.get(r.lineId) ?? new Map<string, number>();
    skus.set(r.sku, (skus.get(r.sku) ?? 0) + r.qty);
    perUnit.set(r.lineId, skus);
  }
  return lineUnitsInParcel(
    contents.map((c) => ({ lineId: c.line_id, sku: c.sku_code, qty: c.qty })),
    perUnit,
    new Map(lines.map((l) => [l.lineId, l.quantity])),
  );
}

/**
 * What a parcel carries of one order for its ship confirmation: the units of each of the order's
 * lines in it (as parcelLineUnits counts them) and whether that is the whole order — every line the
 * order has now, every unit of each. Null when the parcel's contents are not recorded for the order.
 */
export async function parcelShipmentLines(
  db: Executor,
  input: { orderId: string; parcelId: string },
): Promise<{ lines: Array<{ lineId: string; quantity: number }>; whole: boolean } | null> {
  const [order, lines] = await Promise.all([
    db
      .selectFrom('orders')
      .select(['platform', 'shop_id'])
      .where('id', '=', input.orderId)
      .executeTakeFirst(),
    db
      .selectFrom('order_lines')
      .select(['line_id', 'sku_code', 'platform_sku_id', 'quantity'])
      .where('order_id', '=', input.orderId)
      .execute(),
  ]);
  if (!order) return null;
  const units = await parcelLineUnits(db, {
    orderId: input.orderId,
    parcelId: input.parcelId,
    order: {
      platform: order.platform as NormalizedOrder['platform'],
      shopId: order.shop_id,
      lines: lines.map((l) => ({
        lineId: l.line_id,
        skuCode: l.sku_code,
        platformSkuId: l.platform_sku_id,
        title: '',
        quantity: l.quantity,
        unitPriceFen: 0,
        discountFen: 0,
      })),
    },
  });
  if (units.length === 0) return null;
  const carried = new Map(units.map((u) => [u.lineId, u.quantity]));
  const whole = lines.every((l) => (carried.get(l.line_id) ?? 0) >= l.quantity);
  return { lines: units, whole };
}

// ---------------------------------------------------------------------------------------------
// Exceptions

export async function listExceptions(
  db: Executor,
  filter: { status?: string; warehouse?: string; orderId?: string; limit: number },
) {
  let query = db.selectFrom('wms_exceptions').selectAll().orderBy('id', 'desc').limit(filter.limit);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.warehouse) query = query.where('warehouse_code', '=', filter.warehouse);
  if (filter.orderId) query = query.where('order_id', '=', filter.orderId);
  return query.execute();
}

export async function resolveException(db: Db, id: number, resolution: string) {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('wms_exceptions')
      .set({ status: 'resolved', resolution, resolved_at: new Date() })
      .where('id', '=', id)
      .where('status', '=', 'open')
      .returningAll()
      .executeTakeFirst();
    if (row) await syncPickExceptionAlert(trx);
    return row;
  });
}

function group<T, K>(items: readonly T[], keyOf: (item: T) => K): Map<K, T[]> {
  const map = new Map<K, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const list = map.get(key);
    if (list) list.push(item);
    else map.set(key, [item]);
  }
  return map;
}
