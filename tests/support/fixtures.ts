import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/connect.js';
import { amountDue, type OrderPush } from '../../domain/order.js';
import type { Platform } from '../../domain/platforms.js';

let counter = 0;

/**
 * Digits from the clock for a platform's numeric id, never starting with 0: platforms send these
 * ids as JSON numbers, which drop a leading zero, and the id would no longer match its own line.
 */
export function clockDigits(digits: number): string {
  const span = 10 ** (digits - 1);
  return String(span + (Date.now() % (9 * span)));
}

/** A unique id safe inside workflow ids; random so files sharing the dev server never collide. */
export function uniqueId(prefix: string): string {
  counter += 1;
  return `${prefix}-${randomUUID().slice(0, 8)}-${counter}`;
}

export async function createShop(
  db: Db,
  platform: Platform = 'taobao',
  settings: Record<string, unknown> = {},
): Promise<string> {
  const id = uniqueId(`shop-${platform}`);
  await db
    .insertInto('shops')
    .values({ id, platform, name: `Test ${platform} shop`, settings: JSON.stringify(settings) })
    .execute();
  return id;
}

/** A paid two-line order as a channel would push it; override any field. */
export function orderPush(overrides: Partial<OrderPush> = {}): OrderPush {
  const now = new Date();
  return {
    platformOrderId: uniqueId('T'),
    status: 'paid',
    refundStatus: 'none',
    type: 'normal',
    createdAt: new Date(now.getTime() - 60_000).toISOString(),
    paidAt: new Date(now.getTime() - 30_000).toISOString(),
    modifiedAt: new Date(now.getTime() - 30_000).toISOString(),
    currency: 'CNY',
    amounts: { goodsFen: 19_800, discountFen: 2_000, shippingFen: 0, paidFen: 17_800 },
    buyer: { id: 'buyer-1', nick: 't**1' },
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
    lines: [
      {
        lineId: '1',
        platformSkuId: '5012345678901',
        skuCode: 'SKU-001-RED-M',
        title: '纯棉T恤',
        quantity: 2,
        unitPriceFen: 9_900,
        discountFen: 2_000,
      },
    ],
    ...overrides,
  };
}

/** The same order pushed before its payment (awaiting payment, nothing paid yet), placed a moment ago. */
export function unpaidOrderPush(overrides: Partial<OrderPush> = {}): OrderPush {
  const at = new Date(Date.now() - 100).toISOString();
  return orderPush({
    status: 'awaiting_payment',
    paidAt: undefined,
    createdAt: at,
    modifiedAt: at,
    amounts: { goodsFen: 19_800, discountFen: 2_000, shippingFen: 0, paidFen: 0 },
    ...overrides,
  });
}

/** An unpaid order's next snapshot: the buyer has paid (now) what is due. */
export function paidSnapshot(order: OrderPush): OrderPush {
  const paidAt = new Date().toISOString();
  return {
    ...order,
    status: 'paid',
    paidAt,
    modifiedAt: paidAt,
    amounts: { ...order.amounts, paidFen: amountDue(order.amounts) },
  };
}

/**
 * 90 T-shirts at ¥100 (¥9,000 paid): above the default large-amount bound, so the order is held for
 * finance's review. Spread into `orderPush` overrides.
 */
export const LARGE_AMOUNT_ORDER: Pick<OrderPush, 'amounts' | 'lines'> = {
  amounts: { goodsFen: 900_000, discountFen: 0, shippingFen: 0, paidFen: 900_000 },
  lines: [
    {
      lineId: '1',
      platformSkuId: '',
      skuCode: 'SKU-001-RED-M',
      title: '纯棉T恤',
      quantity: 90,
      unitPriceFen: 10_000,
      discountFen: 0,
    },
  ],
};

/** The SKU `orderPush` orders by default, so orders pass SKU mapping unless a test says otherwise. */
export const TEST_SKU = {
  code: 'SKU-001-RED-M',
  name: '纯棉T恤 红色 M',
  weight_g: 250,
  length_mm: 300,
  width_mm: 200,
  height_mm: 30,
};

export async function seedCatalog(db: Db): Promise<void> {
  await db
    .insertInto('skus')
    .values(TEST_SKU)
    .onConflict((oc) => oc.column('code').doNothing())
    .execute();
}

/** Timeline stages of an order that arrives paid, passes audit and has its stock reserved, in order. */
export const PAID_ORDER_STAGES = ['captured', 'payment_confirmed', 'audited', 'audit_passed', 'allocated'];
/** Where such an order then waits: for its warehouse's wave to form (the window is long in tests). */
export const READY_STATUS = 'awaiting_wave';
/** The same for an order that arrives unpaid and is paid later. */
export const PAID_LATER_STAGES = ['captured', 'awaiting_payment', ...PAID_ORDER_STAGES.slice(1)];

/** A new SKU in the catalogue (250 g, a small box unless said otherwise); returns its code. */
export async function createSku(db: Db, flags: string[] = [], weightG = 250): Promise<string> {
  const code = uniqueId('SKU');
  await db
    .insertInto('skus')
    .values({ code, name: code, weight_g: weightG, length_mm: 200, width_mm: 150, height_mm: 50, flags })
    .execute();
  return code;
}
