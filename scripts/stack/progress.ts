import { sql } from 'kysely';
import type { Db } from '../../db/connect.js';

/** What the demo has done so far, from our own tables (what `GET /orders` and `/shipments` show). */
export interface DemoProgress {
  orders: Record<string, number>;
  /** Open holds by reason. */
  holds: Record<string, number>;
  waves: number;
  parcels: Record<string, number>;
  /** Median minutes from capture to the parcel's delivered stage, over delivered orders. */
  medianCaptureToDeliveredMinutes: number | null;
}

export async function readProgress(db: Db): Promise<DemoProgress> {
  const [orders, holds, waves, parcels, delivered] = await Promise.all([
    db
      .selectFrom('orders')
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('status')
      .execute(),
    db
      .selectFrom('order_holds')
      .select(['reason', (eb) => eb.fn.countAll<number>().as('n')])
      .where('cleared_at', 'is', null)
      .groupBy('reason')
      .execute(),
    db
      .selectFrom('wms_waves')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('shipments')
      .select(['stage', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('stage')
      .execute(),
    db
      .selectFrom('orders as o')
      .innerJoin('shipment_orders as so', 'so.order_id', 'o.id')
      .innerJoin('shipment_events as e', (join) =>
        join.onRef('e.shipment_id', '=', 'so.shipment_id').on('e.stage', '=', 'delivered'),
      )
      .select(
        sql<
          number | null
        >`percentile_cont(0.5) within group (order by extract(epoch from e.at - o.captured_at)) / 60`.as(
          'minutes',
        ),
      )
      .executeTakeFirst(),
  ]);
  const tally = (rows: Array<{ n: number | string | bigint }>, key: (i: number) => string) =>
    Object.fromEntries(rows.map((r, i) => [key(i), Number(r.n)]));
  return {
    orders: tally(orders, (i) => orders[i]!.status),
    holds: tally(holds, (i) => holds[i]!.reason),
    waves: Number(waves.n),
    parcels: tally(parcels, (i) => parcels[i]!.stage),
    medianCaptureToDeliveredMinutes:
      delivered?.minutes == null ? null : Math.round(Number(delivered.minutes) * 10) / 10,
  };
}

/** One line for the terminal: `orders 96: completed 31, held 9 (…) · waves 12 · parcels 70: …`. */
export function describeProgress(p: DemoProgress): string {
  const list = (counts: Record<string, number>) =>
    Object.entries(counts)
      .sort((a, b) => b[1] - a[1])
      .map(([k, n]) => `${k} ${n}`)
      .join(', ');
  const total = (counts: Record<string, number>) => Object.values(counts).reduce((s, n) => s + n, 0);
  const held = Object.keys(p.holds).length ? ` (holds: ${list(p.holds)})` : '';
  const median =
    p.medianCaptureToDeliveredMinutes === null
      ? ''
      : ` · capture→delivered median ${p.medianCaptureToDeliveredMinutes} min`;
  return `orders ${total(p.orders)}: ${list(p.orders) || 'none yet'}${held} · waves ${p.waves} · parcels ${total(p.parcels)}: ${list(p.parcels) || 'none yet'}${median}`;
}

/** Prints the demo's progress every `everyMs` until stopped. */
export function reportProgress(db: Db, say: (line: string) => void, everyMs: number): () => void {
  let last = '';
  const timer = setInterval(() => {
    readProgress(db)
      .then((progress) => {
        const line = describeProgress(progress);
        if (line !== last) say(`  [demo] ${line}`);
        last = line;
      })
      .catch(() => {});
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
