import { createHash } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/activity';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { sql } from 'kysely';
import type { Config } from '../config/index.js';
import type { Db } from '../db/connect.js';
import { dataKeyring } from '../db/crypto/data-keys.js';
import { recordLineRefundsOnEndedOrder } from '../db/queries/ended-order-refunds.js';
import { recordCaseRefundFacts } from '../db/queries/sales-facts.js';
import {
  allocateRefund,
  linePaidFen,
  refundablePerLine,
  type AfterSaleStatus,
  type CaseLine,
} from '../domain/after-sales.js';
import type { RefundStatus } from '../domain/order.js';
import type { PaymentChannels } from '../integrations/payments/channels.js';
import { failFastOnRefusal } from './after-sale/failures.js';
import { refundOnce } from '../integrations/payments/refund-once.js';
import type { RefundOutcome, RefundState } from '../integrations/payments/types.js';
import { withRefund } from '../services/capture/refunds.js';
import { paymentNotifyUrl } from '../services/payments.js';
import {
  orderSnapshotQuery,
  orderSnapshotSignal,
  stateQuery,
  type AfterSaleWorkflowInput,
} from '../workflows/messages.js';

/** Shipment stages at which a parcel is no longer ours to stop. */
const WITH_CARRIER = new Set(['shipped', 'tracking_uploaded', 'in_transit', 'out_for_delivery', 'delivered']);

