import type { FastifyInstance } from 'fastify';
import { dataKeyring } from '../../db/crypto/data-keys.js';
import { openReceiver, openReceiversIn } from '../../db/crypto/receivers.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderWorkflowId } from '../../domain/ids.js';
import type { OrderLine, OrderPush } from '../../domain/order.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { READY_STATUS, TEST_SKU, createShop, orderPush, seedCatalog } from '../support/fixtures.js';
import { setupWarehouse } from '../support/fulfilment.js';
import { createHarness, type Harness } from '../support/harness.js';
import { recordHistory } from '../support/histories.js';
import { submitOrder } from '../support/intake.js';
import { PATIENCE_MS, waitForOrderStatus, waitForStage, waitForState } from '../support/waits.js';

/**
 * Reviewer edits through the API against real order workflows, and the presale payment phases
 * with their own deadlines. Durations are seconds, from shop settings.
 */

let h: Harness;
let api: FastifyInstance;
let shopId: string;
let opsAuth: { authorization: string };
let csAuth: { authorization: string };

const SUBSTITUTE = { ...TEST_SKU, code: 'SKU-002-BLUE-M', name: '纯棉T恤 蓝色 M' };
const DISCONTINUED = { ...TEST_SKU, code: 'SKU-003-GREEN-M', name: '纯棉T恤 绿色 M' };

beforeAll(async () => {
  h = await createHarness();
  api = await h.api();
  await seedCatalog(h.db);
  await h.db.insertInto('skus').values([SUBSTITUTE, DISCONTINUED]).execute();
  await setupWarehouse(h.db, {
    stock: { [TEST_SKU.code]: 100, [SUBSTITUTE.code]: 100, [DISCONTINUED.code]: 0 },
  });
  shopId = await createShop(h.db, 'taobao', { holdSlaSeconds: 3600 });
  opsAuth = bearer(await apiKeyFor(h.db, ['ops']));
  csAuth = bearer(await apiKeyFor(h.db, ['customer-service'], 'kefu.xiaomei'));
  await h.startWorker();
});
afterAll(() => h.teardown());

async function push(order: OrderPush, shop = shopId, platform: 'taobao' | 'own' = 'taobao') {
  const res = await submitOrder(api, { platform, shopId: shop, order }, opsAuth);
  expect(res.statusCode, res.body).toBe(202);
  return orderWorkflowId(platform, shop, order.platformOrderId);
}

function review(id: string, payload: Record<string, unknown>) {
  return api.inject({
    method: 'POST',
    url: `/orders/${encodeURIComponent(id)}/review`,
    headers: csAuth,
    payload,
  });
}

/** The timeline as stored, receivers opened (they are sealed at rest). */
async function events(id: string) {
  const rows = await h.db
    .selectFrom('order_events')
    .select(['seq', 'stage', 'actor', 'detail', 'at'])
    .where('order_id', '=', id)
    .orderBy('seq')
    .execute();
  return rows.map((e) => ({ ...e, detail: openReceiversIn(dataKeyring(h.config), e.detail) }));
}

async function heldForRemark(overrides: Partial<OrderPush> = {}) {
  const id = await push(orderPush({ buyerRemark: '请核对颜色再发', ...overrides }));
  await waitForState(h.client, id, (s) => s.status === 'held');
  return id;
}

/** The one `order_edited` event after `since`, checked to name the caller and a time within the test. */
async function editEvent(id: string, since: Date) {
  const edits = (await events(id)).filter((e) => e.stage === 'order_edited');
  expect(edits).toHaveLength(1);
  const [edit] = edits;
  expect(edit!.actor).toBe('kefu.xiaomei');
  expect(edit!.at.getTime()).toBeGreaterThanOrEqual(since.getTime() - 1000);
  expect(edit!.at.getTime()).toBeLessThanOrEqual(Date.now());
  return edit!.detail as {
    fields: string[];
    before: Record<string, unknown>;
    after: Record<string, unknown>;
  };
}

