import type { ColumnType, JSONColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type MaybeTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type TextArray = ColumnType<string[], string[] | undefined, string[]>;

export interface ShipmentsTable {
  id: string;
  wave_id: string;
  warehouse_code: string;
  stage: string;
  handling: ColumnType<string, string | undefined, string>;
  urgent: ColumnType<boolean, boolean | undefined, boolean>;
  order_ids: TextArray;
  carrier: string | null;
  carrier_reason: string | null;
  cost_fen: number | null;
  tracking_number: string | null;
  tracking_status: string | null;
  waybill: JSONColumnType<Record<string, unknown>, string | null, string | null> | null;
  weight_g: number | null;
  length_mm: number | null;
  width_mm: number | null;
  height_mm: number | null;
  exception_kind: string | null;
  exception_detail: string | null;
  created_at: ColumnType<Date, Date | string | undefined, never>;
  picked_at: MaybeTimestamp;
  packed_at: MaybeTimestamp;
  labelled_at: MaybeTimestamp;
  shipped_at: MaybeTimestamp;
  first_scan_at: MaybeTimestamp;
  delivered_at: MaybeTimestamp;
  exception_at: MaybeTimestamp;
  updated_at: Timestamp;
  last_event_seq: ColumnType<number, number | undefined, number>;
  /** The history position of the event the workflow-owned columns show (domain/event-fence.ts). */
  last_event_run_started_at: ColumnType<Date, Date | string | undefined, Date | string>;
  last_event_history_length: ColumnType<number, number | undefined, number>;
}

export interface ShipmentOrdersTable {
  shipment_id: string;
  order_id: string;
  line_ids: TextArray;
  tracking_uploaded_at: MaybeTimestamp;
  upload_attempts: ColumnType<number, number | undefined, number>;
  upload_skipped: string | null;
}

export interface ShipmentEventsTable {
  shipment_id: string;
  seq: number;
  stage: string;
  actor: ColumnType<string, string | undefined, string>;
  detail: JSONColumnType<Record<string, unknown>, string, string>;
  at: Timestamp;
  /** Where in the workflow's history the event was emitted (domain/event-fence.ts). */
  fence_run_started_at: ColumnType<Date, Date | string | undefined, Date | string>;
  fence_history_length: ColumnType<number, number | undefined, number>;
}

export interface ShipmentLabelsTable {
  shipment_id: string;
  tracking_number: string;
  /** Rows written before labels were sealed; new rows keep only `sealed`. */
  pdf: Buffer | null;
  data: JSONColumnType<Record<string, unknown> | null, string | null, string | null>;
  /** The label data (LabelData as JSON) sealed under DATA_KEYS: it holds the deliverable receiver. */
  sealed: string | null;
  created_at: ColumnType<Date, Date | string | undefined, never>;
}

/** A label printed again (db/migrations/1001_label_reprints.ts). */
export interface LabelReprintsTable {
  shipment_id: string;
  /** Which print of the label this was: the first print is 1, the first reprint 2. */
  print_count: number;
  tracking_number: string;
  order_ids: string[];
  actor: string;
  reason: string;
  at: ColumnType<Date, Date | string | undefined, never>;
}

export interface TrackingEventsTable {
  shipment_id: string;
  at: Timestamp;
  status: string;
  description: string;
  location: string | null;
  source: string;
}

export interface OrderTimelinessView {
  order_id: string;
  platform: string;
  shop_id: string;
  paid_at: Date | null;
  shipped_at: Date | null;
  first_scan_at: Date | null;
  delivered_at: Date | null;
  paid_to_shipped_seconds: number | null;
  shipped_to_first_scan_seconds: number | null;
  shipped_to_delivered_seconds: number | null;
}

/** An order's share ready at a warehouse, waiting for (or claimed by) a wave. */
export interface WaveCandidatesTable {
  warehouse_code: string;
  order_id: string;
  join_key: string;
  /** The whole `WaveEntry` (ready order and what its shipment will need). */
  entry: JSONColumnType<Record<string, unknown>, string, string>;
  urgent: boolean;
  ready_at: Timestamp;
  joined_at: ColumnType<Date, Date | string | undefined, never>;
  wave_id: ColumnType<string | null, string | null | undefined, string | null>;
  withdrawn_at: MaybeTimestamp;
}

/** The parcels a wave formed, in order. */
export interface WaveParcelsTable {
  wave_id: string;
  seq: number;
  parcel: JSONColumnType<Record<string, unknown>, string, string>;
}

export interface FulfilmentTables {
  wave_candidates: WaveCandidatesTable;
  wave_parcels: WaveParcelsTable;
  shipments: ShipmentsTable;
  shipment_orders: ShipmentOrdersTable;
  shipment_events: ShipmentEventsTable;
  shipment_labels: ShipmentLabelsTable;
  label_reprints: LabelReprintsTable;
  tracking_events: TrackingEventsTable;
  order_timeliness: OrderTimelinessView;
}
