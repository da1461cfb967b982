import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataKeyring, parseDataKeys } from '../../db/crypto/data-keys.js';
import { openReceiver, phoneTailHash, sealReceiver } from '../../db/crypto/receivers.js';
import { sealStoredReceivers } from '../../db/migrations/0611_receivers_at_rest.js';
import { listOrders } from '../../db/queries/orders.js';
import { orderWorkflowId } from '../../domain/ids.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { READY_STATUS, createShop, orderPush, seedCatalog, uniqueId } from '../support/fixtures.js';
import { setupWarehouse } from '../support/fulfilment.js';
import { createHarness, type Harness } from '../support/harness.js';
import { submitOrder } from '../support/intake.js';
import { waitForOrderStatus } from '../support/waits.js';

// Receivers of platforms that do not encrypt (own stores, Shopify, …) are sealed at rest too: a
// database dump holds no buyer's name, phone or street, and the phone-tail search still finds them.

let h: Harness;
let api: FastifyInstance;
let shopId: string;
let ops: { authorization: string };
const ring = () => dataKeyring(h.config);

beforeAll(async () => {
  h = await createHarness();
  api = await h.api();
  await seedCatalog(h.db);
  await setupWarehouse(h.db);
  shopId = await createShop(h.db, 'own');
  ops = bearer(await apiKeyFor(h.db, ['ops']));
  await h.startWorker();
});
afterAll(() => h.teardown());

const randomTail = () => String(Math.floor(1000 + Math.random() * 9000));

