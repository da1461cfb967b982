import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderWorkflowId } from '../../domain/ids.js';
import { lostParcelCaseId } from '../../domain/lost-parcels.js';
import type { OrderPush } from '../../domain/order.js';
import { renderOwnPush } from '../../integrations/platforms/own/index.js';
import { createPaymentSandbox, type PaymentSandbox } from '../../sandbox/payments/index.js';
import { afterSaleStateQuery } from '../../workflows/messages.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { orderPush, uniqueId } from '../support/fixtures.js';
import { handOver, setupCarrierAccounts } from '../support/fulfilment.js';
import { recordHistory } from '../support/histories.js';
import { PATIENCE_MS, waitForOrderStatus, waitForState } from '../support/waits.js';
import { startShipmentWorld, toLabelled, type ShipmentWorld } from '../carriers/shipment-flow.js';

// An own-store order that says how it was paid (`payment` in its push), whose parcel the carrier
// loses: customer service decides "refund", and the order refunds the parcel's units through Alipay
// by itself — one after-sales case, one refund at the channel, the order ends. Without `payment`
// the shop is told to refund it, as before.

const WEBHOOK_SECRET = 'whsec_lost_parcel_refund';
let ctx: ShipmentWorld;
let payments: PaymentSandbox;
let paymentServer: FastifyInstance;
let cs: { authorization: string };
let shopId: string;

beforeAll(async () => {
  payments = createPaymentSandbox();
  paymentServer = Fastify();
  await payments.register(paymentServer);
  await paymentServer.listen({ port: 0, host: '127.0.0.1' });
  const address = paymentServer.server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const { alipay } = payments.accounts;
  // Polled every second; a parcel no carrier scans for 5 s after handover is lost.
  ctx = await startShipmentWorld({
    TRACKING_POLL_SECONDS: '1',
    TRACKING_NO_SCAN_SECONDS: '86400',
    PARCEL_LOST_AFTER_SECONDS: '5',
    ALIPAY_BASE_URL: `${base}/alipay`,
    ALIPAY_APP_ID: alipay.appId,
    ALIPAY_APP_PRIVATE_KEY: alipay.appPrivateKey,
    ALIPAY_PUBLIC_KEY: alipay.alipayPublicKey,
  });
  cs = bearer(await apiKeyFor(ctx.h.db, ['customer-service']));
  shopId = uniqueId('own-lost');
  const created = await ctx.api.inject({
    method: 'POST',
    url: '/shops',
    headers: ctx.ops,
    payload: {
      id: shopId,
      platform: 'own',
      name: '自营小程序',
      credentials: { webhookSecret: WEBHOOK_SECRET },
    },
  });
  expect(created.statusCode, created.body).toBe(201);
  await setupCarrierAccounts(ctx.h.db, shopId, ['ZTO']);
});
afterAll(async () => {
  await ctx?.close();
  await paymentServer?.close();
});

/** Pushes the order as the store does (signed), then takes its parcel to the carrier, who loses it. */
async function lostOwnOrder(overrides: Partial<OrderPush>) {
  // Two T-shirts at ¥99.00 with ¥20.00 off, and ¥10.00 shipping: ¥188.00 paid.
  const push = orderPush({
    buyer: { id: uniqueId('buyer'), nick: 'b**r' },
    amounts: { goodsFen: 19_800, discountFen: 2_000, shippingFen: 1_000, paidFen: 18_800 },
    ...overrides,
  });
  const rendered = renderOwnPush(WEBHOOK_SECRET, push);
  const res = await ctx.api.inject({
    method: 'POST',
    url: `/webhooks/own/${shopId}`,
    headers: rendered.headers,
    payload: rendered.body,
  });
  expect(res.statusCode, res.body).toBe(202);
  const orderId = orderWorkflowId('own', shopId, push.platformOrderId);
  const { parcelId } = await toLabelled(ctx, orderId);
  await handOver(ctx.api, ctx.wh, parcelId);
  await waitForState(ctx.h.client, orderId, (s) => s.parcels.some((p) => p.lost));
  return { push, orderId, parcelId };
}

function decideRefund(orderId: string, parcelId: string) {
  return ctx.api.inject({
    method: 'POST',
    url: `/orders/${encodeURIComponent(orderId)}/lost-parcels/${encodeURIComponent(parcelId)}`,
    headers: { ...cs, 'idempotency-key': uniqueId('lost') },
    payload: { decision: 'refund', reason: '快递丢件，买家要求退款' },
  });
}

async function timeline(orderId: string) {
  return ctx.h.db
    .selectFrom('order_events')
    .select(['stage', 'actor', 'detail'])
    .where('order_id', '=', orderId)
    .orderBy('seq')
    .execute();
}

