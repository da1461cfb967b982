import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { OrderPush, PaymentRef } from '../../domain/order.js';
import { bodyHmacBase64, bodyHmacMatches } from '../kit/body-hmac.js';
import type { FaultPlan } from '../kit/rate-limit.js';
import type { SimOrderStore } from '../kit/store.js';
import type { SimOrder } from '../orders/model.js';

/**
 * A seller's own store pushing a SimOrder to the ERP, signed on its own code path (not the
 * adapter's helper): our normalized order as the body, `X-Erp-Hmac-Sha256` and
 * `X-Erp-Delivery-Id` headers.
 */
export function renderOwnStorePush(
  secret: string,
  order: SimOrder,
  deliveryId: string = randomUUID(),
  payment?: PaymentRef,
): { headers: Record<string, string>; body: string } {
  const push: OrderPush = {
    platformOrderId: order.id,
    status: STATUS[order.status],
    refundStatus: order.refund
      ? order.refund.status === 'refunded'
        ? 'refunded'
        : order.refund.status === 'closed' || order.refund.status === 'refused'
          ? 'closed'
          : 'requested'
      : 'none',
    type: order.type,
    createdAt: order.createdAt.toISOString(),
    ...(order.paidAt ? { paidAt: order.paidAt.toISOString() } : {}),
    modifiedAt: order.modifiedAt.toISOString(),
    currency: order.currency,
    amounts: {
      goodsFen: order.items.reduce((s, i) => s + i.unitPriceMinor * i.quantity, 0),
      discountFen: order.items.reduce((s, i) => s + i.discountMinor, 0) + order.discountMinor,
      shippingFen: order.shippingMinor,
      paidFen: order.paidMinor,
    },
    ...(order.presale
      ? {
          presale: {
            depositFen: order.presale.depositMinor,
            balanceFen: order.presale.balanceMinor,
            ...(order.presale.depositPaidAt
              ? { depositPaidAt: order.presale.depositPaidAt.toISOString() }
              : {}),
            ...(order.presale.balancePaidAt
              ? { balancePaidAt: order.presale.balancePaidAt.toISOString() }
              : {}),
          },
        }
      : {}),
    buyer: { id: order.buyer.id, nick: order.buyer.nick },
    receiver: { ...order.receiver, protected: false },
    lines: order.items.map((i) => ({
      lineId: i.lineId,
      platformSkuId: i.platformSkuId,
      skuCode: i.skuCode,
      title: i.title,
      quantity: i.quantity,
      unitPriceFen: i.unitPriceMinor,
      discountFen: i.discountMinor,
    })),
    ...(order.buyerRemark ? { buyerRemark: order.buyerRemark } : {}),
    ...(order.sellerMemo ? { sellerMemo: order.sellerMemo } : {}),
    ...(payment ? { payment } : {}),
  };
  const body = JSON.stringify(push);
  return {
    headers: {
      'content-type': 'application/json',
      'x-erp-hmac-sha256': bodyHmacBase64(secret, body),
      'x-erp-delivery-id': deliveryId,
    },
    body,
  };
}

/**
 * How the demo store's buyer paid an order, once paid in one payment (a presale's deposit and
 * balance are two, and are left without): Alipay or WeChat Pay by the order number, under a trade
 * number derived from it — the same every time the order is pushed, so the trade is opened once in
 * the payment sandbox and a refund of the order goes back through it.
 */
export function ownStorePayment(order: SimOrder): PaymentRef | undefined {
  if (!order.paidAt || order.presale || order.paidMinor <= 0 || order.status === 'unpaid') return undefined;
  const digits = order.id.replace(/[^A-Za-z0-9]/g, '');
  const last = digits.charCodeAt(digits.length - 1) || 0;
  return { channel: last % 2 === 0 ? 'alipay' : 'wechatpay', outTradeNo: `DEMO${digits.slice(-20)}` };
}

const STATUS: Record<SimOrder['status'], OrderPush['status']> = {
  unpaid: 'awaiting_payment',
  deposit_paid: 'deposit_paid',
  paid: 'paid',
  shipped: 'shipped',
  completed: 'completed',
  cancelled: 'cancelled',
};

/** A fulfilment callback as the store received and checked it. */
export interface ReceivedFulfilment {
  deliveryId: string;
  platformOrderId: string;
  carrier: string;
  trackingNumber: string;
  shippedAt: string;
  wholeOrder: boolean;
  lineIds?: string[];
  /** Times this delivery id arrived (retries after a lost answer arrive again). */
  deliveries: number;
}

/** A cancellation callback as the store received it: the ERP ended an order of the store. */
export interface ReceivedCancellation {
  deliveryId: string;
  platformOrderId: string;
  reason: string;
  cancelledAt: string;
  deliveries: number;
}

/** What the simulated store was told: each delivery id once, with how often it came. */
export class OwnStoreInbox {
  private readonly received = new Map<string, ReceivedFulfilment>();
  readonly cancellations = new Map<string, ReceivedCancellation>();
  /** Callbacks refused for their signature. */
  forged = 0;

  record(callback: Omit<ReceivedFulfilment, 'deliveries'>): { first: boolean } {
    const seen = this.received.get(callback.deliveryId);
    if (seen) {
      seen.deliveries += 1;
      return { first: false };
    }
    this.received.set(callback.deliveryId, { ...callback, deliveries: 1 });
    return { first: true };
  }

  all(): ReceivedFulfilment[] {
    return [...this.received.values()];
  }

