import { sql } from 'kysely';
import { StockError } from '../../domain/stock/errors.js';
import type { ConfirmationResult, WmsEvent, WmsKind } from '../../domain/wms/adapter.js';
import type { Db } from '../connect.js';
import { raiseAlert } from './alerts.js';
import { moveReservation, type Executor } from './stock.js';
import { confirmOnce, lockTask, recordShortage, settleWave, settleWaveDone, type Trx } from './wms.js';

/**
 * The order system's side of a warehouse run by an external WMS. That system keeps its own pick
 * lists; it reports per parcel (picked, packed, short, shipped) and these functions turn each report
 * into the same stock movements and `WmsEvent`s the built-in WMS produces, each report at most once
 * by its key.
 */

// ---------------------------------------------------------------------------------------------
// Which WMS runs a warehouse

export interface WarehouseWms {
  warehouse: string;
  kind: WmsKind;
  settings: Record<string, unknown>;
  updatedBy: string;
  updatedAt: Date;
}

export async function findWarehouseWms(db: Executor, warehouse: string): Promise<WarehouseWms | undefined> {
  const row = await db
    .selectFrom('warehouse_wms')
    .selectAll()
    .where('warehouse_code', '=', warehouse)
    .executeTakeFirst();
  return row
    ? {
        warehouse: row.warehouse_code,
        kind: row.kind as WmsKind,
        settings: row.settings,
        updatedBy: row.updated_by,
        updatedAt: row.updated_at,
      }
    : undefined;
}

export async function saveWarehouseWms(
  db: Executor,
  input: { warehouse: string; kind: WmsKind; settings: Record<string, unknown>; actor: string },
): Promise<void> {
  const settings = JSON.stringify(input.settings);
  await db
    .insertInto('warehouse_wms')
    .values({ warehouse_code: input.warehouse, kind: input.kind, settings, updated_by: input.actor })
    .onConflict((oc) =>
      oc
        .column('warehouse_code')
        .doUpdateSet({ kind: input.kind, settings, updated_by: input.actor, updated_at: new Date() }),
    )
    .execute();
}

/** The warehouse a Qimen report is about: the one configured with that customerId and WMS code. */
export async function warehouseForQimen(
  db: Executor,
  input: { customerId: string; warehouseCode?: string },
): Promise<string[]> {
  let query = db
    .selectFrom('warehouse_wms')
    .select('warehouse_code')
    .where('kind', '=', 'qimen')
    .where(sql<string>`settings->>'customerId'`, '=', input.customerId);
  if (input.warehouseCode)
    query = query.where(sql<string>`settings->>'warehouseCode'`, '=', input.warehouseCode);
  return (await query.execute()).map((r) => r.warehouse_code);
}

/** The warehouse of a wave and the WMS it was released to. */
export async function wmsOfWave(db: Executor, waveId: string) {
  const row = await db
    .selectFrom('wms_waves')
    .select(['warehouse_code', 'wms_kind'])
    .where('id', '=', waveId)
    .executeTakeFirst();
  return row ? { warehouse: row.warehouse_code, kind: row.wms_kind as WmsKind } : undefined;
}

/** The warehouse of a parcel and the WMS its wave was released to. */
export async function wmsOfParcel(db: Executor, parcelId: string) {
  const row = await db
    .selectFrom('wms_pack_tasks as t')
    .innerJoin('wms_waves as w', 'w.id', 't.wave_id')
    .select(['t.warehouse_code', 'w.wms_kind'])
    .where('t.parcel_id', '=', parcelId)
    .executeTakeFirst();
  return row ? { warehouse: row.warehouse_code, kind: row.wms_kind as WmsKind } : undefined;
}

