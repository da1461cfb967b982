import type { ColumnType } from 'kysely';
import type { RateTableRow } from '../../domain/carriers/rate-table.js';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
type Nullable<T> = ColumnType<T | null, T | null | undefined, T | null>;

/** One electronic-waybill account of a shop (domain/carriers/waybill-account.ts). */
export interface WaybillAccountsTable {
  id: string;
  shop_id: string;
  /** Null: any of the shop's warehouses. */
  warehouse_code: Nullable<string>;
  carrier: string;
  service: string;
  name: string;
  branch_code: Nullable<string>;
  branch_name: Nullable<string>;
  monthly_account: Nullable<string>;
  product_type: Nullable<string>;
  /** AES-256-GCM, associated data `waybill-account:<id>` (services/capture/credentials.ts). */
  credentials_encrypted: string;
  priority: ColumnType<number, number | undefined, number>;
  enabled: ColumnType<boolean, boolean | undefined, boolean>;
  /** Waybills left as the service last reported them; null when it reports none. */
  balance: Nullable<number>;
  balance_checked_at: Nullable<Date>;
  low_balance_at: ColumnType<number, number | undefined, number>;
  state: ColumnType<string, string | undefined, string>;
  state_reason: Nullable<string>;
  /** The account's rate table (domain/carriers/rate-table.ts); null: none. */
  rate_table: ColumnType<RateTableRow[] | null, string | null | undefined, string | null>;
  rate_table_updated_at: Nullable<Date>;
  rate_table_updated_by: Nullable<string>;
  /** `100x150` or `76x130` (db/migrations/1003). */
  label_size: ColumnType<string, string | undefined, string>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface WaybillAccountTables {
  waybill_accounts: WaybillAccountsTable;
}
