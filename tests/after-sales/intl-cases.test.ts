import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlatformAfterSaleActivities } from '../../activities/after-sale/platform.js';
import { createAfterSaleActivities } from '../../activities/after-sales.js';
import { afterSaleWorkflowId } from '../../domain/after-sales.js';
import { lineRefundStatus } from '../../domain/line-refunds.js';
import { orderWorkflowId } from '../../domain/ids.js';
import { createShopeeAfterSales } from '../../integrations/platforms/shopee/after-sales.js';
import { largestMinorWithin, toFen } from '../../services/capture/fx.js';
import { AuthError } from '../../integrations/platforms/errors.js';
import type { SimOrder, SimRefund } from '../../sandbox/orders/model.js';
import { renderShopifyWebhook, type ShopifyTopic } from '../../sandbox/platforms/shopify/index.js';
import { renderWooWebhook } from '../../sandbox/platforms/woocommerce/index.js';
import { startSandbox, type Sandbox } from '../../sandbox/stack.js';
import { seedDemoData } from '../../scripts/stack/demo-data.js';
import {
  afterSaleDecisionUpdate,
  afterSaleStateQuery,
  orderSnapshotQuery,
} from '../../workflows/messages.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { pushStoreOrder, registerShop, waitForCaptured } from '../capture/support.js';
import { uniqueId } from '../support/fixtures.js';
import { createHarness, QUICK_SYNC, type Harness } from '../support/harness.js';
import { recordHistory } from '../support/histories.js';
import { openDeadlineAlert } from '../support/market-cases.js';
import { firstLineReturn } from '../support/sim-orders.js';
import { vouched } from '../support/vouched.js';
import { PATIENCE_MS } from '../support/waits.js';

// Shopee returns (poll only), Shopify return requests and refunds (webhooks), WooCommerce refunds
// (order.updated) as after-sales cases on the real dev server, against the sandbox's simulators,
// which verify our signatures with their own code: captured once, agreed once however often the
// answer is retried, refused / disputed with the order's lines following, forged pushes refused.

const MINUTES = 5 * 60_000;
const customerService = { id: 'cs-amy', roles: ['customer-service' as const] };
/** Customer service with finance: who agrees a refund above AFTER_SALE_FINANCE_ABOVE_FEN (docs/after-sales.md). */
const withFinance = { id: 'cs-amy', roles: ['customer-service' as const, 'finance' as const] };
const shopIds = { shopee: uniqueId('sp'), shopify: uniqueId('sf'), woocommerce: uniqueId('wc') };

let h: Harness;
let api: FastifyInstance;
let sandbox: Sandbox;

beforeAll(async () => {
  h = await createHarness(QUICK_SYNC);
  api = await h.api();
  await seedDemoData(h.db);
  sandbox = await startSandbox({ shopIds });
  const ops = bearer(await apiKeyFor(h.db, ['ops']));
  const shopee = sandbox.shop('shopee');
  // Shopee returns come only from the poll.
  await registerShop(api, ops, shopee, {
    pollIntervalSeconds: 2,
    credentials: {
      ...shopee.credentials,
      extra: { ...shopee.credentials.extra, disputeEmail: 'seller@example.com', disputeReasonId: '3' },
    },
  });
  await registerShop(api, ops, sandbox.shop('shopify'), { syncEnabled: false });
  await registerShop(api, ops, sandbox.shop('woocommerce'), { syncEnabled: false });
  await h.startWorker();
});
afterAll(async () => {
  await h?.teardown();
  await sandbox?.stop();
});

/** A paid order on the platform, with its plan (payment, cancellation) taken away. */
function placedOrder(
  platform: 'shopee' | 'shopify' | 'woocommerce',
  scenario: 'normal_day' | 'cross_border' = 'normal_day',
): SimOrder {
  const [order] = sandbox.placeOrders(platform, { count: 1, scenario, seed: uniqueId('seed') });
  const store = sandbox.platforms[platform].store;
  return store.update(order!.shopKey, order!.id, (o) => {
    o.status = 'paid';
    o.paidAt = o.createdAt;
    (o as { plan?: unknown[] }).plan = [];
  })!;
}