  forOrder(platformOrderId: string): ReceivedFulfilment[] {
    return this.all().filter((r) => r.platformOrderId === platformOrderId);
  }
}

export interface OwnStoreSimulatorOptions {
  store: SimOrderStore;
  /** The store's key in `store` (its orders' shopKey). */
  shopKey: string;
  webhookSecret: string;
  inbox: OwnStoreInbox;
  faults?: FaultPlan;
  now?: () => Date;
}

/**
 * A seller's own site receiving the ERP's fulfilment callbacks at `POST {prefix}/fulfilments`
 * (and, on the same URL with event `order.cancelled`, the ERP's cancellations of unpaid orders):
 * checks `X-Erp-Hmac-Sha256` over the raw body with its webhook secret (401 otherwise), reads the
 * callback (400 naming a missing field), records it once per `X-Erp-Delivery-Id` (a repeat is
 * answered 200 and changes nothing) and marks the order shipped, as a real store's handler would.
 * Faults are planned under the operation name `fulfilment`.
 */
export const ownStoreSimulator: FastifyPluginAsync<OwnStoreSimulatorOptions> = async (app, options) => {
  const now = options.now ?? (() => new Date());
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  app.post('/fulfilments', async (request, reply) => {
    const fault = options.faults?.next('fulfilment');
    if (fault) {
      if (fault.retryAfterSeconds !== undefined) reply.header('retry-after', String(fault.retryAfterSeconds));
      return reply.code(fault.status).send({ error: `simulated ${fault.status}` });
    }
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const signature = request.headers['x-erp-hmac-sha256'];
    if (!bodyHmacMatches(options.webhookSecret, raw, typeof signature === 'string' ? signature : undefined)) {
      options.inbox.forged += 1;
      return reply.code(401).send({ error: 'X-Erp-Hmac-Sha256 does not match the body' });
    }
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
    } catch {
      return reply.code(400).send({ error: 'body is not JSON' });
    }
    if (body['event'] === 'order.cancelled') return cancelled(options, request.headers, body, now(), reply);
    const carrier = body['carrier'] as { code?: unknown } | undefined;
    const fields = {
      deliveryId: request.headers['x-erp-delivery-id'],
      platformOrderId: body['platformOrderId'],
      carrier: carrier?.code,
      trackingNumber: body['trackingNumber'],
      shippedAt: body['shippedAt'],
    };
    const missing = Object.entries(fields).find(([, v]) => typeof v !== 'string' || v === '');
    if (missing || body['event'] !== 'order.shipped' || typeof body['wholeOrder'] !== 'boolean') {
      return reply.code(400).send({ error: `${missing?.[0] ?? 'event/wholeOrder'} is missing or invalid` });
    }
    const lineIds = Array.isArray(body['lineIds']) ? body['lineIds'].map(String) : undefined;
    const callback = {
      ...(fields as Record<keyof typeof fields, string>),
      wholeOrder: body['wholeOrder'] as boolean,
      ...(lineIds ? { lineIds } : {}),
    };
    const { first } = options.inbox.record(callback);
    if (first) markShipped(options, callback, now());
    return reply.code(200).send({ received: true, duplicate: !first });
  });
};

/**
 * `order.cancelled`: the ERP ended one of the store's orders on its own clock. The store records the
 * delivery once and closes the order if the buyer has not paid meanwhile, as a real store would.
 */
function cancelled(
  options: OwnStoreSimulatorOptions,
  headers: Record<string, string | string[] | undefined>,
  body: Record<string, unknown>,
  at: Date,
  reply: FastifyReply,
) {
  const deliveryId = headers['x-erp-delivery-id'];
  const fields = {
    deliveryId,
    platformOrderId: body['platformOrderId'],
    reason: body['reason'],
    cancelledAt: body['cancelledAt'],
  };
  const missing = Object.entries(fields).find(([, v]) => typeof v !== 'string' || v === '');
  if (missing) return reply.code(400).send({ error: `${missing[0]} is missing or invalid` });
  const callback = fields as Record<keyof typeof fields, string>;
  const seen = options.inbox.cancellations.get(callback.deliveryId);
  if (seen) {
    seen.deliveries += 1;
    return reply.code(200).send({ received: true, duplicate: true });
  }
  options.inbox.cancellations.set(callback.deliveryId, { ...callback, deliveries: 1 });
  options.store.update(
    options.shopKey,
    callback.platformOrderId,
    (order) => {
      if (order.status === 'unpaid' || order.status === 'deposit_paid') order.status = 'cancelled';
    },
    at,
  );
  return reply.code(200).send({ received: true, duplicate: false });
}

function markShipped(
  options: OwnStoreSimulatorOptions,
  callback: Omit<ReceivedFulfilment, 'deliveries'>,
  at: Date,
): void {
  options.store.update(
    options.shopKey,
    callback.platformOrderId,
    (order) => {
      const parcel = {
        carrierCode: callback.carrier,
        trackingNumber: callback.trackingNumber,
        shippedAt: new Date(callback.shippedAt),
      };
      if (!order.shipment) order.shipment = parcel;
      else order.extraShipments = [...(order.extraShipments ?? []), parcel];
      const reported = new Set(options.inbox.forOrder(order.id).flatMap((r) => r.lineIds ?? []));
      const whole = callback.wholeOrder || order.items.every((item) => reported.has(item.lineId));
      if (whole && (order.status === 'paid' || order.status === 'deposit_paid')) order.status = 'shipped';
    },
    at,
  );
}
