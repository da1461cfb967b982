import { describe, expect, it } from 'vitest';
import { formParcels, parcelsByOrder } from '../../domain/parcels/form.js';
import { canMerge, mergeKey } from '../../domain/parcels/merge.js';
import { normalizeAddress, normalizePhone } from '../../domain/parcels/normalize.js';
import { DEFAULT_MERGE_POLICY, type MergePolicy } from '../../domain/parcels/types.js';
import { item, readyOrder } from './fixtures.js';

const limits = { maxWeightG: 20_000 };
const policy = (extra: Partial<MergePolicy> = {}): MergePolicy => ({ ...DEFAULT_MERGE_POLICY, ...extra });

describe('merge', () => {
  // The same buyer orders in two shops of one seller; the second platform spells the address differently.
  const shopA = readyOrder({ shopId: 'shop-a', lines: [item('TEE', 1)] });
  const shopB = readyOrder({
    shopId: 'shop-b',
    lines: [item('MUG', 2, { lineId: '7' })],
    readyAt: '2026-11-27T08:03:00.000Z',
    receiver: {
      name: '张三 ',
      phone: '+86 138-0000-1234',
      country: 'CN',
      province: '浙江',
      city: '杭州',
      district: '西湖区',
      detail: '浙江省杭州市西湖区文三路１００号',
    },
  });

  it("merges two shops' orders into one parcel when cross-shop merging is on", () => {
    const parcels = formParcels([shopA, shopB], {
      carrierLimits: limits,
      policy: policy({ crossShop: true }),
    });
    expect(parcels).toHaveLength(1);
    expect(parcels[0]!.orderIds).toEqual([shopA.orderId, shopB.orderId].sort());
    expect(parcels[0]!.contents).toEqual(
      [
        { orderId: shopA.orderId, allocationId: shopA.allocationId, lineId: '1', sku: 'TEE', qty: 1 },
        { orderId: shopB.orderId, allocationId: shopB.allocationId, lineId: '7', sku: 'MUG', qty: 2 },
      ].sort((a, b) => (a.orderId < b.orderId ? -1 : 1)),
    );
    expect(parcels[0]!.reason).toMatch(/merged 2 orders of one buyer to one address across 2 shops/);
  });

  it('keeps shops apart when cross-shop merging is off', () => {
    const parcels = formParcels([shopA, shopB], { carrierLimits: limits, policy: policy() });
    expect(parcels).toHaveLength(2);
  });

  it('never merges across platforms, even cross-shop', () => {
    const jd = { ...shopB, orderId: 'order:jd:shop-j:1', platform: 'jd' };
    expect(
      formParcels([shopA, jd], { carrierLimits: limits, policy: policy({ crossShop: true }) }),
    ).toHaveLength(2);
  });

  it('a held order ships alone, and says why', () => {
    const held = readyOrder({ held: true });
    const other = readyOrder();
    const parcels = formParcels([held, other], { carrierLimits: limits, policy: policy() });
    expect(parcels).toHaveLength(2);
    expect(parcels.find((p) => p.orderIds.includes(held.orderId))!.reason).toMatch(/ships alone \(held\)/);
    expect(canMerge(held, policy())).toBe(false);
    expect(canMerge(held, policy({ mergeHeld: true }))).toBe(true);
  });

  it.each([
    ['locked', { locked: true }],
    ['refunding', { refundStatus: 'requested' as const }],
    ['presale', { type: 'presale' as const }],
  ])('a %s order does not merge unless configured', (_name, extra) => {
    const order = readyOrder(extra);
    expect(formParcels([order, readyOrder()], { carrierLimits: limits, policy: policy() })).toHaveLength(2);
  });

  it('orders further apart than the merge window do not merge', () => {
    const early = readyOrder({ readyAt: '2026-11-27T08:00:00.000Z' });
    const late = readyOrder({ readyAt: '2026-11-27T08:30:00.000Z' });
    expect(
      formParcels([early, late], { carrierLimits: limits, policy: policy({ windowSeconds: 600 }) }),
    ).toHaveLength(2);
    expect(
      formParcels([early, late], { carrierLimits: limits, policy: policy({ windowSeconds: 3600 }) }),
    ).toHaveLength(1);
  });

  it('a different receiver at the same address is a different parcel', () => {
    const other = readyOrder({ receiver: { ...readyOrder().receiver, name: '李四' } });
    expect(mergeKey(other)).not.toBe(mergeKey(readyOrder()));
  });

  it('protected receivers compare by the platform address handle', () => {
    const a = readyOrder({
      receiver: { ...readyOrder().receiver, name: '~cipher1~', protected: true, addressHandle: 'OAID-1' },
    });
    const b = readyOrder({
      receiver: { ...readyOrder().receiver, name: '~cipher2~', protected: true, addressHandle: 'OAID-1' },
    });
    expect(mergeKey(a)).toBe(mergeKey(b));
  });

  it('PDD orders, each its own buyer id, merge by the same open_address_id and not by masks', () => {
    const pdd = (n: number, handle: string) =>
      readyOrder({
        platform: 'pdd',
        buyerId: `pdd-order:${n}`,
        receiver: { ...readyOrder().receiver, name: '张*', protected: true, addressHandle: handle },
      });
    const parcels = formParcels([pdd(1, 'H-1'), pdd(2, 'H-1'), pdd(3, 'H-2')], {
      carrierLimits: limits,
      policy: policy(),
    });
    expect(parcels.map((p) => p.orderIds.length)).toEqual([2, 1]);
    // Where the platform names its buyers (Taobao), two buyers at one OAID stay apart.
    const taobao = (buyerId: string) =>
      readyOrder({
        buyerId,
        receiver: { ...readyOrder().receiver, protected: true, addressHandle: 'OAID-9' },
      });
    expect(mergeKey(taobao('b1'))).not.toBe(mergeKey(taobao('b2')));
  });
});

