import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderWorkflowId } from '../../domain/ids.js';
import type { OrderPush } from '../../domain/order.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { LARGE_AMOUNT_ORDER, READY_STATUS, createShop, orderPush, seedCatalog } from '../support/fixtures.js';
import { setupWarehouse } from '../support/fulfilment.js';
import { createHarness, type Harness } from '../support/harness.js';
import { submitOrder } from '../support/intake.js';
import { waitForOrderStatus, waitForStage, waitForState } from '../support/waits.js';

let h: Harness;
let api: FastifyInstance;
let shopId: string;
let csAuth: { authorization: string };
let financeAuth: { authorization: string };
let warehouseAuth: { authorization: string };
let opsAuth: { authorization: string };

beforeAll(async () => {
  h = await createHarness();
  api = await h.api();
  await seedCatalog(h.db);
  await setupWarehouse(h.db);
  shopId = await createShop(h.db, 'jd', { shipBySeconds: 3600, shipByWarningSeconds: 7200 });
  csAuth = bearer(await apiKeyFor(h.db, ['customer-service'], 'xiaowang'));
  financeAuth = bearer(await apiKeyFor(h.db, ['finance'], 'laoli'));
  warehouseAuth = bearer(await apiKeyFor(h.db, ['warehouse'], 'cangku'));
  opsAuth = bearer(await apiKeyFor(h.db, ['ops']));
  await h.startWorker();
});
afterAll(() => h.teardown());

async function pushHeld(overrides: Partial<OrderPush> = {}) {
  const order = orderPush({ buyerRemark: '请核对颜色再发', ...overrides });
  await submitOrder(api, { platform: 'jd', shopId, order }, opsAuth);
  const id = orderWorkflowId('jd', shopId, order.platformOrderId);
  await waitForOrderStatus(h.db, id, 'held');
  return id;
}

const url = (id: string, path = 'review') => `/orders/${encodeURIComponent(id)}/${path}`;

const timeline = async (id: string) =>
  h.db
    .selectFrom('order_events')
    .select(['seq', 'stage'])
    .where('order_id', '=', id)
    .orderBy('seq')
    .execute();

describe('GET /reviews', () => {
  it('lists held orders oldest first with the holds the caller can clear, current stage only', async () => {
    const first = await pushHeld();
    const second = await pushHeld({
      ...LARGE_AMOUNT_ORDER,
    });
    const res = await api.inject({ method: 'GET', url: `/reviews?shopId=${shopId}`, headers: csAuth });
    expect(res.statusCode).toBe(200);
    const ids = res.json().items.map((i: { orderId: string }) => i.orderId);
    expect(ids.indexOf(first)).toBeLessThan(ids.indexOf(second));
    const item = res.json().items.find((i: { orderId: string }) => i.orderId === second);
    expect(item).toMatchObject({
      stage: 1,
      holds: [expect.objectContaining({ reason: 'buyer_remark', clearedBy: 'customer-service' })],
    });

    // Finance sees nothing of these yet: their 财审 stage comes after 客审.
    const fin = await api.inject({ method: 'GET', url: `/reviews?shopId=${shopId}`, headers: financeAuth });
    expect(fin.json().items.map((i: { orderId: string }) => i.orderId)).not.toContain(second);
  });

  it('refuses callers without a reviewing role', async () => {
    const res = await api.inject({ method: 'GET', url: '/reviews', headers: warehouseAuth });
    expect(res.statusCode).toBe(403);
  });
});

