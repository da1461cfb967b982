import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AfterSalePush } from '../../domain/after-sales.js';
import { orderWorkflowId } from '../../domain/ids.js';
import { renderOwnPush } from '../../integrations/platforms/own/index.js';
import { startSandbox, type Sandbox } from '../../sandbox/stack.js';
import { sandboxPaymentEnv } from '../../scripts/stack/dev-config.js';
import { afterSaleDecisionUpdate, afterSaleStateQuery } from '../../workflows/messages.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { registerShop } from '../capture/support.js';
import { seedCatalog, TEST_SKU, uniqueId } from '../support/fixtures.js';
import { setupWarehouse } from '../support/fulfilment.js';
import { freePort } from '../support/free-port.js';
import { createHarness, type Harness } from '../support/harness.js';
import { recordHistory } from '../support/histories.js';
import { PATIENCE_MS, waitForStage } from '../support/waits.js';
import { vouched } from '../support/vouched.js';
import { pushOwnCase, SKU_B, twoLineOrderPush } from './world.js';

// A refund-only case before shipment on an own-store order, on the real dev server: the case
// stops only the line it names (through the order's line-refund path: its stock is released, the
// other line keeps its reservation), a person agrees, and the money goes back through the channel
// that took it — Alipay or WeChat Pay — once, although the channel's first answer is lost and its
// notification arrives twice.

const storeId = uniqueId('own-as');
let h: Harness;
let api: FastifyInstance;
let sandbox: Sandbox;
let warehouse: string;

beforeAll(async () => {
  sandbox = await startSandbox({ shopIds: { own: storeId } });
  const port = await freePort();
  h = await createHarness({
    ...sandboxPaymentEnv(sandbox.payments, {}),
    PAYMENT_NOTIFY_BASE_URL: `http://127.0.0.1:${port}`,
  });
  api = await h.api();
  await api.listen({ port, host: '127.0.0.1' });
  await seedCatalog(h.db);
  await h.db
    .insertInto('skus')
    .values(SKU_B)
    .onConflict((oc) => oc.column('code').doNothing())
    .execute();
  warehouse = await setupWarehouse(h.db, { stock: { [TEST_SKU.code]: 20, [SKU_B.code]: 20 } });
  const ops = bearer(await apiKeyFor(h.db, ['ops']));
  await registerShop(api, ops, sandbox.shop('own'));
  await h.startWorker();
});
afterAll(async () => {
  await h?.teardown();
  await sandbox?.stop();
});

const reserved = async (sku: string) =>
  (
    await h.db
      .selectFrom('stock')
      .select('reserved')
      .where('warehouse_code', '=', warehouse)
      .where('sku_code', '=', sku)
      .executeTakeFirstOrThrow()
  ).reserved;

/** The paid two-line order of tests/after-sales/world.ts, allocated. */
async function paidTwoLineOrder() {
  const push = twoLineOrderPush();
  const rendered = renderOwnPush(sandbox.own.webhookSecret, push);
  const res = await api.inject({
    method: 'POST',
    url: `/webhooks/own/${storeId}`,
    headers: rendered.headers,
    payload: rendered.body,
  });
  expect(res.statusCode, res.body).toBe(202);
  const orderId = orderWorkflowId('own', storeId, push.platformOrderId);
  await waitForStage(h.db, orderId, 'allocated');
  return { push, orderId };
}

const pushCase = (body: AfterSalePush) => pushOwnCase(api, storeId, sandbox.own.webhookSecret, body);

async function caseRow(caseId: string) {
  return h.db.selectFrom('after_sale_cases').selectAll().where('id', '=', caseId).executeTakeFirst();
}

const customerService = { id: 'cs-xiaoli', roles: ['customer-service' as const] };

