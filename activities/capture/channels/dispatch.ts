import type { Client } from '@temporalio/client';
import type { Db } from '../../../db/connect.js';
import { recordChannelBatch, type ChannelKind } from '../../../db/queries/channels.js';
import { keepCaseIds, type FetchRequest } from '../../../workflows/messages.js';
import type { WebhookEvent } from '../../../integrations/platforms/types.js';
import { refundStatusOf } from '../../../services/capture/refunds.js';
import { requestOrderFetch } from '../../../services/capture/sync-control.js';
import type { ChannelShop } from './apps.js';
import type { ShopRouter } from './routing.js';

/** One message of a channel, whatever its wire: a TMC message or a PMC frame. */
export interface ChannelMessage {
  /** The platform's message id: what is confirmed (TMC) or acknowledged (PMC). */
  id: string;
  /** The seller it is about: Taobao `user_nick`, PDD `mallID`. */
  seller?: string;
  topic: string;
  events: WebhookEvent[];
}

export interface DispatchOutcome {
  /**
   * Messages that may be confirmed: handed to their shops' syncs (durable in Temporal), or with
   * nothing to hand over (not about orders, or for a seller with no shop here).
   */
  settled: string[];
  /** Messages whose hand-over failed: left unconfirmed, so the platform delivers them again. */
  unsettled: string[];
  handedOver: number;
  ignored: number;
  unrouted: number;
  /** The first hand-over failure, when there was one. */
  error?: Error;
}

export interface DispatcherDeps {
  db: Db;
  client: Client;
  taskQueue: string;
  router: ShopRouter;
  channel: ChannelKind;
  appKey: string;
  log: { warn(message: string, meta?: Record<string, unknown>): void };
}

/**
 * Routes a batch of channel messages to their shops and hands what they name to each shop's sync
 * workflow (`fetch` signal-with-start, the path webhooks take): one signal per shop per batch.
 * Nothing is confirmed here; the caller confirms exactly `settled`.
 */
export function createDispatcher(deps: DispatcherDeps) {
  const { db, client, taskQueue, router, channel, appKey, log } = deps;

  return async function dispatch(messages: readonly ChannelMessage[]): Promise<DispatchOutcome> {
    const outcome: DispatchOutcome = { settled: [], unsettled: [], handedOver: 0, ignored: 0, unrouted: 0 };
    const unknown = new Map<string, { seller: string; topic: string; messages: number }>();
    const groups = new Map<string, { shop: ChannelShop; requests: FetchRequest[]; ids: Set<string> }>();
    const pendingShops = new Map<string, number>();

    for (const message of messages) {
      const requests = fetchRequestsOf(message.events);
      if (requests.length === 0) {
        outcome.ignored += 1;
        outcome.settled.push(message.id);
        continue;
      }
      const seller = message.seller ?? '';
      const shops = seller ? await router.route(seller) : [];
      if (shops.length === 0) {
        const seen = unknown.get(seller) ?? { seller, topic: message.topic, messages: 0 };
        seen.messages += 1;
        seen.topic = message.topic;
        unknown.set(seller, seen);
        outcome.unrouted += 1;
        outcome.settled.push(message.id);
        continue;
      }
      pendingShops.set(message.id, shops.length);
      for (const shop of shops) {
        const group = groups.get(shop.id) ?? { shop, requests: [], ids: new Set<string>() };
        group.requests.push(...requests);
        group.ids.add(message.id);
        groups.set(shop.id, group);
      }
    }

    const failed = new Set<string>();
    await Promise.all(
      [...groups.values()].map(async (group) => {
        try {
          await requestOrderFetch(client, taskQueue, group.shop, latestPerOrder(group.requests));
        } catch (err) {
          outcome.error ??= err as Error;
          for (const id of group.ids) failed.add(id);
        }
      }),
    );
    for (const id of pendingShops.keys()) {
      if (failed.has(id)) outcome.unsettled.push(id);
      else {
        outcome.settled.push(id);
        outcome.handedOver += 1;
      }
    }

    for (const seen of unknown.values()) {
      log.warn('channel message for a seller with no shop here: confirmed and dropped', {
        channel,
        appKey,
        seller: seen.seller,
        topic: seen.topic,
        messages: seen.messages,
      });
    }
    try {
      await recordChannelBatch(db, {
        channel,
        appKey,
        received: messages.length,
        handedOver: outcome.handedOver,
        ignored: outcome.ignored,
        unrouted: [...unknown.values()],
      });
    } catch (err) {
      // The counters are for ops; losing one batch's counts must not hold back confirmation.
      log.warn('recording channel counters failed', { channel, appKey, error: (err as Error).message });
    }
    return outcome;
  };
}

export type Dispatch = ReturnType<typeof createDispatcher>;

/** What the shop's sync must fetch for these events (the webhook route's rules). */
export function fetchRequestsOf(events: readonly WebhookEvent[]): FetchRequest[] {
  const requests: FetchRequest[] = [];
  for (const event of events) {
    if (event.kind === 'order_changed') requests.push({ platformOrderId: event.platformOrderId });
    else if (event.kind === 'refund_changed') {
      const caseId = event.platformRefundId ?? event.refund?.platformRefundId;
      requests.push({
        platformOrderId: event.platformOrderId,
        ...(caseId ? { caseIds: [caseId] } : {}),
        ...(event.refund
          ? {
              refund: {
                status: refundStatusOf(event.refund.status),
                modifiedAt: event.refund.modifiedAt,
                ...(event.refund.lineIds ? { lineIds: event.refund.lineIds } : {}),
              },
            }
          : {}),
      });
    } else if (event.kind === 'order') {
      // No channel carries whole orders today; fetching keeps one path if one ever does.
      requests.push({ platformOrderId: event.order.platformOrderId });
    }
  }
  return requests;
}

/** One request per order: a later one replaces an earlier, but never drops refund news. */
function latestPerOrder(requests: readonly FetchRequest[]): FetchRequest[] {
  const byOrder = new Map<string, FetchRequest>();
  for (const request of requests) {
    const earlier = byOrder.get(request.platformOrderId);
    byOrder.set(
      request.platformOrderId,
      keepCaseIds(request.refund || !earlier?.refund ? request : earlier, earlier, request),
    );
  }
  return [...byOrder.values()];
}