describe('review edits through the API', () => {
  it('edits lines — a quantity and a substitute SKU — and the order is fulfilled with the edited lines', async () => {
    const base = orderPush().lines[0]!;
    const lines: OrderLine[] = [
      { ...base, lineId: '1', quantity: 2 },
      { ...base, lineId: '2', skuCode: DISCONTINUED.code, platformSkuId: '', quantity: 1 },
    ];
    const id = await heldForRemark({ lines });
    const since = new Date();
    const edited: OrderLine[] = [
      { ...lines[0]!, quantity: 3 },
      { ...lines[1]!, skuCode: SUBSTITUTE.code, title: SUBSTITUTE.name },
    ];
    const res = await review(id, { decision: 'edit', edits: { lines: edited }, note: '买家同意换蓝色' });
    expect(res.statusCode, res.body).toBe(200);
    // The remark still needs its approval: the edit alone does not release the order.
    expect(res.json().state).toMatchObject({ status: 'held', holds: [{ reason: 'buyer_remark' }] });

    const detail = await editEvent(id, since);
    expect(detail.fields).toEqual(['lines']);
    const summary = (l: unknown) => (l as OrderLine[]).map((x) => [x.lineId, x.skuCode, x.quantity]);
    expect(summary(detail.before.lines)).toEqual([
      ['1', TEST_SKU.code, 2],
      ['2', DISCONTINUED.code, 1],
    ]);
    expect(summary(detail.after.lines)).toEqual([
      ['1', TEST_SKU.code, 3],
      ['2', SUBSTITUTE.code, 1],
    ]);

    expect((await review(id, { decision: 'approve' })).statusCode).toBe(200);
    await waitForOrderStatus(h.db, id, READY_STATUS);
    const reserved = await h.db
      .selectFrom('stock_reservations')
      .select(['sku_code', 'qty'])
      .where('order_id', '=', id)
      .orderBy('sku_code')
      .execute();
    expect(reserved).toEqual([
      { sku_code: TEST_SKU.code, qty: 3 },
      { sku_code: SUBSTITUTE.code, qty: 1 },
    ]);
  });

  it('stores a carrier preference, shows it on the order, and records clearing it', async () => {
    const id = await heldForRemark();
    const since = new Date();
    const res = await review(id, { decision: 'edit', edits: { carrierPreference: 'SF' } });
    expect(res.statusCode, res.body).toBe(200);
    // The review's answer is the order's live state, which shows the preference and what was edited.
    expect(res.json().state).toMatchObject({
      carrierPreference: 'SF',
      edited: { receiver: false, lines: false, sellerMemo: false },
    });
    const detail = await editEvent(id, since);
    expect(detail).toMatchObject({
      fields: ['carrierPreference'],
      before: { carrierPreference: null },
      after: { carrierPreference: 'SF' },
    });
    const order = async () =>
      (await api.inject({ method: 'GET', url: `/orders/${encodeURIComponent(id)}`, headers: csAuth })).json();
    await expect.poll(async () => (await order()).order.carrier_preference).toBe('SF');

    expect((await review(id, { decision: 'edit', edits: { carrierPreference: null } })).statusCode).toBe(200);
    await expect.poll(async () => (await order()).order.carrier_preference).toBeNull();
    const cleared = (await events(id)).filter((e) => e.stage === 'order_edited').at(-1)!;
    expect(cleared.detail).toMatchObject({
      before: { carrierPreference: 'SF' },
      after: { carrierPreference: null },
    });
  });

  it('edits the seller memo: the re-audit reads the edited memo and holds on it', async () => {
    const id = await heldForRemark({ sellerMemo: '老客户' });
    const since = new Date();
    const res = await review(id, { decision: 'edit', edits: { sellerMemo: '等通知再发' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(
      res
        .json()
        .state.holds.map((x: { reason: string }) => x.reason)
        .sort(),
    ).toEqual(['buyer_remark', 'seller_memo']);
    const detail = await editEvent(id, since);
    expect(detail).toMatchObject({
      fields: ['sellerMemo'],
      before: { sellerMemo: '老客户' },
      after: { sellerMemo: '等通知再发' },
    });
    const reaudit = (await events(id)).find((e) => e.stage === 're_audited');
    expect(reaudit?.detail).toMatchObject({ opened: ['seller_memo'] });
  });

  it('keeps the rest of the receiver when only part of it is edited', async () => {
    const id = await heldForRemark();
    const res = await review(id, { decision: 'edit', edits: { receiver: { detail: '文三路200号3幢' } } });
    expect(res.statusCode, res.body).toBe(200);
    const stored = async () => {
      const row = await h.db
        .selectFrom('orders')
        .select('effective_receiver')
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      return row.effective_receiver && openReceiver(dataKeyring(h.config), row.effective_receiver);
    };
    await expect
      .poll(stored)
      .toMatchObject({ province: '浙江省', city: '杭州市', district: '西湖区', detail: '文三路200号3幢' });
    const detail = (await events(id)).find((e) => e.stage === 'order_edited')!.detail;
    expect(detail).toMatchObject({
      before: { receiver: { detail: '文三路100号' } },
      after: { receiver: { detail: '文三路200号3幢' } },
    });
  });
});

describe('presale deadlines', () => {
  const presale = (overrides: Partial<OrderPush> = {}) => {
    const now = new Date().toISOString();
    return orderPush({
      type: 'presale',
      status: 'awaiting_payment',
      paidAt: undefined,
      createdAt: now,
      modifiedAt: now,
      presale: { depositFen: 5_000, balanceFen: 12_800 },
      amounts: { goodsFen: 19_800, discountFen: 2_000, shippingFen: 0, paidFen: 0 },
      ...overrides,
    });
  };

  async function stockOf(sku: string) {
    return h.db
      .selectFrom('stock')
      .select(['on_hand', 'reserved'])
      .where('sku_code', '=', sku)
      .executeTakeFirstOrThrow();
  }

  it('cancels an own-store presale when the deposit is not paid by its own deadline, not the unpaid-cancel timer', async () => {
    const shop = await createShop(h.db, 'own', { presaleDepositSeconds: 2, unpaidCancelSeconds: 600 });
    const order = presale();
    const id = await push(order, shop, 'own');
    await waitForOrderStatus(h.db, id, 'cancelled');
    await waitForStage(h.db, id, 'store_not_told');
    const all = await events(id);
    // The shop has no callback URL: the store cannot be told, and the timeline says so.
    expect(all.map((e) => e.stage)).toEqual(['captured', 'awaiting_deposit', 'cancelled', 'store_not_told']);
    const cancelled = all.find((e) => e.stage === 'cancelled')!;
    expect(cancelled.detail).toMatchObject({ outcome: 'presale_deposit_unpaid', presaleDepositSeconds: 2 });
    // At the deposit deadline (2 s after the order was placed), not before it nor at the unpaid-cancel
    // timer's 10 minutes. (What the order page shows while it waits — 'presale deposit from the buyer'
    // until that deadline — lasts two seconds here; asserting it would race a busy machine.)
    const cancelledAfterMs = new Date(cancelled.at).getTime() - Date.parse(order.createdAt);
    expect(cancelledAfterMs).toBeGreaterThanOrEqual(2000);
    expect(cancelledAfterMs).toBeLessThan(600_000);
    await recordHistory(h.client, id, 'order-own-presale-deposit-timeout');
  });

  it('reminds, and keeps waiting, when a marketplace presale deposit is late; the platform closes it', async () => {
    const shop = await createShop(h.db, 'taobao', { presaleDepositSeconds: 1, unpaidCancelSeconds: 1 });
    const order = presale();
    const id = await push(order, shop);
    const overdue = await waitForState(
      h.client,
      id,
      (s) => s.flags.includes('unpaid_overdue') && s.waitingFor !== 'presale deposit from the buyer',
    );
    expect(overdue.status).toBe('awaiting_payment');
    expect(overdue.waitingFor).toBe('presale deposit from the buyer (overdue: the platform decides)');
    await expect
      .poll(
        async () =>
          h.db.selectFrom('alerts').select(['kind', 'message']).where('shop_id', '=', shop).execute(),
        { timeout: PATIENCE_MS, interval: 200 },
      )
      .toEqual([{ kind: 'unpaid_overdue', message: expect.stringContaining(id) }]);
    await push({ ...order, status: 'cancelled', modifiedAt: new Date().toISOString() }, shop);
    await waitForOrderStatus(h.db, id, 'cancelled');
    const all = await events(id);
    expect(all.map((e) => e.stage)).toEqual(['captured', 'awaiting_deposit', 'unpaid_reminder', 'cancelled']);
    expect(all.at(-1)!.detail).toMatchObject({ outcome: 'cancelled_on_platform' });
    await recordHistory(h.client, id, 'order-presale-deposit-reminder');
  });

  it('proceeds to audit once the deposit and then the balance are paid', async () => {
    const shop = await createShop(h.db, 'taobao', { presaleDepositSeconds: 600, presaleBalanceSeconds: 600 });
    const order = presale();
    const id = await push(order, shop);
    const waiting = await waitForState(
      h.client,
      id,
      (s) => s.waitingFor === 'presale deposit from the buyer',
    );
    // The shop's deposit window, counted from when the order was placed.
    expect(waiting.nextDeadline).toEqual({
      kind: 'deposit_deadline',
      at: new Date(Date.parse(order.createdAt) + 600_000).toISOString(),
    });

    const depositAt = new Date().toISOString();
    await push(
      {
        ...order,
        status: 'deposit_paid',
        modifiedAt: depositAt,
        presale: { ...order.presale!, depositPaidAt: depositAt },
        amounts: { ...order.amounts, paidFen: 5_000 },
      },
      shop,
    );
    const balance = await waitForState(
      h.client,
      id,
      (s) => s.waitingFor === 'presale balance payment from the buyer',
    );
    // The shop's balance window, counted from when the deposit was paid.
    expect(Date.parse(balance.nextDeadline!.at)).toBeGreaterThanOrEqual(Date.parse(depositAt) + 600_000);

    const paidAt = new Date().toISOString();
    await push(
      {
        ...order,
        status: 'paid',
        paidAt,
        modifiedAt: paidAt,
        presale: { ...order.presale!, depositPaidAt: depositAt, balancePaidAt: paidAt },
        amounts: { ...order.amounts, paidFen: 17_800 },
      },
      shop,
    );
    await waitForOrderStatus(h.db, id, READY_STATUS);
    const stages = (await events(id)).map((e) => e.stage);
    expect(stages.slice(0, 6)).toEqual([
      'captured',
      'awaiting_deposit',
      'awaiting_balance',
      'payment_confirmed',
      'audited',
      'audit_passed',
    ]);
    const awaiting = (await events(id)).find((e) => e.stage === 'awaiting_balance')!;
    expect(awaiting.detail).toMatchObject({ deadlineFrom: 'shop', depositFen: 5_000, balanceFen: 12_800 });
  });

  it('cancels an own-store presale at its balance deadline and leaves no stock reserved', async () => {
    const shop = await createShop(h.db, 'own', { presaleBalanceSeconds: 600 });
    const before = await stockOf(TEST_SKU.code);
    const depositAt = new Date().toISOString();
    const balanceEndsAt = new Date(Date.now() + 2000).toISOString();
    const order = presale({
      status: 'deposit_paid',
      presale: { depositFen: 5_000, balanceFen: 12_800, depositPaidAt: depositAt, balanceEndsAt },
      amounts: { goodsFen: 19_800, discountFen: 2_000, shippingFen: 0, paidFen: 5_000 },
    });
    const id = await push(order, shop, 'own');
    const waiting = await waitForState(
      h.client,
      id,
      (s) => s.waitingFor === 'presale balance payment from the buyer',
    );
    expect(waiting.nextDeadline).toEqual({ kind: 'balance_deadline', at: balanceEndsAt });
    await waitForOrderStatus(h.db, id, 'cancelled');
    await waitForStage(h.db, id, 'store_not_told');
    const all = await events(id);
    expect(all.map((e) => e.stage)).toEqual(['captured', 'awaiting_balance', 'cancelled', 'store_not_told']);
    expect(all.find((e) => e.stage === 'cancelled')!.detail).toMatchObject({
      outcome: 'presale_balance_unpaid',
      deadline: balanceEndsAt,
      deadlineFrom: 'platform',
    });
    // Presale stock is reserved only after payment and audit, so a lapsed balance holds nothing.
    const reservations = await h.db
      .selectFrom('stock_reservations')
      .select(['status'])
      .where('order_id', '=', id)
      .execute();
    expect(reservations).toEqual([]);
    expect(await stockOf(TEST_SKU.code)).toEqual(before);
    const holds = await h.db.selectFrom('order_holds').select('reason').where('order_id', '=', id).execute();
    expect(holds).toEqual([]);
    await recordHistory(h.client, id, 'order-own-presale-balance-timeout');
  });
});
