import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createAfterSalesApi,
  hasAfterSalesApi,
  answersThroughApi,
} from '../../integrations/platforms/after-sales.js';
import { AuthError } from '../../integrations/platforms/errors.js';
import { createTemuAdapter } from '../../integrations/platforms/temu/index.js';
import type { AdapterContext } from '../../integrations/platforms/types.js';
import { SimOrderStore } from '../../sandbox/kit/store.js';
import { SimTokenAuth } from '../../sandbox/kit/token-auth.js';
import type { SimOrder, SimRefund } from '../../sandbox/orders/model.js';
import { temuSimulator } from '../../sandbox/platforms/temu/index.js';
import { temuSimOrder } from './temu-orders.js';

/**
 * Temu after-sales (docs/platforms/temu.md, "After-sales") against the simulator, which reads the
 * Return and Refund calls from the partner docs' pages itself: the poll's list with each case's
 * lines and money, one case as the workflows read it, the full refund, and what Temu offers no
 * call for (a partial agreement, a refusal).
 */
const APP = { appKey: 'temu-after-sales-app', appSecret: 'temu-after-sales-secret' };
const MALL = '635517726820799';
const NOW = Date.now();

let seq = 0;
function simOrder(refund: Partial<SimRefund> | undefined, overrides: Partial<SimOrder> = {}): SimOrder {
  seq += 1;
  const n = String(21_905_452_199_000 + seq);
  return {
    ...temuSimOrder({
      mall: MALL,
      n,
      paidAt: new Date(NOW - 7_200_000),
      modifiedAt: new Date(NOW - 3_000_000),
      country: 'US',
    }),
    ...(refund
      ? {
          refund: {
            id: `PAS-${n}`,
            status: 'requested',
            kind: 'refund_only',
            amountMinor: 899,
            reason: 'Item not as described',
            createdAt: new Date(NOW - 1_800_000),
            modifiedAt: new Date(NOW - 1_200_000),
            lineIds: [`211-${n}2`],
            sellerDeadline: new Date(NOW + 2 * 86_400_000),
            ...refund,
          },
        }
      : {}),
    ...overrides,
  };
}

let app: FastifyInstance;
let baseUrl: string;
const store = new SimOrderStore();
const auth = new SimTokenAuth(90 * 86_400);
let token: string;

beforeAll(async () => {
  app = Fastify();
  await app.register(temuSimulator, { store, app: { ...APP, shopKey: MALL }, auth });
  await app.listen({ port: 0, host: '127.0.0.1' });
  baseUrl = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
});
afterAll(() => app.close());
beforeEach(() => {
  token = auth.grant(MALL).accessToken;
});

const shop = (overrides: Partial<AdapterContext['credentials']> = {}) => ({
  shopId: 'shop-temu-as',
  platform: 'temu' as const,
  platformShopId: MALL,
  baseUrl,
  credentials: { ...APP, accessToken: token, ...overrides },
});
const afterSales = (overrides: Partial<AdapterContext['credentials']> = {}) =>
  createAfterSalesApi(shop(overrides));