/** The buyer asks the platform for a refund of the first line (a return when `kind` says so). */
function buyerAsks(
  platform: 'shopee' | 'shopify' | 'woocommerce',
  order: SimOrder,
  change: Partial<SimRefund>,
) {
  const at = new Date(Math.max(Date.now(), order.modifiedAt.getTime() + 1000));
  const refund = firstLineReturn(order, at, change);
  return sandbox.platforms[platform].store.update(
    order.shopKey,
    order.id,
    (o) => {
      o.status = 'shipped';
      o.shipment ??= { carrierCode: 'SF', trackingNumber: `SF${Date.now()}`, shippedAt: at };
      o.refund = refund;
    },
    at,
  )!;
}

const caseRow = (caseId: string) =>
  h.db.selectFrom('after_sale_cases').selectAll().where('id', '=', caseId).executeTakeFirst();
/** The order lines the case covers (the platform's named lines, as the order knows them). */
const caseLines = async (caseId: string) =>
  (
    await h.db.selectFrom('after_sale_case_lines').select('line_id').where('case_id', '=', caseId).execute()
  ).map((r) => r.line_id);
const caseStatus = async (caseId: string) => (await caseRow(caseId))?.status;

/**
 * The order had ended (shipped on the platform) before the case opened; the line the case settled
 * follows on the order anyway — in its detail (the line's refund state and the order's roll-up) and
 * on its timeline, once — while the order stays ended and its other lines keep their state.
 */
async function expectEndedOrderLineSettled(caseId: string, orderId: string, status: 'refunded' | 'refused') {
  await expect.poll(() => caseLines(caseId), { timeout: PATIENCE_MS }).toHaveLength(1);
  const [lineId] = await caseLines(caseId);
  const auth = bearer(await apiKeyFor(h.db, ['customer-service']));
  const detail = async () =>
    (
      await api.inject({ method: 'GET', url: `/orders/${encodeURIComponent(orderId)}`, headers: auth })
    ).json();
  await expect
    .poll(
      async () =>
        (await detail()).lines.find((l: { line_id: string }) => l.line_id === lineId)?.refund_status,
      {
        timeout: PATIENCE_MS,
      },
    )
    .toBe(status);
  const { order, lines, timeline } = await detail();
  expect(order).toMatchObject({ status: 'completed', refund_status: status });
  for (const other of lines.filter((l: { line_id: string }) => l.line_id !== lineId)) {
    expect(other.refund_status).toBe('none');
  }
  const changes = timeline.filter(
    (e: { stage: string; detail: { caseId?: string } }) =>
      e.stage === 'refund_lines_changed' && e.detail.caseId === caseId,
  );
  expect(changes).toHaveLength(1);
  expect(changes[0]).toMatchObject({
    actor: caseId,
    status: 'completed',
    detail: { caseLineIds: [lineId], caseStatus: status },
  });
  // The same change again (a retried activity): nothing more on the order.
  const acts = createAfterSaleActivities({ db: h.db, client: h.client, config: h.config, payments: {} });
  // Retried as Temporal retries the activity: on a busy machine the query of the ended order (a
  // replay on the worker) can time out.
  await expect
    .poll(() =>
      acts
        .changeOrderLineRefunds({ orderId, lineIds: [lineId!], status, caseId })
        .then(() => true)
        .catch((err: Error) => err.message),
    )
    .toBe(true);
  const after = await detail();
  expect(after.timeline).toHaveLength(timeline.length);
}

/**
 * The line's refund status as the order workflow reads it: the line's own state, or the order's
 * where the platform reports refunds per order (Shopee, Shopify and WooCommerce orders name none).
 */
async function lineRefund(orderId: string, lineId: string) {
  const snapshot = await h.client.workflow.getHandle(orderId).query(orderSnapshotQuery);
  const line = snapshot.lines.find((l) => l.lineId === lineId);
  return line ? lineRefundStatus(snapshot, line) : 'none';
}