describe.each([
  {
    channel: 'alipay' as const,
    lose: () => sandbox.payments.alipay.faults.add('alipay.trade.refund', { kind: 'lose' }),
    book: () => sandbox.payments.alipay.book,
  },
  {
    channel: 'wechatpay' as const,
    lose: () => sandbox.payments.wechatpay.faults.add('refund', { kind: 'lose' }),
    book: () => sandbox.payments.wechatpay.book,
  },
])('refund only before shipment through $channel', ({ channel, lose, book }) => {
  it('stops the named line only, refunds it once despite a lost answer and a duplicate notification', async () => {
    const { push, orderId } = await paidTwoLineOrder();
    const outTradeNo = uniqueId('PAY').replace(/[^A-Za-z0-9_-]/g, '');
    book().openTrade({ outTradeNo, totalFen: 34_600 });
    const teaBefore = await reserved(SKU_B.code);
    const shirtsBefore = await reserved(TEST_SKU.code);

    const platformCaseId = uniqueId('RF').replace(/[^A-Za-z0-9_.-]/g, '');
    const body: AfterSalePush = {
      caseId: platformCaseId,
      platformOrderId: push.platformOrderId,
      kind: 'refund_only',
      reason: '不想要了',
      createdAt: new Date().toISOString(),
      lines: [{ lineId: '2', quantity: 1, refundFen: 16_800 }],
      payment: { channel, outTradeNo },
    };
    const res = await pushCase(body);
    expect(res.statusCode, res.body).toBe(202);
    const { caseId } = res.json() as { caseId: string };
    expect(caseId).toBe(`aftersale:own:${storeId}:${platformCaseId}`);
    expect((await pushCase(body)).json()).toMatchObject({ caseId, duplicate: true });

    const handle = h.client.workflow.getHandle(caseId);
    await expect
      .poll(async () => (await handle.query(afterSaleStateQuery)).waitingFor, { timeout: PATIENCE_MS })
      .toBe('a decision');
    // The tea line is held: its reservation released; the T-shirts keep theirs.
    await expect.poll(() => reserved(SKU_B.code), { timeout: PATIENCE_MS }).toBe(teaBefore - 1);
    await expect.poll(() => reserved(TEST_SKU.code), { timeout: PATIENCE_MS }).toBe(shirtsBefore);

    lose();
    sandbox.payments.notifyCopies = 2;
    try {
      const view = await handle.executeUpdate(afterSaleDecisionUpdate, {
        args: [
          {
            decision: 'agree',
            actor: vouched(h.config, customerService, {
              workflowId: caseId,
              update: afterSaleDecisionUpdate,
            }),
          },
        ],
      });
      expect(view.decisions).toHaveLength(1);
      await expect
        .poll(async () => (await caseRow(caseId))?.status, { timeout: PATIENCE_MS })
        .toBe('refunded');
      const [sent] = await h.db
        .selectFrom('payment_refunds')
        .select('refund_no')
        .where('case_id', '=', caseId)
        .execute();
      await expect
        .poll(
          () => sandbox.payments.notifications.of(sent!.refund_no).filter((r) => r.status === 200).length,
          {
            timeout: PATIENCE_MS,
          },
        )
        .toBe(2);
    } finally {
      sandbox.payments.notifyCopies = 1;
    }

    // Money moved once, for the tea line only, and no more than it took.
    expect(book().moves.filter((move) => move.outTradeNo === outTradeNo)).toEqual([
      expect.objectContaining({ amountFen: 16_800 }),
    ]);
    const refunds = await h.db
      .selectFrom('payment_refunds')
      .selectAll()
      .where('case_id', '=', caseId)
      .execute();
    expect(refunds).toEqual([
      expect.objectContaining({
        channel,
        state: 'succeeded',
        amount_fen: 16_800,
        lines: [{ lineId: '2', amountFen: 16_800 }],
      }),
    ]);
    // Both copies of the notification verified; one was taken, the copy recognised.
    const notices = await h.db
      .selectFrom('payment_notices')
      .selectAll()
      .where('refund_no', '=', refunds[0]!.refund_no)
      .execute();
    expect(notices).toHaveLength(1);
    expect(await caseRow(caseId)).toMatchObject({
      refunded_fen: 16_800,
      outcome: 'refunded',
      status: 'refunded',
    });
    const steps = (
      await h.db
        .selectFrom('after_sale_events')
        .select('stage')
        .where('case_id', '=', caseId)
        .orderBy('id')
        .execute()
    ).map((e) => e.stage);
    expect(steps).toEqual(['opened', 'lines_held', 'agreed', 'refunded']);
    // The order ships the T-shirts; the tea line is refunded on it.
    await expect
      .poll(
        async () =>
          (
            await h.db
              .selectFrom('orders')
              .select('refund_status')
              .where('id', '=', orderId)
              .executeTakeFirstOrThrow()
          ).refund_status,
        { timeout: PATIENCE_MS },
      )
      .toBe('refunded');
    await expect.poll(() => reserved(TEST_SKU.code), { timeout: PATIENCE_MS }).toBe(shirtsBefore);
    await recordHistory(h.client, caseId, `aftersale-own-refund-${channel}`);
  });
});

