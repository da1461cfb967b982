import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Config } from '../config/index.js';
import { exchangeOrderId, type CaseLine } from '../domain/after-sales.js';
import type { NormalizedOrder } from '../domain/order.js';
import { submitOrderSnapshot } from '../services/order-start.js';
import { orderSnapshotQuery, stateQuery } from '../workflows/messages.js';

/** Shipment stages at which the replacement parcel is with the carrier. */
const WITH_CARRIER = new Set(['shipped', 'tracking_uploaded', 'in_transit', 'out_for_delivery', 'delivered']);

/**
 * Exchanges (docs/after-sales.md): the replacement goes out as an order of its own — the same
 * buyer, receiver and SKUs, nothing to pay — so it is audited, allocated, waved, picked, packed,
 * labelled, handed over and tracked by the same workflows as any parcel.
 */
export function createAfterSaleExchangeActivities({ client, config }: { client: Client; config: Config }) {
  return {
    /** Starts the replacement order (once: its id is the original order's and the case's). */
    async startExchangeOrder(input: {
      orderId: string;
      platformCaseId: string;
      caseId: string;
      lines: CaseLine[];
    }): Promise<{ orderId: string }> {
      const original = await client.workflow.getHandle(input.orderId).query(orderSnapshotQuery);
      const now = new Date().toISOString();
      const wanted = new Map(input.lines.map((line) => [line.lineId, line.quantity]));
      const replacement: NormalizedOrder = {
        ...original,
        platformOrderId: exchangeOrderId(original.platformOrderId, input.platformCaseId),
        status: 'paid',
        refundStatus: 'none',
        type: 'normal',
        createdAt: now,
        paidAt: now,
        modifiedAt: now,
        amounts: { goodsFen: 0, discountFen: 0, shippingFen: 0, paidFen: 0 },
        lines: original.lines
          .filter((line) => wanted.has(line.lineId))
          .map((line) => {
            const { refundStatus: _refund, taxFen: _tax, ...rest } = line;
            return { ...rest, quantity: wanted.get(line.lineId)!, unitPriceFen: 0, discountFen: 0 };
          }),
        sellerMemo: `换货 ${input.caseId}`,
      };
      delete replacement.buyerRemark;
      delete replacement.presale;
      delete replacement.fx;
      const started = await submitOrderSnapshot(client, config.TASK_QUEUE_ORDERS, replacement);
      return { orderId: started.workflowId };
    },

    /** The replacement's parcel once it is with the carrier, else null. */
    async exchangeShipment(input: {
      orderId: string;
    }): Promise<{ carrier: string | null; trackingNo: string } | null> {
      try {
        const state = await client.workflow.getHandle(input.orderId).query(stateQuery);
        const parcel = state.parcels.find((p) => WITH_CARRIER.has(p.stage) && p.trackingNumber);
        return parcel ? { carrier: parcel.carrier, trackingNo: parcel.trackingNumber! } : null;
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) return null;
        throw err;
      }
    },
  };
}
