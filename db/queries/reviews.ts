import { sql } from 'kysely';
import type { Db } from '../connect.js';
import type { RemarkTranslation } from '../../domain/remarks/translated.js';
import { loadRemarkTranslations, translationTellsMore } from './remark-translations.js';

export interface ReviewQueueFilter {
  /** Only holds these roles clear; undefined = all (admins). */
  roles?: string[];
  reason?: string;
  platform?: string;
  shopId?: string;
  /** Only these shops' rows (a user limited to shops); an empty list matches none. */
  shopIds?: readonly string[];
  overdueOnly?: boolean;
  limit: number;
}

/**
 * Held orders waiting for a person, oldest first: for each order only the holds of its current
 * review stage (stage 2 is not shown while stage 1 is open).
 */
export async function reviewQueue(db: Db, filter: ReviewQueueFilter) {
  let query = db
    .selectFrom('order_holds as h')
    .innerJoin('orders as o', 'o.id', 'h.order_id')
    .select([
      'h.order_id',
      'h.hold_key',
      'h.reason',
      'h.stage',
      'h.cleared_by_role',
      'h.rule_id',
      'h.message',
      'h.detail',
      'h.opened_at',
      'h.escalated_at',
      'o.platform',
      'o.shop_id',
      'o.platform_order_id',
      'o.status',
      'o.flags',
      'o.goods_fen',
      'o.discount_fen',
      'o.shipping_fen',
      'o.paid_fen',
      'o.locked',
      'o.buyer_remark',
    ])
    .where('h.cleared_at', 'is', null)
    .where('o.status', '=', 'held')
    .where(
      'h.stage',
      '=',
      sql<number>`(select min(h2.stage) from order_holds h2 where h2.order_id = h.order_id and h2.cleared_at is null)`,
    )
    .orderBy('h.opened_at')
    .orderBy('h.order_id');
  if (filter.roles) query = query.where('h.cleared_by_role', 'in', filter.roles);
  if (filter.reason) query = query.where('h.reason', '=', filter.reason);
  if (filter.platform) query = query.where('o.platform', '=', filter.platform);
  if (filter.shopId) query = query.where('o.shop_id', '=', filter.shopId);
  if (filter.shopIds) query = query.where(sql<boolean>`o.shop_id = any(${[...filter.shopIds]}::text[])`);
  if (filter.overdueOnly) query = query.where('h.escalated_at', 'is not', null);
  const rows = await query.limit(filter.limit * 5).execute();

  const byOrder = new Map<string, (typeof rows)[number][]>();
  for (const row of rows) {
    const list = byOrder.get(row.order_id) ?? [];
    list.push(row);
    byOrder.set(row.order_id, list);
  }
  const listed = [...byOrder.values()].slice(0, filter.limit);
  const translations = await loadRemarkTranslations(
    db,
    listed.map((holds) => holds[0]!.buyer_remark).filter((r): r is string => !!r),
  );
  return listed.map((holds) => {
    const o = holds[0]!;
    return {
      orderId: o.order_id,
      platform: o.platform,
      shopId: o.shop_id,
      platformOrderId: o.platform_order_id,
      stage: o.stage,
      locked: o.locked,
      flags: o.flags,
      amountDueFen: o.goods_fen - o.discount_fen + o.shipping_fen,
      paidFen: o.paid_fen,
      heldSince: holds
        .map((h) => h.opened_at)
        .sort((a, b) => a.getTime() - b.getTime())[0]!
        .toISOString(),
      overdue: holds.some((h) => h.escalated_at !== null),
      buyerRemark: o.buyer_remark,
      buyerRemarkTranslation: shownTranslation(o.buyer_remark, translations),
      holds: holds.map((h) => ({
        key: h.hold_key,
        reason: h.reason,
        clearedBy: h.cleared_by_role,
        ruleId: h.rule_id,
        message: h.message,
        detail: h.detail,
        openedAt: h.opened_at.toISOString(),
        escalatedAt: h.escalated_at?.toISOString() ?? null,
      })),
    };
  });
}

/** Orders not yet with a carrier whose ship-by deadline is flagged at risk or falls within `withinSeconds`. */
export async function ordersAtRisk(
  db: Db,
  withinSeconds: number,
  limit: number,
  filter: { shopIds?: readonly string[] } = {},
) {
  const horizon = new Date(Date.now() + withinSeconds * 1000);
  let query = db
    .selectFrom('orders')
    .select([
      'id',
      'platform',
      'shop_id',
      'platform_order_id',
      'status',
      'ship_by_at',
      'ship_by_at_risk',
      'flags',
      'route_group',
      'priority',
    ])
    .where('status', 'not in', ['shipped', 'delivered', 'completed', 'cancelled'])
    .where('ship_by_at', 'is not', null)
    .where((eb) => eb.or([eb('ship_by_at_risk', '=', true), eb('ship_by_at', '<=', horizon)]))
    .orderBy('ship_by_at')
    .limit(limit);
  if (filter.shopIds) query = query.where(sql<boolean>`shop_id = any(${[...filter.shopIds]}::text[])`);
  const rows = await query.execute();
  return rows.map((r) => ({
    ...r,
    ship_by_at: r.ship_by_at!.toISOString(),
    overdue: r.ship_by_at!.getTime() < Date.now(),
  }));
}

/** The translation of a held order's remark, when it says more than the remark. */
function shownTranslation(
  remark: string | null,
  translations: Map<string, RemarkTranslation>,
): RemarkTranslation | null {
  const translation = remark ? translations.get(remark) : undefined;
  return remark && translation && translationTellsMore(remark, translation) ? translation : null;
}