describe('a lost parcel of an own-store order refunded', () => {
  it('refunds what its units were paid through the channel named in the push, once, and the order ends', async () => {
    const outTradeNo = uniqueId('PAY').replace(/[^A-Za-z0-9_-]/g, '');
    payments.alipay.book.openTrade({ outTradeNo, totalFen: 18_800 });
    const { push, orderId, parcelId } = await lostOwnOrder({ payment: { channel: 'alipay', outTradeNo } });

    const res = await decideRefund(orderId, parcelId);
    expect(res.statusCode, res.body).toBe(200);

    // The order ends by itself: the case refunded the line through Alipay and told the order.
    await waitForOrderStatus(ctx.h.db, orderId, 'cancelled');
    const caseId = lostParcelCaseId(shopId, parcelId, push.platformOrderId);
    const refunds = payments.alipay.book.refundsOf(outTradeNo);
    // The two T-shirts as paid (2 × ¥99.00 − ¥20.00), not the shipping.
    expect(refunds.map((r) => r.amountFen)).toEqual([17_800]);
    expect(payments.alipay.book.moves.filter((m) => m.outTradeNo === outTradeNo)).toHaveLength(1);

    const events = await timeline(orderId);
    const stages = events.map((e) => e.stage);
    expect(stages).toEqual(
      expect.arrayContaining(['parcel_lost', 'lost_parcel_refund', 'lost_parcel_refunded', 'cancelled']),
    );
    expect(events.find((e) => e.stage === 'lost_parcel_refund')!.detail).toMatchObject({
      caseId,
      channel: 'alipay',
    });
    expect(events.at(-1)!.detail).toMatchObject({
      outcome: 'refunded',
      lostParcels: [{ parcelId, decision: 'refund', refunded: true }],
    });
    // Nobody was asked to refund it by hand.
    const alerts = await ctx.api.inject({ method: 'GET', url: '/alerts', headers: ctx.ops });
    expect(
      (alerts.json().alerts as Array<{ kind: string; message: string }>).filter(
        (a) => a.kind === 'lost_parcel_refund' && a.message.includes(parcelId),
      ),
    ).toEqual([]);

    // The case is in the after-sales list, agreed by the person who decided the lost parcel. The
    // case tells the order before it records its own end, so its row may trail the order's.
    await expect
      .poll(
        async () => {
          const list = await ctx.api.inject({
            method: 'GET',
            url: `/after-sales?shopId=${shopId}`,
            headers: cs,
          });
          expect(list.statusCode, list.body).toBe(200);
          return list.json().cases;
        },
        { timeout: PATIENCE_MS },
      )
      .toEqual([
        expect.objectContaining({
          id: caseId,
          orderId,
          kind: 'refund_only',
          status: 'refunded',
          requestedFen: 17_800,
          agreedFen: 17_800,
          refundedFen: 17_800,
          paymentChannel: 'alipay',
        }),
      ]);
    const view = await ctx.h.client.workflow.getHandle(caseId).query(afterSaleStateQuery);
    expect(view.decisions).toEqual([expect.objectContaining({ decision: 'agree' })]);
    expect(view.decisions[0]!.actor).not.toBe('system');

    await recordHistory(ctx.h.client, orderId, 'order-lost-parcel-refunded-through-channel');
    await recordHistory(ctx.h.client, caseId, 'aftersale-own-lost-parcel-refund');
  });

  it('without a payment in the push, tells the shop to refund it and starts no case', async () => {
    const { push, orderId, parcelId } = await lostOwnOrder({});
    const res = await decideRefund(orderId, parcelId);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().state.waitingFor).toMatch(new RegExp(`refund of lost parcel ${parcelId}`));
    await expect
      .poll(
        async () => {
          const alerts = await ctx.api.inject({ method: 'GET', url: '/alerts', headers: ctx.ops });
          return (alerts.json().alerts as Array<{ kind: string; message: string }>).some(
            (a) => a.kind === 'lost_parcel_refund' && a.message.includes(parcelId),
          );
        },
        { timeout: PATIENCE_MS },
      )
      .toBe(true);
    const caseId = lostParcelCaseId(shopId, parcelId, push.platformOrderId);
    const row = await ctx.h.db
      .selectFrom('after_sale_cases')
      .select('id')
      .where('id', '=', caseId)
      .executeTakeFirst();
    expect(row).toBeUndefined();
    expect(
      (await timeline(orderId)).find((e) => e.stage === 'lost_parcel_refund')!.detail,
    ).not.toHaveProperty('caseId');
  });
});
