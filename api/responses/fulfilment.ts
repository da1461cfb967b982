import { z } from 'zod';
import { WaitingSchema } from './waiting.js';
import { SHIPMENT_STAGES } from '../../workflows/messages.js';

/** What the shipment, WMS and stock routes answer (OpenAPI and the web UI's types). */

const at = z.string().describe('ISO 8601 date-time');
const json = z.record(z.string(), z.unknown());

const ShipmentRow = z.object({
  id: z.string(),
  wave_id: z.string(),
  warehouse_code: z.string(),
  stage: z.string(),
  handling: z.string(),
  urgent: z.boolean(),
  order_ids: z.array(z.string()),
  carrier: z.string().nullable(),
  carrier_reason: z.string().nullable(),
  cost_fen: z.number().nullable(),
  tracking_number: z.string().nullable(),
  tracking_status: z.string().nullable(),
  waybill: json.nullable(),
  weight_g: z.number().nullable(),
  length_mm: z.number().nullable(),
  width_mm: z.number().nullable(),
  height_mm: z.number().nullable(),
  exception_kind: z.string().nullable(),
  exception_detail: z.string().nullable(),
  created_at: z.date(),
  picked_at: z.date().nullable(),
  packed_at: z.date().nullable(),
  labelled_at: z.date().nullable(),
  shipped_at: z.date().nullable(),
  first_scan_at: z.date().nullable(),
  delivered_at: z.date().nullable(),
  exception_at: z.date().nullable(),
  updated_at: z.date(),
  last_event_seq: z.number(),
});

export const ShipmentListResponse = z.object({ shipments: z.array(ShipmentRow) });

export const ShipmentStateSchema = z.object({
  shipmentId: z.string(),
  warehouse: z.string(),
  waveId: z.string(),
  stage: z.enum(SHIPMENT_STAGES),
  orderIds: z.array(z.string()),
  carrier: z.string().nullable(),
  carrierReason: z.string().nullable(),
  trackingNumber: z.string().nullable(),
  trackingStatus: z.string().nullable(),
  exception: z.object({ kind: z.string(), detail: z.string(), since: at }).nullable(),
  lockedOrders: z.array(z.object({ orderId: z.string(), reason: z.string().nullable() })).optional(),
  waitingFor: z.string().nullable(),
  waiting: WaitingSchema,
  uploads: z
    .array(
      z.object({
        orderId: z.string(),
        uploadedAt: at.nullable(),
        attempts: z.number(),
        skipped: z.string().nullable(),
      }),
    )
    .optional(),
  timeline: z.array(z.object({ stage: z.string(), at, detail: json })).optional(),
});

export const LabelReprinted = z.object({
  shipmentId: z.string(),
  trackingNumber: z.string(),
  reason: z.string(),
  /** How many times the label has now been printed, the first print included. */
  printCount: z.number(),
  actor: z.string(),
  at: z.date(),
  /** Where to fetch what to print: the label PDF, or the print component's task for a sealed e-waybill. */
  print: z.string(),
});

export const ShipmentDetailResponse = z.object({
  shipment: ShipmentRow,
  orders: z.array(
    z.object({
      shipment_id: z.string(),
      order_id: z.string(),
      line_ids: z.array(z.string()),
      tracking_uploaded_at: z.date().nullable(),
      upload_attempts: z.number(),
      upload_skipped: z.string().nullable(),
    }),
  ),
  timeline: z.array(
    z.object({
      shipment_id: z.string(),
      seq: z.number(),
      stage: z.string(),
      actor: z.string(),
      detail: json,
      at: z.date(),
    }),
  ),
  tracking: z.array(
    z.object({
      shipment_id: z.string(),
      at: z.date(),
      status: z.string(),
      description: z.string(),
      location: z.string().nullable(),
      source: z.string(),
    }),
  ),
  /** The shipment workflow's live state; null when it did not answer. */
  state: ShipmentStateSchema.nullable(),
});