/** Waves of the warehouse still in the warehouse's hands (not done or cancelled), by WMS. */
export async function openWavesByWms(db: Executor, warehouse: string) {
  return db
    .selectFrom('wms_waves')
    .select(['wms_kind', sql<number>`count(*)::int`.as('n')])
    .where('warehouse_code', '=', warehouse)
    .where('status', 'in', ['picking', 'picked'])
    .groupBy('wms_kind')
    .execute();
}

// ---------------------------------------------------------------------------------------------
// Delivery orders sent

/** Parcels of the wave the external WMS has not accepted yet (to send, or to send again). */
export async function unsentParcels(db: Executor, waveId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('wms_pack_tasks')
    .select('parcel_id')
    .where('wave_id', '=', waveId)
    .where('status', '=', 'picking')
    .where('wms_order_id', 'is', null)
    .where((eb) => eb.or([eb('wms_status', 'is', null), eb('wms_status', '<>', 'REJECT')]))
    .orderBy('parcel_id')
    .execute();
  return rows.map((r) => r.parcel_id);
}

export async function recordWmsOrderId(db: Executor, parcelId: string, wmsOrderId: string) {
  await db
    .updateTable('wms_pack_tasks')
    .set({ wms_order_id: wmsOrderId, wms_status: 'ACCEPT' })
    .where('parcel_id', '=', parcelId)
    .execute();
}

/**
 * The WMS refused the delivery order (an unknown item, a bad address): the parcel stays where it is
 * and ops are told why, rather than the whole wave failing.
 */
export async function recordWmsRefusal(db: Db, input: { parcelId: string; wms: WmsKind; message: string }) {
  await db
    .updateTable('wms_pack_tasks')
    .set({ wms_status: 'REJECT' })
    .where('parcel_id', '=', input.parcelId)
    .execute();
  await raiseAlert(db, {
    shopId: null,
    kind: 'wms_report_rejected',
    message: `${input.wms} WMS refused parcel ${input.parcelId}: ${input.message}`,
  });
}

// ---------------------------------------------------------------------------------------------
// Reports

type Base = { warehouse: string; waveId: string };

async function taskForReport(trx: Trx, parcelId: string) {
  const task = await lockTask(trx, parcelId);
  return { task, base: { warehouse: task.warehouse_code, waveId: task.wave_id } as Base };
}

/** A parcel's contents in a fixed order: the order its delivery order lists them (line 1, 2, …). */
export async function parcelContents(db: Executor, parcelId: string) {
  const rows = await db
    .selectFrom('wms_parcel_contents')
    .selectAll()
    .where('parcel_id', '=', parcelId)
    .execute();
  return rows.sort((a, b) =>
    a.order_id + a.line_id + a.sku_code < b.order_id + b.line_id + b.sku_code ? -1 : 1,
  );
}

async function markPicked(
  trx: Trx,
  key: string,
  task: { parcel_id: string; order_ids: string[] },
  base: Base,
) {
  const contents = await parcelContents(trx, task.parcel_id);
  for (const [i, c] of contents.entries()) {
    await moveReservation(trx, 'pick', {
      key: `${key}:pick:${i + 1}`,
      allocationId: c.allocation_id,
      warehouse: base.warehouse,
      sku: c.sku_code,
      qty: c.qty,
      actor: 'wms',
      reference: `parcel ${task.parcel_id}`,
    });
  }
  await trx
    .updateTable('wms_pack_tasks')
    .set({ status: 'ready' })
    .where('parcel_id', '=', task.parcel_id)
    .execute();
  const events: WmsEvent[] = [
    {
      ...base,
      eventKey: `${key}:parcel_picked`,
      type: 'parcel_picked',
      parcelId: task.parcel_id,
      orderIds: task.order_ids,
    },
  ];
  return [...events, ...(await settleWave(trx, key, base))];
}

