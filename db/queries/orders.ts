import { sql, type Transaction } from 'kysely';
import type { EventFence } from '../../domain/event-fence.js';
import type { NormalizedOrder } from '../../domain/order.js';
import type { OrderProjection } from '../../domain/order-projection.js';
import { TERMINAL_STATUSES, type OrderStatus } from '../../domain/order-status.js';
import type { Db } from '../connect.js';
import type { DataKeyring } from '../crypto/data-keys.js';
import {
  openReceiver,
  openReceiversIn,
  phoneTailHash,
  phoneTailLookup,
  sealReceiver,
  sealReceiversIn,
} from '../crypto/receivers.js';
import type { Database } from '../schema.js';
import {
  FENCE_ANSWER,
  lastEventColumns,
  ORDER_TIMELINE,
  timelineWrite,
  writeOnTimeline,
} from './timeline-fence.js';
import { recordOrderEventFacts } from './sales-facts.js';
import { recordStageTime } from './stage-times.js';

export interface OrderEventInput {
  orderId: string;
  seq: number;
  stage: string;
  status: string;
  actor: string;
  detail: Record<string, unknown>;
  at: string;
  /** Where in the workflow's history the event was emitted; absent from writers that predate it. */
  fence?: EventFence;
  /** The workflow-owned columns as of this event; applied only if this is the newest event. */
  projection?: OrderProjection;
}

type Executor = Db | Transaction<Database>;

/**
 * Writes the order and its lines. A snapshot only replaces what is stored when it is at least as
 * new as the stored one (platform modified time), so retries and out-of-order deliveries are harmless.
 * Returns true when the stored snapshot changed.
 */
export async function upsertOrderSnapshot(
  db: Executor,
  ring: DataKeyring,
  orderId: string,
  order: NormalizedOrder,
  status: string,
): Promise<boolean> {
  const row = {
    id: orderId,
    platform: order.platform,
    shop_id: order.shopId,
    platform_order_id: order.platformOrderId,
    status,
    platform_status: order.status,
    refund_status: order.refundStatus,
    order_type: order.type,
    buyer_id: order.buyer.id,
    buyer_nick: order.buyer.nick ?? null,
    receiver: JSON.stringify(sealReceiver(ring, order.receiver)),
    receiver_phone_tail: phoneTailHash(ring, order.receiver.phone),
    receiver_province: order.receiver.province || null,
    currency: order.currency,
    goods_fen: order.amounts.goodsFen,
    discount_fen: order.amounts.discountFen,
    shipping_fen: order.amounts.shippingFen,
    tax_fen: order.amounts.taxFen ?? 0,
    paid_fen: order.amounts.paidFen,
    buyer_remark: order.buyerRemark ?? null,
    seller_memo: order.sellerMemo ?? null,
    original_currency: order.fx?.originalCurrency ?? null,
    fx: order.fx ? JSON.stringify(order.fx) : null,
    instructions: order.instructions ?? [],
    platform_created_at: order.createdAt,
    paid_at: order.paidAt ?? null,
    platform_modified_at: order.modifiedAt,
    updated_at: new Date(),
  };
  const { status: _status, id: _id, ...snapshotColumns } = row;
  const written = await db
    .insertInto('orders')
    .values(row)
    .onConflict((oc) =>
      oc
        .column('id')
        .doUpdateSet(snapshotColumns)
        .where('orders.platform_modified_at', '<=', sql<Date>`excluded.platform_modified_at`),
    )
    .returning('id')
    .executeTakeFirst();
  if (!written) return false;

  await db.deleteFrom('order_lines').where('order_id', '=', orderId).execute();
  await db
    .insertInto('order_lines')
    .values(
      order.lines.map((line) => ({
        order_id: orderId,
        line_id: line.lineId,
        sku_code: line.skuCode,
        platform_sku_id: line.platformSkuId,
        title: line.title,
        quantity: line.quantity,
        unit_price_fen: line.unitPriceFen,
        discount_fen: line.discountFen,
        tax_fen: line.taxFen ?? 0,
        refund_status: line.refundStatus ?? null,
      })),
    )
    .execute();
  return true;
}

