import type { SimOrder, SimReceiver, SimRefund } from '../../sandbox/orders/model.js';
import { uniqueId } from './fixtures.js';

/**
 * A paid order of one unit per SKU as any simulator holds it: `ids` names its lines and their
 * platform SKU ids the platform's way (TOP `${tid}1`, PDD numeric SKUs, Douyin sku order ids).
 */
export function paidSimOrder(
  order: {
    id: string;
    shopKey: string;
    buyerNick: string;
    receiver: Pick<SimReceiver, 'name' | 'phone'> & Partial<SimReceiver>;
  },
  skus: Array<{ code: string; priceFen: number }>,
  ids: { line(index: number): string; sku(index: number): string },
): SimOrder {
  const now = new Date();
  return {
    id: order.id,
    shopKey: order.shopKey,
    status: 'paid',
    type: 'normal',
    createdAt: now,
    paidAt: now,
    modifiedAt: now,
    currency: 'CNY',
    items: skus.map((s, i) => ({
      lineId: ids.line(i),
      platformSkuId: ids.sku(i),
      skuCode: s.code,
      title: s.code,
      spec: '',
      quantity: 1,
      unitPriceMinor: s.priceFen,
      discountMinor: 0,
    })),
    shippingMinor: 0,
    discountMinor: 0,
    paidMinor: skus.reduce((n, s) => n + s.priceFen, 0),
    buyer: { id: uniqueId('buyer'), nick: order.buyerNick },
    receiver: {
      country: 'CN',
      province: '浙江省',
      city: '杭州市',
      district: '西湖区',
      detail: '文三路200号',
      ...order.receiver,
    },
  };
}

/** A refund-only request the buyer just made on the platform (the rest as `extra` says). */
export function requestedRefund(id: string, amountMinor: number, extra: Partial<SimRefund> = {}): SimRefund {
  const at = new Date();
  return {
    id,
    status: 'requested',
    kind: 'refund_only',
    amountMinor,
    reason: '不想要了',
    createdAt: at,
    modifiedAt: at,
    ...extra,
  };
}

/**
 * The buyer's return of the order's first line, asked at `at` (a refund of it, or anything else,
 * as `change` says), with a numeric id as Shopify's and WooCommerce's are.
 */
export function firstLineReturn(order: SimOrder, at: Date, change: Partial<SimRefund> = {}): SimRefund {
  const line = order.items[0]!;
  return {
    id: `${Date.now()}${Math.floor(Math.random() * 1000)}`,
    status: 'requested',
    kind: 'return_and_refund',
    amountMinor: line.unitPriceMinor * line.quantity - line.discountMinor,
    reason: 'wrong size',
    createdAt: at,
    modifiedAt: at,
    lineIds: [line.lineId],
    ...change,
  };
}
