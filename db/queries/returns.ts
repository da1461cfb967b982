import { sql } from 'kysely';
import type { Db } from '../connect.js';

/** Where a return parcel is (after_sale_returns.status). */
export const RETURN_PARCEL_STATUSES = ['awaiting_parcel', 'in_transit', 'received', 'inspected'] as const;
export type ReturnParcelStatus = (typeof RETURN_PARCEL_STATUSES)[number];

/** The receiving desk's two lists: parcels on their way, and parcels already received. */
export const RETURN_STAGES = {
  expected: ['awaiting_parcel', 'in_transit'],
  received: ['received', 'inspected'],
} as const satisfies Record<string, readonly ReturnParcelStatus[]>;

export interface ReturnParcel {
  caseId: string;
  orderId: string;
  shopId: string;
  kind: string;
  caseStatus: string;
  status: string;
  carrierCode: string | null;
  trackingNo: string | null;
  /** Who issued the return waybill: `buyer`, or `sf` / `cainiao` when we did. */
  source: string | null;
  /** Where tracking last saw the parcel (a TrackingStatus). */
  trackingStatus: string | null;
  warehouse: string | null;
  createdAt: Date;
  receivedAt: Date | null;
  /** What the case covers, with the order line's SKU and title: what the warehouse counts. */
  lines: { lineId: string; sku: string; title: string; quantity: number }[];
  /** What the inspection found per line, once the case inspected the receipt. */
  inspected: {
    lineId: string;
    sku: string;
    expected: number;
    restocked: number;
    writtenOff: number;
    held: number;
    notes: string | null;
  }[];
}

/**
 * Return parcels for the warehouse's receiving desk (docs/after-sales.md): the one a scan names (its
 * return tracking number or the case id, exactly as `POST /wms/returns/receipts` matches it), or
 * the latest ones by status, each with the lines to count and, once inspected, what was found.
 */
export async function listReturnParcels(
  db: Db,
  filter: { scan?: string; statuses?: readonly string[]; shopIds?: readonly string[]; limit: number },
): Promise<ReturnParcel[]> {
  let query = db
    .selectFrom('after_sale_returns as r')
    .innerJoin('after_sale_cases as c', 'c.id', 'r.case_id')
    .select([
      'r.case_id',
      'r.order_id',
      'c.shop_id',
      'c.kind',
      'c.status as case_status',
      'r.status',
      'r.carrier_code',
      'r.tracking_no',
      'r.waybill_source',
      'r.tracking_status',
      'r.warehouse_code',
      'r.created_at',
      'r.received_at',
    ]);
  if (filter.scan !== undefined) {
    const scan = filter.scan;
    query = query.where((eb) => eb.or([eb('r.case_id', '=', scan), eb('r.tracking_no', '=', scan)]));
  }
  if (filter.statuses?.length) query = query.where('r.status', 'in', [...filter.statuses]);
  if (filter.shopIds) query = query.where(sql<boolean>`c.shop_id = any(${[...filter.shopIds]}::text[])`);
  const rows = await query.orderBy('r.created_at', 'desc').limit(filter.limit).execute();
  if (rows.length === 0) return [];
  const caseIds = rows.map((r) => r.case_id);
  const [lines, inspected] = await Promise.all([
    db
      .selectFrom('after_sale_case_lines as cl')
      .innerJoin('after_sale_cases as c', 'c.id', 'cl.case_id')
      .leftJoin('order_lines as ol', (join) =>
        join.onRef('ol.order_id', '=', 'c.order_id').onRef('ol.line_id', '=', 'cl.line_id'),
      )
      .select(['cl.case_id', 'cl.line_id', 'cl.quantity', 'ol.sku_code', 'ol.title'])
      .where('cl.case_id', 'in', caseIds)
      .orderBy('cl.line_id')
      .execute(),
    db
      .selectFrom('after_sale_return_lines')
      .selectAll()
      .where('case_id', 'in', caseIds)
      .orderBy('line_id')
      .execute(),
  ]);
  return rows.map((r) => ({
    caseId: r.case_id,
    orderId: r.order_id,
    shopId: r.shop_id,
    kind: r.kind,
    caseStatus: r.case_status,
    status: r.status,
    carrierCode: r.carrier_code,
    trackingNo: r.tracking_no,
    source: r.waybill_source,
    trackingStatus: r.tracking_status,
    warehouse: r.warehouse_code,
    createdAt: r.created_at,
    receivedAt: r.received_at,
    lines: lines
      .filter((l) => l.case_id === r.case_id)
      .map((l) => ({ lineId: l.line_id, sku: l.sku_code ?? '', title: l.title ?? '', quantity: l.quantity })),
    inspected: inspected
      .filter((l) => l.case_id === r.case_id)
      .map((l) => ({
        lineId: l.line_id,
        sku: l.sku_code,
        expected: l.expected_qty,
        restocked: l.restocked_qty,
        writtenOff: l.written_off_qty,
        held: l.held_qty,
        notes: l.notes,
      })),
  }));
}
