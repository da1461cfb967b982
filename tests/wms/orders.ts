import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import type { Db } from '../../db/connect.js';
import { orderWorkflowId } from '../../domain/ids.js';
import type { OrderPush } from '../../domain/order.js';
import { orderPush, uniqueId } from '../support/fixtures.js';
import { submitOrder } from '../support/intake.js';

/** Orders entered through `POST /orders`, for tests that follow them through waves and warehouses. */

export async function newSku(db: Db, options: { flags?: string[]; weightG?: number } = {}): Promise<string> {
  const code = uniqueId('SKU');
  await db
    .insertInto('skus')
    .values({
      code,
      name: code,
      weight_g: options.weightG ?? 250,
      length_mm: 200,
      width_mm: 150,
      height_mm: 50,
      flags: options.flags ?? [],
    })
    .execute();
  return code;
}

export function orderLine(code: string, quantity = 1, lineId = '1') {
  return {
    lineId,
    platformSkuId: '',
    skuCode: code,
    title: code,
    quantity,
    unitPriceFen: 1_000,
    discountFen: 0,
  };
}

/** A paid order for these lines (paid equals due, so audit passes it). */
export function paidOrder(
  lines: ReturnType<typeof orderLine>[],
  overrides: Partial<OrderPush> = {},
): OrderPush {
  const goods = lines.reduce((n, l) => n + l.quantity * l.unitPriceFen, 0);
  return orderPush({
    lines,
    buyer: { id: uniqueId('buyer') },
    amounts: { goodsFen: goods, discountFen: 0, shippingFen: 0, paidFen: goods },
    ...overrides,
  });
}

export async function enterOrder(
  api: FastifyInstance,
  auth: { authorization: string },
  shopId: string,
  order: OrderPush,
): Promise<string> {
  const res = await submitOrder(api, { platform: 'taobao', shopId, order }, auth);
  expect(res.statusCode, res.body).toBe(202);
  return orderWorkflowId('taobao', shopId, order.platformOrderId);
}

export async function stockOf(db: Db, warehouse: string, sku: string) {
  const row = await db
    .selectFrom('stock')
    .select(['on_hand', 'reserved'])
    .where('warehouse_code', '=', warehouse)
    .where('sku_code', '=', sku)
    .executeTakeFirst();
  return row ?? { on_hand: 0, reserved: 0 };
}
