import { sql, type Transaction } from 'kysely';
import { lineRefundStatus, rolledUpRefundStatus } from '../../domain/line-refunds.js';
import type { RefundStatus } from '../../domain/order.js';
import type { Db } from '../connect.js';
import type { DataKeyring } from '../crypto/data-keys.js';
import type { Database } from '../schema.js';
import { appendOrderEvent } from './orders.js';

export type EndedOrderRefundResult =
  { outcome: 'changed' | 'unchanged'; orderStatus: string } | { outcome: 'unknown'; orderStatus: null };

/**
 * An after-sales case changed lines of an order whose workflow has ended (shipped on the platform,
 * delivered, completed): nobody is left to take the change as a snapshot, so it goes straight to
 * the order's projection — the named lines' refund states, the order's roll-up — and onto the
 * order's timeline as `refund_lines_changed`, like a running order records it (and with the same
 * sales facts). The order's status stays what it ended as. Lines already in that state change
 * nothing and write no event: a retried activity, or the same case settling twice, is harmless.
 *
 * The event continues the order's timeline after its last event; its fence is the moment of the
 * change, which is after every event the ended run wrote (db/queries/timeline-fence.ts).
 */
export async function recordLineRefundsOnEndedOrder(
  db: Db,
  ring: DataKeyring,
  input: { orderId: string; lineIds: string[]; status: RefundStatus; caseId: string | null },
): Promise<EndedOrderRefundResult> {
  return db.transaction().execute(async (trx) => {
    const order = await trx
      .selectFrom('orders')
      .select(['status', 'refund_status'])
      .where('id', '=', input.orderId)
      .forUpdate()
      .executeTakeFirst();
    if (!order) return { outcome: 'unknown', orderStatus: null };
    const rows = await trx
      .selectFrom('order_lines')
      .select(['line_id', 'refund_status'])
      .where('order_id', '=', input.orderId)
      .orderBy('line_id')
      .execute();
    const stored = {
      refundStatus: order.refund_status as RefundStatus,
      lines: rows.map((r) => ({ refundStatus: (r.refund_status ?? undefined) as RefundStatus | undefined })),
    };
    const named = new Set(input.lineIds);
    // The case's lines take its state; the others keep their own (an order-level state was the
    // platform's roll-up of this very case: they had none of their own), as `withRefund` does.
    const lines = rows.map((r, i) => ({
      lineId: r.line_id,
      was: lineRefundStatus(stored, stored.lines[i]!),
      refundStatus: named.has(r.line_id) ? input.status : (stored.lines[i]!.refundStatus ?? 'none'),
    }));
    if (lines.every((l) => l.was === l.refundStatus))
      return { outcome: 'unchanged', orderStatus: order.status };

    for (const line of lines) {
      await trx
        .updateTable('order_lines')
        .set({ refund_status: line.refundStatus })
        .where('order_id', '=', input.orderId)
        .where('line_id', '=', line.lineId)
        .execute();
    }
    const refundStatus = rolledUpRefundStatus(lines.map((l) => l.refundStatus));
    await trx
      .updateTable('orders')
      .set({ refund_status: refundStatus, updated_at: new Date() })
      .where('id', '=', input.orderId)
      .execute();
    await appendAfterLastEvent(trx, ring, {
      orderId: input.orderId,
      stage: 'refund_lines_changed',
      status: order.status,
      actor: input.caseId ?? 'after-sales',
      detail: {
        refundStatus,
        lines: lines.map((l) => ({ lineId: l.lineId, refundStatus: l.refundStatus })),
        caseLineIds: input.lineIds,
        caseStatus: input.status,
        caseId: input.caseId,
        afterOrderEnded: true,
      },
    });
    return { outcome: 'changed', orderStatus: order.status };
  });
}

/**
 * One event continuing an ended order's timeline after its last event; its fence is the moment of
 * the write, which is after every event the ended run wrote (db/queries/timeline-fence.ts).
 */
async function appendAfterLastEvent(
  trx: Transaction<Database>,
  ring: DataKeyring,
  event: { orderId: string; stage: string; status: string; actor: string; detail: Record<string, unknown> },
): Promise<void> {
  const last = await trx
    .selectFrom('order_events')
    .select(sql<number>`coalesce(max(seq), 0)`.as('seq'))
    .where('order_id', '=', event.orderId)
    .executeTakeFirstOrThrow();
  const at = new Date().toISOString();
  await appendOrderEvent(trx, ring, {
    ...event,
    seq: Number(last.seq) + 1,
    at,
    fence: { runStartedAt: at, historyLength: 0 },
  });
}

/**
 * An after-sales case's note (an interception asked of the platform) on the timeline of an order
 * whose workflow has ended, under the order's row lock; once per `key` (kept as `noteKey`).
 * Answers whether it wrote (false: the order is unknown, or the note is there already).
 */
export async function noteOnEndedOrder(
  db: Db,
  ring: DataKeyring,
  note: { orderId: string; key: string; stage: string; actor: string; detail: Record<string, unknown> },
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const order = await trx
      .selectFrom('orders')
      .select('status')
      .where('id', '=', note.orderId)
      .forUpdate()
      .executeTakeFirst();
    if (!order) return false;
    const there = await trx
      .selectFrom('order_events')
      .select('id')
      .where('order_id', '=', note.orderId)
      .where('stage', '=', note.stage)
      .where(sql<string>`detail->>'noteKey'`, '=', note.key)
      .executeTakeFirst();
    if (there) return false;
    await appendAfterLastEvent(trx, ring, {
      orderId: note.orderId,
      stage: note.stage,
      status: order.status,
      actor: note.actor,
      detail: { ...note.detail, noteKey: note.key, afterOrderEnded: true },
    });
    return true;
  });
}
