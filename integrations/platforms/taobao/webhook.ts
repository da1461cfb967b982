import type { WebhookEvent } from '../types.js';
import { gmt8ToIso } from './gmt8.js';
import { isRecord, parsePlatformJson } from './json.js';
import type { TmcMessage } from './wire.js';

/**
 * TOP pushes through TMC (消息服务), not HTTP webhooks: messages are pulled with
 * `taobao.tmc.messages.consume` and acknowledged with `taobao.tmc.messages.confirm`
 * (API-FACTS §1.4). There is no per-message signature; authenticity comes from the signed pull.
 * The `content` is a JSON string whose keys differ by topic (❓ exact key sets): trade topics
 * carry `tid` (and `status`, `modified`), refund topics `refund_id` and `tid`. A message only says
 * that something changed, so it becomes `order_changed` / `refund_changed` and the order is
 * fetched with `getOrder`.
 */
export interface TmcDelivery {
  /** TMC message id, for `confirmMessages`. */
  id: string;
  topic: string;
  /** The seller the message is about: route it to the shop with this nick. */
  userNick?: string;
  userId?: string;
  events: WebhookEvent[];
}

export function tmcMessageToDelivery(message: TmcMessage): TmcDelivery {
  return {
    id: message.id,
    topic: message.topic,
    ...(message.user_nick ? { userNick: message.user_nick } : {}),
    ...(message.user_id ? { userId: message.user_id } : {}),
    events: tmcMessageToEvents(message),
  };
}

export function tmcMessageToEvents(message: Pick<TmcMessage, 'topic' | 'content'>): WebhookEvent[] {
  let content: unknown;
  try {
    content = parsePlatformJson(message.content);
  } catch {
    return [{ kind: 'ignored', reason: `${message.topic}: content is not JSON` }];
  }
  if (!isRecord(content)) return [{ kind: 'ignored', reason: `${message.topic}: content is not an object` }];
  const tid = idOf(content['tid']);

  if (message.topic.startsWith('taobao_trade_')) {
    if (!tid) return [{ kind: 'ignored', reason: `${message.topic}: no tid` }];
    const modifiedAt = typeof content['modified'] === 'string' ? gmt8ToIso(content['modified']) : undefined;
    return [{ kind: 'order_changed', platformOrderId: tid, ...(modifiedAt ? { modifiedAt } : {}) }];
  }
  if (message.topic.startsWith('taobao_refund_')) {
    if (!tid) return [{ kind: 'ignored', reason: `${message.topic}: no tid` }];
    const refundId = idOf(content['refund_id']);
    return [
      { kind: 'refund_changed', platformOrderId: tid, ...(refundId ? { platformRefundId: refundId } : {}) },
    ];
  }
  // Tmall exchanges (taobao_dispute_Exchange*: ExchangeAgree, ExchangeSellerConfirmed, …) carry the
  // dispute's id as `refund_id`; its case is `exchange-{id}`, read with tmall.exchange.get.
  if (message.topic.startsWith('taobao_dispute_Exchange')) {
    const disputeId = idOf(content['refund_id']);
    if (!tid || !disputeId) return [{ kind: 'ignored', reason: `${message.topic}: no tid or refund_id` }];
    return [{ kind: 'refund_changed', platformOrderId: tid, platformRefundId: `exchange-${disputeId}` }];
  }
  return [{ kind: 'ignored', reason: `topic ${message.topic} is not about orders` }];
}

function idOf(value: unknown): string | undefined {
  return typeof value === 'string' && /^\d+$/.test(value) ? value : undefined;
}