/**
 * Appends a stage's timeline events in one transaction, in their order: the writes a workflow
 * carried to its next activity instead of one activity each (each event keyed as appendOrderEvent).
 */
export async function appendOrderEvents(
  db: Db,
  ring: DataKeyring,
  events: readonly OrderEventInput[] | undefined,
): Promise<void> {
  if (!events?.length) return;
  await db.transaction().execute(async (trx) => {
    for (const event of events) await appendOrderEvent(trx, ring, event);
  });
}

/**
 * Appends one timeline event (at most once per seq) and moves the order's status forward.
 * A late retry of an earlier step never moves the status back. An event from a lost workflow task
 * gives way to the event that really happened under its sequence number (db/queries/timeline-fence.ts).
 * Returns true when the event was written.
 */
export async function appendOrderEvent(
  trx: Transaction<Database>,
  ring: DataKeyring,
  event: OrderEventInput,
  /**
   * `reports: false` leaves out the reports' writes (sales facts and their rollups, stage times):
   * only for the write-cost benchmark (bench/reports.ts), which measures what they add. The
   * pipeline always keeps them.
   */
  options: { reports?: boolean } = {},
): Promise<boolean> {
  const place = { id: event.orderId, seq: event.seq, fence: event.fence };
  const written = await writeOnTimeline(trx, ORDER_TIMELINE, place, () => writeOrderEvent(trx, ring, event));
  if (!written) return false;
  if (written.inserted && options.reports !== false) {
    await recordOrderEventFacts(trx, event);
    await recordStageTime(trx, event);
  }
  return written.inserted;
}

/**
 * The event, the order's row and its holds in one statement (one round trip), after the timeline
 * is locked (timelineWrite): the event, the order's status and projection if this is its newest
 * event, and then the order's holds the projection's.
 */