describe('Temu after-sales', () => {
  it('is captured through its case API and answered through it', () => {
    expect(hasAfterSalesApi('temu')).toBe(true);
    expect(answersThroughApi('temu')).toBe(true);
  });

  it('lists the cases changed in the window with their lines and money (the poll)', async () => {
    const order = simOrder({});
    const older = simOrder({ modifiedAt: new Date(NOW - 30 * 3_600_000) });
    store.upsert(order);
    store.upsert(older);
    const adapter = createTemuAdapter(shop());
    const page = await adapter.listRefunds({ from: new Date(NOW - 3_600_000), to: new Date(NOW) });
    const mine = page.refunds.find((r) => r.platformOrderId === order.id);
    expect(mine).toEqual({
      platformRefundId: order.refund!.id,
      platformOrderId: order.id,
      status: 'requested',
      kind: 'refund_only',
      amountMinor: 899,
      currency: 'USD',
      reason: 'Item not as described',
      lineIds: [order.items[1]!.lineId],
      createdAt: order.refund!.createdAt.toISOString(),
      modifiedAt: order.refund!.modifiedAt.toISOString(),
    });
    // A case changed outside the window is not listed.
    expect(page.refunds.some((r) => r.platformOrderId === older.id)).toBe(false);
  });

  it('reads one case: where it stands, its lines, money, deadline and whether goods had left', async () => {
    const order = simOrder(
      { kind: 'return_and_refund', lineIds: undefined, amountMinor: 2097 },
      {
        status: 'shipped',
        shipment: {
          carrierCode: '699272611',
          trackingNumber: '9400111899223344556677',
          shippedAt: new Date(NOW - 86_400_000),
        },
      },
    );
    store.upsert(order);
    const found = await afterSales().getCase({ platformCaseId: order.refund!.id, platformOrderId: order.id });
    expect(found).toMatchObject({
      platformCaseId: order.refund!.id,
      platformOrderId: order.id,
      kind: 'return_refund',
      status: 'open',
      amountFen: 2097,
      currency: 'USD',
      lineIds: order.items.map((i) => i.lineId),
      shipped: true,
      sellerDeadline: order.refund!.sellerDeadline!.toISOString(),
    });
  });

  it('agrees in full through temu.aftersales.refund.issue; the simulator refunds the buyer', async () => {
    const order = simOrder({});
    store.upsert(order);
    const api = afterSales();
    const current = await api.getCase({ platformCaseId: order.refund!.id, platformOrderId: order.id });
    expect(current).toMatchObject({ status: 'open', shipped: false, amountFen: 899 });
    await expect(api.agree(current, 899)).resolves.toEqual({ outcome: 'done' });
    expect(store.get(MALL, order.id)!.refund).toMatchObject({
      status: 'refunded',
      sellerAnswer: { action: 'agree', amountMinor: 899 },
    });
    const after = await api.getCase({ platformCaseId: order.refund!.id, platformOrderId: order.id });
    expect(after.status).toBe('refunded');
    // Agreed already: nothing is sent again.
    await expect(api.agree(after, 899)).resolves.toEqual({ outcome: 'already', status: 'refunded' });
  });

  it('offers no partial agreement and no refusal by API', async () => {
    const order = simOrder({});
    store.upsert(order);
    const api = afterSales();
    const current = await api.getCase({ platformCaseId: order.refund!.id, platformOrderId: order.id });
    await expect(api.agree(current, 500)).resolves.toMatchObject({ outcome: 'not_offered' });
    await expect(api.refuse(current, 'used item')).resolves.toMatchObject({ outcome: 'not_offered' });
    expect(store.get(MALL, order.id)!.refund!.status).toBe('requested');
  });

  it('a refund the case does not offer (the buyer is sending the goods back) is Temu’s refusal, for a person', async () => {
    const order = simOrder({ status: 'returning', kind: 'return_and_refund' });
    store.upsert(order);
    const api = afterSales();
    const current = await api.getCase({ platformCaseId: order.refund!.id, platformOrderId: order.id });
    expect(current.status).toBe('waiting_buyer');
    await expect(api.agree(current, current.amountFen)).resolves.toEqual({
      outcome: 'rejected',
      code: '130010005',
      message: expect.stringContaining('operate forbid'),
    });
  });

  it('a forged signature is refused by the simulator (an authentication failure)', async () => {
    const order = simOrder({});
    store.upsert(order);
    await expect(
      afterSales({ appSecret: 'guessed-secret' }).getCase({
        platformCaseId: order.refund!.id,
        platformOrderId: order.id,
      }),
    ).rejects.toBeInstanceOf(AuthError);
  });

  it('the simulator checks the list’s page size and the detail’s required numbers itself', async () => {
    const { signTemu } = await import('../../integrations/platforms/temu/index.js');
    const post = async (params: Record<string, unknown>) => {
      const body: Record<string, unknown> = {
        ...params,
        app_key: APP.appKey,
        timestamp: Math.floor(Date.now() / 1000),
        data_type: 'JSON',
        access_token: token,
      };
      body.sign = signTemu(APP.appSecret, body);
      const res = await fetch(`${baseUrl}/openapi/router`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return (await res.json()) as { success: boolean; errorCode: number };
    };
    await expect(
      post({ type: 'bg.aftersales.parentaftersales.list.get', pageSize: 201 }),
    ).resolves.toMatchObject({
      success: false,
      errorCode: 130010001,
    });
    await expect(
      post({ type: 'temu.aftersales.parentaftersales.detail.get', parentAfterSalesSn: 'PAS-1' }),
    ).resolves.toMatchObject({ success: false, errorCode: 130010001 });
    await expect(
      post({
        type: 'temu.aftersales.refund.issue',
        parentAfterSalesSn: 'PAS-1',
        parentOrderSn: 'PO-1',
        openApiRefundType: 1,
      }),
    ).resolves.toMatchObject({ success: false, errorCode: 130010004 });
  });
});