describe('decisions and refusals', () => {
  it('refuses a decision from the wrong role or above the request; a refusal lets the line ship again and moves no money', async () => {
    const { push } = await paidTwoLineOrder();
    const outTradeNo = uniqueId('PAY').replace(/[^A-Za-z0-9_-]/g, '');
    sandbox.payments.alipay.book.openTrade({ outTradeNo, totalFen: 34_600 });
    const teaBefore = await reserved(SKU_B.code);
    const res = await pushCase({
      caseId: uniqueId('RF').replace(/[^A-Za-z0-9_.-]/g, ''),
      platformOrderId: push.platformOrderId,
      kind: 'refund_only',
      reason: '拍错了',
      createdAt: new Date().toISOString(),
      lines: [{ lineId: '2', quantity: 1, refundFen: 16_800 }],
      payment: { channel: 'alipay', outTradeNo },
    });
    const { caseId } = res.json() as { caseId: string };
    const handle = h.client.workflow.getHandle(caseId);
    await expect
      .poll(async () => (await handle.query(afterSaleStateQuery)).waitingFor, { timeout: PATIENCE_MS })
      .toBe('a decision');
    await expect(
      handle.executeUpdate(afterSaleDecisionUpdate, {
        args: [
          {
            decision: 'agree',
            actor: vouched(
              h.config,
              { id: 'w1', roles: ['warehouse' as const] },
              { workflowId: caseId, update: afterSaleDecisionUpdate },
            ),
          },
        ],
      }),
    ).rejects.toMatchObject({ cause: { message: expect.stringMatching(/customer-service/) } });
    await expect(
      handle.executeUpdate(afterSaleDecisionUpdate, {
        args: [
          {
            decision: 'partial',
            amountFen: 20_000,
            actor: vouched(h.config, customerService, {
              workflowId: caseId,
              update: afterSaleDecisionUpdate,
            }),
          },
        ],
      }),
    ).rejects.toMatchObject({ cause: { message: expect.stringMatching(/above what the buyer asked/) } });
    await handle.executeUpdate(afterSaleDecisionUpdate, {
      args: [
        {
          decision: 'refuse',
          reason: '商品已打包',
          actor: vouched(h.config, customerService, {
            workflowId: caseId,
            update: afterSaleDecisionUpdate,
          }),
        },
      ],
    });
    await expect.poll(async () => (await caseRow(caseId))?.status, { timeout: PATIENCE_MS }).toBe('refused');
    await expect.poll(() => reserved(SKU_B.code), { timeout: PATIENCE_MS }).toBe(teaBefore);
    expect(sandbox.payments.alipay.book.refundsOf(outTradeNo)).toHaveLength(0);
  });

  it('answers 400 naming the field, 401 for a bad signature and 422 for a line the order lacks', async () => {
    const bad = await pushCase({
      caseId: 'x',
      platformOrderId: 'y',
      kind: 'refund_only',
      reason: '',
      createdAt: 'yesterday',
      lines: [],
      payment: { channel: 'alipay', outTradeNo: 'T' },
    } as AfterSalePush);
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toMatch(/body.createdAt/);
    const unsigned = await api.inject({
      method: 'POST',
      url: `/webhooks/own/${storeId}/after-sales`,
      headers: { 'content-type': 'application/json' },
      payload: '{}',
    });
    expect(unsigned.statusCode).toBe(401);
    const { push } = await paidTwoLineOrder();
    const unknownLine = await pushCase({
      caseId: 'C-1',
      platformOrderId: push.platformOrderId,
      kind: 'refund_only',
      reason: '',
      createdAt: new Date().toISOString(),
      lines: [{ lineId: '9', quantity: 1, refundFen: 100 }],
      payment: { channel: 'alipay', outTradeNo: 'T' },
    });
    expect(unknownLine.statusCode, unknownLine.body).toBe(422);
    expect(unknownLine.body).toMatch(/body.lines/);
  });
});

