import { describe, expect, it } from 'vitest';
import { CATALOGUE } from '../../sandbox/orders/catalogue.js';
import { applyLifecycle, generateOrders, type GenerateOptions } from '../../sandbox/orders/generator.js';
import type { SimOrder } from '../../sandbox/orders/model.js';
import { FOREIGN_REMARKS } from '../../sandbox/orders/people.js';
import {
  CHINA_REGIONS,
  CITIES_WITHOUT_DISTRICTS,
  MUNICIPALITIES,
  PROVINCE_ADMINISTERED_CITIES,
} from '../../sandbox/orders/regions.js';

const start = new Date('2026-03-01T00:00:00+08:00');
const MINUTE = 60_000;
const options = (overrides: Partial<GenerateOptions> = {}): GenerateOptions => ({
  seed: 42,
  platform: 'taobao',
  shopKey: '示例旗舰店',
  scenario: 'normal_day',
  count: 300,
  start,
  ...overrides,
});

const due = (o: SimOrder) =>
  o.items.reduce((s, i) => s + i.unitPriceMinor * i.quantity - i.discountMinor, 0) -
  o.discountMinor +
  o.shippingMinor;
const chinaHour = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).getUTCHours();

describe('generateOrders', () => {
  it('is deterministic: the same options give the same orders, another seed different ones', () => {
    const a = generateOrders(options());
    expect(JSON.stringify(generateOrders(options()))).toBe(JSON.stringify(a));
    expect(generateOrders(options({ seed: 43 })).map((o) => o.id)).not.toEqual(a.map((o) => o.id));
  });

  it('gives each platform its own id shape; Taobao ids are unique 19-digit strings past 2^53', () => {
    const taobao = generateOrders(options());
    expect(new Set(taobao.map((o) => o.id)).size).toBe(taobao.length);
    for (const o of taobao) {
      expect(o.id).toMatch(/^[34]\d{18}$/);
      expect(BigInt(o.id) > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
    }
    expect(generateOrders(options({ platform: 'douyin', count: 5 }))[0]!.id).toMatch(/^69\d{17}$/);
    expect(generateOrders(options({ platform: 'pdd', count: 5 }))[0]!.id).toMatch(/^260301-\d{15}$/);
    expect(generateOrders(options({ platform: 'amazon', count: 5 }))[0]!.id).toMatch(/^\d{3}-\d{7}-\d{7}$/);
  });

  it('follows the day: busy evenings, quiet small hours, all within 24 hours of the start', () => {
    const orders = generateOrders(options({ count: 2_000 }));
    const evening = orders.filter((o) => [20, 21].includes(chinaHour(o.createdAt))).length;
    const night = orders.filter((o) => [3, 4].includes(chinaHour(o.createdAt))).length;
    expect(evening).toBeGreaterThan(night * 5);
    for (const o of orders) {
      expect(o.createdAt.getTime()).toBeGreaterThanOrEqual(start.getTime());
      expect(o.createdAt.getTime()).toBeLessThan(start.getTime() + 24 * 3_600_000);
    }
  });

  it('uses only catalogue SKUs and realistic receivers, including the awkward regions', () => {
    const orders = generateOrders(options({ count: 2_000 }));
    const codes = new Set(CATALOGUE.map((s) => s.code));
    const provinces = new Set(CHINA_REGIONS.map((p) => p.province));
    for (const o of orders) {
      for (const item of o.items) expect(codes.has(item.skuCode)).toBe(true);
      expect(provinces.has(o.receiver.province)).toBe(true);
      expect(o.receiver.phone).toMatch(/^1[3-9]\d{9}$/);
    }
    expect(orders.some((o) => MUNICIPALITIES.has(o.receiver.province))).toBe(true);
    expect(
      orders.some(
        (o) => o.receiver.province === '河南省' && o.receiver.city === '济源市' && o.receiver.district === '',
      ),
    ).toBe(true);
    expect(orders.some((o) => PROVINCE_ADMINISTERED_CITIES.has(o.receiver.city))).toBe(true);
    expect(orders.some((o) => CITIES_WITHOUT_DISTRICTS.has(o.receiver.city) && o.receiver.town)).toBe(true);
    expect(orders.some((o) => o.buyerRemark)).toBe(true);
  });

  it('plays a normal day forward: most orders paid for what they owe, some abandoned', () => {
    const orders = generateOrders(options());
    expect(orders.every((o) => o.status === 'unpaid' && o.paidMinor === 0)).toBe(true);
    const changes = applyLifecycle(orders, new Date(start.getTime() + 3 * 24 * 3_600_000));
    expect(changes.length).toBeGreaterThan(orders.length * 0.9);
    const paid = orders.filter((o) => o.paidAt);
    expect(paid.length / orders.length).toBeGreaterThan(0.8);
    for (const o of paid) {
      expect(o.paidMinor).toBe(due(o));
      expect(o.paidAt!.getTime()).toBeGreaterThan(o.createdAt.getTime());
    }
    expect(orders.filter((o) => o.status === 'cancelled' && !o.paidAt).length).toBeGreaterThan(5);
  });

  it('is idempotent: replaying to the same moment changes nothing', () => {
    const orders = generateOrders(options({ count: 50 }));
    const at = new Date(start.getTime() + 12 * 3_600_000);
    applyLifecycle(orders, at);
    const snapshot = JSON.stringify(orders);
    expect(applyLifecycle(orders, at)).toEqual([]);
    expect(JSON.stringify(orders)).toBe(snapshot);
  });

  it('bursts a livestream: thousands within a minute on one or two SKUs, paid within seconds', () => {
    const orders = generateOrders(
      options({ scenario: 'livestream_burst', count: 3_000, platform: 'douyin' }),
    );
    expect(orders.every((o) => o.type === 'livestream')).toBe(true);
    expect(orders.every((o) => o.createdAt.getTime() - start.getTime() < MINUTE)).toBe(true);
    expect(new Set(orders.flatMap((o) => o.items.map((i) => i.skuCode))).size).toBeLessThanOrEqual(2);
    applyLifecycle(orders, new Date(start.getTime() + 2 * MINUTE));
    expect(orders.every((o) => o.status === 'paid')).toBe(true);
  });

  it('cancels before payment in the cancellation scenario', () => {
    const orders = generateOrders(options({ scenario: 'cancellations', count: 100 }));
    applyLifecycle(orders, new Date(start.getTime() + 2 * 24 * 3_600_000));
    expect(orders.every((o) => o.status === 'cancelled' && !o.paidAt && o.paidMinor === 0)).toBe(true);
  });

  it('refunds after payment; a full refund before shipping closes the order', () => {
    const orders = generateOrders(options({ scenario: 'refunds', count: 200 }));
    expect(orders.every((o) => o.status === 'paid' && o.paidMinor === due(o))).toBe(true);
    applyLifecycle(orders, new Date(start.getTime() + 3 * 24 * 3_600_000));
    expect(orders.every((o) => o.refund && ['refunded', 'refused', 'closed'].includes(o.refund.status))).toBe(
      true,
    );
    const refunded = orders.filter((o) => o.refund!.status === 'refunded');
    expect(refunded.length).toBeGreaterThan(100);
    for (const o of refunded) {
      expect(o.status).toBe('cancelled');
      expect(o.refund!.kind).toBe('refund_only');
      expect(o.refund!.amountMinor).toBe(o.paidMinor);
    }
    expect(orders.some((o) => o.refund!.status === 'refused')).toBe(true);
  });

  it('turns refund requests on shipped orders into returns', () => {
    const orders = generateOrders(options({ scenario: 'refunds', count: 20 }));
    for (const o of orders) {
      o.status = 'shipped';
      o.shipment = { carrierCode: 'SF', trackingNumber: 'SF1', shippedAt: o.paidAt! };
    }
    applyLifecycle(orders, new Date(start.getTime() + 3 * 24 * 3_600_000));
    expect(orders.every((o) => o.refund!.kind === 'return_and_refund' && o.status === 'shipped')).toBe(true);
  });

  it('takes presale deposits now and balances when the window opens', () => {
    const balanceStartsAt = new Date(start.getTime() + 5 * 24 * 3_600_000);
    const orders = generateOrders(options({ scenario: 'presale', count: 200, balanceStartsAt }));
    for (const o of orders) {
      expect(o).toMatchObject({ type: 'presale', status: 'deposit_paid' });
      expect(o.presale!.depositMinor + o.presale!.balanceMinor).toBe(due(o));
      expect(o.paidMinor).toBe(o.presale!.depositMinor);
    }
    applyLifecycle(orders, new Date(balanceStartsAt.getTime() - 1));
    expect(orders.every((o) => o.status === 'deposit_paid')).toBe(true);
    applyLifecycle(orders, new Date(balanceStartsAt.getTime() + 4 * 24 * 3_600_000));
    const paid = orders.filter((o) => o.status === 'paid');
    expect(paid.length).toBeGreaterThan(150);
    for (const o of paid) {
      expect(o.presale!.balancePaidAt!.getTime()).toBeGreaterThanOrEqual(balanceStartsAt.getTime());
      expect(o.paidMinor).toBe(due(o));
    }
    expect(orders.filter((o) => o.status === 'cancelled').length).toBe(orders.length - paid.length);
  });

  it('ships cross-border orders to foreign addresses in local currencies with foreign remarks', () => {
    const orders = generateOrders(options({ scenario: 'cross_border', count: 300, platform: 'shopee' }));
    expect(orders.every((o) => o.currency !== 'CNY' && o.receiver.country !== 'CN')).toBe(true);
    expect(new Set(orders.map((o) => o.currency)).size).toBeGreaterThan(4);
    const remarks = orders.map((o) => o.buyerRemark).filter(Boolean);
    expect(remarks.length).toBeGreaterThan(100);
    expect(remarks.every((r) => (FOREIGN_REMARKS as readonly string[]).includes(r!))).toBe(true);
    expect(remarks).toContain('please gift wrap');
    const vnd = orders.find((o) => o.currency === 'VND')!;
    expect(vnd.items[0]!.unitPriceMinor).toBeGreaterThan(10_000);
  });
});