async function decide(
  caseId: string,
  decision: { decision: 'agree' } | { decision: 'refuse'; reason: string },
) {
  const handle = h.client.workflow.getHandle(caseId);
  await expect
    .poll(async () => (await handle.query(afterSaleStateQuery).catch(() => null))?.waitingFor, {
      timeout: PATIENCE_MS,
    })
    .toBe('a decision');
  // The simulated order's price is random: agreeing more than customer service may agree alone
  // (the CNY limit in the order's currency) takes finance as well, as it would in the shop (a
  // refusal moves no money and never does).
  const { requestedFen, financeLimit } = await handle.query(afterSaleStateQuery);
  const person =
    decision.decision === 'agree' &&
    requestedFen > (financeLimit?.aboveMinor ?? h.config.AFTER_SALE_FINANCE_ABOVE_FEN)
      ? withFinance
      : customerService;
  await handle.executeUpdate(afterSaleDecisionUpdate, {
    args: [
      {
        ...decision,
        actor: vouched(h.config, person, { workflowId: caseId, update: afterSaleDecisionUpdate }),
      },
    ],
  });
  return handle;
}

/** The case's platform answer sent again, as an activity retried after a lost answer would. */
async function answerAgain(shopId: string, caseId: string, order: SimOrder, platformCaseId: string) {
  const acts = createPlatformAfterSaleActivities({ db: h.db, config: h.config, client: h.client });
  return acts.answerOnPlatform({
    caseId,
    shopId,
    ref: { platformCaseId, platformOrderId: order.id },
    action: 'agree',
    amountFen: 1,
    reason: '',
  });
}

async function workflowsNamed(caseId: string) {
  let count = 0;
  for await (const _ of h.client.workflow.list({ query: `WorkflowId = '${caseId}'` })) count++;
  return count;
}

