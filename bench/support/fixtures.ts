import { randomBytes } from 'node:crypto';
import { createUser, issueApiKey } from '../../api/auth/credentials.js';
import {
  OWN_DELIVERY_HEADER,
  OWN_SIGNATURE_HEADER,
  signOwnPush,
} from '../../integrations/platforms/own/index.js';
import type { Db } from '../../db/connect.js';
import { createWarehouse, receiveStock } from '../../db/queries/stock.js';
import { assignBin } from '../../db/queries/wms.js';
import type { Role } from '../../domain/audit/roles.js';
import type { OrderPush } from '../../domain/order.js';

/** A user with `roles` and an API key for it, as an integration would hold. */
export async function benchApiKey(db: Db, roles: Role[]): Promise<string> {
  const username = `bench-${roles.join('-')}-${randomBytes(3).toString('hex')}`;
  await createUser(db, { username, roles }, 'bench');
  return (await issueApiKey(db, { username, name: 'bench', roles }, 'bench')).key;
}

/** A seller's own store that pushes signed orders to `POST /webhooks/own/:shopId`. */
export async function createOwnStore(
  apiUrl: string,
  opsKey: string,
  id: string,
): Promise<{ shopId: string; secret: string }> {
  const secret = randomBytes(24).toString('base64url');
  const res = await fetch(`${apiUrl}/shops`, {
    method: 'POST',
    headers: { authorization: `Bearer ${opsKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      id,
      platform: 'own',
      name: 'Bench store',
      credentials: { webhookSecret: secret },
    }),
  });
  if (res.status !== 201) throw new Error(`creating the shop failed: ${res.status} ${await res.text()}`);
  return { shopId: id, secret };
}

/** Pushes one order exactly as a store does: signed body, delivery id. Returns the HTTP status. */
export async function pushOwnOrder(
  apiUrl: string,
  store: { shopId: string; secret: string },
  order: OrderPush,
): Promise<number> {
  const body = JSON.stringify(order);
  const res = await fetch(`${apiUrl}/webhooks/own/${store.shopId}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      [OWN_SIGNATURE_HEADER]: signOwnPush(store.secret, body),
      [OWN_DELIVERY_HEADER]: `${order.platformOrderId}:${order.modifiedAt}`,
    },
    body,
  });
  await res.arrayBuffer();
  return res.status;
}

export function benchOrder(
  i: number,
  runId: string,
  type: OrderPush['type'] = 'normal',
  sku = 'BENCH-SKU',
): OrderPush {
  const at = new Date().toISOString();
  return {
    platformOrderId: `B${runId}-${i}`,
    status: 'paid',
    refundStatus: 'none',
    type,
    createdAt: at,
    paidAt: at,
    modifiedAt: at,
    currency: 'CNY',
    amounts: { goodsFen: 9_900, discountFen: 0, shippingFen: 0, paidFen: 9_900 },
    buyer: { id: `buyer-${runId}-${i}` },
    receiver: {
      name: '张三',
      phone: '13800001234',
      country: 'CN',
      province: '浙江省',
      city: '杭州市',
      district: '西湖区',
      detail: `文三路${i}号`,
      protected: false,
    },
    lines: [
      {
        lineId: '1',
        platformSkuId: '',
        skuCode: sku,
        title: '直播爆款',
        quantity: 1,
        unitPriceFen: 9_900,
        discountFen: 0,
      },
    ],
  };
}

/** The livestream's one product, `BENCH-SKU`, as benchOrder sells it. */
export async function createBenchSku(db: Db): Promise<void> {
  await db
    .insertInto('skus')
    .values({
      code: 'BENCH-SKU',
      name: '直播爆款',
      weight_g: 300,
      length_mm: 200,
      width_mm: 150,
      height_mm: 80,
    })
    .execute();
}

/** A warehouse covering every province, stocked with `stock` units and a bin per SKU. */
export async function setupBenchWarehouse(
  db: Db,
  code: string,
  stock: Record<string, number>,
): Promise<void> {
  await createWarehouse(db, {
    code,
    name: `Bench ${code}`,
    province: '浙江省',
    coverage: ALL_PROVINCES.map((province, i) => ({ province, priority: i + 1 })),
    capabilities: [],
  });
  let bin = 1;
  for (const sku of Object.keys(stock))
    await assignBin(db, { warehouse: code, bin: `A-01-${String(bin++).padStart(2, '0')}-1`, sku });
  await receiveStock(db, {
    key: `bench-receipt-${code}`,
    warehouse: code,
    kind: 'purchase',
    lines: Object.entries(stock).map(([sku, qty]) => ({ sku, qty })),
    actor: 'bench',
  });
}

const ALL_PROVINCES = ['浙江省', '江苏省', '上海市', '安徽省', '北京市', '广东省'];