describe('the after-sales API', () => {
  it('lists and shows cases, queues them for review, and takes a decision once per Idempotency-Key', async () => {
    const cs = bearer(await apiKeyFor(h.db, ['customer-service']));
    const warehouseKey = bearer(await apiKeyFor(h.db, ['warehouse']));
    const { push } = await paidTwoLineOrder();
    const outTradeNo = uniqueId('PAY').replace(/[^A-Za-z0-9_-]/g, '');
    sandbox.payments.wechatpay.book.openTrade({ outTradeNo, totalFen: 34_600 });
    const res = await pushCase({
      caseId: uniqueId('RF').replace(/[^A-Za-z0-9_.-]/g, ''),
      platformOrderId: push.platformOrderId,
      kind: 'refund_only',
      reason: '多拍了',
      createdAt: new Date().toISOString(),
      lines: [{ lineId: '1', quantity: 2, refundFen: 17_800 }],
      payment: { channel: 'wechatpay', outTradeNo },
    });
    const { caseId } = res.json() as { caseId: string };
    await expect
      .poll(async () => (await caseRow(caseId))?.waiting_for, { timeout: PATIENCE_MS })
      .toBe('a decision');

    const queue = await api.inject({
      method: 'GET',
      url: `/after-sales/reviews?shopId=${storeId}`,
      headers: cs,
    });
    expect(queue.statusCode, queue.body).toBe(200);
    expect((queue.json() as { cases: Array<{ id: string }> }).cases.map((c) => c.id)).toContain(caseId);
    const listed = await api.inject({
      method: 'GET',
      url: `/after-sales?shopId=${storeId}&kind=refund_only&status=open`,
      headers: cs,
    });
    expect((listed.json() as { cases: Array<{ id: string }> }).cases.map((c) => c.id)).toContain(caseId);
    const none = await api.inject({
      method: 'GET',
      url: `/after-sales?shopId=${storeId}&kind=exchange`,
      headers: cs,
    });
    expect((none.json() as { cases: unknown[] }).cases).toEqual([]);
    expect(
      (await api.inject({ method: 'GET', url: `/after-sales?status=lost`, headers: cs })).statusCode,
    ).toBe(400);

    const url = `/after-sales/${encodeURIComponent(caseId)}`;
    const shown = await api.inject({ method: 'GET', url, headers: cs });
    expect(shown.statusCode, shown.body).toBe(200);
    expect(shown.json()).toMatchObject({
      case: { id: caseId, status: 'open', requestedFen: 17_800, paymentChannel: 'wechatpay' },
      lines: [{ lineId: '1', quantity: 2, requestedFen: 17_800 }],
      timeline: [{ stage: 'opened' }, { stage: 'lines_held' }],
      state: { waitingFor: 'a decision', decisions: [] },
      temporal: { workflowId: caseId },
    });

    const decide = (headers: Record<string, string>, payload: unknown) =>
      api.inject({ method: 'POST', url: `${url}/decisions`, headers, payload: payload as object });
    expect((await decide(warehouseKey, { decision: 'agree' })).statusCode).toBe(403);
    const tooMuch = await decide(cs, { decision: 'partial', amountFen: 20_000 });
    expect(tooMuch.statusCode, tooMuch.body).toBe(422);
    expect((await decide(cs, { decision: 'refuse' })).statusCode).toBe(400);

    const key = { ...cs, 'idempotency-key': uniqueId('decide') };
    const first = await decide(key, { decision: 'partial', amountFen: 10_000 });
    expect(first.statusCode, first.body).toBe(200);
    const again = await decide(key, { decision: 'partial', amountFen: 10_000 });
    expect(again.statusCode).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(first.json());
    expect((await decide(cs, { decision: 'agree' })).statusCode).toBe(409);

    await expect.poll(async () => (await caseRow(caseId))?.status, { timeout: PATIENCE_MS }).toBe('refunded');
    expect(sandbox.payments.wechatpay.book.moves.filter((m) => m.outTradeNo === outTradeNo)).toEqual([
      expect.objectContaining({ amountFen: 10_000 }),
    ]);
    const after = await api.inject({ method: 'GET', url, headers: cs });
    expect(after.json()).toMatchObject({
      case: { status: 'refunded', agreedFen: 10_000, refundedFen: 10_000 },
      refunds: [{ channel: 'wechatpay', amountFen: 10_000, state: 'succeeded' }],
      state: { decisions: [{ decision: 'partial', amountFen: 10_000 }] },
    });
  });
});

