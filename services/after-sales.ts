import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { Config } from '../config/index.js';
import type { Db } from '../db/connect.js';
import { afterSaleWorkflowId, type AfterSalePush } from '../domain/after-sales.js';
import { orderWorkflowId } from '../domain/ids.js';
import type { RefundNotice } from '../integrations/payments/types.js';
import { refundNoticeSignal, type AfterSaleWorkflowInput } from '../workflows/messages.js';

export type CaseStartResult =
  | { outcome: 'started' | 'duplicate'; caseId: string }
  | { outcome: 'unknown_order'; orderId: string }
  | { outcome: 'unknown_lines'; lineIds: string[] }
  /** Exchange lines naming a replacement SKU that is not in the catalogue (by index in the push). */
  | { outcome: 'unknown_skus'; lines: Array<{ index: number; sku: string }> };

/**
 * Starts the case's workflow from an own store's push: the order must be known here and carry the
 * lines named. A repeat of the same case is answered as a duplicate and changes nothing.
 */
export async function startOwnStoreCase(
  deps: { db: Db; client: Client; config: Config },
  shopId: string,
  push: AfterSalePush,
): Promise<CaseStartResult> {
  const orderId = orderWorkflowId('own', shopId, push.platformOrderId);
  const lines = await deps.db
    .selectFrom('order_lines')
    .select('line_id')
    .where('order_id', '=', orderId)
    .execute();
  if (lines.length === 0) return { outcome: 'unknown_order', orderId };
  const known = new Set(lines.map((line) => line.line_id));
  const unknown = push.lines.filter((line) => !known.has(line.lineId)).map((line) => line.lineId);
  if (unknown.length > 0) return { outcome: 'unknown_lines', lineIds: unknown };
  const swaps = [...new Set(push.lines.flatMap((line) => (line.exchangeSku ? [line.exchangeSku] : [])))];
  if (swaps.length > 0) {
    const found = new Set(
      (await deps.db.selectFrom('skus').select('code').where('code', 'in', swaps).execute()).map(
        (s) => s.code,
      ),
    );
    const missing = push.lines.flatMap((line, index) =>
      line.exchangeSku && !found.has(line.exchangeSku) ? [{ index, sku: line.exchangeSku }] : [],
    );
    if (missing.length > 0) return { outcome: 'unknown_skus', lines: missing };
  }
  const caseId = afterSaleWorkflowId('own', shopId, push.caseId);
  const input: AfterSaleWorkflowInput = {
    caseId,
    platform: 'own',
    shopId,
    platformCaseId: push.caseId,
    orderId,
    kind: push.kind,
    reason: push.reason,
    lines: push.lines.map((line) => ({
      lineId: line.lineId,
      quantity: line.quantity,
      requestedFen: line.refundFen,
      ...(line.exchangeSku ? { exchangeSku: line.exchangeSku } : {}),
    })),
    requestedFen: push.lines.reduce((sum, line) => sum + line.refundFen, 0),
    payment: push.payment,
    openedAt: push.createdAt,
    financeAboveFen: deps.config.AFTER_SALE_FINANCE_ABOVE_FEN,
    trackingPollSeconds: deps.config.TRACKING_POLL_SECONDS,
    ...(push.returnWaybill ? { returnWaybill: push.returnWaybill } : {}),
  };
  try {
    await deps.client.workflow.start('afterSaleWorkflow', {
      workflowId: caseId,
      taskQueue: deps.config.TASK_QUEUE_ORDERS,
      args: [input],
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
    });
    return { outcome: 'started', caseId };
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return { outcome: 'duplicate', caseId };
    throw err;
  }
}

/**
 * A verified refund notification: remembered once per channel notification id, and passed to the
 * case that sent the refund (which reads the refund back: the notification is a hint). A
 * duplicate, or a refund no case of ours sent, is acknowledged and goes no further.
 */
export async function takeRefundNotice(
  deps: { db: Db; client: Client },
  notice: RefundNotice,
): Promise<'signalled' | 'duplicate' | 'unknown'> {
  const refund = await deps.db
    .selectFrom('payment_refunds')
    .select(['case_id', 'channel'])
    .where('refund_no', '=', notice.refundNo)
    .executeTakeFirst();
  if (!refund || refund.channel !== notice.channel) return 'unknown';
  const fresh = await deps.db
    .insertInto('payment_notices')
    .values({
      channel: notice.channel,
      notice_id: notice.noticeId,
      refund_no: notice.refundNo,
      state: notice.state,
    })
    .onConflict((c) => c.columns(['channel', 'notice_id']).doNothing())
    .returning('notice_id')
    .executeTakeFirst();
  if (!fresh) return 'duplicate';
  try {
    await deps.client.workflow
      .getHandle(refund.case_id)
      .signal(refundNoticeSignal, { refundNo: notice.refundNo, state: notice.state });
  } catch (err) {
    // The case finished already (it read the refund back itself): nothing waits for the hint.
    if (!(err instanceof Error && err.name === 'WorkflowNotFoundError')) throw err;
  }
  return 'signalled';
}