describe('sealed receivers', () => {
  it('seal and open give the receiver back; only the region stays readable; another key id still opens', () => {
    const keys = `new:${Buffer.alloc(32, 1).toString('base64')},old:${Buffer.alloc(32, 2).toString('base64')}`;
    const oldRing = parseDataKeys(
      `old:${Buffer.alloc(32, 2).toString('base64')}`,
      Buffer.alloc(32).toString('base64'),
    );
    const rotated = parseDataKeys(keys, Buffer.alloc(32).toString('base64'));
    const receiver = orderPush().receiver;
    const stored = sealReceiver(oldRing, receiver);
    expect(Object.keys(stored).sort()).toEqual([
      'city',
      'country',
      'district',
      'protected',
      'province',
      'sealed',
    ]);
    expect(JSON.stringify(stored)).not.toMatch(/张三|13800001234|文三路/);
    expect(openReceiver(rotated, stored)).toEqual(receiver);
    // A plaintext receiver written before sealing reads as it is.
    expect(openReceiver(rotated, receiver)).toEqual(receiver);
    // The tail hash ignores formatting and masks: 138****1234 has the same tail as 13800001234.
    expect(phoneTailHash(rotated, '138****1234')).toBe(phoneTailHash(rotated, '+86 138-0000-1234'));
    expect(phoneTailHash(rotated, '123')).toBeNull();
  });

  it('an order in a wave keeps no plaintext phone, name or street in any row, and phone-tail search finds it', async () => {
    const tail = randomTail();
    const push = orderPush({
      receiver: { ...orderPush().receiver, name: '王秘密', phone: `1390000${tail}`, detail: '保密路9号' },
    });
    const res = await submitOrder(api, { platform: 'own', shopId, order: push }, ops);
    expect(res.statusCode, res.body).toBeLessThan(300);
    const id = orderWorkflowId('own', shopId, push.platformOrderId);
    await waitForOrderStatus(h.db, id, READY_STATUS);
    // The order joins its wave's candidates a moment after its status says it is ready.
    await expect
      .poll(
        async () =>
          (await h.db.selectFrom('wave_candidates').select('order_id').where('order_id', '=', id).execute())
            .length,
      )
      .toBeGreaterThan(0);

    const plaintext = new RegExp(`1390000${tail}|王秘密|保密路`);
    const rows = await sql<{ t: string; row: string }>`
      select 'orders' as t, o::text as row from orders o where id = ${id}
      union all select 'order_events', e::text from order_events e where order_id = ${id}
      union all select 'wave_candidates', w::text from wave_candidates w where order_id = ${id}
      union all select 'wave_parcels', p::text from wave_parcels p where parcel::text like ${`%${id}%`}
    `.execute(h.db);
    expect(rows.rows.map((r) => r.t)).toEqual(
      expect.arrayContaining(['orders', 'order_events', 'wave_candidates']),
    );
    for (const r of rows.rows) expect(r.row, r.t).not.toMatch(plaintext);
    // The region is readable for routing and reports.
    const stored = await h.db
      .selectFrom('orders')
      .select('receiver')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(stored.receiver).toMatchObject({ province: '浙江省', city: '杭州市', district: '西湖区' });

    const found = await api.inject({
      method: 'GET',
      url: `/orders?phoneTail=${tail}&shopId=${shopId}`,
      headers: ops,
    });
    expect(found.statusCode, found.body).toBe(200);
    expect(found.json().orders.map((o: { id: string }) => o.id)).toContain(id);
    const other = tail === '0000' ? '0001' : '0000';
    const none = await api.inject({
      method: 'GET',
      url: `/orders?phoneTail=${other}&shopId=${shopId}`,
      headers: ops,
    });
    expect(none.json().orders.map((o: { id: string }) => o.id)).not.toContain(id);

    const detail = await api.inject({
      method: 'GET',
      url: `/orders/${encodeURIComponent(id)}`,
      headers: ops,
    });
    expect(detail.json().order.receiver).toMatchObject({
      name: '王秘密',
      phone: `1390000${tail}`,
      detail: '保密路9号',
    });
  });

  it('the migration seals receivers stored in plaintext before it, and their phone tails are found', async () => {
    const tail = randomTail();
    const id = uniqueId('legacy');
    const receiver = { ...orderPush().receiver, name: '李旧', phone: `1370000${tail}`, detail: '旧路1号' };
    const now = new Date().toISOString();
    await h.db
      .insertInto('orders')
      .values({
        id,
        platform: 'own',
        shop_id: shopId,
        platform_order_id: id,
        status: 'captured',
        platform_status: 'paid',
        refund_status: 'none',
        order_type: 'normal',
        buyer_id: 'b',
        buyer_nick: null,
        receiver: JSON.stringify(receiver),
        effective_receiver: JSON.stringify({ ...receiver, detail: '旧路2号' }),
        currency: 'CNY',
        goods_fen: 1,
        discount_fen: 0,
        shipping_fen: 0,
        paid_fen: 1,
        buyer_remark: null,
        seller_memo: null,
        internal_memo: null,
        route_group: null,
        carrier_preference: null,
        outcome: null,
        platform_created_at: now,
        platform_modified_at: now,
        updated_at: now,
      })
      .execute();
    await h.db
      .insertInto('order_events')
      .values({
        order_id: id,
        seq: 1,
        stage: 'order_edited',
        status: 'held',
        actor: 'reviewer',
        detail: JSON.stringify({
          before: { receiver: { detail: '旧路1号' } },
          after: { receiver: { detail: '旧路2号' } },
        }),
        at: now,
      })
      .execute();
    await h.db
      .insertInto('wave_candidates')
      .values({
        warehouse_code: 'WH-LEGACY',
        order_id: id,
        join_key: 'a|b',
        entry: JSON.stringify({ ready: { orderId: id, receiver } }),
        urgent: false,
        ready_at: now,
      })
      .execute();

    expect(await sealStoredReceivers(h.db, ring)).toBeGreaterThanOrEqual(3);
    const dump = await sql<{ row: string }>`
      select o::text as row from orders o where id = ${id}
      union all select e::text from order_events e where order_id = ${id}
      union all select w::text from wave_candidates w where order_id = ${id}`.execute(h.db);
    for (const r of dump.rows) expect(r.row).not.toMatch(new RegExp(`1370000${tail}|李旧|旧路`));
    const row = await h.db.selectFrom('orders').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(openReceiver(ring(), row.receiver)).toEqual(receiver);
    expect(openReceiver(ring(), row.effective_receiver!)).toMatchObject({ detail: '旧路2号' });
    const found = await listOrders(h.db, ring(), { phoneTail: tail, shopId, limit: 50 });
    expect(found.map((o) => o.id)).toContain(id);
    // Running it again changes nothing.
    expect(await sealStoredReceivers(h.db, ring)).toBe(0);
  });
});