describe('Shopee returns (poll only)', () => {
  const shopId = shopIds.shopee;
  const store = () => sandbox.platforms.shopee.store;

  /**
   * The seller ships the order from Shopee's back office and the poll ends its workflow here
   * (shipped on the platform) before the buyer asks: the cases below are about an ended order, and a
   * busy machine could otherwise let the case reach the order while it was still ending.
   */
  async function shippedOnShopee(order: SimOrder, orderId: string): Promise<SimOrder> {
    const at = new Date(Math.max(Date.now(), order.modifiedAt.getTime() + 1000));
    const shipped = store().update(
      order.shopKey,
      order.id,
      (o) => {
        o.status = 'shipped';
        o.shipment ??= { carrierCode: 'SF', trackingNumber: `SF${Date.now()}`, shippedAt: at };
      },
      at,
    )!;
    await expect
      .poll(async () => (await h.client.workflow.getHandle(orderId).describe()).status.name, {
        timeout: PATIENCE_MS,
      })
      .not.toBe('RUNNING');
    return shipped;
  }

  it(
    'captures a return from the poll, confirms it once on Shopee, and the ended order shows the line refunded',
    async () => {
      const order = placedOrder('shopee');
      const orderId = orderWorkflowId('shopee', shopId, order.id);
      await waitForCaptured(h.db, shopId, [order.id]);
      const shipped = await shippedOnShopee(order, orderId);
      const asked = buyerAsks('shopee', shipped, { sellerDeadline: new Date(Date.now() + 48 * 3600_000) });
      const refund = asked.refund!;
      const caseId = afterSaleWorkflowId('shopee', shopId, refund.id);

      const handle = await decide(caseId, { decision: 'agree' });
      await expect.poll(() => caseStatus(caseId), { timeout: PATIENCE_MS }).toBe('refunded');
      expect(await caseRow(caseId)).toMatchObject({
        platform: 'shopee',
        order_id: orderId,
        kind: 'return_refund',
        requested_fen: refund.amountMinor,
      });
      const onShopee = store().get(order.shopKey, order.id)!.refund!;
      expect(onShopee).toMatchObject({ status: 'refunded', sellerAnswer: { action: 'agree' } });
      expect((await handle.query(afterSaleStateQuery)).platform?.lastAnswer).toMatchObject({
        action: 'agree',
        outcome: 'done',
      });
      await expectEndedOrderLineSettled(caseId, orderId, 'refunded');

      // The answer sent again (a retry after a lost answer): Shopee is read first, nothing is sent.
      const answeredAt = onShopee.sellerAnswer!.at;
      const again = await answerAgain(shopId, caseId, order, refund.id);
      expect(again.result).toMatchObject({ outcome: 'already', status: 'refunded' });
      expect(store().get(order.shopKey, order.id)!.refund!.sellerAnswer!.at).toEqual(answeredAt);
      // Later polls list the return again: still one workflow for it.
      expect(await workflowsNamed(caseId)).toBe(1);
      await recordHistory(h.client, caseId, 'aftersale-shopee-confirmed');
    },
    4 * MINUTES,
  );

  it(
    'escalates to a person before Shopee’s return_seller_due_date lapses; the case still waits for a decision',
    async () => {
      const order = placedOrder('shopee');
      const orderId = orderWorkflowId('shopee', shopId, order.id);
      await waitForCaptured(h.db, shopId, [order.id]);
      const shipped = await shippedOnShopee(order, orderId);
      // The seller's window ends a few seconds after the escalation point (AFTER_SALE_ESCALATE_BEFORE_SECONDS).
      const before = h.config.AFTER_SALE_ESCALATE_BEFORE_SECONDS;
      const asked = buyerAsks('shopee', shipped, {
        sellerDeadline: new Date(Date.now() + before * 1000 + 8_000),
      });
      const refund = asked.refund!;
      const caseId = afterSaleWorkflowId('shopee', shopId, refund.id);
      await expect
        .poll(async () => (await caseRow(caseId))?.escalated_at ?? null, { timeout: PATIENCE_MS })
        .toBeInstanceOf(Date);
      expect((await openDeadlineAlert(h.db, shopId))?.message).toContain(refund.id);
      const view = await h.client.workflow.getHandle(caseId).query(afterSaleStateQuery);
      expect(view.waitingFor).toBe('a decision');
      expect(view.platform?.escalatedAt).not.toBeNull();
      expect(await caseStatus(caseId)).toBe('open');
    },
    4 * MINUTES,
  );

  /** A person with customer service and finance agrees part of the case (any amount within the request). */
  async function agreePart(caseId: string, amountFen: number) {
    const handle = h.client.workflow.getHandle(caseId);
    await expect
      .poll(async () => (await handle.query(afterSaleStateQuery).catch(() => null))?.waitingFor, {
        timeout: PATIENCE_MS,
      })
      .toBe('a decision');
    await handle.executeUpdate(afterSaleDecisionUpdate, {
      args: [
        {
          decision: 'partial',
          amountFen,
          actor: vouched(h.config, withFinance, { workflowId: caseId, update: afterSaleDecisionUpdate }),
        },
      ],
    });
    return handle;
  }

  it(
    'a partial agreement is an offer on Shopee, made once; the buyer accepts it and the case ends refunded for the offer',
    async () => {
      const order = placedOrder('shopee');
      const orderId = orderWorkflowId('shopee', shopId, order.id);
      await waitForCaptured(h.db, shopId, [order.id]);
      const refund = buyerAsks('shopee', await shippedOnShopee(order, orderId), {}).refund!;
      const caseId = afterSaleWorkflowId('shopee', shopId, refund.id);
      const part = Math.floor(refund.amountMinor / 2);

      const handle = await agreePart(caseId, part);
      await expect
        .poll(() => store().get(order.shopKey, order.id)!.refund!.offer, { timeout: PATIENCE_MS })
        .toMatchObject({ by: 'seller', amountMinor: part, solution: 'RETURN_REFUND' });
      await expect
        .poll(async () => (await handle.query(afterSaleStateQuery)).platform?.lastAnswer, {
          timeout: PATIENCE_MS,
        })
        .toMatchObject({ action: 'agree', outcome: 'done', code: 'offer' });
      // Nothing refunded yet: the buyer has not answered the offer.
      expect(store().get(order.shopKey, order.id)!.refund!.status).toBe('requested');
      expect(await caseStatus(caseId)).not.toBe('refunded');

      // The offer sent again (a retry after a lost answer): Shopee shows it, nothing is sent.
      const offeredAt = store().get(order.shopKey, order.id)!.refund!.offer!.at;
      const acts = createPlatformAfterSaleActivities({ db: h.db, config: h.config, client: h.client });
      const again = await acts.answerOnPlatform({
        caseId,
        shopId,
        ref: { platformCaseId: refund.id, platformOrderId: order.id },
        action: 'agree',
        amountFen: part,
        reason: '',
      });
      expect(again.result).toMatchObject({ outcome: 'already' });
      expect(store().get(order.shopKey, order.id)!.refund!.offer!.at).toEqual(offeredAt);

      // The buyer accepts the offer on Shopee, which refunds that amount.
      const at = new Date(
        Math.max(Date.now(), store().get(order.shopKey, order.id)!.modifiedAt.getTime() + 1000),
      );
      store().update(
        order.shopKey,
        order.id,
        (o) => {
          o.refund!.offer!.accepted = at;
          o.refund!.amountMinor = part;
          o.refund!.status = 'refunded';
          o.refund!.modifiedAt = at;
        },
        at,
      );
      await expect.poll(() => caseStatus(caseId), { timeout: PATIENCE_MS }).toBe('refunded');
      expect(await caseRow(caseId)).toMatchObject({ agreed_fen: part, refunded_fen: part });
      await expectEndedOrderLineSettled(caseId, orderId, 'refunded');
      await recordHistory(h.client, caseId, 'aftersale-shopee-offer-accepted');
    },
    4 * MINUTES,
  );

  it(
    "agreeing the buyer's own offer accepts it on Shopee (accept_offer), which refunds that amount",
    async () => {
      const order = placedOrder('shopee');
      const orderId = orderWorkflowId('shopee', shopId, order.id);
      await waitForCaptured(h.db, shopId, [order.id]);
      const shipped = await shippedOnShopee(order, orderId);
      const line = shipped.items[0]!;
      const full = line.unitPriceMinor * line.quantity - line.discountMinor;
      const offered = Math.floor(full * 0.7);
      const refund = buyerAsks('shopee', shipped, {
        offer: { by: 'buyer', amountMinor: offered, solution: 'RETURN_REFUND', at: new Date() },
      }).refund!;
      const caseId = afterSaleWorkflowId('shopee', shopId, refund.id);

      const handle = await agreePart(caseId, offered);
      await expect.poll(() => caseStatus(caseId), { timeout: PATIENCE_MS }).toBe('refunded');
      expect(store().get(order.shopKey, order.id)!.refund!).toMatchObject({
        status: 'refunded',
        amountMinor: offered,
        sellerAnswer: { action: 'agree', amountMinor: offered },
      });
      expect((await handle.query(afterSaleStateQuery)).platform?.lastAnswer).toMatchObject({
        action: 'agree',
        outcome: 'done',
        code: 'accept_offer',
      });
      expect(await caseRow(caseId)).toMatchObject({ refunded_fen: offered });
      await expectEndedOrderLineSettled(caseId, orderId, 'refunded');
    },
    4 * MINUTES,
  );

  it(
    'a disputed return: Shopee records the dispute and the ended order shows the line refused',
    async () => {
      const order = placedOrder('shopee');
      const orderId = orderWorkflowId('shopee', shopId, order.id);
      await waitForCaptured(h.db, shopId, [order.id]);
      const refund = buyerAsks('shopee', await shippedOnShopee(order, orderId), {}).refund!;
      const caseId = afterSaleWorkflowId('shopee', shopId, refund.id);
      const handle = await decide(caseId, { decision: 'refuse', reason: 'item shows wear, not as sent' });
      await expect.poll(() => caseStatus(caseId), { timeout: PATIENCE_MS }).toBe('refused');
      const onShopee = store().get(order.shopKey, order.id)!.refund!;
      expect(onShopee).toMatchObject({
        status: 'refused',
        sellerAnswer: { action: 'refuse', message: 'item shows wear, not as sent' },
      });
      expect((await handle.query(afterSaleStateQuery)).platform?.lastAnswer).toMatchObject({
        action: 'refuse',
        outcome: 'done',
      });
      await expectEndedOrderLineSettled(caseId, orderId, 'refused');
      await recordHistory(h.client, caseId, 'aftersale-shopee-disputed');
    },
    4 * MINUTES,
  );

  it(
    'weighs a return in the shop currency against the finance limit in CNY, at the rate recorded on the order',
    async () => {
      const limitFen = h.config.AFTER_SALE_FINANCE_ABOVE_FEN;
      /** A captured order's return asking `amount` (of the order's own currency), waiting for a decision. */
      const returnAsking = async (amount: (fx: { originalCurrency: string; rate: string }) => number) => {
        // A buyer abroad pays in their currency; intake converted the order at the day's rate.
        const order = placedOrder('shopee', 'cross_border');
        const orderId = orderWorkflowId('shopee', shopId, order.id);
        await waitForCaptured(h.db, shopId, [order.id]);
        const { fx } = await h.db
          .selectFrom('orders')
          .select('fx')
          .where('id', '=', orderId)
          .executeTakeFirstOrThrow();
        const recorded = fx as { originalCurrency: string; rate: string };
        expect(recorded.originalCurrency).not.toBe('CNY');
        const refund = buyerAsks('shopee', order, { amountMinor: amount(recorded) }).refund!;
        const handle = h.client.workflow.getHandle(afterSaleWorkflowId('shopee', shopId, refund.id));
        await expect
          .poll(async () => (await handle.query(afterSaleStateQuery).catch(() => null))?.waitingFor, {
            timeout: PATIENCE_MS,
          })
          .toBe('a decision');
        return { handle, recorded, requested: refund.amountMinor };
      };
      const agree = (
        handle: ReturnType<typeof h.client.workflow.getHandle>,
        person: typeof customerService | typeof withFinance = customerService,
      ) =>
        handle.executeUpdate(afterSaleDecisionUpdate, {
          args: [
            {
              decision: 'agree',
              actor: vouched(h.config, person, {
                workflowId: handle.workflowId,
                update: afterSaleDecisionUpdate,
              }),
            },
          ],
        });

      // Just below: worth at most the limit in CNY at the order's rate — customer service agrees alone.
      const below = await returnAsking(({ originalCurrency, rate }) =>
        largestMinorWithin(limitFen, originalCurrency, rate),
      );
      const { originalCurrency, rate } = below.recorded;
      expect(toFen(below.requested, originalCurrency, rate)).toBeLessThanOrEqual(limitFen);
      expect((await below.handle.query(afterSaleStateQuery)).financeLimit).toEqual({
        aboveMinor: below.requested,
        currency: originalCurrency,
        rate,
        aboveFen: limitFen,
      });
      // The rules weigh the case in CNY too: ¥500 and less is no large refund, one cent more is.
      const ruleHolds = async (handle: typeof below.handle) =>
        ((await handle.query(afterSaleStateQuery)).audit?.holds ?? []).map((hold) => hold.reason);
      expect(await ruleHolds(below.handle)).not.toContain('large_refund');
      expect((await agree(below.handle)).decisions).toHaveLength(1);

      // One minor unit more is worth more than the limit: finance must agree as well (in SGD or
      // USD that is far fewer cents than the limit's number of fen).
      const above = await returnAsking(
        ({ originalCurrency: c, rate: r }) => largestMinorWithin(limitFen, c, r) + 1,
      );
      expect(toFen(above.requested, above.recorded.originalCurrency, above.recorded.rate)).toBeGreaterThan(
        limitFen,
      );
      await expect(agree(above.handle)).rejects.toMatchObject({
        cause: { message: expect.stringMatching(/need the finance role/) },
      });
      expect((await above.handle.query(afterSaleStateQuery)).decisions).toEqual([]);
      expect(await ruleHolds(above.handle)).toContain('large_refund');
      expect((await agree(above.handle, withFinance)).decisions).toHaveLength(1);
      await recordHistory(h.client, above.handle.workflowId, 'aftersale-shopee-finance-limit-converted');
    },
    6 * MINUTES,
  );

  it('Shopee refuses a confirm signed with another partner key, and the return is unchanged', async () => {
    const order = placedOrder('shopee');
    const refund = buyerAsks('shopee', order, {}).refund!;
    const shop = sandbox.shop('shopee');
    const forged = createShopeeAfterSales({
      shopId,
      platformShopId: shop.platformShopId,
      baseUrl: shop.baseUrl,
      credentials: { ...shop.credentials, appSecret: 'not-the-partner-key' },
    });
    const current = { platformCaseId: refund.id, platformOrderId: order.id };
    await expect(forged.getCase(current)).rejects.toBeInstanceOf(AuthError);
    await expect(
      forged.agree(
        {
          ...current,
          kind: 'return_refund',
          status: 'open',
          platformStatus: 'REQUESTED',
          amountFen: 1,
          reason: '',
          lineIds: [],
          shipped: true,
          createdAt: '',
          modifiedAt: '',
        },
        1,
      ),
    ).rejects.toBeInstanceOf(AuthError);
    expect(store().get(order.shopKey, order.id)!.refund!.status).toBe('requested');
  });
});

