import { randomUUID } from 'node:crypto';
import { stringify } from 'lossless-json';
import { bodyHmacBase64 } from '../../kit/body-hmac.js';
import type { SimOrder } from '../../orders/model.js';
import { renderShopifyOrder, renderShopifyRefund } from './render.js';
import { renderShopifyReturnWebhook, shopifyReturnStatus } from './returns.js';

export type ShopifyTopic =
  | 'orders/create'
  | 'orders/updated'
  | 'orders/paid'
  | 'orders/cancelled'
  | 'orders/fulfilled'
  | 'refunds/create'
  | 'returns/request'
  | 'returns/approve'
  | 'returns/decline'
  | 'returns/cancel'
  | 'returns/close';

/** `X-Shopify-Hmac-Sha256` as Shopify computes it: base64 HMAC-SHA256(app client secret, body). */
export function shopifySimHmac(secret: string, body: string | Buffer): string {
  return bodyHmacBase64(secret, body);
}

/** A Shopify webhook delivery for an order event: exact body and the headers Shopify sends. */
export function renderShopifyWebhook(
  app: { secret: string; shopDomain: string; apiVersion?: string },
  order: SimOrder,
  topic: ShopifyTopic,
): { headers: Record<string, string>; body: string } {
  const body =
    stringify(
      topic === 'refunds/create'
        ? renderShopifyRefund(order)
        : topic.startsWith('returns/')
          ? renderShopifyReturnWebhook(order)
          : renderShopifyOrder(order),
    ) ?? '{}';
  return {
    headers: {
      'content-type': 'application/json',
      'x-shopify-topic': topic,
      'x-shopify-hmac-sha256': shopifySimHmac(app.secret, body),
      'x-shopify-shop-domain': app.shopDomain,
      'x-shopify-api-version': app.apiVersion ?? '2025-01',
      'x-shopify-webhook-id': randomUUID(),
    },
    body,
  };
}

/** What the store last sent about an order's after-sales: its return (id and status) and its refund. */
export interface ShopifyAfterSaleSent {
  returnState?: string;
  refundId?: string;
}

/** The `returns/*` topic a return's status (`ReturnStatus`, AFTER-SALES-FACTS §1.7) is announced by. */
const RETURN_TOPICS: Record<string, ShopifyTopic> = {
  REQUESTED: 'returns/request',
  OPEN: 'returns/approve',
  DECLINED: 'returns/decline',
  CANCELED: 'returns/cancel',
  CLOSED: 'returns/close',
};

/**
 * The after-sales webhooks an order's change calls for, given what was sent before: a return
 * (`return_and_refund`) announces each status it moves to once (a request, its approval or
 * decline, its cancellation or close: two statuses of ours are both OPEN, so approved then
 * returning is one `returns/approve`), and a refund once, when the money went back
 * (`refunds/create`, also for a return's refund, sent before the return's close). Store changes
 * that move neither send nothing more.
 */
export function shopifyAfterSaleTopics(
  order: SimOrder,
  sent: ShopifyAfterSaleSent = {},
): { topics: ShopifyTopic[]; sent: ShopifyAfterSaleSent } {
  const refund = order.refund;
  if (!refund) return { topics: [], sent };
  const topics: ShopifyTopic[] = [];
  const next = { ...sent };
  if (refund.status === 'refunded' && sent.refundId !== refund.id) {
    topics.push('refunds/create');
    next.refundId = refund.id;
  }
  if (refund.kind === 'return_and_refund') {
    const status = shopifyReturnStatus(refund);
    const state = `${refund.id}:${status}`;
    if (state !== sent.returnState) {
      topics.push(RETURN_TOPICS[status]!);
      next.returnState = state;
    }
  }
  return { topics, sent: next };
}