describe('normalization', () => {
  it.each([
    ['+86 138-0000-1234', '13800001234'],
    ['0086 13800001234', '13800001234'],
    ['１３８００００１２３４', '13800001234'],
    ['18877771111-123', '18877771111-123'],
    ['0571-88886666', '057188886666'],
  ])('phone %s → %s', (input, expected) => {
    expect(normalizePhone(input)).toBe(expected);
  });

  it('full address repeated in the detail line normalizes to the same address', () => {
    const a = normalizeAddress({
      province: '浙江省',
      city: '杭州市',
      district: '西湖区',
      detail: '文三路100号',
    });
    const b = normalizeAddress({
      province: '浙江',
      city: '杭州',
      district: '西湖区',
      detail: '浙江省 杭州市 西湖区 文三路１００号',
    });
    expect(b).toBe(a);
  });
});

describe('split', () => {
  it('by warehouse: the two shares of a split order become two parcels', () => {
    const hz = readyOrder({ warehouse: 'HZ', lines: [item('TEE', 1)] });
    const sh = { ...hz, warehouse: 'SH', lines: [item('ICE', 1, { lineId: '2', flags: ['cold_chain'] })] };
    const parcels = formParcels([hz, sh], { carrierLimits: limits, policy: policy() });
    expect(parcels.map((p) => [p.warehouse, p.handling])).toEqual([
      ['HZ', 'normal'],
      ['SH', 'cold_chain'],
    ]);
    expect(parcelsByOrder(parcels).get(hz.orderId)).toEqual(parcels.map((p) => p.id));
  });

  it('by handling: cold-chain items are packed apart from normal ones', () => {
    const order = readyOrder({
      lines: [item('TEE', 2), item('ICE', 1, { lineId: '2', flags: ['cold_chain'] })],
    });
    const parcels = formParcels([order], { carrierLimits: limits, policy: policy() });
    expect(parcels.map((p) => [p.handling, p.contents.map((c) => `${c.sku}×${c.qty}`)])).toEqual([
      ['normal', ['TEE×2']],
      ['cold_chain', ['ICE×1']],
    ]);
    expect(parcels[1]!.reason).toMatch(/cold-chain items packed apart/);
  });

  it('fragile items are packed apart only when the policy says so', () => {
    const order = readyOrder({
      lines: [item('TEE', 1), item('VASE', 1, { lineId: '2', flags: ['fragile'] })],
    });
    expect(formParcels([order], { carrierLimits: limits, policy: policy() })).toHaveLength(1);
    expect(
      formParcels([order], { carrierLimits: limits, policy: policy({ separateFragile: true }) }),
    ).toHaveLength(2);
  });

  it("by weight: boxes stay within the carrier's limit, first-fit decreasing", () => {
    // 4 × 8 kg + 3 × 3 kg = 41 kg; limit 20 kg → 8+8+3 (19), 8+8+3 (19), 3.
    const order = readyOrder({
      lines: [item('RICE', 4, { weightG: 8_000 }), item('OIL', 3, { lineId: '2', weightG: 3_000 })],
    });
    const parcels = formParcels([order], { carrierLimits: { maxWeightG: 20_000 }, policy: policy() });
    expect(parcels.map((p) => p.weightG)).toEqual([19_000, 19_000, 3_000]);
    expect(parcels.every((p) => p.weightG <= 20_000)).toBe(true);
    const units = parcels.flatMap((p) => p.contents).reduce((s, c) => s + c.qty, 0);
    expect(units).toBe(7);
    expect(parcels[0]!.reason).toMatch(/box 1 of 3 within carrier limits/);
  });

  it('by volume as well as weight', () => {
    const order = readyOrder({
      lines: [item('PILLOW', 3, { weightG: 500, lengthMm: 500, widthMm: 400, heightMm: 200 })],
    });
    // 40 L each, limit 100 L → 2 + 1.
    const parcels = formParcels([order], { carrierLimits: { maxVolumeCm3: 100_000 }, policy: policy() });
    expect(parcels.map((p) => p.contents[0]!.qty)).toEqual([2, 1]);
  });

  it('an item over the limit on its own ships alone, flagged', () => {
    const order = readyOrder({
      lines: [item('SOFA', 1, { weightG: 60_000 }), item('TEE', 1, { lineId: '2' })],
    });
    const parcels = formParcels([order], { carrierLimits: { maxWeightG: 20_000 }, policy: policy() });
    expect(parcels.map((p) => [p.contents[0]!.sku, p.overLimit])).toEqual([
      ['SOFA', true],
      ['TEE', false],
    ]);
  });
});

