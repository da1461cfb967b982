import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderWorkflowId } from '../../domain/ids.js';
import type { OrderPush } from '../../domain/order.js';
import type { Actor, ReviewDecision, ServiceAction } from '../../domain/review.js';
import { reviewUpdate, serviceUpdate, stateQuery } from '../../workflows/messages.js';
import { READY_STATUS, createShop, orderPush, seedCatalog } from '../support/fixtures.js';
import { setupWarehouse } from '../support/fulfilment.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { createHarness, type Harness } from '../support/harness.js';
import { submitOrder } from '../support/intake.js';
import { recordHistory } from '../support/histories.js';
import { vouched } from '../support/vouched.js';
import { PATIENCE_MS, waitForOrderStatus, waitForStage, waitForState } from '../support/waits.js';

let h: Harness;
let api: FastifyInstance;
let shopId: string;
let opsAuth: { authorization: string };

const cs: Actor = { id: 'cs-01', name: '小王', roles: ['customer-service'] };
const finance: Actor = { id: 'fin-01', roles: ['finance'] };

beforeAll(async () => {
  h = await createHarness();
  api = await h.api();
  await seedCatalog(h.db);
  await setupWarehouse(h.db, { stock: { 'SKU-001-RED-M': 1000 } });
  shopId = await createShop(h.db, 'taobao', { holdSlaSeconds: 600, unpaidCancelSeconds: 600 });
  opsAuth = bearer(await apiKeyFor(h.db, ['ops']));
  await h.startWorker();
});
afterAll(() => h.teardown());

async function push(order: OrderPush, shop = shopId, platform: 'taobao' | 'own' = 'taobao') {
  const res = await submitOrder(api, { platform, shopId: shop, order }, opsAuth);
  expect(res.statusCode).toBe(202);
  return orderWorkflowId(platform, shop, order.platformOrderId);
}

// Decisions as the API sends them: the actor with the API's signed assertion.
const review = (id: string, decision: ReviewDecision) =>
  h.client.workflow.getHandle(id).executeUpdate(reviewUpdate, {
    args: [
      { ...decision, actor: vouched(h.config, decision.actor, { workflowId: id, update: reviewUpdate }) },
    ],
  });
const service = (id: string, action: ServiceAction) =>
  h.client.workflow.getHandle(id).executeUpdate(serviceUpdate, {
    args: [{ ...action, actor: vouched(h.config, action.actor, { workflowId: id, update: serviceUpdate }) }],
  });

