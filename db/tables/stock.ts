import type { ColumnType, Generated, JSONColumnType } from 'kysely';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
type TextArray = ColumnType<string[], string[] | undefined, string[]>;

export interface WarehouseCoverageEntry {
  province: string;
  priority: number;
}

export interface WarehousesTable {
  code: string;
  name: string;
  province: string;
  region_code: string | null;
  coverage: JSONColumnType<WarehouseCoverageEntry[], string, string>;
  capabilities: TextArray;
  active: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface StockTable {
  warehouse_code: string;
  sku_code: string;
  on_hand: ColumnType<number, number | undefined, number>;
  reserved: ColumnType<number, number | undefined, number>;
  updated_at: UpdatedAt;
}

export interface StockOperationsTable {
  key: string;
  kind: string;
  outcome: JSONColumnType<Record<string, unknown>, string | undefined, string>;
  at: CreatedAt;
}

export interface StockLedgerTable {
  id: Generated<number>;
  warehouse_code: string;
  sku_code: string;
  kind: string;
  /** Units moved; for a pick neither count changes but the movement is recorded. */
  qty: number;
  on_hand_delta: number;
  reserved_delta: number;
  order_id: string | null;
  allocation_id: string | null;
  reference: string | null;
  idempotency_key: string;
  actor: string;
  reason: string | null;
  at: CreatedAt;
}

export interface StockReservationsTable {
  id: Generated<number>;
  order_id: string;
  allocation_id: string;
  warehouse_code: string;
  sku_code: string;
  qty: number;
  status: string;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface ReplenishmentRequestsTable {
  id: Generated<number>;
  warehouse_code: string;
  sku_code: string;
  qty_short: number;
  qty_received: ColumnType<number, number | undefined, number>;
  status: ColumnType<string, string | undefined, string>;
  order_ids: TextArray;
  reasons: TextArray;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface StockWaitsTable {
  order_id: string;
  seq: Generated<number>;
  sku_codes: string[];
  request: JSONColumnType<Record<string, unknown>, string, string>;
  attempt: ColumnType<number, number | undefined, number>;
  waiting_since: CreatedAt;
  /** Set when a stock receipt reserved for the order and has not yet told its workflow. */
  resumed_allocation_id: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface StockTables {
  warehouses: WarehousesTable;
  stock: StockTable;
  stock_operations: StockOperationsTable;
  stock_ledger: StockLedgerTable;
  stock_reservations: StockReservationsTable;
  replenishment_requests: ReplenishmentRequestsTable;
  stock_waits: StockWaitsTable;
}