/** Whether a parcel carrying the order has left with its carrier, as the projection records it. */
async function parcelLeftWithCarrier(db: Db, orderId: string): Promise<boolean> {
  const row = await db
    .selectFrom('shipment_orders as so')
    .innerJoin('shipments as s', 's.id', 'so.shipment_id')
    .select('s.id')
    .where('so.order_id', '=', orderId)
    .where((eb) => eb.or([eb('s.shipped_at', 'is not', null), eb('s.stage', 'in', [...WITH_CARRIER])]))
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * The channel's refund number for a case's step: the same case and step always give the same
 * number (the channels' idempotency key), within both channels' alphabet and 64 characters.
 */
export function refundNumber(caseId: string, step: string): string {
  return `AS${createHash('sha256').update(`${caseId}|${step}`).digest('hex').slice(0, 30)}`;
}

export interface ChannelRefundResult {
  refundNo: string;
  state: RefundState;
  amountFen: number;
  code?: string;
}

export function createAfterSaleActivities(deps: {
  db: Db;
  client: Client;
  config: Config;
  payments: PaymentChannels;
}) {
  const { db, client, config, payments } = deps;
  const ring = dataKeyring(config);

  const channelOf = (name: string) => {
    const channel = payments[name as keyof PaymentChannels];
    if (!channel) {
      throw ApplicationFailure.create({
        type: 'payment_channel_not_configured',
        message: `${name} is not configured (docs/after-sales.md): the refund waits for a person`,
        nonRetryable: true,
      });
    }
    return channel;
  };
  /** Channel errors that retrying will not cure become non-retryable failures. */
  const call = (work: () => Promise<RefundOutcome>) => failFastOnRefusal(work);
  const store = async (refundNo: string, outcome: RefundOutcome) => {
    await db
      .updateTable('payment_refunds')
      .set({
        state: outcome.state,
        channel_refund_id: outcome.channelRefundId ?? null,
        detail: outcome.code ? `${outcome.code} ${outcome.detail ?? ''}`.trim() : null,
        updated_at: new Date(),
      })
      .where('refund_no', '=', refundNo)
      .execute();
  };

  return {
    /** Records the case, its lines and its first timeline entry (once, whatever the retries). */
    async openAfterSaleCase(input: AfterSaleWorkflowInput): Promise<void> {
      await db.transaction().execute(async (trx) => {
        const inserted = await trx
          .insertInto('after_sale_cases')
          .values({
            id: input.caseId,
            platform: input.platform,
            shop_id: input.shopId,
            platform_case_id: input.platformCaseId,
            order_id: input.orderId,
            kind: input.kind,
            status: 'open',
            reason: input.reason,
            requested_fen: input.requestedFen,
            payment_channel: input.payment?.channel ?? null,
            out_trade_no: input.payment?.outTradeNo ?? null,
            opened_at: input.openedAt,
          })
          .onConflict((c) => c.column('id').doNothing())
          .returning('id')
          .executeTakeFirst();
        if (!inserted) return;
        // A platform case whose order never arrived has no lines to name (it waits for a person).
        if (input.lines.length > 0)
          await trx
            .insertInto('after_sale_case_lines')
            .values(
              input.lines.map((line) => ({
                case_id: input.caseId,
                line_id: line.lineId,
                quantity: line.quantity,
                requested_fen: line.requestedFen,
                exchange_sku: line.exchangeSku ?? null,
              })),
            )
            .execute();
        await trx
          .insertInto('after_sale_events')
          .values({
            case_id: input.caseId,
            step: 'open',
            stage: 'opened',
            status: 'open',
            actor: input.lostParcel?.decidedBy ?? (input.platform === 'own' ? 'own store' : input.platform),
            detail: JSON.stringify({
              kind: input.kind,
              reason: input.reason,
              requestedFen: input.requestedFen,
              lines: input.lines,
              ...(input.lostParcel ? { lostParcel: input.lostParcel.parcelId } : {}),
            }),
            at: input.openedAt,
          })
          .execute();
      });
    },

    /** Writes the case's projection and one timeline entry per step. */
    async recordAfterSaleStep(input: {
      caseId: string;
      step: string;
      status: AfterSaleStatus;
      stage: string;
      actor: string;
      detail: Record<string, unknown>;
      waitingFor: string | null;
      agreedFen: number | null;
      refundedFen: number;
      outcome: string | null;
    }): Promise<void> {
      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable('after_sale_cases')
          .set({
            status: input.status,
            waiting_for: input.waitingFor,
            agreed_fen: input.agreedFen,
            refunded_fen: input.refundedFen,
            outcome: input.outcome,
            updated_at: new Date(),
          })
          .where('id', '=', input.caseId)
          .execute();
        const written = await trx
          .insertInto('after_sale_events')
          .values({
            case_id: input.caseId,
            step: input.step,
            stage: input.stage,
            status: input.status,
            actor: input.actor,
            detail: JSON.stringify(input.detail),
          })
          .onConflict((c) => c.columns(['case_id', 'step']).doNothing())
          .returning('at')
          .executeTakeFirst();
        const refundNo = input.detail.refundNo;
        if (written && input.stage === 'refunded' && typeof refundNo === 'string') {
          await recordCaseRefundFacts(trx, {
            caseId: input.caseId,
            step: input.step,
            refundNo,
            at: written.at.toISOString(),
          });
        }
      });
    },

    /**
     * Changes the refund state of the named lines on the order through the order's own line-refund
     * path (docs/order-semantics.md): the order's latest snapshot with those lines changed, as a
     * newer snapshot. Repeating it changes nothing. Says whether a parcel with the order is already
     * with the carrier, and the order's status. An order whose workflow has ended (shipped on the
     * platform, delivered) takes no snapshot any more: the change goes to its projection and
     * timeline instead (`recordLineRefundsOnEndedOrder`), so the order shows what the case settled.
     */
    async changeOrderLineRefunds(input: {
      orderId: string;
      lineIds: string[];
      status: RefundStatus;
      caseId?: string;
    }): Promise<{ handedOver: boolean; orderStatus: string | null }> {
      const handle = client.workflow.getHandle(input.orderId);
      const onEndedOrder = async (handedOver: boolean) => {
        const written = await recordLineRefundsOnEndedOrder(db, ring, {
          orderId: input.orderId,
          lineIds: input.lineIds,
          status: input.status,
          caseId: input.caseId ?? null,
        });
        return { handedOver, orderStatus: written.orderStatus };
      };
      try {
        // An ended order is read from its projection: a query would have a worker replay its whole
        // history (slow on a busy machine, and a deadline exceeded there failed the activity).
        const described = await handle.describe();
        if (described.status.name !== 'RUNNING') {
          const handedOver = await parcelLeftWithCarrier(db, input.orderId);
          if (handedOver && input.status === 'requested') {
            const order = await db
              .selectFrom('orders')
              .select('status')
              .where('id', '=', input.orderId)
              .executeTakeFirst();
            return { handedOver, orderStatus: order?.status ?? null };
          }
          return await onEndedOrder(handedOver);
        }
        const [snapshot, state] = await Promise.all([
          handle.query(orderSnapshotQuery),
          handle.query(stateQuery),
        ]);
        const handedOver = state.parcels.some((parcel) => WITH_CARRIER.has(parcel.stage));
        if (handedOver && input.status === 'requested') return { handedOver, orderStatus: state.status };
        const at = new Date(Math.max(Date.now(), Date.parse(snapshot.modifiedAt) + 1000)).toISOString();
        const next = withRefund(snapshot, { status: input.status, modifiedAt: at, lineIds: input.lineIds });
        if (next !== snapshot) {
          try {
            await handle.signal(orderSnapshotSignal, next);
          } catch (err) {
            // Ended between the look and the signal.
            if (!(err instanceof WorkflowNotFoundError)) throw err;
            return await onEndedOrder(handedOver);
          }
        }
        return { handedOver, orderStatus: state.status };
      } catch (err) {
        // No workflow at all (its history is past retention): the projection is all there is.
        if (err instanceof WorkflowNotFoundError)
          return onEndedOrder(await parcelLeftWithCarrier(db, input.orderId));
        throw err;
      }
    },

    /**
     * Sends the case's refund through the channel that took the money, once. The amount per line is
     * capped at what the line paid less what other refunds on it took; the row is written first
     * (refund number = case + step) so a retry reuses its amount, and `refundOnce` reads the channel
     * before sending.
     */
    async refundThroughChannel(input: {
      caseId: string;
      step: string;
      orderId: string;
      channel: 'alipay' | 'wechatpay';
      outTradeNo: string;
      lines: CaseLine[];
      agreedFen: number;
      reason: string;
    }): Promise<ChannelRefundResult> {
      const channel = channelOf(input.channel);
      const refundNo = refundNumber(input.caseId, input.step);
      const planned = await db.transaction().execute(async (trx) => {
        await sql`select pg_advisory_xact_lock(hashtext(${input.orderId}))`.execute(trx);
        const existing = await trx
          .selectFrom('payment_refunds')
          .selectAll()
          .where('refund_no', '=', refundNo)
          .executeTakeFirst();
        const order = await trx
          .selectFrom('orders')
          .select('paid_fen')
          .where('id', '=', input.orderId)
          .executeTakeFirst();
        if (existing)
          return { amountFen: existing.amount_fen, totalFen: order?.paid_fen ?? existing.amount_fen };
        const lines = await trx
          .selectFrom('order_lines')
          .select(['line_id', 'unit_price_fen', 'quantity', 'discount_fen', 'tax_fen'])
          .where('order_id', '=', input.orderId)
          .execute();
        const earlier = await trx
          .selectFrom('payment_refunds')
          .select('lines')
          .where('order_id', '=', input.orderId)
          .where('state', 'not in', ['failed', 'closed', 'not_found'])
          .execute();
        const refundable = refundablePerLine(
          lines.map((l) => ({
            lineId: l.line_id,
            paidFen: linePaidFen({
              unitPriceFen: l.unit_price_fen,
              quantity: l.quantity,
              discountFen: l.discount_fen,
              taxFen: l.tax_fen,
            }),
          })),
          earlier.flatMap((row) => row.lines),
        );
        const split = allocateRefund(input.lines, input.agreedFen, refundable);
        const amountFen = split.reduce((sum, line) => sum + line.amountFen, 0);
        if (amountFen === 0) return { amountFen: 0, totalFen: 0 };
        await trx
          .insertInto('payment_refunds')
          .values({
            refund_no: refundNo,
            case_id: input.caseId,
            step: input.step,
            order_id: input.orderId,
            channel: input.channel,
            out_trade_no: input.outTradeNo,
            amount_fen: amountFen,
            lines: JSON.stringify(split),
            state: 'sending',
          })
          .execute();
        return { amountFen, totalFen: order?.paid_fen ?? amountFen };
      });
      if (planned.amountFen === 0)
        return { refundNo, state: 'failed', amountFen: 0, code: 'NOTHING_LEFT_TO_REFUND' };
      const notifyUrl = paymentNotifyUrl(config, input.channel);
      const outcome = await call(() =>
        refundOnce(channel, {
          outTradeNo: input.outTradeNo,
          refundNo,
          amountFen: planned.amountFen,
          totalFen: planned.totalFen,
          reason: input.reason || '售后退款',
          ...(notifyUrl ? { notifyUrl } : {}),
        }),
      );
      await store(refundNo, outcome);
      return {
        refundNo,
        state: outcome.state,
        amountFen: planned.amountFen,
        ...(outcome.code ? { code: outcome.code } : {}),
      };
    },

    /** Reads a sent refund back from its channel and records where it stands. */
    async readChannelRefund(input: { refundNo: string }): Promise<ChannelRefundResult> {
      const row = await db
        .selectFrom('payment_refunds')
        .selectAll()
        .where('refund_no', '=', input.refundNo)
        .executeTakeFirstOrThrow();
      const outcome = await call(() =>
        channelOf(row.channel).query({ outTradeNo: row.out_trade_no, refundNo: row.refund_no }),
      );
      await store(row.refund_no, outcome);
      return {
        refundNo: row.refund_no,
        // Sent but not visible yet at the channel: still on its way.
        state: outcome.state === 'not_found' ? 'processing' : outcome.state,
        amountFen: row.amount_fen,
        ...(outcome.code ? { code: outcome.code } : {}),
      };
    },
  };
}