describe('formParcels', () => {
  it('is deterministic and puts urgent parcels first', () => {
    const orders = [
      readyOrder(),
      readyOrder({ urgent: true, buyerId: 'fan' }),
      readyOrder({ buyerId: 'b3' }),
    ];
    const a = formParcels(orders, { carrierLimits: limits, policy: policy(), idPrefix: 'W1' });
    const b = formParcels([...orders].reverse(), { carrierLimits: limits, policy: policy(), idPrefix: 'W1' });
    expect(b).toEqual(a);
    expect(a[0]!.urgent).toBe(true);
    expect(a.map((p) => p.id)).toEqual(['W1-1', 'W1-2', 'W1-3']);
  });
});

describe('readyOrdersFor', () => {
  it('turns a split allocation into one ready order per warehouse; livestream orders are urgent', async () => {
    const { readyOrdersFor } = await import('../../domain/parcels/ready.js');
    const ready = readyOrdersFor({
      orderId: 'order:douyin:s:1',
      order: {
        platform: 'douyin',
        shopId: 's',
        buyer: { id: 'fan' },
        receiver: {
          name: '张三',
          phone: '13800001234',
          country: 'CN',
          province: '浙江省',
          city: '杭州市',
          district: '西湖区',
          detail: '文三路100号',
          protected: false,
        },
        type: 'livestream',
        refundStatus: 'none',
      },
      allocationId: 'order:douyin:s:1:alloc:1',
      shares: [
        { warehouse: 'HZ', lines: [item('TEE', 1)] },
        { warehouse: 'SH', lines: [item('ICE', 1, { flags: ['cold_chain'] })] },
      ],
      readyAt: '2026-11-27T08:00:00.000Z',
    });
    expect(ready.map((r) => [r.warehouse, r.urgent, r.lines[0]!.sku])).toEqual([
      ['HZ', true, 'TEE'],
      ['SH', true, 'ICE'],
    ]);
    const parcels = formParcels(ready, { carrierLimits: limits, policy: policy() });
    expect(parcels.map((p) => p.warehouse)).toEqual(['HZ', 'SH']);
  });
});
