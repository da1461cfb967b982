import type { Client } from '@temporalio/client';
import { sql } from 'kysely';
import type { Db } from '../../db/connect.js';
import { verifyLedger } from '../../db/queries/stock.js';
import { stateQuery } from '../../workflows/messages.js';

/**
 * What must hold after a fault run (docs/chaos.md), whatever was killed, restarted or refused on
 * the way. Each check reads the database (and, for timelines, the workflows themselves) and lists
 * what it found wrong; an empty list means it holds.
 */
export interface InvariantReport {
  orders: number;
  parcels: number;
  checks: { name: string; violations: string[] }[];
}

export interface ExpectedOrder {
  platform: string;
  shopId: string;
  platformOrderId: string;
}

export async function checkInvariants(
  db: Db,
  options: { expected: ExpectedOrder[]; client?: Client },
): Promise<InvariantReport> {
  const checks: InvariantReport['checks'] = [];
  const check = async (name: string, run: () => Promise<string[]>) =>
    checks.push({ name, violations: await run() });

  const shops = [...new Set(options.expected.map((o) => o.shopId))];
  const orders = shops.length
    ? await db
        .selectFrom('orders')
        .select(['id', 'platform', 'shop_id', 'platform_order_id', 'paid_fen'])
        .where('shop_id', 'in', shops)
        .execute()
    : [];
  const orderIds = orders.map((o) => o.id);

  await check('every order captured exactly once', async () => {
    const found = new Map<string, number>();
    for (const o of orders) {
      const key = `${o.platform}/${o.shop_id}/${o.platform_order_id}`;
      found.set(key, (found.get(key) ?? 0) + 1);
    }
    const out: string[] = [];
    for (const e of options.expected) {
      const n = found.get(`${e.platform}/${e.shopId}/${e.platformOrderId}`) ?? 0;
      if (n !== 1) out.push(`${e.platform} ${e.platformOrderId}: captured ${n} times`);
    }
    if (orderIds.length) {
      const captured = await db
        .selectFrom('order_events')
        .select(['order_id', (eb) => eb.fn.countAll<number>().as('n')])
        .where('order_id', 'in', orderIds)
        .where('stage', '=', 'captured')
        .groupBy('order_id')
        .execute();
      for (const c of captured)
        if (Number(c.n) !== 1) out.push(`${c.order_id}: "captured" ${c.n} times on its timeline`);
    }
    return out;
  });

  await check('timelines contiguous, none lost', async () => {
    if (!orderIds.length) return [];
    const events = await db
      .selectFrom('order_events')
      .select(['order_id', 'seq', 'stage'])
      .where('order_id', 'in', orderIds)
      .orderBy('order_id')
      .orderBy('seq')
      .execute();
    const byOrder = new Map<string, { seq: number; stage: string }[]>();
    for (const e of events) byOrder.set(e.order_id, [...(byOrder.get(e.order_id) ?? []), e]);
    const out: string[] = [];
    for (const id of orderIds) {
      const timeline = byOrder.get(id) ?? [];
      if (!timeline.length) {
        out.push(`${id}: no timeline`);
        continue;
      }
      const first = timeline[0]!.seq;
      const gap = timeline.findIndex((e, i) => e.seq !== first + i);
      if (gap >= 0) out.push(`${id}: seq ${timeline[gap]!.seq} where ${first + gap} was due`);
      if (options.client) {
        // The stored timeline is the workflow's own, event for event.
        try {
          const state = await options.client.workflow.getHandle(id).query(stateQuery);
          const stored = timeline.map((e) => e.stage).join(',');
          const own = state.timeline.map((t) => t.stage).join(',');
          if (stored !== own) out.push(`${id}: stored [${stored}] but the workflow says [${own}]`);
        } catch (err) {
          out.push(`${id}: workflow not readable (${(err as Error).message})`);
        }
      }
    }
    const parcels = await db
      .selectFrom('shipment_events')
      .select(['shipment_id', sql<number>`count(*)`.as('n'), sql<number>`max(seq) - min(seq) + 1`.as('span')])
      .groupBy('shipment_id')
      .execute();
    for (const p of parcels)
      if (Number(p.n) !== Number(p.span))
        out.push(`parcel ${p.shipment_id}: ${p.n} events over ${p.span} seqs`);
    return out;
  });

  await check('stock equals the sum of its ledger', async () =>
    (await verifyLedger(db)).mismatches.map((m) => JSON.stringify(m)),
  );

  const parcels = await db
    .selectFrom('shipments')
    .select(['id', 'stage', 'tracking_number', 'labelled_at', 'shipped_at'])
    .execute();
  await check('no parcel shipped without its waybill, no waybill twice', async () => {
    const out: string[] = [];
    const seen = new Map<string, string>();
    for (const p of parcels) {
      if (p.shipped_at && (!p.tracking_number || !p.labelled_at))
        out.push(`parcel ${p.id}: shipped (${p.stage}) without a waybill`);
      if (!p.tracking_number) continue;
      const other = seen.get(p.tracking_number);
      if (other) out.push(`waybill ${p.tracking_number} on parcels ${other} and ${p.id}`);
      seen.set(p.tracking_number, p.id);
    }
    const orphans = orderIds.length
      ? await db
          .selectFrom('shipment_orders')
          .select(['order_id', (eb) => eb.fn.countAll<number>().as('n')])
          .where('order_id', 'in', orderIds)
          .groupBy(['order_id', 'line_ids'])
          .having((eb) => eb.fn.countAll(), '>', 1)
          .execute()
      : [];
    for (const o of orphans) out.push(`order ${o.order_id}: the same lines in ${o.n} parcels`);
    return out;
  });

  await check('money refunded at most once', async () => {
    if (!orderIds.length) return [];
    const out: string[] = [];
    const refunds = await db
      .selectFrom('payment_refunds')
      .select(['order_id', 'refund_no', 'channel_refund_id', 'amount_fen', 'state'])
      .where('order_id', 'in', orderIds)
      .where('state', '!=', 'failed')
      .execute();
    const paid = new Map(orders.map((o) => [o.id, Number(o.paid_fen)]));
    const total = new Map<string, number>();
    const channelIds = new Map<string, string>();
    for (const r of refunds) {
      total.set(r.order_id, (total.get(r.order_id) ?? 0) + Number(r.amount_fen));
      if (r.channel_refund_id) {
        const other = channelIds.get(r.channel_refund_id);
        if (other) out.push(`channel refund ${r.channel_refund_id} recorded as ${other} and ${r.refund_no}`);
        channelIds.set(r.channel_refund_id, r.refund_no);
      }
    }
    for (const [orderId, fen] of total)
      if (fen > (paid.get(orderId) ?? 0)) out.push(`${orderId}: refunded ${fen} fen of ${paid.get(orderId)}`);
    return out;
  });

  return { orders: orders.length, parcels: parcels.length, checks };
}

/** The report as lines for a terminal or a test's failure message. */
export function formatReport(report: InvariantReport): string {
  const lines = [`${report.orders} orders, ${report.parcels} parcels`];
  for (const c of report.checks) {
    lines.push(`${c.violations.length ? 'FAIL' : 'ok  '} ${c.name}`);
    for (const v of c.violations.slice(0, 20)) lines.push(`       ${v}`);
    if (c.violations.length > 20) lines.push(`       … ${c.violations.length - 20} more`);
  }
  return lines.join('\n');
}
