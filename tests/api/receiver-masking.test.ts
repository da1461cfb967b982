import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../domain/audit/roles.js';
import { orderWorkflowId } from '../../domain/ids.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { READY_STATUS, createShop, orderPush, seedCatalog } from '../support/fixtures.js';
import { setupWarehouse } from '../support/fulfilment.js';
import { createHarness, type Harness } from '../support/harness.js';
import { submitOrder } from '../support/intake.js';
import { waitForOrderStatus } from '../support/waits.js';

// Who sees a buyer: reviewers, customer service, ops and admin see the receiver; the warehouse sees
// what the label shows (the address, name and phone masked); finance sees the region only.

let h: Harness;
let api: FastifyInstance;
let orderId: string;
const auth = new Map<Role, { authorization: string }>();

beforeAll(async () => {
  h = await createHarness();
  api = await h.api();
  await seedCatalog(h.db);
  await setupWarehouse(h.db);
  const shopId = await createShop(h.db, 'own');
  for (const role of ROLES) auth.set(role, bearer(await apiKeyFor(h.db, [role])));
  const push = orderPush({
    receiver: { ...orderPush().receiver, name: '赵买家', phone: '13912345678', detail: '文三路100号3幢' },
  });
  const res = await submitOrder(api, { platform: 'own', shopId, order: push }, auth.get('ops')!);
  expect(res.statusCode, res.body).toBe(202);
  orderId = orderWorkflowId('own', shopId, push.platformOrderId);
  await h.startWorker();
});
afterAll(() => h.teardown());

let ready: Promise<void> | undefined;
const receiverAs = async (role: Role) => {
  await (ready ??= waitForOrderStatus(h.db, orderId, READY_STATUS));
  const res = await api.inject({
    method: 'GET',
    url: `/orders/${encodeURIComponent(orderId)}`,
    headers: auth.get(role)!,
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().order.receiver as Record<string, unknown>;
};

const region = { province: '浙江省', city: '杭州市', district: '西湖区' };

describe('GET /orders/:id receivers by role', () => {
  it.each(['reviewer', 'customer-service', 'ops', 'admin'] as const)(
    '%s sees the whole receiver',
    async (role) => {
      expect(await receiverAs(role)).toMatchObject({
        ...region,
        name: '赵买家',
        phone: '13912345678',
        detail: '文三路100号3幢',
      });
    },
  );

  it('the warehouse sees the address it packs for, the name and phone masked as on the label', async () => {
    expect(await receiverAs('warehouse')).toMatchObject({
      ...region,
      name: '赵**',
      phone: '139****5678',
      detail: '文三路100号3幢',
    });
  });

  it('finance sees the region, never the name, phone or street', async () => {
    const receiver = await receiverAs('finance');
    expect(receiver).toMatchObject({
      ...region,
      name: '赵**',
      phone: '139****5678',
      detail: '文三路***号*幢',
    });
    expect(JSON.stringify(receiver)).not.toMatch(/买家|12345678|100号/);
  });
});
