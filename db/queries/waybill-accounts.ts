import type { Selectable } from 'kysely';
import { CarrierCodeSchema } from '../../domain/carriers/codes.js';
import {
  WAYBILL_ACCOUNT_STATES,
  WaybillServiceSchema,
  type WaybillAccount,
  type WaybillAccountState,
} from '../../domain/carriers/waybill-account.js';
import { asLabelSize } from '../../domain/carriers/label-size.js';
import type { RateTableRow } from '../../domain/carriers/rate-table.js';
import type { Db } from '../connect.js';
import type { WaybillAccountsTable } from '../tables/waybill-accounts.js';

export type WaybillAccountRow = Selectable<WaybillAccountsTable>;

export function toWaybillAccount(row: WaybillAccountRow): WaybillAccount | undefined {
  const carrier = CarrierCodeSchema.safeParse(row.carrier);
  const service = WaybillServiceSchema.safeParse(row.service);
  // A carrier or service we no longer know cannot issue; left out rather than failing the shop.
  if (!carrier.success || !service.success) return undefined;
  const state = (WAYBILL_ACCOUNT_STATES as readonly string[]).includes(row.state)
    ? (row.state as WaybillAccountState)
    : 'ok';
  return {
    id: row.id,
    shopId: row.shop_id,
    warehouseCode: row.warehouse_code,
    carrier: carrier.data,
    service: service.data,
    name: row.name,
    branchCode: row.branch_code,
    branchName: row.branch_name,
    monthlyAccount: row.monthly_account,
    productType: row.product_type,
    priority: row.priority,
    enabled: row.enabled,
    balance: row.balance,
    balanceCheckedAt: row.balance_checked_at?.toISOString() ?? null,
    lowBalanceAt: row.low_balance_at,
    state,
    stateReason: row.state_reason,
    rateTable: row.rate_table ?? null,
    labelSize: asLabelSize(row.label_size),
  };
}

/** The shop's waybill accounts with their encrypted credentials, in the seller's order. */
export async function listWaybillAccountRows(db: Db, shopId: string): Promise<WaybillAccountRow[]> {
  return db
    .selectFrom('waybill_accounts')
    .selectAll()
    .where('shop_id', '=', shopId)
    .orderBy('priority')
    .orderBy('id')
    .execute();
}

export async function listWaybillAccounts(db: Db, shopId: string): Promise<WaybillAccount[]> {
  return (await listWaybillAccountRows(db, shopId)).flatMap((row) => toWaybillAccount(row) ?? []);
}

export async function findWaybillAccountRow(
  db: Db,
  shopId: string,
  id: string,
): Promise<WaybillAccountRow | undefined> {
  return db
    .selectFrom('waybill_accounts')
    .selectAll()
    .where('shop_id', '=', shopId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** What the service said of the account: its balance, or why it is stopped. */
export async function recordWaybillAccountState(
  db: Db,
  id: string,
  report: { state?: WaybillAccountState; reason?: string | null; balance?: number | null; at?: Date },
): Promise<void> {
  const at = report.at ?? new Date();
  await db
    .updateTable('waybill_accounts')
    .set({
      ...(report.state ? { state: report.state, state_reason: report.reason ?? null } : {}),
      ...(report.balance !== undefined ? { balance: report.balance, balance_checked_at: at } : {}),
      updated_at: at,
    })
    .where('id', '=', id)
    .execute();
}

/** Replaces (or with null removes) the account's rate table. */
export async function saveWaybillAccountRates(
  db: Db,
  shopId: string,
  id: string,
  rows: RateTableRow[] | null,
  actor: string,
): Promise<boolean> {
  const at = new Date();
  const result = await db
    .updateTable('waybill_accounts')
    .set({
      rate_table: rows === null ? null : JSON.stringify(rows),
      rate_table_updated_at: at,
      rate_table_updated_by: actor,
      updated_at: at,
    })
    .where('shop_id', '=', shopId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** One waybill issued: the balance counts down until the service reports it again. */
export async function countWaybillIssued(db: Db, id: string): Promise<number | null> {
  const row = await db
    .updateTable('waybill_accounts')
    .set((eb) => ({ balance: eb('balance', '-', 1) }))
    .where('id', '=', id)
    .where('balance', '>', 0)
    .returning('balance')
    .executeTakeFirst();
  return row?.balance ?? null;
}
