import type { ParcelItem, ReadyOrder } from '../../domain/parcels/types.js';

export function item(sku: string, qty: number, extra: Partial<ParcelItem> = {}): ParcelItem {
  return {
    lineId: '1',
    sku,
    qty,
    weightG: 300,
    lengthMm: 200,
    widthMm: 150,
    heightMm: 50,
    flags: [],
    ...extra,
  };
}

let n = 0;
export function readyOrder(extra: Partial<ReadyOrder> = {}): ReadyOrder {
  n += 1;
  return {
    orderId: `order:taobao:shop-a:T${n}`,
    allocationId: `order:taobao:shop-a:T${n}:alloc:1`,
    platform: 'taobao',
    shopId: 'shop-a',
    buyerId: 'buyer-1',
    receiver: {
      name: '张三',
      phone: '13800001234',
      country: 'CN',
      province: '浙江省',
      city: '杭州市',
      district: '西湖区',
      detail: '文三路100号',
    },
    type: 'normal',
    refundStatus: 'none',
    held: false,
    locked: false,
    urgent: false,
    readyAt: '2026-11-27T08:00:00.000Z',
    warehouse: 'HZ',
    lines: [item('TEE', 1)],
    ...extra,
  };
}