describe('a stuck refund retried by a person', () => {
  it('waits in needs_person when the channel refuses the refund, and moves the money once when a person retries', async () => {
    const cs = bearer(await apiKeyFor(h.db, ['customer-service']));
    const warehouseKey = bearer(await apiKeyFor(h.db, ['warehouse']));
    const { push, orderId } = await paidTwoLineOrder();
    // The store's payment is not at Alipay yet (the push named another trade): Alipay refuses.
    const outTradeNo = uniqueId('PAY').replace(/[^A-Za-z0-9_-]/g, '');
    const res = await pushCase({
      caseId: uniqueId('RT').replace(/[^A-Za-z0-9_.-]/g, ''),
      platformOrderId: push.platformOrderId,
      kind: 'refund_only',
      reason: '不想要了',
      createdAt: new Date().toISOString(),
      lines: [{ lineId: '2', quantity: 1, refundFen: 16_800 }],
      payment: { channel: 'alipay', outTradeNo },
    });
    expect(res.statusCode, res.body).toBe(202);
    const { caseId } = res.json() as { caseId: string };
    const url = `/after-sales/${encodeURIComponent(caseId)}`;
    await expect
      .poll(async () => (await caseRow(caseId))?.waiting_for, { timeout: PATIENCE_MS })
      .toBe('a decision');
    const retry = (headers: Record<string, string>, payload: object = {}) =>
      api.inject({ method: 'POST', url: `${url}/retry`, headers, payload });
    // Nothing is stuck yet.
    expect((await retry(cs)).statusCode).toBe(409);
    const agreed = await api.inject({
      method: 'POST',
      url: `${url}/decisions`,
      headers: cs,
      payload: { decision: 'agree' },
    });
    expect(agreed.statusCode, agreed.body).toBe(200);

    await expect
      .poll(async () => (await caseRow(caseId))?.status, { timeout: PATIENCE_MS })
      .toBe('needs_person');
    const stuck = await api.inject({ method: 'GET', url, headers: cs });
    expect(stuck.json()).toMatchObject({
      case: { status: 'needs_person', waitingFor: 'a person: the alipay refund is failed' },
      refunds: [{ state: 'failed', amountFen: 16_800, detail: expect.stringMatching(/ACQ.TRADE_NOT_EXIST/) }],
      state: { retry: { step: 'refund', number: 'new', retries: 0 } },
    });
    expect(sandbox.payments.alipay.book.refundsOf(outTradeNo)).toHaveLength(0);
    const refused = await retry(warehouseKey);
    expect(refused.statusCode).toBe(403);

    // The payment reaches Alipay; customer service sends the refund again.
    sandbox.payments.alipay.book.openTrade({ outTradeNo, totalFen: 34_600 });
    const key = { ...cs, 'idempotency-key': uniqueId('retry') };
    const first = await retry(key, { note: '支付单已到账' });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ state: { retry: null, decisions: [{}, { decision: 'retry' }] } });
    const again = await retry(key, { note: '支付单已到账' });
    expect(again.headers['idempotent-replayed']).toBe('true');

    await expect.poll(async () => (await caseRow(caseId))?.status, { timeout: PATIENCE_MS }).toBe('refunded');
    expect(sandbox.payments.alipay.book.refundsOf(outTradeNo)).toEqual([
      expect.objectContaining({ amountFen: 16_800, status: 'SUCCESS' }),
    ]);
    expect((await retry(cs)).statusCode).toBe(409);
    const done = await api.inject({ method: 'GET', url, headers: cs });
    const body = done.json() as {
      refunds: Array<{ state: string; amountFen: number }>;
      timeline: Array<{ stage: string; actor: string; detail: Record<string, unknown> }>;
    };
    expect(body.refunds.map((r) => [r.state, r.amountFen])).toEqual([
      ['failed', 16_800],
      ['succeeded', 16_800],
    ]);
    expect(body.timeline.map((e) => e.stage)).toEqual([
      'opened',
      'lines_held',
      'agreed',
      'needs_person',
      'retried',
      'refunded',
    ]);
    expect(body.timeline[4]).toMatchObject({ detail: { note: '支付单已到账', number: 'new' } });
    const lineState = async () =>
      (
        (
          await api.inject({ method: 'GET', url: `/orders/${encodeURIComponent(orderId)}`, headers: cs })
        ).json() as { lines: Array<{ line_id: string; refund_status: string }> }
      ).lines.find((l) => l.line_id === '2')?.refund_status;
    await expect.poll(lineState, { timeout: PATIENCE_MS }).toBe('refunded');
    await recordHistory(h.client, caseId, 'aftersale-own-refund-retried');
  });
});
