import type { Platform } from '../../domain/platforms.js';
import type { Harness } from '../support/harness.js';
import { line, timelineWriter } from './support.js';

/** A small deterministic random source (mulberry32), so a generated data set is the same every run. */
export function seeded(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return { next, int: (n: number) => Math.floor(next() * n), chance: (p: number) => next() < p };
}

const RATES: Partial<Record<Platform, { originalCurrency: string; rate: number }>> = {
  shopee: { originalCurrency: 'SGD', rate: 5.3 },
  amazon: { originalCurrency: 'USD', rate: 7.1 },
};

/**
 * Orders written through the order projection as the workflows write them, over `days` days from
 * `from`: repeat buyers, some orders placed and paid around Beijing midnight, 1–4 lines of eight SKUs
 * (SKU-G1 and SKU-G2 often together), each paid order taken through audit, allocation (two
 * warehouses), wave, picking, packing, handover (three carriers), first scan and delivery with
 * varied waits; some cancelled after payment, some lines refunded one to four days later, some
 * never paid. Shops on Shopee and Amazon sell in SGD and USD, converted at a recorded rate.
 */
export async function generateOrders(
  h: Harness,
  shops: ReadonlyArray<{ id: string; platform: Platform }>,
  o: { orders: number; from: string; days: number; seed: number },
): Promise<void> {
  const r = seeded(o.seed);
  const w = timelineWriter(h);
  const start = Date.parse(`${o.from}T00:00:00+08:00`);
  const iso = (ms: number) => new Date(ms).toISOString();
  const minutes = (n: number) => n * 60_000;
  for (let i = 0; i < o.orders; i += 1) {
    const shop = shops[r.int(shops.length)]!;
    // A fifth of the orders in the hour either side of Beijing midnight.
    const dayStart = start + r.int(o.days) * 86_400_000;
    const created = r.chance(0.2)
      ? dayStart + minutes(r.int(60)) - minutes(30)
      : dayStart + minutes(r.int(1_440));
    const paid = r.chance(0.85) ? created + minutes(1 + r.int(40)) : null;
    const skus = new Set<number>();
    const size = 1 + r.int(4);
    while (skus.size < size) skus.add(1 + r.int(8));
    if (skus.has(1) && r.chance(0.6)) skus.add(2);
    const lines = [...skus].map((sku, k) =>
      line(String(k + 1), `SKU-G${sku}`, 1 + r.int(3), 990 + sku * 1_000, r.chance(0.2) ? 300 : 0),
    );
    const rate = RATES[shop.platform];
    const goods = lines.reduce((s, l) => s + l.unitPriceFen * l.quantity - l.discountFen, 0);
    const order = await w.place(shop.platform, shop.id, {
      buyer: `buyer-${r.int(12)}`,
      createdAt: iso(created),
      ...(paid ? { paidAt: iso(paid) } : {}),
      lines,
      // Two destination provinces (carrier timeliness is per carrier × province).
      ...(i % 3 === 0 ? { province: '广东省' } : {}),
      shippingFen: r.chance(0.3) ? 800 : 0,
      ...(rate
        ? {
            fx: {
              originalCurrency: rate.originalCurrency,
              rate: String(rate.rate),
              rateDate: iso(created),
              originalAmounts: {
                goodsFen: Math.round(goods / rate.rate),
                discountFen: 0,
                shippingFen: 0,
                paidFen: Math.round(goods / rate.rate),
              },
            },
          }
        : {}),
    });
    if (!paid) {
      if (r.chance(0.5))
        await order.step('cancelled', 'cancelled', iso(created + minutes(60)), { outcome: 'unpaid_timeout' });
      continue;
    }
    let at = paid;
    const later = (maxMinutes: number) => (at += minutes(1 + r.int(maxMinutes)));
    const cancelAfter = r.chance(0.1) ? 1 + r.int(4) : 99;
    const steps: Array<[string, Record<string, unknown>, number]> = [
      ['audit_passed', {}, r.chance(0.1) ? 600 : 20],
      ['stock_reserved', { warehouse: `WH-G${1 + r.int(2)}` }, 30],
      ['parcel_assigned', {}, 180],
      ['picked', {}, 60],
      ['packed', {}, 30],
      ['shipped', { carrier: ['SF', 'ZTO', 'YTO'][r.int(3)], parcelId: 'p1' }, 600],
      ['in_transit', {}, 900],
    ];
    let cancelled = false;
    for (const [k, [stage, detail, wait]] of steps.entries()) {
      if (k === cancelAfter) {
        await order.step('cancelled', 'cancelled', iso(later(120)), { outcome: 'cancelled_on_platform' });
        cancelled = true;
        break;
      }
      await order.step(stage, stage, iso(later(wait)), detail);
    }
    if (cancelled) continue;
    if (r.chance(0.2)) {
      const refunded = lines[r.int(lines.length)]!.lineId;
      await order.step('refund_lines_changed', 'shipped', iso(paid + minutes(1_440 + r.int(4_320))), {
        refundStatus: 'partial',
        lines: lines.map((l) => ({
          lineId: l.lineId,
          refundStatus: l.lineId === refunded ? 'refunded' : 'none',
        })),
      });
    }
    if (r.chance(0.9))
      await order.step('completed', 'completed', iso(later(4_000)), { outcome: 'delivered' });
  }
}
