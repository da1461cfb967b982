import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Config } from '../config/index.js';
import type { Db } from '../db/connect.js';
import { exchangeOrderId, reshipOrderId, type CaseLine } from '../domain/after-sales.js';
import type { NormalizedOrder } from '../domain/order.js';
import { submitOrderSnapshot } from '../services/order-start.js';
import { orderSnapshotQuery, stateQuery } from '../workflows/messages.js';
import type { PlatformGateway } from '../integrations/platforms/gateway.js';
import type { ExchangeReceiver } from '../integrations/platforms/after-sales-types.js';
import { AuthError, RequestRejectedError } from '../integrations/platforms/errors.js';

/** Shipment stages at which the replacement parcel is with the carrier. */
const WITH_CARRIER = new Set(['shipped', 'tracking_uploaded', 'in_transit', 'out_for_delivery', 'delivered']);

/**
 * Exchanges (docs/after-sales.md): the replacement goes out as an order of its own — the same
 * buyer, receiver and SKUs, nothing to pay — so it is audited, allocated, waved, picked, packed,
 * labelled, handed over and tracked by the same workflows as any parcel.
 */
export function createAfterSaleExchangeActivities({
  client,
  config,
  db,
  platforms,
}: {
  client: Client;
  config: Config;
  /** The catalogue: a line exchanged for another SKU takes that SKU's name. */
  db?: Db;
  /** Reads a marketplace's protected receiver for the replacement (bound to the original trade). */
  platforms?: PlatformGateway;
}) {
  return {
    /**
     * Starts the replacement order (once: its id is the original order's and the case's, so a
     * retried call signals the order already started instead of starting a second). A line
     * exchanged for another SKU (another size or colour) ships as that SKU, under its catalogue name;
     * the swaps are answered so the case's timeline names them.
     */
    async startExchangeOrder(input: {
      orderId: string;
      platformCaseId: string;
      caseId: string;
      lines: CaseLine[];
      /**
       * Where the replacement goes as the platform's exchange shows it (PDD), in plain; absent: the
       * original order's receiver.
       */
      receiver?: ExchangeReceiver;
      /**
       * A reship (补寄): the case's lines sent again, nothing back — named `-RS-` instead of `-EX-`
       * and marked 补寄 for the warehouse. Absent: an exchange's replacement.
       */
      purpose?: 'reship';
    }): Promise<{ orderId: string; swaps?: Array<{ lineId: string; from: string; to: string }> }> {
      const original = await client.workflow.getHandle(input.orderId).query(orderSnapshotQuery);
      const now = new Date().toISOString();
      const wanted = new Map(input.lines.map((line) => [line.lineId, line.quantity]));
      const swapTo = new Map(
        input.lines.flatMap((line) => (line.exchangeSku ? [[line.lineId, line.exchangeSku] as const] : [])),
      );
      const names = new Map<string, string>();
      if (swapTo.size > 0 && db) {
        const rows = await db
          .selectFrom('skus')
          .select(['code', 'name'])
          .where('code', 'in', [...new Set(swapTo.values())])
          .execute();
        for (const row of rows) names.set(row.code, row.name);
      }
      const swaps: Array<{ lineId: string; from: string; to: string }> = [];
      const replacement: NormalizedOrder = {
        ...original,
        platformOrderId: (input.purpose === 'reship' ? reshipOrderId : exchangeOrderId)(
          original.platformOrderId,
          input.platformCaseId,
        ),
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
            const to = swapTo.get(line.lineId);
            const swapped =
              to && to !== line.skuCode
                ? (swaps.push({ lineId: line.lineId, from: line.skuCode, to }),
                  // The platform's SKU id named the SKU sold; the replacement is ours only.
                  { skuCode: to, platformSkuId: '', title: names.get(to) ?? line.title })
                : {};
            return {
              ...rest,
              ...swapped,
              quantity: wanted.get(line.lineId)!,
              unitPriceFen: 0,
              discountFen: 0,
            };
          }),
        sellerMemo: `${input.purpose === 'reship' ? '补寄' : '换货'} ${input.caseId}`,
      };
      // A marketplace's protected receiver (Taobao OAID, PDD ciphertext) is bound to the original
      // trade, which the replacement is not: it carries the receiver read through the platform now
      // (kept encrypted at rest like any receiver). Refused: it stays protected, and the
      // replacement's shipment stops for a person as any withheld receiver does.
      if (input.receiver) {
        // The exchange names the buyer's address for it: no decryption of the original trade.
        replacement.receiver = { country: original.receiver.country, ...input.receiver, protected: false };
      } else if (original.receiver.protected && platforms) {
        try {
          const open = await platforms.decryptReceiver(original.shopId, {
            platform: original.platform,
            shopId: original.shopId,
            platformOrderId: original.platformOrderId,
            receiver: original.receiver,
          });
          const { addressHandle: _handle, ...plain } = open;
          replacement.receiver = { ...plain, protected: false };
        } catch (err) {
          if (!(err instanceof AuthError) && !(err instanceof RequestRejectedError)) throw err;
        }
      }
      delete replacement.buyerRemark;
      delete replacement.presale;
      delete replacement.fx;
      const started = await submitOrderSnapshot(client, config.TASK_QUEUE_ORDERS, replacement);
      return { orderId: started.workflowId, ...(swaps.length > 0 ? { swaps } : {}) };
    },

    /**
     * Cancels a replacement order that is not yet with the carrier (the exchange turned into a
     * refund): the order is told it was cancelled, as a platform cancellation is told, so its
     * reservation is released and it leaves its wave. Answers once the order ended cancelled, or
     * `shipped` where its parcel reached the carrier first (too late); meanwhile it retries.
     */
    async cancelExchangeOrder(input: { orderId: string }): Promise<{ cancelled: boolean }> {
      const handle = client.workflow.getHandle(input.orderId);
      const state = await handle.query(stateQuery);
      if (state.parcels.some((p) => WITH_CARRIER.has(p.stage))) return { cancelled: false };
      if (state.status === 'cancelled') return { cancelled: true };
      const snapshot = await handle.query(orderSnapshotQuery);
      if (snapshot.status !== 'cancelled') {
        const now = new Date(Math.max(Date.now(), Date.parse(snapshot.modifiedAt) + 1000)).toISOString();
        await submitOrderSnapshot(client, config.TASK_QUEUE_ORDERS, {
          ...snapshot,
          status: 'cancelled',
          modifiedAt: now,
        });
      }
      // Retried until the order answers one way or the other.
      throw new Error(`the replacement ${input.orderId} is being cancelled (${state.status})`);
    },

    /**
     * Our SKU for a platform's SKU id the shop's mappings name (`platform_sku_mappings`: the shop's
     * own mapping before the platform-wide one), as order lines are mapped; null where none does.
     */
    async mapExchangeSku(input: {
      platform: string;
      shopId: string;
      platformSkuId: string;
    }): Promise<{ skuCode: string } | null> {
      if (!db) return null;
      const rows = await db
        .selectFrom('platform_sku_mappings')
        .select(['shop_id', 'sku_code'])
        .where('platform', '=', input.platform)
        .where('platform_sku_id', '=', input.platformSkuId)
        .where((eb) => eb.or([eb('shop_id', '=', input.shopId), eb('shop_id', 'is', null)]))
        .execute();
      const row = rows.find((r) => r.shop_id === input.shopId) ?? rows.find((r) => r.shop_id === null);
      return row ? { skuCode: row.sku_code } : null;
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