async function refusal(promise: Promise<unknown>): Promise<{ type: string | undefined; message: string }> {
  const err = await promise.then(
    () => {
      throw new Error('expected the update to be refused');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
  const cause = (err as WorkflowUpdateFailedError).cause;
  expect(cause).toBeInstanceOf(ApplicationFailure);
  return {
    type: (cause as ApplicationFailure).type ?? undefined,
    message: (cause as ApplicationFailure).message,
  };
}

async function stages(id: string) {
  const rows = await h.db
    .selectFrom('order_events')
    .select(['stage', 'actor', 'detail'])
    .where('order_id', '=', id)
    .orderBy('seq')
    .execute();
  return rows;
}

describe('holds and review', () => {
  it('holds an order with a buyer remark for customer service; only that role may approve it', async () => {
    const id = await push(orderPush({ buyerRemark: '请用顺丰发货，谢谢' }));
    const held = await waitForState(h.client, id, (s) => s.status === 'held');
    expect(held.holds.map((x) => [x.reason, x.clearedBy, x.stage])).toEqual([
      ['buyer_remark', 'customer-service', 1],
    ]);
    expect(held.waitingFor).toMatch(/review by customer-service/);
    expect(held.nextDeadline?.kind).toBe('hold_sla');

    await waitForStage(h.db, id, 'held');
    const before = (await stages(id)).length;
    const wrong = await refusal(review(id, { decision: 'approve', actor: finance }));
    expect(wrong.type).toBe('WrongRole');
    expect(wrong.message).toMatch(/cleared by the customer-service role/);
    expect((await stages(id)).length).toBe(before);

    const after = await review(id, { decision: 'approve', actor: cs, note: '已确认顺丰' });
    expect(after.holds).toEqual([]);
    await waitForOrderStatus(h.db, id, READY_STATUS);
    const approved = (await stages(id)).find((e) => e.stage === 'review_approved');
    expect(approved).toMatchObject({
      actor: 'cs-01 (小王)',
      detail: { reasons: ['buyer_remark'], note: '已确认顺丰' },
    });
    const hold = await h.db
      .selectFrom('order_holds')
      .selectAll()
      .where('order_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(hold).toMatchObject({ reason: 'buyer_remark', decision: 'approved', cleared_by: 'cs-01 (小王)' });
    await recordHistory(h.client, id, 'order-held-approved');
    await recordHistory(h.client, id, 'order-held-approved-combined-writes');
  });

  it('works two review stages in order: 客审 by customer service, then 财审 by finance', async () => {
    const id = await push(
      orderPush({
        buyerRemark: '发票抬头写公司名',
        amounts: { goodsFen: 880_000, discountFen: 0, shippingFen: 0, paidFen: 880_000 },
        lines: [
          {
            lineId: '1',
            platformSkuId: '',
            skuCode: 'SKU-001-RED-M',
            title: 'T',
            quantity: 88,
            unitPriceFen: 10_000,
            discountFen: 0,
          },
        ],
      }),
    );
    const stage1 = await waitForState(h.client, id, (s) => s.status === 'held');
    expect(stage1.reviewStage).toBe(1);
    expect(stage1.holds.map((x) => x.reason).sort()).toEqual(['buyer_remark', 'large_amount']);
    const early = await refusal(review(id, { decision: 'approve', actor: finance }));
    expect(early.type).toBe('WrongRole');

    const afterCs = await review(id, { decision: 'approve', actor: cs });
    expect(afterCs.reviewStage).toBe(2);
    expect(afterCs.holds.map((x) => x.reason)).toEqual(['large_amount']);
    await waitForState(h.client, id, (s) => s.status === 'held' && s.reviewStage === 2);
    await review(id, { decision: 'approve', actor: finance });
    await waitForOrderStatus(h.db, id, READY_STATUS);
    const approvals = (await stages(id)).filter((e) => e.stage === 'review_approved').map((e) => e.actor);
    expect(approvals).toEqual(['cs-01 (小王)', 'fin-01']);
  });

  it('cancels a rejected order and records who rejected it and why', async () => {
    const id = await push(orderPush({ buyerRemark: '我要改地址' }));
    await waitForState(h.client, id, (s) => s.status === 'held');
    const missingReason = await refusal(
      review(id, { decision: 'reject', actor: cs, reason: '' } as ReviewDecision),
    );
    expect(missingReason.type).toBe('InvalidDecision');
    expect(missingReason.message).toMatch(/reason: a reason is required/);
    await review(id, { decision: 'reject', actor: cs, reason: '买家要求取消' });
    await waitForOrderStatus(h.db, id, 'cancelled');
    const last = (await stages(id)).at(-1)!;
    expect(last).toMatchObject({
      stage: 'cancelled',
      actor: 'cs-01 (小王)',
      detail: { outcome: 'rejected_by_reviewer', note: '买家要求取消' },
    });
  });

  it('re-audits after an address edit: the fixed address clears its hold and the order moves on', async () => {
    const base = orderPush();
    const id = await push({
      ...base,
      receiver: { ...base.receiver, province: '火星省', city: '奥林匹斯市', district: '' },
    });
    const held = await waitForState(h.client, id, (s) => s.status === 'held');
    expect(held.holds.map((x) => x.reason)).toContain('address_invalid');

    const edited = await review(id, {
      decision: 'edit',
      actor: cs,
      edits: { receiver: { province: '浙江省', city: '杭州市', district: '西湖区' } },
      note: '电话核实地址',
    });
    expect(edited.holds.map((x) => x.reason)).not.toContain('address_invalid');
    await waitForOrderStatus(h.db, id, READY_STATUS);
    const row = await h.db
      .selectFrom('orders')
      .select(['effective_receiver'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.effective_receiver).toMatchObject({ province: '浙江省', city: '杭州市', district: '西湖区' });
    const names = (await stages(id)).map((e) => e.stage);
    expect(names).toEqual(expect.arrayContaining(['order_edited', 're_audited']));
  });

  it('refuses decisions on an order that is not held, and malformed ones, changing nothing', async () => {
    const now = new Date().toISOString();
    const id = await push(
      orderPush({ status: 'awaiting_payment', paidAt: undefined, createdAt: now, modifiedAt: now }),
    );
    await waitForOrderStatus(h.db, id, 'awaiting_payment');
    const before = (await stages(id)).length;
    const notHeld = await refusal(review(id, { decision: 'approve', actor: cs }));
    expect(notHeld).toEqual({
      type: 'OrderNotHeld',
      message: 'the order is not held (status: awaiting_payment)',
    });
    expect((await stages(id)).length).toBe(before);
    const held = await push(orderPush({ buyerRemark: '我要改地址' }));
    await waitForState(h.client, held, (s) => s.status === 'held');
    const bad = await refusal(review(held, { decision: 'maybe', actor: cs } as unknown as ReviewDecision));
    expect(bad.type).toBe('InvalidDecision');
    expect(bad.message).toMatch(/decision/);
    const noRoles = await refusal(review(held, { decision: 'approve', actor: { id: 'x', roles: [] } }));
    expect(noRoles.message).toMatch(/actor.roles: must name at least one role/);
  });

  it('holds for finance when the paid amount differs from the amount due', async () => {
    const id = await push(
      orderPush({ amounts: { goodsFen: 19_800, discountFen: 2_000, shippingFen: 0, paidFen: 15_000 } }),
    );
    const held = await waitForState(h.client, id, (s) => s.status === 'held');
    expect(held.holds).toEqual([
      expect.objectContaining({
        reason: 'payment_mismatch',
        clearedBy: 'finance',
        stage: 2,
        detail: expect.stringMatching(/paid 15000 fen but 17800 fen is due/),
      }),
    ]);
  });

  it('escalates a hold older than the shop SLA: flag and timeline event', async () => {
    const fast = await createShop(h.db, 'taobao', { holdSlaSeconds: 1 });
    const id = await push(orderPush({ buyerRemark: '请核对尺码' }), fast);
    const escalated = await waitForState(h.client, id, (s) => s.flags.includes('hold_overdue'));
    expect(escalated.holds[0]?.escalatedAt).toEqual(expect.any(String));
    // The flag is visible to a query while the timeline write is still in flight: both are waited for.
    await waitForStage(h.db, id, 'hold_escalated');
    await expect
      .poll(
        async () =>
          (
            await h.db
              .selectFrom('order_holds')
              .select('escalated_at')
              .where('order_id', '=', id)
              .executeTakeFirstOrThrow()
          ).escalated_at,
        { timeout: PATIENCE_MS, interval: 100 },
      )
      .toBeInstanceOf(Date);
  });
});

describe('customer service', () => {
  it('a locked order goes no further; unlocking resumes it', async () => {
    const now = Date.now();
    const order = orderPush({
      status: 'awaiting_payment',
      paidAt: undefined,
      createdAt: new Date(now).toISOString(),
      modifiedAt: new Date(now).toISOString(),
    });
    const id = await push(order);
    await waitForState(h.client, id, (s) => s.status === 'awaiting_payment');
    const wrongRole = await refusal(service(id, { action: 'lock', actor: finance, reason: 'x' }));
    expect(wrongRole.type).toBe('WrongRole');
    const locked = await service(id, { action: 'lock', actor: cs, reason: '买家来电要求暂缓' });
    expect(locked.locked).toBe(true);

    const paidAt = new Date().toISOString();
    await push({ ...order, status: 'paid', paidAt, modifiedAt: paidAt });
    const waiting = await waitForState(h.client, id, (s) => s.waitingFor?.startsWith('unlock') ?? false);
    expect(waiting.status).toBe('auditing');
    expect(waiting.waitingFor).toMatch(/买家来电要求暂缓/);
    const row = await h.db
      .selectFrom('orders')
      .select('locked')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.locked).toBe(true);

    await service(id, { action: 'flag', actor: cs, flag: 'vip' });
    await service(id, { action: 'memo', actor: cs, memo: '老客户，优先发货' });
    await service(id, { action: 'unlock', actor: cs });
    await waitForOrderStatus(h.db, id, READY_STATUS);
    const final = await h.db
      .selectFrom('orders')
      .select(['locked', 'flags', 'internal_memo'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(final).toMatchObject({ locked: false, internal_memo: '老客户，优先发货' });
    expect(final.flags).toContain('vip');
    const names = (await stages(id)).map((e) => [e.stage, e.actor]);
    expect(names).toEqual(
      expect.arrayContaining([
        ['locked', 'cs-01 (小王)'],
        ['flagged', 'cs-01 (小王)'],
        ['memo', 'cs-01 (小王)'],
        ['unlocked', 'cs-01 (小王)'],
      ]),
    );
    // The unlock's Update writes its note while the order goes on to its audit and past it.
    await recordHistory(h.client, id, 'order-unlocked-combined-writes');
  });
});

describe('interception', () => {
  it('stops a held order when the buyer is refunded, closing its holds', async () => {
    const order = orderPush({ buyerRemark: '尺码可能不对' });
    const id = await push(order);
    await waitForState(h.client, id, (s) => s.status === 'held');
    await push({ ...order, refundStatus: 'refunded', modifiedAt: new Date().toISOString() });
    await waitForOrderStatus(h.db, id, 'cancelled');
    const last = (await stages(id)).at(-1)!;
    expect(last.detail).toMatchObject({ outcome: 'refunded', stoppedDuring: 'held' });
    const hold = await h.db
      .selectFrom('order_holds')
      .selectAll()
      .where('order_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(hold).toMatchObject({ decision: 'intercepted' });
    await recordHistory(h.client, id, 'order-refunded-while-held');
  });

  it('stops a locked order when the platform cancels it', async () => {
    const order = orderPush({ buyerRemark: '再确认一下' });
    const id = await push(order);
    await waitForState(h.client, id, (s) => s.status === 'held');
    await service(id, { action: 'lock', actor: cs, reason: '等买家回复' });
    await push({ ...order, status: 'cancelled', modifiedAt: new Date().toISOString() });
    await waitForOrderStatus(h.db, id, 'cancelled');
    expect((await stages(id)).at(-1)?.detail).toMatchObject({ outcome: 'cancelled_on_platform' });
  });
});

describe('deadlines, presale and routing', () => {
  it('flags an order at risk before its ship-by deadline', async () => {
    const tight = await createShop(h.db, 'taobao', { shipBySeconds: 3, shipByWarningSeconds: 2 });
    const id = await push(
      orderPush({ buyerRemark: '需要核对颜色', paidAt: new Date().toISOString() }),
      tight,
    );
    const atRisk = await waitForState(h.client, id, (s) => s.shipBy?.atRisk === true);
    expect(atRisk.flags).toContain('ship_by_at_risk');
    await expect.poll(async () => (await stages(id)).map((e) => e.stage)).toContain('ship_by_at_risk');
    const row = await h.db
      .selectFrom('orders')
      .select(['ship_by_at', 'ship_by_at_risk'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.ship_by_at_risk).toBe(true);
  });

  it('walks an own-store presale order through deposit and balance, and cancels when the balance never comes', async () => {
    const presaleShop = await createShop(h.db, 'own', {
      presaleBalanceSeconds: 2,
      unpaidCancelSeconds: 600,
    });
    const now = Date.now();
    const order = orderPush({
      type: 'presale',
      status: 'awaiting_payment',
      paidAt: undefined,
      createdAt: new Date(now).toISOString(),
      modifiedAt: new Date(now).toISOString(),
      presale: { depositFen: 5_000, balanceFen: 12_800 },
      amounts: { goodsFen: 19_800, discountFen: 2_000, shippingFen: 0, paidFen: 0 },
    });
    const id = await push(order, presaleShop, 'own');
    const deposit = await waitForState(
      h.client,
      id,
      (s) => s.waitingFor === 'presale deposit from the buyer',
    );
    expect(deposit.nextDeadline?.kind).toBe('deposit_deadline');
    const depositAt = new Date().toISOString();
    await push(
      {
        ...order,
        status: 'deposit_paid',
        modifiedAt: depositAt,
        presale: { depositFen: 5_000, balanceFen: 12_800, depositPaidAt: depositAt },
        amounts: { ...order.amounts, paidFen: 5_000 },
      },
      presaleShop,
      'own',
    );
    const balance = await waitForState(
      h.client,
      id,
      (s) => s.waitingFor === 'presale balance payment from the buyer',
    );
    expect(balance.nextDeadline?.kind).toBe('balance_deadline');
    await waitForOrderStatus(h.db, id, 'cancelled');
    await waitForStage(h.db, id, 'store_not_told');
    expect((await stages(id)).map((e) => e.stage)).toEqual([
      'captured',
      'awaiting_deposit',
      'awaiting_balance',
      'cancelled',
      'store_not_told',
    ]);
    expect((await stages(id)).find((e) => e.stage === 'cancelled')?.detail).toMatchObject({
      outcome: 'presale_balance_unpaid',
    });
  });

  it('routes livestream orders to the livestream group ahead of normal orders', async () => {
    const live = await push(orderPush({ type: 'livestream' }));
    const normal = await push(orderPush());
    // Past audit both are allocated; the livestream order, urgent, does not wait for its wave.
    await waitForStage(h.db, live, 'allocated');
    await waitForStage(h.db, normal, 'allocated');
    const rows = await h.db
      .selectFrom('orders')
      .select(['id', 'route_group', 'priority', 'flags'])
      .where('id', 'in', [live, normal])
      .execute();
    const byId = Object.fromEntries(rows.map((r) => [r.id, r]));
    expect(byId[live]).toMatchObject({ route_group: 'livestream' });
    expect(byId[live]!.flags).toContain('urgent');
    expect(byId[live]!.priority).toBeGreaterThan(byId[normal]!.priority);
    const state = await h.client.workflow.getHandle(live).query(stateQuery);
    expect(state.route?.reason).toMatch(/livestream/i);
  });
});

describe('actors the API vouches for', () => {
  it('refuses a review from whoever reaches Temporal without the API: no, forged, expired, misdirected or widened assertions change nothing', async () => {
    const id = await push(orderPush({ buyerRemark: '我要改地址' }));
    await waitForState(h.client, id, (s) => s.status === 'held');
    const before = (await stages(id)).length;
    const send = (actor: unknown) =>
      refusal(
        h.client.workflow
          .getHandle(id)
          .executeUpdate(reviewUpdate, { args: [{ decision: 'approve', actor } as ReviewDecision] }),
      );
    const target = { workflowId: id, update: reviewUpdate };
    const attempts = {
      missing: await send(cs),
      forged: await send(vouched(h.config, cs, target, { key: Buffer.alloc(32, 1) })),
      // A verdict is the worker's to give: one sent along is replaced (or, without a token, ignored).
      selfVouched: await send({ ...cs, assertion: 'aa1.x.y', verdict: { ok: true, claims: { sub: cs.id } } }),
      verdictOnly: await send({ ...cs, verdict: { ok: true, claims: { sub: cs.id } } }),
      notAToken: await send({ ...cs, assertion: 'let me in' }),
      expired: await send(vouched(h.config, cs, target, { claims: { exp: Date.now() - 1_000 } })),
      otherOrder: await send(vouched(h.config, cs, { workflowId: `${id}-other`, update: reviewUpdate })),
      otherUpdate: await send(vouched(h.config, cs, { workflowId: id, update: serviceUpdate })),
      otherPerson: await send({ ...vouched(h.config, finance, target), id: cs.id }),
      widenedRoles: await send({ ...vouched(h.config, finance, target), roles: ['customer-service'] }),
    };
    for (const [what, answer] of Object.entries(attempts)) {
      expect(answer.type, what).toBe('ActorNotVerified');
    }
    expect(attempts.missing.message).toMatch(/no actor assertion/);
    expect(attempts.forged.message).toMatch(/not signed with the API’s key/);
    expect(attempts.selfVouched.message).toMatch(/not signed with the API’s key/);
    expect(attempts.verdictOnly.message).toMatch(/no actor assertion/);
    expect(attempts.notAToken.message).toMatch(/not one the API issues/);
    expect(attempts.expired.message).toMatch(/expired/);
    expect(attempts.otherOrder.message).toMatch(/issued for review on .*-other/);
    expect(attempts.widenedRoles.message).toMatch(/roles its assertion does not give/);
    // Nothing happened to the order; the same decision signed by the API applies.
    expect((await stages(id)).length).toBe(before);
    expect((await h.client.workflow.getHandle(id).query(stateQuery)).status).toBe('held');
    const approved = await review(id, { decision: 'approve', actor: cs });
    expect(approved.status).not.toBe('held');
    await waitForOrderStatus(h.db, id, READY_STATUS);
    await recordHistory(h.client, id, 'order-approved-by-vouched-actor');
  });

  it('answers 403 through the API when the assertion cannot be checked, and does not keep it as the outcome', async () => {
    const id = await push(orderPush({ buyerRemark: '发票抬头写公司' }));
    await waitForState(h.client, id, (s) => s.status === 'held');
    const csAuth = bearer(await apiKeyFor(h.db, ['customer-service']));
    // An API whose key the workers do not share signs assertions they reject.
    const stranger = await h.api({ ACTOR_ASSERTION_KEY: Buffer.alloc(32, 3).toString('base64') });
    const headers = { ...csAuth, 'idempotency-key': `k-${id}` };
    const refused = await stranger.inject({
      method: 'POST',
      url: `/orders/${encodeURIComponent(id)}/review`,
      headers,
      payload: { decision: 'approve' },
    });
    expect(refused.statusCode, refused.body).toBe(403);
    expect(refused.json()).toMatchObject({ code: 'ActorNotVerified' });
    const retried = await api.inject({
      method: 'POST',
      url: `/orders/${encodeURIComponent(id)}/review`,
      headers,
      payload: { decision: 'approve' },
    });
    expect(retried.statusCode, retried.body).toBe(200);
    expect(retried.headers['idempotent-replayed']).toBeUndefined();
  });
});