export const ShipmentStateAnswer = z.object({ state: ShipmentStateSchema });

/** A wave asked to form now: the warehouse and how many orders were waiting for it. */
export const WaveFlushAccepted = z.object({ warehouse: z.string(), orders: z.number().int() });

export const WaveListResponse = z.object({
  waves: z.array(
    z.object({
      waveId: z.string(),
      warehouse: z.string(),
      status: z.string(),
      parcels: z.number(),
      units: z.number(),
      createdAt: at,
      updatedAt: at,
    }),
  ),
});

const PickLine = z.object({
  seq: z.number(),
  /** Null when the SKU has no bin in this warehouse. */
  bin: z.string().nullable(),
  sku: z.string(),
  qty: z.number(),
  demands: z.array(
    z.object({
      parcelId: z.string(),
      orderId: z.string(),
      allocationId: z.string(),
      qty: z.number(),
      priority: z.number(),
    }),
  ),
  picked: z.number(),
  short: z.number(),
  damaged: z.number(),
  cancelled: z.number(),
});

const ParcelContent = z.object({
  orderId: z.string(),
  allocationId: z.string(),
  lineId: z.string(),
  sku: z.string(),
  qty: z.number(),
});

export const WaveDetailResponse = z.object({
  waveId: z.string(),
  warehouse: z.string(),
  wms: z.string(),
  status: z.string(),
  createdAt: at,
  pickList: z.array(PickLine),
  packTasks: z.array(
    z.object({
      parcelId: z.string(),
      waveId: z.string(),
      warehouse: z.string(),
      handling: z.string(),
      urgent: z.boolean(),
      orderIds: z.array(z.string()),
      estimatedWeightG: z.number(),
      status: z.string(),
      contents: z.array(ParcelContent),
    }),
  ),
});

export const PickListResponse = z.object({
  waveId: z.string(),
  warehouse: z.string(),
  status: z.string(),
  lines: z.array(PickLine),
});

export const WmsExceptionListResponse = z.object({
  exceptions: z.array(
    z.object({
      id: z.number(),
      kind: z.string(),
      waveId: z.string(),
      parcelId: z.string(),
      orderId: z.string(),
      allocationId: z.string(),
      warehouse: z.string(),
      sku: z.string(),
      bin: z.string().nullable(),
      qty: z.number(),
      replenishmentRequestId: z.number().nullable(),
      status: z.string(),
      resolution: z.string().nullable(),
      createdAt: at,
      resolvedAt: at.nullable(),
    }),
  ),
});

export const ExceptionResolved = z.object({
  id: z.number(),
  status: z.string(),
  resolution: z.string().nullable(),
});

export const HandoverAccepted = z.object({ accepted: z.literal(true) });

export const WarehouseView = z.object({
  code: z.string(),
  name: z.string(),
  province: z.string(),
  regionCode: z.string().nullable(),
  coverage: z.array(z.object({ province: z.string(), priority: z.number() })),
  capabilities: z.array(z.string()),
  active: z.boolean(),
  createdAt: at,
  updatedAt: at,
});
export const WarehouseListResponse = z.object({ warehouses: z.array(WarehouseView) });

export const StockListResponse = z.object({
  stock: z.array(
    z.object({
      warehouse: z.string(),
      sku: z.string(),
      onHand: z.number(),
      reserved: z.number(),
      available: z.number(),
      updatedAt: at,
    }),
  ),
});

export const LedgerResponse = z.object({
  movements: z.array(
    z.object({
      id: z.number(),
      warehouse: z.string(),
      sku: z.string(),
      kind: z.string(),
      qty: z.number(),
      onHandDelta: z.number(),
      reservedDelta: z.number(),
      orderId: z.string().nullable(),
      allocationId: z.string().nullable(),
      reference: z.string().nullable(),
      actor: z.string(),
      reason: z.string().nullable(),
      at,
    }),
  ),
  /** Pass as `before` for the next page; null on the last page. */
  nextBefore: z.number().nullable(),
});
