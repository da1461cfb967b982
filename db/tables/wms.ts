import type { ColumnType, Generated, JSONColumnType } from 'kysely';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
type Counter = ColumnType<number, number | undefined, number>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export interface BinLocationsTable {
  warehouse_code: string;
  bin_code: string;
  sku_code: string;
  created_at: CreatedAt;
}

export interface WmsWavesTable {
  id: string;
  warehouse_code: string;
  status: string;
  /** The WMS the wave was released to (`built_in`, `qimen`). */
  wms_kind: ColumnType<string, string | undefined, string>;
  parcel_count: number;
  unit_count: number;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface WmsPackTasksTable {
  parcel_id: string;
  wave_id: string;
  warehouse_code: string;
  handling: string;
  urgent: ColumnType<boolean, boolean | undefined, boolean>;
  order_ids: string[];
  estimated_weight_g: number;
  status: string;
  packed_weight_g: number | null;
  length_mm: number | null;
  width_mm: number | null;
  height_mm: number | null;
  packed_by: string | null;
  packed_at: NullableTimestamp;
  cancel_reason: string | null;
  /** An external WMS's own id for the parcel (Qimen `deliveryOrderId`). */
  wms_order_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** The last status the external WMS reported (Qimen `processStatus`). */
  wms_status: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface WmsParcelContentsTable {
  parcel_id: string;
  order_id: string;
  allocation_id: string;
  line_id: string;
  sku_code: string;
  qty: number;
}

export interface WmsPickLinesTable {
  id: Generated<number>;
  wave_id: string;
  seq: number;
  bin_code: string | null;
  sku_code: string;
  qty: number;
  picked: Counter;
  short: Counter;
  damaged: Counter;
  cancelled: Counter;
}

export interface WmsPickDemandsTable {
  id: Generated<number>;
  pick_line_id: number;
  priority: number;
  parcel_id: string;
  order_id: string;
  allocation_id: string;
  qty: number;
  picked: Counter;
  lost: Counter;
  cancelled: Counter;
}

export interface WmsConfirmationsTable {
  key: string;
  kind: string;
  wave_id: string | null;
  parcel_id: string | null;
  payload: JSONColumnType<Record<string, unknown>, string, string>;
  outcome: JSONColumnType<Record<string, unknown>, string | undefined, string>;
  actor: string;
  at: CreatedAt;
}

export interface WmsExceptionsTable {
  id: Generated<number>;
  kind: string;
  wave_id: string;
  parcel_id: string;
  order_id: string;
  allocation_id: string;
  warehouse_code: string;
  sku_code: string;
  bin_code: string | null;
  qty: number;
  replenishment_request_id: number | null;
  confirmation_key: string;
  status: ColumnType<string, string | undefined, string>;
  resolution: string | null;
  created_at: CreatedAt;
  resolved_at: NullableTimestamp;
}

/** The WMS running a warehouse, when it is not the built-in one. */
export interface WarehouseWmsTable {
  warehouse_code: string;
  kind: string;
  settings: JSONColumnType<Record<string, unknown>, string | undefined, string>;
  updated_by: string;
  updated_at: UpdatedAt;
}

export interface WmsTables {
  warehouse_wms: WarehouseWmsTable;
  bin_locations: BinLocationsTable;
  wms_waves: WmsWavesTable;
  wms_pack_tasks: WmsPackTasksTable;
  wms_parcel_contents: WmsParcelContentsTable;
  wms_pick_lines: WmsPickLinesTable;
  wms_pick_demands: WmsPickDemandsTable;
  wms_confirmations: WmsConfirmationsTable;
  wms_exceptions: WmsExceptionsTable;
}
