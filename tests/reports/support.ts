import { sql } from 'kysely';
import { expect } from 'vitest';
import { createOrderProjectionActivities } from '../../activities/order-projection.js';
import type { Db } from '../../db/connect.js';
import {
  salesSeries,
  salesTotals,
  type SalesFigures,
  type SalesFilter,
} from '../../db/queries/reports/sales.js';
import type { Granularity } from '../../domain/reports/period.js';
import type { NormalizedOrder, OrderPush } from '../../domain/order.js';
import type { Platform } from '../../domain/platforms.js';
import type { Harness } from '../support/harness.js';
import { orderPush, uniqueId } from '../support/fixtures.js';

type Line = OrderPush['lines'][number];

/** A line of `quantity` × `unitPriceFen` of `skuCode`. */
export function line(
  lineId: string,
  skuCode: string,
  quantity: number,
  unitPriceFen: number,
  discountFen = 0,
): Line {
  return {
    lineId,
    platformSkuId: `p-${skuCode}`,
    skuCode,
    title: skuCode,
    quantity,
    unitPriceFen,
    discountFen,
  };
}

/**
 * Writes an order's timeline the way the order workflow's activities write it (the projection's
 * own activities), so the sales facts come from the same writes production makes.
 */
export function timelineWriter(h: Harness) {
  const projection = createOrderProjectionActivities({ db: h.db, config: h.config });
  return {
    async place(
      platform: Platform,
      shopId: string,
      o: {
        buyer: string;
        createdAt: string;
        paidAt?: string;
        lines: Line[];
        shippingFen?: number;
        fx?: NormalizedOrder['fx'];
        /** The receiver's province (the fixture's 浙江省 otherwise). */
        province?: string;
      },
    ) {
      const goods = o.lines.reduce((s, l) => s + l.unitPriceFen * l.quantity, 0);
      const discount = o.lines.reduce((s, l) => s + l.discountFen, 0);
      const shipping = o.shippingFen ?? 0;
      const { paidAt: _defaultPaidAt, ...push } = orderPush({
        platformOrderId: uniqueId('R'),
        status: o.paidAt ? 'paid' : 'awaiting_payment',
        createdAt: o.createdAt,
        ...(o.paidAt ? { paidAt: o.paidAt } : {}),
        modifiedAt: o.paidAt ?? o.createdAt,
        amounts: {
          goodsFen: goods,
          discountFen: discount,
          shippingFen: shipping,
          paidFen: o.paidAt ? goods - discount + shipping : 0,
        },
        buyer: { id: o.buyer, nick: o.buyer },
        lines: o.lines,
      });
      const order: NormalizedOrder = {
        ...push,
        ...(o.province ? { receiver: { ...push.receiver, province: o.province } } : {}),
        platform,
        shopId,
        ...(o.fx ? { fx: o.fx } : {}),
      };
      const orderId = `order:${platform}:${shopId}:${order.platformOrderId}`;
      let seq = 0;
      const event = (stage: string, status: string, at: string, detail: Record<string, unknown> = {}) => ({
        orderId,
        seq: ++seq,
        stage,
        status,
        actor: 'system',
        detail,
        at,
      });
      await projection.recordOrderSnapshot({
        orderId,
        order,
        event: event('captured', 'captured', o.createdAt),
      });
      const step = (stage: string, status: string, at: string, detail: Record<string, unknown> = {}) =>
        projection.recordOrderEvent(event(stage, status, at, detail));
      if (o.paidAt) await step('payment_confirmed', 'auditing', o.paidAt, { paidFen: order.amounts.paidFen });
      return {
        orderId,
        order,
        step,
        again: (s: number, stage: string, at: string, detail = {}) =>
          projection.recordOrderEvent({ orderId, seq: s, stage, status: stage, actor: 'system', detail, at }),
      };
    },
  };
}

/** The sales figures per bucket of `g`, or of the whole period (bucket '') without one. */
export async function salesBuckets(
  db: Db,
  f: SalesFilter,
  g: Granularity | null,
): Promise<Array<SalesFigures & { bucket: string }>> {
  return g === null ? [{ bucket: '', ...(await salesTotals(db, f)) }] : salesSeries(db, f, g);
}

/**
 * A figure of every bucket answered is the count `expected` gives for it (0 when it has none), and
 * every bucket `expected` has is answered.
 */
export function expectBuckets(
  got: ReadonlyArray<SalesFigures & { bucket: string }>,
  expected: ReadonlyMap<string, number>,
  figure: 'payingBuyers' | 'skusSold',
  what: string,
): void {
  for (const b of got) expect(b[figure], `${what} ${b.bucket}`).toBe(expected.get(b.bucket) ?? 0);
  for (const [bucket, n] of expected)
    expect(got.find((b) => b.bucket === bucket)?.[figure], `${what} ${bucket}`).toBe(n);
}

/**
 * Every SKU paid or refunded in the period and filter, counted from the paid and refund facts, most
 * paid first (then units, then code): [SKU, paid lines, paid fen, units, refund fen, refunded units],
 * what the top SKUs must give.
 */
export async function skuFiguresFromFacts(
  db: Db,
  f: SalesFilter,
): Promise<Array<[string, number, number, number, number, number]>> {
  const rows = await sql<{
    sku_code: string;
    lines: number;
    paid_fen: string;
    units: number;
    refund_fen: string;
    refunded_units: number;
  }>`
    select sku_code, count(*) filter (where kind = 'paid')::int as lines,
      coalesce(sum(amount_fen) filter (where kind = 'paid'), 0)::bigint as paid_fen,
      coalesce(sum(quantity) filter (where kind = 'paid'), 0)::int as units,
      coalesce(sum(amount_fen) filter (where kind = 'refund'), 0)::bigint as refund_fen,
      coalesce(sum(quantity) filter (where kind = 'refund'), 0)::int as refunded_units
    from sales_facts s
    where kind in ('paid', 'refund') and sku_code <> ''
      and s.day between ${f.period.from}::date and ${f.period.to}::date
      ${f.shopIds ? sql`and s.shop_id = any(${[...f.shopIds]}::text[])` : sql``}
      ${f.platform ? sql`and s.platform = ${f.platform}` : sql``}
    group by 1 order by 3 desc, 4 desc, 1`.execute(db);
  return rows.rows.map((x) => [
    x.sku_code,
    x.lines,
    Number(x.paid_fen),
    x.units,
    Number(x.refund_fen),
    x.refunded_units,
  ]);
}