async function writeOrderEvent(
  trx: Transaction<Database>,
  ring: DataKeyring,
  event: OrderEventInput,
): Promise<{ stale: boolean; lost: boolean; inserted: boolean }> {
  const { orderId, seq } = event;
  const p = event.projection;
  const holds = JSON.stringify(p?.holds ?? []);
  const keys = p?.holds.map((h) => h.key) ?? [];
  const write = {
    id: orderId,
    seq,
    fence: event.fence,
    columns: [
      ['stage', event.stage, 'text'],
      ['status', event.status, 'text'],
      ['actor', event.actor, 'text'],
      ['detail', JSON.stringify(sealReceiversIn(ring, event.detail)), 'jsonb'],
      ['at', event.at, 'timestamptz'],
    ],
    set: {
      status: event.status,
      ...lastEventColumns(seq, event.fence),
      updated_at: new Date(),
      ...(p
        ? {
            flags: p.flags,
            locked: p.locked,
            route_group: p.routeGroup,
            priority: p.priority,
            held_since: p.heldSince,
            ship_by_at: p.shipByAt,
            ship_by_at_risk: p.shipByAtRisk,
            internal_memo: p.internalMemo,
            carrier_preference: p.carrierPreference,
            effective_receiver: p.effectiveReceiver
              ? JSON.stringify(sealReceiver(ring, p.effectiveReceiver))
              : null,
            effective_phone_tail: p.effectiveReceiver ? phoneTailHash(ring, p.effectiveReceiver.phone) : null,
            effective_province: p.effectiveReceiver?.province || null,
            outcome: p.outcome,
          }
        : {}),
    },
  } as const;
  const row = await timelineWrite(trx, ORDER_TIMELINE, write, { returning: true })
    // The order's holds become the projection's (it carries every hold, open or cleared): a hold
    // only a lost workflow task raised is not the order's. Different rows from the upsert below.
    .with('holds_gone', (qb) =>
      qb
        .deleteFrom('order_holds')
        .where('order_id', '=', orderId)
        .where(sql<boolean>`${p !== undefined}::boolean and exists (select 1 from moved)`)
        .$if(keys.length > 0, (q) => q.where('hold_key', 'not in', keys)),
    )
    .with('holds_set', (qb) =>
      qb
        .insertInto('order_holds')
        .columns([
          'order_id',
          'hold_key',
          'reason',
          'stage',
          'cleared_by_role',
          'rule_id',
          'message',
          'detail',
          'opened_at',
          'escalated_at',
          'cleared_at',
          'cleared_by',
          'decision',
          'note',
        ])
        .expression(
          sql`select ${orderId}::text, h.key, h.reason, h.stage, h."clearedBy", h."ruleId", h.message,
            h.detail, h."openedAt", h."escalatedAt", h."clearedAt", h."clearedByActor", h.decision, h.note
          from jsonb_to_recordset(${holds}::jsonb) as h(key text, reason text, stage integer,
            "clearedBy" text, "ruleId" text, message text, detail text, "openedAt" timestamptz,
            "escalatedAt" timestamptz, "clearedAt" timestamptz, "clearedByActor" text, decision text, note text)
          where exists (select 1 from moved)`,
        )
        .onConflict((oc) =>
          oc.columns(['order_id', 'hold_key']).doUpdateSet((eb) => ({
            reason: eb.ref('excluded.reason'),
            stage: eb.ref('excluded.stage'),
            cleared_by_role: eb.ref('excluded.cleared_by_role'),
            rule_id: eb.ref('excluded.rule_id'),
            message: eb.ref('excluded.message'),
            detail: eb.ref('excluded.detail'),
            opened_at: eb.ref('excluded.opened_at'),
            escalated_at: eb.ref('excluded.escalated_at'),
            cleared_at: eb.ref('excluded.cleared_at'),
            cleared_by: eb.ref('excluded.cleared_by'),
            decision: eb.ref('excluded.decision'),
            note: eb.ref('excluded.note'),
          })),
        ),
    )
    .selectNoFrom([...FENCE_ANSWER, sql<boolean>`exists (select 1 from ev)`.as('inserted')])
    .executeTakeFirstOrThrow();
  return row;
}

/** The order, its lines and timeline, with its receivers opened. */
export async function findOrder(db: Db, ring: DataKeyring, orderId: string) {
  const row = await db.selectFrom('orders').selectAll().where('id', '=', orderId).executeTakeFirst();
  if (!row) return undefined;
  const [lines, events] = await Promise.all([
    db.selectFrom('order_lines').selectAll().where('order_id', '=', orderId).orderBy('line_id').execute(),
    db.selectFrom('order_events').selectAll().where('order_id', '=', orderId).orderBy('seq').execute(),
  ]);
  const { receiver_phone_tail: _tail, effective_phone_tail: _effectiveTail, ...order } = row;
  return {
    order: {
      ...order,
      receiver: openReceiver(ring, order.receiver),
      effective_receiver: order.effective_receiver && openReceiver(ring, order.effective_receiver),
    },
    lines,
    events: events.map((e) => ({ ...e, detail: openReceiversIn(ring, e.detail) })),
  };
}

export interface OrderListFilter {
  status?: string;
  platform?: string;
  shopId?: string;
  /** Only these shops' rows (a user limited to shops); an empty list matches none. */
  shopIds?: readonly string[];
  /** Our order id, the platform's order id, or the buyer's id or nick (exact; or a part of the nick). */
  q?: string;
  /** The last 4 digits of the receiver's phone number (as edited by a reviewer, if edited). */
  phoneTail?: string;
  trackingNumber?: string;
  /** The seller's SKU code on a line. */
  sku?: string;
  type?: string;
  flag?: string;
  locked?: boolean;
  /** Captured at or after / before. */
  from?: Date;
  to?: Date;
  /** Ship-by deadline up to `upTo` (after `after` when given), for orders not yet with the carrier. */
  shipBy?: { after?: Date; upTo: Date };
  limit: number;
  /** Opaque cursor: the captured_at/id of the last row of the previous page. */
  after?: { capturedAt: Date; id: string };
}

