import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/connect.js';
import type { OrderPush } from '../../domain/order.js';
import type { Platform } from '../../domain/platforms.js';

let counter = 0;

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
    buyerRemark: '请周末送货',
    ...overrides,
  };
}