/** A Shopify webhook for the order as the store has it now, signed with `secret` (the app's unless forged). */
async function shopifySays(order: SimOrder, topic: ShopifyTopic, secret?: string) {
  const shop = sandbox.shop('shopify');
  const rendered = renderShopifyWebhook(
    { secret: secret ?? shop.credentials.appSecret, shopDomain: shop.platformShopId },
    sandbox.platforms.shopify.store.get(order.shopKey, order.id)!,
    topic,
  );
  return api.inject({
    method: 'POST',
    url: `/webhooks/shopify/${shopIds.shopify}`,
    headers: rendered.headers,
    payload: rendered.body,
  });
}

describe('Shopify return requests and refunds (webhooks)', () => {
  const shopId = shopIds.shopify;
  const store = () => sandbox.platforms.shopify.store;

  it(
    'a return request is approved once on Shopify, and the ended order shows the line refunded when the merchant refunds it',
    async () => {
      const order = placedOrder('shopify');
      const orderId = await pushStoreOrder(api, sandbox, 'shopify', shopId, order);
      await waitForCaptured(h.db, shopId, [order.id]);
      const refund = buyerAsks('shopify', order, {}).refund!;
      const caseId = afterSaleWorkflowId('shopify', shopId, `return-${refund.id}`);
      // Delivered twice, as Shopify may: one case.
      expect((await shopifySays(order, 'returns/request')).statusCode).toBe(202);
      expect((await shopifySays(order, 'returns/request')).statusCode).toBe(202);

      const handle = await decide(caseId, { decision: 'agree' });
      await expect
        .poll(() => store().get(order.shopKey, order.id)!.refund!.status, { timeout: PATIENCE_MS })
        .toBe('returning');
      await expect
        .poll(async () => (await handle.query(afterSaleStateQuery)).platform?.lastAnswer, {
          timeout: PATIENCE_MS,
        })
        .toMatchObject({ action: 'agree', outcome: 'done' });
      await expect
        .poll(async () => (await handle.query(afterSaleStateQuery)).waitingFor, { timeout: PATIENCE_MS })
        .toBe('shopify to refund the buyer');
      // Approving again (a retried activity) reads the OPEN return and sends nothing.
      const approvedAt = store().get(order.shopKey, order.id)!.refund!.sellerAnswer!.at;
      const again = await answerAgain(shopId, caseId, order, `return-${refund.id}`);
      expect(again.result).toMatchObject({ outcome: 'already', status: 'waiting_buyer' });
      expect(store().get(order.shopKey, order.id)!.refund!.sellerAnswer!.at).toEqual(approvedAt);

      // The goods come back and the merchant refunds the return in Shopify's admin.
      store().update(order.shopKey, order.id, (o) => {
        o.refund!.status = 'refunded';
        o.refund!.modifiedAt = new Date(Date.now() + 1000);
      });
      expect((await shopifySays(order, 'returns/close')).statusCode).toBe(202);
      await expect.poll(() => caseStatus(caseId), { timeout: PATIENCE_MS }).toBe('refunded');
      await expectEndedOrderLineSettled(caseId, orderId, 'refunded');
      expect(await workflowsNamed(caseId)).toBe(1);
      await recordHistory(h.client, caseId, 'aftersale-shopify-return-approved');
    },
    4 * MINUTES,
  );

  it(
    'a declined return request: Shopify records the decline and the ended order shows the line refused',
    async () => {
      const order = placedOrder('shopify');
      const orderId = await pushStoreOrder(api, sandbox, 'shopify', shopId, order);
      await waitForCaptured(h.db, shopId, [order.id]);
      const refund = buyerAsks('shopify', order, {}).refund!;
      const caseId = afterSaleWorkflowId('shopify', shopId, `return-${refund.id}`);
      expect((await shopifySays(order, 'returns/request')).statusCode).toBe(202);
      await decide(caseId, { decision: 'refuse', reason: 'final sale item' });
      await expect.poll(() => caseStatus(caseId), { timeout: PATIENCE_MS }).toBe('refused');
      expect(store().get(order.shopKey, order.id)!.refund).toMatchObject({
        status: 'refused',
        sellerAnswer: { action: 'refuse', message: 'final sale item' },
      });
      await expectEndedOrderLineSettled(caseId, orderId, 'refused');
    },
    4 * MINUTES,
  );

  it(
    "a merchant's refund (refunds/create) is recorded as a refunded case; a forged push is refused",
    async () => {
      const order = placedOrder('shopify');
      const orderId = await pushStoreOrder(api, sandbox, 'shopify', shopId, order);
      await waitForCaptured(h.db, shopId, [order.id]);
      const refund = buyerAsks('shopify', order, { kind: 'refund_only', status: 'refunded' }).refund!;
      const forged = await shopifySays(order, 'refunds/create', 'not-the-app-secret');
      expect(forged.statusCode).toBe(401);
      const caseId = afterSaleWorkflowId('shopify', shopId, refund.id);
      expect(await caseRow(caseId)).toBeUndefined();

      expect((await shopifySays(order, 'refunds/create')).statusCode).toBe(202);
      await expect.poll(() => caseStatus(caseId), { timeout: PATIENCE_MS }).toBe('refunded');
      expect(await caseRow(caseId)).toMatchObject({ kind: 'refund_only', requested_fen: refund.amountMinor });
      const [lineId] = await caseLines(caseId);
      await expect.poll(() => lineRefund(orderId, lineId!), { timeout: PATIENCE_MS }).toBe('refunded');
      const forgedReturn = await shopifySays(order, 'returns/request', 'not-the-app-secret');
      expect(forgedReturn.statusCode).toBe(401);
    },
    4 * MINUTES,
  );
});

