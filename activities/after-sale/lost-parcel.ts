import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { Config } from '../../config/index.js';
import type { Db } from '../../db/connect.js';
import { parcelLineUnits } from '../../db/queries/wms.js';
import { lostParcelCaseId, lostParcelRefundLines } from '../../domain/lost-parcels.js';
import type { NormalizedOrder, PaymentRef } from '../../domain/order.js';
import type { AfterSaleWorkflowInput } from '../../workflows/messages.js';

export interface LostParcelRefundInput {
  orderId: string;
  parcelId: string;
  order: Pick<NormalizedOrder, 'platform' | 'shopId' | 'platformOrderId' | 'lines'>;
  /** The order's lines the parcel carried, as the order knows them (used whole when its contents are unknown). */
  lineIds: string[];
  payment: PaymentRef;
  reason: string;
  decidedBy: string;
  decidedAt: string;
}

/**
 * Starts the after-sales case that refunds an own-store order's share of a lost parcel through the
 * channel the buyer paid with (docs/after-sales.md). Its id is fixed by shop, parcel and order, so
 * a retried activity (or a replayed order) finds the case it started instead of a second one.
 */
export function createLostParcelRefundActivities(deps: {
  db: Db;
  client: Client;
  config: Pick<Config, 'TASK_QUEUE_ORDERS' | 'AFTER_SALE_FINANCE_ABOVE_FEN'>;
}) {
  const { db, client, config } = deps;
  return {
    async startLostParcelRefund(
      input: LostParcelRefundInput,
    ): Promise<{ caseId: string; requestedFen: number; started: boolean }> {
      const { shopId, platformOrderId } = input.order;
      const caseId = lostParcelCaseId(shopId, input.parcelId, platformOrderId);
      const carried = await parcelLineUnits(db, input);
      const units =
        carried.length > 0
          ? carried
          : input.order.lines
              .filter((l) => input.lineIds.includes(l.lineId))
              .map((l) => ({ lineId: l.lineId, quantity: l.quantity }));
      // What the lines took, as the refund step caps it (the projection's lines, in CNY fen).
      const paid = await db
        .selectFrom('order_lines')
        .select(['line_id', 'quantity', 'unit_price_fen', 'discount_fen', 'tax_fen'])
        .where('order_id', '=', input.orderId)
        .execute();
      const lines = lostParcelRefundLines(
        paid.map((l) => ({
          lineId: l.line_id,
          quantity: l.quantity,
          unitPriceFen: l.unit_price_fen,
          discountFen: l.discount_fen,
          taxFen: l.tax_fen,
        })),
        units,
      );
      const requestedFen = lines.reduce((sum, line) => sum + line.requestedFen, 0);
      const args: AfterSaleWorkflowInput = {
        caseId,
        platform: 'own',
        shopId,
        platformCaseId: caseId.slice(`aftersale:own:${shopId}:`.length),
        orderId: input.orderId,
        kind: 'refund_only',
        reason: `丢件退款 ${input.reason}`.slice(0, 200),
        lines,
        requestedFen,
        payment: input.payment,
        openedAt: input.decidedAt,
        financeAboveFen: config.AFTER_SALE_FINANCE_ABOVE_FEN,
        lostParcel: {
          parcelId: input.parcelId,
          decidedBy: input.decidedBy,
          decidedAt: input.decidedAt,
          reason: input.reason,
        },
      };
      try {
        await client.workflow.start('afterSaleWorkflow', {
          workflowId: caseId,
          taskQueue: config.TASK_QUEUE_ORDERS,
          args: [args],
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
        });
        return { caseId, requestedFen, started: true };
      } catch (err) {
        if (err instanceof WorkflowExecutionAlreadyStartedError)
          return { caseId, requestedFen, started: false };
        throw err;
      }
    },
  };
}
