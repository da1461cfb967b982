import type { Client } from '@temporalio/client';
import type { DataKeyring } from '../../db/crypto/data-keys.js';
import { openReceiversIn, sealReceiversIn } from '../../db/crypto/receivers.js';
import { raiseAlert, resolveAlerts } from '../../db/queries/alerts.js';
import type { Db } from '../../db/connect.js';
import { rateInEffect } from '../../db/queries/fx.js';
import {
  countParkedOrders,
  listParkedOrders,
  parkOrder,
  storedModifiedTimes,
  unparkOrder,
} from '../../db/queries/shops.js';
import { orderWorkflowId } from '../../domain/ids.js';
import { NormalizedOrderSchema, type NormalizedOrder } from '../../domain/order.js';
import { judgeLateSnapshot } from '../../domain/payment-window.js';
import { findFinishedOrder } from '../../db/queries/orders.js';
import { submitOrderSnapshot, type IntakeResult } from '../order-start.js';
import { mapLimit } from '../../domain/map-limit.js';
import { prepareIntake } from './intake.js';

export type IntakeOutcome =
  | IntakeResult
  /** No exchange rate for the order's currency: kept in parked_orders, an alert raised. */
  | { outcome: 'parked'; workflowId: string; currency: string; message: string }
  /** No exchange rate, and the caller asked to be told rather than park (a person is waiting). */
  | { outcome: 'refused'; workflowId: string; currency: string; message: string };

export interface TakeOptions {
  /** `park` for platforms (they cannot be told), `refuse` for people and our own-format callers. */
  onMissingRate: 'park' | 'refuse';
  /** Skip orders whose stored snapshot is as new: polling overlap re-lists them every round. */
  skipUnchanged?: boolean;
  /** A manual order (`POST /orders`): who entered it, recorded on its timeline. */
  enteredBy?: string;
}

export interface IntakeSummary {
  submitted: number;
  unchanged: number;
  parked: number;
  closed: number;
}

/** An order ready to submit, or what became of it without Temporal (parked or refused). */
export type Prepared =
  { ok: true; order: NormalizedOrder; workflowId: string } | { ok: false; outcome: IntakeOutcome };

export interface IntakeService {
  take(order: NormalizedOrder, options: TakeOptions): Promise<IntakeOutcome>;
  /** The database half of `take`: converts the order, or parks or refuses it (no Temporal call). */
  prepare(order: NormalizedOrder, options: TakeOptions): Promise<Prepared>;
  /** The Temporal half of `take`: starts or signals the prepared order's workflow. */
  submit(order: NormalizedOrder, enteredBy?: string): Promise<IntakeResult>;
  /**
   * What `submit` will answer, read from the order's record: `revived` or `closed` for an order
   * that has finished, else `accepted` — for callers that answer before submitting (webhooks).
   */
  expectedOutcome(order: NormalizedOrder): Promise<IntakeResult>;
  takeMany(orders: readonly NormalizedOrder[], options: TakeOptions): Promise<IntakeSummary>;
  /** Takes in parked orders whose currency now has a rate; resolves the alert when none remain. */
  releaseParked(filter: {
    shopId?: string;
    currency?: string;
  }): Promise<{ released: number; remaining: number }>;
}

const SUBMIT_CONCURRENCY = 16;

/**
 * One door for every order: webhooks, polls and hand entry all go through `take`, which applies
 * `prepareIntake` (currency, country codes, remark instructions) and starts or signals the order
 * workflow. An order that cannot be converted is parked or refused, never guessed at.
 */