/** Orders whose ship-by deadline no longer binds: with the carrier, or ended. */
const SHIPPED_OR_ENDED = ['shipped', 'delivered', 'completed', 'cancelled'] as const;

export async function listOrders(db: Db, ring: DataKeyring, filter: OrderListFilter) {
  let query = db
    .selectFrom('orders')
    .select([
      'id',
      'platform',
      'shop_id',
      'platform_order_id',
      'status',
      'platform_status',
      'refund_status',
      'order_type',
      'currency',
      'goods_fen',
      'discount_fen',
      'shipping_fen',
      'paid_fen',
      'buyer_nick',
      'flags',
      'locked',
      'held_since',
      'ship_by_at',
      'ship_by_at_risk',
      'captured_at',
      'updated_at',
    ])
    .orderBy('captured_at', 'desc')
    .orderBy('id', 'desc')
    .limit(filter.limit);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.platform) query = query.where('platform', '=', filter.platform);
  if (filter.shopId) query = query.where('shop_id', '=', filter.shopId);
  if (filter.shopIds) query = query.where(sql<boolean>`shop_id = any(${[...filter.shopIds]}::text[])`);
  if (filter.type) query = query.where('order_type', '=', filter.type);
  if (filter.flag) query = query.where(sql<boolean>`${filter.flag} = any(flags)`);
  if (filter.locked !== undefined) query = query.where('locked', '=', filter.locked);
  if (filter.from) query = query.where('captured_at', '>=', filter.from);
  if (filter.to) query = query.where('captured_at', '<', filter.to);
  if (filter.shipBy) {
    query = query
      .where('status', 'not in', [...SHIPPED_OR_ENDED])
      .where('ship_by_at', '<=', filter.shipBy.upTo);
    if (filter.shipBy.after) query = query.where('ship_by_at', '>', filter.shipBy.after);
  }
  const q = filter.q;
  if (q) {
    const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) =>
      eb.or([
        eb('id', '=', q),
        eb('platform_order_id', '=', q),
        eb('buyer_id', '=', q),
        eb('buyer_nick', 'ilike', like),
      ]),
    );
  }
  if (filter.phoneTail) {
    // Receivers are sealed: the tail is found by its lookup hash (db/crypto/receivers.ts).
    query = query.where(
      sql<string>`coalesce(effective_phone_tail, receiver_phone_tail)`,
      '=',
      phoneTailLookup(ring, filter.phoneTail),
    );
  }
  if (filter.trackingNumber) {
    const tracking = filter.trackingNumber;
    query = query.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('shipments')
          .select(sql`1`.as('one'))
          .where('tracking_number', '=', tracking)
          .where(sql<boolean>`orders.id = any(shipments.order_ids)`),
      ),
    );
  }
  if (filter.sku) {
    const sku = filter.sku;
    query = query.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('order_lines')
          .select(sql`1`.as('one'))
          .whereRef('order_lines.order_id', '=', 'orders.id')
          .where('sku_code', '=', sku),
      ),
    );
  }
  if (filter.after) {
    const { capturedAt, id } = filter.after;
    query = query.where((eb) =>
      eb.or([
        eb('captured_at', '<', capturedAt),
        eb.and([eb('captured_at', '=', capturedAt), eb('id', '<', id)]),
      ]),
    );
  }
  return query.execute();
}

/** A finished order's end as its projection recorded it, and the last timeline seq it wrote. */
export async function findFinishedOrder(
  db: Db,
  orderId: string,
): Promise<{ status: OrderStatus; outcome: string | null; lastSeq: number } | undefined> {
  const row = await db
    .selectFrom('orders')
    .select(['status', 'outcome', 'last_event_seq'])
    .where('id', '=', orderId)
    .where('status', 'in', [...TERMINAL_STATUSES])
    .executeTakeFirst();
  return row && { status: row.status as OrderStatus, outcome: row.outcome, lastSeq: row.last_event_seq };
}
