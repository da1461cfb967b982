import { sql, type Transaction } from 'kysely';
import type { NormalizedOrder } from '../../domain/order.js';
import type { Db } from '../connect.js';
import type { Database } from '../schema.js';

export interface OrderEventInput {
  orderId: string;
  seq: number;
  stage: string;
  status: string;
  actor: string;
  detail: Record<string, unknown>;
  at: string;
}

type Executor = Db | Transaction<Database>;

/**
 * Writes the order and its lines. A snapshot only replaces what is stored when it is at least as
 * new as the stored one (platform modified time), so retries and out-of-order deliveries are harmless.
 * Returns true when the stored snapshot changed.
 */
export async function upsertOrderSnapshot(
  db: Executor,
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
    receiver: JSON.stringify(order.receiver),
    currency: order.currency,
    goods_fen: order.amounts.goodsFen,
    discount_fen: order.amounts.discountFen,
    shipping_fen: order.amounts.shippingFen,
    paid_fen: order.amounts.paidFen,
    buyer_remark: order.buyerRemark ?? null,
    seller_memo: order.sellerMemo ?? null,
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
      })),
    )
    .execute();
  return true;
}

/**
 * Appends one timeline event (at most once per seq) and moves the order's status forward.
 * A late retry of an earlier step never moves the status back.
 */
export async function appendOrderEvent(db: Executor, event: OrderEventInput): Promise<boolean> {
  const inserted = await db
    .insertInto('order_events')
    .values({
      order_id: event.orderId,
      seq: event.seq,
      stage: event.stage,
      status: event.status,
      actor: event.actor,
      detail: JSON.stringify(event.detail),
      at: event.at,
    })
    .onConflict((oc) => oc.columns(['order_id', 'seq']).doNothing())
    .returning('id')
    .executeTakeFirst();
  await db
    .updateTable('orders')
    .set({ status: event.status, last_event_seq: event.seq, updated_at: new Date() })
    .where('id', '=', event.orderId)
    .where('last_event_seq', '<', event.seq)
    .execute();
  return inserted !== undefined;
}

export async function findOrder(db: Db, orderId: string) {
  const order = await db.selectFrom('orders').selectAll().where('id', '=', orderId).executeTakeFirst();
  if (!order) return undefined;
  const [lines, events] = await Promise.all([
    db.selectFrom('order_lines').selectAll().where('order_id', '=', orderId).orderBy('line_id').execute(),
    db.selectFrom('order_events').selectAll().where('order_id', '=', orderId).orderBy('seq').execute(),
  ]);
  return { order, lines, events };
}

export interface OrderListFilter {
  status?: string;
  platform?: string;
  shopId?: string;
  limit: number;
  /** Opaque cursor: the captured_at/id of the last row of the previous page. */
  after?: { capturedAt: Date; id: string };
}

export async function listOrders(db: Db, filter: OrderListFilter) {
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
      'captured_at',
      'updated_at',
    ])
    .orderBy('captured_at', 'desc')
    .orderBy('id', 'desc')
    .limit(filter.limit);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.platform) query = query.where('platform', '=', filter.platform);
  if (filter.shopId) query = query.where('shop_id', '=', filter.shopId);
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