describe('WooCommerce refunds (order.updated)', () => {
  const shopId = shopIds.woocommerce;

  async function wooSays(order: SimOrder, secret?: string) {
    const shop = sandbox.shop('woocommerce');
    const rendered = renderWooWebhook(
      { secret: secret ?? shop.credentials.webhookSecret!, sourceUrl: shop.platformShopId, webhookId: 7 },
      sandbox.platforms.woocommerce.store.get(order.shopKey, order.id)!,
      'order.updated',
    );
    return api.inject({
      method: 'POST',
      url: `/webhooks/woocommerce/${shopId}`,
      headers: rendered.headers,
      payload: rendered.body,
    });
  }

  it(
    "the merchant's refund is captured once from order.updated and the refunded line is refunded on the order",
    async () => {
      const order = placedOrder('woocommerce');
      const orderId = await pushStoreOrder(api, sandbox, 'woocommerce', shopId, order);
      await waitForCaptured(h.db, shopId, [order.id]);
      const refund = buyerAsks('woocommerce', order, { kind: 'refund_only', status: 'refunded' }).refund!;
      const caseId = afterSaleWorkflowId('woocommerce', shopId, refund.id);

      expect((await wooSays(order, 'not-the-webhook-secret')).statusCode).toBe(401);
      expect((await wooSays(order)).statusCode).toBe(202);
      expect((await wooSays(order)).statusCode).toBe(202);
      await expect.poll(() => caseStatus(caseId), { timeout: PATIENCE_MS }).toBe('refunded');
      expect(await caseRow(caseId)).toMatchObject({
        platform: 'woocommerce',
        kind: 'refund_only',
        requested_fen: refund.amountMinor,
      });
      const lines = await caseLines(caseId);
      expect(lines).toHaveLength(1);
      await expect.poll(() => lineRefund(orderId, lines[0]!), { timeout: PATIENCE_MS }).toBe('refunded');
      // There is no buyer's request on WooCommerce: an agreement is not offered, and nothing is sent.
      const again = await answerAgain(shopId, caseId, order, refund.id);
      expect(again.result).toMatchObject({ outcome: 'already', status: 'refunded' });
      expect(await workflowsNamed(caseId)).toBe(1);
    },
    4 * MINUTES,
  );
});