/** The WMS picked every unit of the parcel. A repeat, or a report after packing, changes nothing. */
export async function reportPicked(
  db: Db,
  input: { key: string; parcelId: string; status: string; actor: string },
): Promise<ConfirmationResult> {
  return confirmOnce(
    db,
    { key: input.key, kind: 'wms_picked', parcelId: input.parcelId, actor: input.actor, payload: input },
    async (trx) => {
      const { task, base } = await taskForReport(trx, input.parcelId);
      await trx
        .updateTable('wms_pack_tasks')
        .set({ wms_status: input.status })
        .where('parcel_id', '=', input.parcelId)
        .execute();
      return task.status === 'picking' ? markPicked(trx, input.key, task, base) : [];
    },
  );
}

/** The WMS packed and weighed the parcel (a parcel never reported picked is picked now too). */
export async function reportPacked(
  db: Db,
  input: {
    key: string;
    parcelId: string;
    status: string;
    weightG: number;
    lengthMm: number;
    widthMm: number;
    heightMm: number;
    actor: string;
  },
): Promise<ConfirmationResult> {
  return confirmOnce(
    db,
    { key: input.key, kind: 'wms_packed', parcelId: input.parcelId, actor: input.actor, payload: input },
    async (trx) => {
      const { task, base } = await taskForReport(trx, input.parcelId);
      if (task.status === 'exception' || task.status === 'cancelled' || task.status === 'shipped') {
        throw new StockError('conflict', `parcel ${input.parcelId} is ${task.status}; it cannot be packed`);
      }
      const events = task.status === 'picking' ? await markPicked(trx, input.key, task, base) : [];
      if (task.status === 'packed') return events;
      await trx
        .updateTable('wms_pack_tasks')
        .set({
          status: 'packed',
          wms_status: input.status,
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
      events.push({
        ...base,
        eventKey: `${input.key}:parcel_packed`,
        type: 'parcel_packed',
        parcelId: task.parcel_id,
        orderIds: task.order_ids,
        weightG: input.weightG,
        lengthMm: input.lengthMm,
        widthMm: input.widthMm,
        heightMm: input.heightMm,
        actor: input.actor,
      });
      return events;
    },
  );
}

export interface ReportedShortage {
  sku: string;
  /** The delivery order's line the shortage is on, when the WMS says. */
  lineNo?: number;
  qty: number;
  reason: string;
}

/**
 * The WMS cannot find (or found damaged) units of the parcel: they are written off, recorded as
 * exceptions with a replenishment request and an alert, and the parcel is short, exactly as a short
 * pick on the built-in handhelds. Units come off the parcel's last lines first.
 */
export async function reportShortage(
  db: Db,
  input: { key: string; parcelId: string; lines: ReportedShortage[]; actor: string; wms: WmsKind },
): Promise<ConfirmationResult> {
  return confirmOnce(
    db,
    { key: input.key, kind: 'wms_short', parcelId: input.parcelId, actor: input.actor, payload: input },
    async (trx) => {
      const { task, base } = await taskForReport(trx, input.parcelId);
      if (task.status !== 'picking' && task.status !== 'ready') {
        throw new StockError(
          'conflict',
          `parcel ${input.parcelId} is ${task.status}; a shortage can only be reported before packing`,
        );
      }
      const contents = await parcelContents(trx, input.parcelId);
      const left = new Map(contents.map((c, i) => [i, c.qty]));
      const events: WmsEvent[] = [];
      const missing: { orderId: string; allocationId: string; sku: string; qty: number }[] = [];
      for (const [n, line] of input.lines.entries()) {
        const candidates = contents
          .map((c, i) => ({ c, i }))
          .filter(
            ({ c, i }) => c.sku_code === line.sku && (line.lineNo === undefined || line.lineNo === i + 1),
          )
          .reverse();
        const holding = candidates.reduce((s, { i }) => s + left.get(i)!, 0);
        if (holding < line.qty) {
          throw new StockError(
            'invalid',
            `parcel ${input.parcelId} carries ${holding} of ${line.sku}${line.lineNo ? ` on line ${line.lineNo}` : ''}, not ${line.qty}`,
            `lines.${n}.qty`,
          );
        }
        let want = line.qty;
        for (const { c, i } of candidates) {
          const take = Math.min(want, left.get(i)!);
          if (take <= 0) continue;
          want -= take;
          left.set(i, left.get(i)! - take);
          const reason = `${input.wms} WMS reports missing at pick: ${line.reason}`;
          events.push(
            await recordShortage(trx, {
              key: input.key,
              moveKey: `${input.key}:${n + 1}:${i + 1}`,
              kind: 'short_picked',
              waveId: base.waveId,
              warehouse: base.warehouse,
              parcelId: input.parcelId,
              orderId: c.order_id,
              allocationId: c.allocation_id,
              sku: c.sku_code,
              bin: null,
              qty: take,
              actor: input.actor,
              reference: `parcel ${input.parcelId}`,
              reason,
              replenishmentReason: reason,
            }),
          );
          missing.push({ orderId: c.order_id, allocationId: c.allocation_id, sku: c.sku_code, qty: take });
          if (want === 0) break;
        }
      }
      await trx
        .updateTable('wms_pack_tasks')
        .set({ status: 'exception', wms_status: 'LACK' })
        .where('parcel_id', '=', input.parcelId)
        .execute();
      events.push({
        ...base,
        eventKey: `${input.key}:parcel_short:${input.parcelId}`,
        type: 'parcel_short',
        parcelId: input.parcelId,
        orderIds: task.order_ids,
        missing,
      });
      return [...events, ...(await settleWave(trx, input.key, base))];
    },
  );
}

/**
 * The WMS says the parcel left with the carrier under this tracking number. It must be the waybill
 * the order system issued for the parcel (the label the warehouse stuck on it): a parcel shipped
 * under another number would be followed, and uploaded to the platform, under the wrong one.
 */
export async function reportHandedOver(
  db: Db,
  input: { key: string; parcelId: string; trackingNumber: string; actor: string; at: string },
): Promise<ConfirmationResult> {
  return confirmOnce(
    db,
    { key: input.key, kind: 'wms_shipped', parcelId: input.parcelId, actor: input.actor, payload: input },
    async (trx) => {
      const { task, base } = await taskForReport(trx, input.parcelId);
      if (task.status !== 'packed' && task.status !== 'shipped') {
        throw new StockError(
          'conflict',
          `parcel ${input.parcelId} is ${task.status}; only a packed parcel can leave the warehouse`,
        );
      }
      const shipment = await trx
        .selectFrom('shipments')
        .select('tracking_number')
        .where('id', '=', input.parcelId)
        .executeTakeFirst();
      if (!shipment?.tracking_number) {
        throw new StockError(
          'conflict',
          `parcel ${input.parcelId} has no waybill yet; it cannot have shipped`,
        );
      }
      if (shipment.tracking_number !== input.trackingNumber) {
        throw new StockError(
          'conflict',
          `parcel ${input.parcelId} was labelled with waybill ${shipment.tracking_number}, not ${input.trackingNumber}`,
        );
      }
      await trx
        .updateTable('wms_pack_tasks')
        .set({ wms_status: 'DELIVERED' })
        .where('parcel_id', '=', input.parcelId)
        .execute();
      return [
        {
          ...base,
          eventKey: `${input.key}:handed_over`,
          type: 'parcel_handed_over',
          parcelId: input.parcelId,
          orderIds: task.order_ids,
          trackingNumber: input.trackingNumber,
          actor: input.actor,
          at: input.at,
        },
      ];
    },
  );
}

/** Where the parcel stands, for deciding whether the WMS must still be asked to stop it. */
export async function packTaskStatus(db: Executor, parcelId: string) {
  return db
    .selectFrom('wms_pack_tasks')
    .select(['status', 'wms_order_id', 'wms_status', 'warehouse_code', 'wave_id'])
    .where('parcel_id', '=', parcelId)
    .executeTakeFirst();
}
