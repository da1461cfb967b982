import type { Client } from '@temporalio/client';
import type { Db } from '../db/connect.js';
import { findWarehouse } from '../db/queries/stock.js';
import { unknownReceiptLines, type ReturnReceipt } from '../domain/after-sale-returns.js';
import { returnReceivedSignal } from '../workflows/messages.js';

export type ReturnReceiptResult =
  | { outcome: 'received' | 'duplicate'; caseId: string }
  | { outcome: 'not_found' }
  | { outcome: 'not_awaited'; caseId: string; why: string }
  | { outcome: 'unknown_warehouse' }
  | { outcome: 'unknown_lines'; caseId: string; lineIds: string[] };

/**
 * A return parcel scanned at the warehouse (`POST /wms/returns/receipts`): the scan is the return
 * tracking number or the case id. The receipt is stored once per case — the same receipt sent
 * again (same idempotency key) is a duplicate and reaches the case again, another receipt for a
 * case already received is refused — and the case is told; it inspects and shelves from the
 * stored receipt.
 */
export async function takeReturnReceipt(
  deps: { db: Db; client: Client },
  input: { receipt: ReturnReceipt; key: string; actor: string },
): Promise<ReturnReceiptResult> {
  const stored = await storeReturnReceipt(deps.db, input);
  if (stored.outcome !== 'received' && stored.outcome !== 'duplicate') return stored;
  // The case reads the receipt from the table; the signal only wakes it (a repeat is ignored).
  await deps.client.workflow
    .getHandle(stored.caseId)
    .signal(returnReceivedSignal, { warehouse: stored.warehouse, at: stored.at });
  return { outcome: stored.outcome, caseId: stored.caseId };
}

/** The receipt's checks and its row, without telling the case (`takeReturnReceipt` does). */
export async function storeReturnReceipt(
  db: Db,
  input: { receipt: ReturnReceipt; key: string; actor: string },
): Promise<
  | Exclude<ReturnReceiptResult, { outcome: 'received' | 'duplicate' }>
  | { outcome: 'received' | 'duplicate'; caseId: string; warehouse: string; at: string }
> {
  const { receipt } = input;
  const parcel = await db
    .selectFrom('after_sale_returns')
    .select('case_id')
    .where((eb) => eb.or([eb('case_id', '=', receipt.scan), eb('tracking_no', '=', receipt.scan)]))
    .executeTakeFirst();
  if (!parcel) {
    const known = await db
      .selectFrom('after_sale_cases')
      .select(['id', 'status'])
      .where('id', '=', receipt.scan)
      .executeTakeFirst();
    if (!known) return { outcome: 'not_found' };
    return {
      outcome: 'not_awaited',
      caseId: known.id,
      why: `the case is ${known.status}: no return was agreed`,
    };
  }
  const caseId = parcel.case_id;
  if (!(await findWarehouse(db, receipt.warehouse))) return { outcome: 'unknown_warehouse' };
  const caseLines = await db
    .selectFrom('after_sale_case_lines')
    .select('line_id as lineId')
    .where('case_id', '=', caseId)
    .execute();
  const unknown = unknownReceiptLines(caseLines, receipt.lines);
  if (unknown.length > 0) return { outcome: 'unknown_lines', caseId, lineIds: unknown };

  const stored = await db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('after_sale_returns')
      .select('status')
      .where('case_id', '=', caseId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const earlier = await trx
      .selectFrom('after_sale_return_receipts')
      .select(['idempotency_key', 'warehouse_code', 'at'])
      .where('case_id', '=', caseId)
      .executeTakeFirst();
    if (earlier) {
      return earlier.idempotency_key === input.key
        ? ({ outcome: 'duplicate', warehouse: earlier.warehouse_code, at: earlier.at } as const)
        : ({ outcome: 'not_awaited', why: `its return was already received (${row.status})` } as const);
    }
    const at = new Date();
    await trx
      .insertInto('after_sale_return_receipts')
      .values({
        case_id: caseId,
        idempotency_key: input.key,
        warehouse_code: receipt.warehouse,
        scanned: receipt.scan,
        lines: JSON.stringify(receipt.lines),
        actor: input.actor,
        at,
      })
      .execute();
    await trx
      .updateTable('after_sale_returns')
      .set({ status: 'received', warehouse_code: receipt.warehouse, received_at: at })
      .where('case_id', '=', caseId)
      .execute();
    return { outcome: 'received', warehouse: receipt.warehouse, at } as const;
  });
  if (stored.outcome === 'not_awaited') return { ...stored, caseId };
  return { ...stored, caseId, at: new Date(stored.at).toISOString() };
}
