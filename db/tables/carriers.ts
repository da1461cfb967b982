import type { ColumnType, JSONColumnType } from 'kysely';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;

/** A seller's account with one carrier (see domain/carriers/account.ts for the field meanings). */
export interface CarrierAccountsTable {
  shop_id: string;
  carrier: string;
  enabled: ColumnType<boolean, boolean | undefined, boolean>;
  waybill_channel: string | null;
  monthly_account: string | null;
  service_type: string | null;
  sender: JSONColumnType<Record<string, unknown> | null, string | null, string | null>;
  rate_overrides: JSONColumnType<Record<string, unknown>, string | undefined, string>;
  limit_overrides: JSONColumnType<Record<string, unknown>, string | undefined, string>;
  priority: ColumnType<number, number | undefined, number>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface CarrierTables {
  carrier_accounts: CarrierAccountsTable;
}