describe('POST /orders/:id/review', () => {
  it('approves with the caller recorded as actor and answers with the new state', async () => {
    const id = await pushHeld();
    const res = await api.inject({
      method: 'POST',
      url: url(id),
      headers: csAuth,
      payload: { decision: 'approve', note: '颜色已确认' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().state).toMatchObject({ orderId: id, holds: [] });
    await waitForOrderStatus(h.db, id, READY_STATUS);
    const event = await h.db
      .selectFrom('order_events')
      .selectAll()
      .where('order_id', '=', id)
      .where('stage', '=', 'review_approved')
      .executeTakeFirstOrThrow();
    expect(event.actor).toBe('xiaowang');
  });

  it('answers 400 for a malformed decision and 422 for one that cannot apply, naming the field, changing nothing', async () => {
    const id = await pushHeld();
    // The shop warns 2 h before a 1 h ship-by, so the order is at risk from the start: that event
    // lands a moment after the hold and is no part of what a refused decision must leave alone.
    await waitForStage(h.db, id, 'ship_by_at_risk');
    const before = await timeline(id);
    const post = (payload: unknown, headers = csAuth) =>
      api.inject({ method: 'POST', url: url(id), headers, payload: payload as object });
    const line = orderPush().lines[0]!;

    // Not the shape of a decision: 400, naming the field.
    const malformed: [unknown, string][] = [
      [{ decision: 'maybe' }, 'body.decision'],
      [{ decision: 'reject', reason: 42 }, 'body.reason'],
      [{ decision: 'edit', edits: {} }, 'body.edits'],
      [{ decision: 'edit', edits: { lines: [{ ...line, quantity: 0 }] } }, 'body.edits.lines.0.quantity'],
      [{ decision: 'edit', edits: { carrierPreference: 7 } }, 'body.edits.carrierPreference'],
    ];
    for (const [payload, field] of malformed) {
      const res = await post(payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().issues.map((i: { field: string }) => i.field)).toContain(field);
    }

    // Well-formed, but it cannot apply: 422, naming the field and the problem.
    const impossible: [unknown, string, RegExp][] = [
      [{ decision: 'reject' }, 'body.reason', /a reason is required to reject/],
      [{ decision: 'reject', reason: '   ' }, 'body.reason', /a reason is required to reject/],
      [
        { decision: 'edit', edits: { carrierPreference: 'PIGEON' } },
        'body.edits.carrierPreference',
        /"PIGEON" is not a carrier in the registry/,
      ],
      [
        { decision: 'edit', edits: { lines: [{ ...line, skuCode: 'NO-SUCH-SKU', platformSkuId: '' }] } },
        'body.edits.lines.0.skuCode',
        /unknown SKU: no SKU mapping for outer code "NO-SUCH-SKU"/,
      ],
      [
        {
          decision: 'edit',
          edits: { receiver: { province: '浙江省', city: '奥林匹斯市', district: '西湖区' } },
        },
        'body.edits.receiver.city',
        /奥林匹斯市/,
      ],
      [
        { decision: 'edit', edits: { lines: [line, { ...line }] } },
        'body.edits.lines.1.lineId',
        /is used by another line/,
      ],
    ];
    for (const [payload, field, problem] of impossible) {
      const res = await post(payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(422);
      expect(res.json()).toMatchObject({ code: 'InvalidDecision' });
      const issue = (res.json().issues as { field: string; problem: string }[]).find(
        (i) => i.field === field,
      );
      expect(issue?.problem, JSON.stringify(res.json())).toMatch(problem);
      expect(res.json().message).toContain(field);
    }

    // Nothing reached the order: still held, timeline unchanged.
    const state = await waitForState(h.client, id, (s) => s.status === 'held');
    expect(state.holds.map((x) => x.reason)).toEqual(['buyer_remark']);
    expect(await timeline(id)).toEqual(before);
  });

  it('answers 403 for another role’s hold or route, and 409 when the order is not held or finished', async () => {
    const id = await pushHeld();
    const wrongRole = await api.inject({
      method: 'POST',
      url: url(id),
      headers: financeAuth,
      payload: { decision: 'approve' },
    });
    expect(wrongRole.statusCode).toBe(403);
    expect(wrongRole.json().message).toMatch(/cleared by the customer-service role/);
    const noReviewRole = await api.inject({
      method: 'POST',
      url: url(id),
      headers: warehouseAuth,
      payload: { decision: 'approve' },
    });
    expect(noReviewRole.statusCode).toBe(403);

    await api.inject({ method: 'POST', url: url(id), headers: csAuth, payload: { decision: 'approve' } });
    await waitForOrderStatus(h.db, id, READY_STATUS);
    const notHeld = await api.inject({
      method: 'POST',
      url: url(id),
      headers: csAuth,
      payload: { decision: 'approve' },
    });
    expect(notHeld.statusCode).toBe(409);
    expect(notHeld.json().message).toMatch(/the order is not held \(status: awaiting_wave\)/);

    const rejected = await pushHeld();
    await api.inject({
      method: 'POST',
      url: url(rejected),
      headers: csAuth,
      payload: { decision: 'reject', reason: '买家取消' },
    });
    await waitForOrderStatus(h.db, rejected, 'cancelled');
    await expect
      .poll(async () => (await h.client.workflow.getHandle(rejected).describe()).status.name)
      .toBe('COMPLETED');
    const finished = await api.inject({
      method: 'POST',
      url: url(rejected),
      headers: csAuth,
      payload: { decision: 'approve' },
    });
    expect(finished.statusCode).toBe(409);
    expect(finished.json().message).toMatch(/the order is cancelled/);
  });

  it('applies a retried request with the same Idempotency-Key once', async () => {
    const id = await pushHeld({ buyerRemark: '包装要结实' });
    const headers = { ...csAuth, 'idempotency-key': `memo-${id}` };
    const a = await api.inject({
      method: 'POST',
      url: url(id, 'memos'),
      headers,
      payload: { memo: '已提醒仓库加固' },
    });
    const b = await api.inject({
      method: 'POST',
      url: url(id, 'memos'),
      headers,
      payload: { memo: '已提醒仓库加固' },
    });
    expect([a.statusCode, b.statusCode]).toEqual([200, 200]);
    const memos = await h.db
      .selectFrom('order_events')
      .select('stage')
      .where('order_id', '=', id)
      .where('stage', '=', 'memo')
      .execute();
    expect(memos).toHaveLength(1);
  });

  it('answers 404 for an unknown order', async () => {
    const res = await api.inject({
      method: 'POST',
      url: url('order:jd:nope:404'),
      headers: csAuth,
      payload: { decision: 'approve' },
    });
    expect(res.statusCode).toBe(404);
  });
});

describe('customer-service routes', () => {
  it('lock, flag, unflag and unlock through the API, each on the timeline', async () => {
    const id = await pushHeld();
    const lock = await api.inject({
      method: 'POST',
      url: url(id, 'lock'),
      headers: csAuth,
      payload: { reason: '等买家确认' },
    });
    expect(lock.statusCode).toBe(200);
    expect(lock.json().state.locked).toBe(true);
    const again = await api.inject({
      method: 'POST',
      url: url(id, 'lock'),
      headers: csAuth,
      payload: { reason: 'x' },
    });
    expect(again.statusCode).toBe(409);
    const flag = await api.inject({
      method: 'POST',
      url: url(id, 'flags'),
      headers: csAuth,
      payload: { flag: 'gift' },
    });
    expect(flag.json().state.flags).toContain('gift');
    const badFlag = await api.inject({
      method: 'POST',
      url: url(id, 'flags'),
      headers: csAuth,
      payload: { flag: 'shiny' },
    });
    expect(badFlag.statusCode).toBe(400);
    const unflag = await api.inject({ method: 'DELETE', url: url(id, 'flags/gift'), headers: csAuth });
    expect(unflag.json().state.flags).not.toContain('gift');
    const financeLock = await api.inject({
      method: 'POST',
      url: url(id, 'unlock'),
      headers: financeAuth,
      payload: {},
    });
    expect(financeLock.statusCode).toBe(403);
    const unlock = await api.inject({ method: 'POST', url: url(id, 'unlock'), headers: csAuth, payload: {} });
    expect(unlock.json().state.locked).toBe(false);
    const stages = (
      await h.db
        .selectFrom('order_events')
        .select('stage')
        .where('order_id', '=', id)
        .orderBy('seq')
        .execute()
    ).map((e) => e.stage);
    expect(stages).toEqual(expect.arrayContaining(['locked', 'flagged', 'unflagged', 'unlocked']));
  });
});

describe('GET /orders/at-risk', () => {
  it('lists orders whose ship-by deadline is near, soonest first', async () => {
    const id = await pushHeld();
    await expect
      .poll(async () => {
        const res = await api.inject({
          method: 'GET',
          url: '/orders/at-risk?withinHours=2',
          headers: warehouseAuth,
        });
        return res.json().orders.map((o: { id: string }) => o.id);
      })
      .toContain(id);
  });
});