export function createIntakeService(deps: {
  db: Db;
  client: Client;
  taskQueue: string;
  /** Seals the receivers of parked snapshots (db/crypto/receivers.ts). */
  ring: DataKeyring;
}): IntakeService {
  const { db, client, taskQueue } = deps;

  async function ratesFor(order: NormalizedOrder) {
    if (order.currency === 'CNY' || order.fx) return [];
    const rate = await rateInEffect(db, order.currency, order.paidAt ?? order.createdAt);
    return rate ? [rate] : [];
  }

  async function prepare(order: NormalizedOrder, options: TakeOptions): Promise<Prepared> {
    const workflowId = orderWorkflowId(order.platform, order.shopId, order.platformOrderId);
    const prepared = prepareIntake(order, { rates: await ratesFor(order) });
    if (prepared.ok) return { ok: true, order: prepared.order, workflowId };
    if (options.onMissingRate === 'park') {
      await parkOrder(db, {
        shopId: order.shopId,
        platformOrderId: order.platformOrderId,
        reason: prepared.reason,
        currency: prepared.currency,
        modifiedAt: order.modifiedAt,
        snapshot: sealReceiversIn(deps.ring, order) as unknown as Record<string, unknown>,
      });
    }
    const parked = await countParkedOrders(db, order.shopId);
    await raiseAlert(db, {
      shopId: order.shopId,
      kind: 'fx_rate_missing',
      message:
        options.onMissingRate === 'park'
          ? `${prepared.message}; ${parked} order(s) of this shop wait for a rate`
          : `${prepared.message}; order ${order.platformOrderId} was refused`,
    });
    return {
      ok: false,
      outcome: {
        outcome: options.onMissingRate === 'park' ? 'parked' : 'refused',
        workflowId,
        currency: prepared.currency,
        message: prepared.message,
      },
    };
  }

  async function submit(order: NormalizedOrder, enteredBy?: string): Promise<IntakeResult> {
    const result = await submitOrderSnapshot(client, taskQueue, order, undefined, enteredBy);
    return result.outcome === 'closed' ? afterClose(order, result.workflowId) : result;
  }

  async function take(order: NormalizedOrder, options: TakeOptions): Promise<IntakeOutcome> {
    const prepared = await prepare(order, options);
    return prepared.ok ? submit(prepared.order, options.enteredBy) : prepared.outcome;
  }

  /**
   * A snapshot for an order whose workflow finished. A payment is never dropped in silence: an
   * order the ERP's own payment timer ended starts again; one that ended otherwise (the platform
   * cancelled it, a reviewer rejected it) raises an alert naming it.
   */
  async function afterClose(order: NormalizedOrder, workflowId: string): Promise<IntakeResult> {
    const closed: IntakeResult = { outcome: 'closed', workflowId };
    const row = await findFinishedOrder(db, workflowId);
    if (!row) return closed;
    const verdict = judgeLateSnapshot(workflowId, row, order);
    if (verdict.action === 'alert') {
      await raiseAlert(db, { shopId: order.shopId, kind: 'paid_after_close', message: verdict.message });
    }
    if (verdict.action !== 'revive') return closed;
    return submitOrderSnapshot(client, taskQueue, order, {
      previousOutcome: row.outcome ?? 'cancelled',
      lastSeq: row.lastSeq,
    });
  }

  return {
    take,
    prepare,
    submit,

    async expectedOutcome(order) {
      const workflowId = orderWorkflowId(order.platform, order.shopId, order.platformOrderId);
      const row = await findFinishedOrder(db, workflowId);
      if (!row) return { outcome: 'accepted', workflowId };
      const verdict = judgeLateSnapshot(workflowId, row, order);
      return { outcome: verdict.action === 'revive' ? 'revived' : 'closed', workflowId };
    },

    async takeMany(orders, options) {
      const summary: IntakeSummary = { submitted: 0, unchanged: 0, parked: 0, closed: 0 };
      const ids = orders.map((o) => orderWorkflowId(o.platform, o.shopId, o.platformOrderId));
      const stored = options.skipUnchanged ? await storedModifiedTimes(db, ids) : new Map<string, number>();
      await mapLimit(orders, SUBMIT_CONCURRENCY, async (order, index) => {
        const known = stored.get(ids[index]!);
        if (known !== undefined && known >= Date.parse(order.modifiedAt)) {
          summary.unchanged += 1;
          return;
        }
        const result = await take(order, options);
        if (result.outcome === 'accepted') summary.submitted += 1;
        else if (result.outcome === 'revived') summary.submitted += 1;
        else if (result.outcome === 'closed') summary.closed += 1;
        else if (result.outcome === 'parked') summary.parked += 1;
      });
      return summary;
    },

    async releaseParked(filter) {
      let released = 0;
      const shops = new Set<string>();
      for (const row of await listParkedOrders(db, { ...filter, limit: 1000 })) {
        shops.add(row.shop_id);
        const order = NormalizedOrderSchema.parse(openReceiversIn(deps.ring, row.snapshot));
        const prepared = prepareIntake(order, { rates: await ratesFor(order) });
        if (!prepared.ok) continue;
        await submitOrderSnapshot(client, taskQueue, prepared.order);
        await unparkOrder(db, {
          shopId: row.shop_id,
          platformOrderId: row.platform_order_id,
          modifiedAt: row.modified_at,
        });
        released += 1;
      }
      let remaining = 0;
      for (const shopId of shops) {
        const left = await countParkedOrders(db, shopId);
        remaining += left;
        if (left === 0) await resolveAlerts(db, { shopId, kinds: ['fx_rate_missing'] });
      }
      return { released, remaining };
    },
  };
}
