import { PlatformError } from '../errors.js';
import type { WebhookEvent } from '../types.js';
import { isRecord, parsePlatformJson } from '../taobao/json.js';

/**
 * PDD pushes through PMC (消息服务) over a WebSocket, not HTTP webhooks (API-FACTS §2.4). The
 * connection itself is authenticated (the signed path from `pddWssPath`); frames carry no
 * signature. Each `Common` frame holds one message whose `content` is a JSON string; the client
 * answers it with an `Ack` frame or PDD redelivers it.
 *
 * Trade topics (`pdd_trade_*`) carry the order number as `tid`; refund topics (`pdd_refund_*`)
 * add `refund_id`. Messages only say that something changed → `order_changed` / `refund_changed`.
 */
export interface PmcFrameResult {
  commandType: string;
  /** The mall (shop) the message is about: route it to the shop with this platformShopId. */
  mallId?: string;
  topic?: string;
  events: WebhookEvent[];
  /** The frame to send back, for `Common` frames. */
  ack?: string;
}

export function parsePmcFrame(frame: string, now: Date = new Date()): PmcFrameResult {
  let parsed: unknown;
  try {
    parsed = parsePlatformJson(frame);
  } catch {
    throw new PlatformError('pdd: PMC frame is not JSON', 'pdd');
  }
  if (!isRecord(parsed)) throw new PlatformError('pdd: PMC frame is not an object', 'pdd');
  const commandType = String(parsed['commandType'] ?? '');
  const message = isRecord(parsed['message']) ? parsed['message'] : {};
  if (commandType === 'Fail') {
    throw new PlatformError(`pdd: PMC reported a failure: ${String(message['content'] ?? '')}`, 'pdd');
  }
  if (commandType !== 'Common') return { commandType, events: [] };

  const topic = String(message['type'] ?? '');
  const mallId = message['mallID'] === undefined ? undefined : String(message['mallID']);
  const ack = pmcAckFrame({
    id: String(parsed['id'] ?? '0'),
    sendTime: String(parsed['sendTime'] ?? '0'),
    type: topic,
    mallId: mallId ?? '0',
    now,
  });
  return {
    commandType,
    ...(mallId ? { mallId } : {}),
    topic,
    events: pmcEvents(topic, message['content']),
    ack,
  };
}

function pmcEvents(topic: string, rawContent: unknown): WebhookEvent[] {
  let content: unknown;
  try {
    content = typeof rawContent === 'string' ? parsePlatformJson(rawContent) : rawContent;
  } catch {
    return [{ kind: 'ignored', reason: `${topic}: content is not JSON` }];
  }
  if (!isRecord(content)) return [{ kind: 'ignored', reason: `${topic}: content is not an object` }];
  const orderSn = typeof content['tid'] === 'string' ? content['tid'] : undefined;
  if (topic.startsWith('pdd_trade_')) {
    return orderSn
      ? [{ kind: 'order_changed', platformOrderId: orderSn }]
      : [{ kind: 'ignored', reason: `${topic}: no tid` }];
  }
  if (topic.startsWith('pdd_refund_')) {
    if (!orderSn) return [{ kind: 'ignored', reason: `${topic}: no tid` }];
    const refundId = content['refund_id'] === undefined ? undefined : String(content['refund_id']);
    return [
      {
        kind: 'refund_changed',
        platformOrderId: orderSn,
        ...(refundId ? { platformRefundId: refundId } : {}),
      },
    ];
  }
  return [{ kind: 'ignored', reason: `topic ${topic} is not about orders` }];
}

/**
 * `{"id","commandType":"Ack","time","sendTime","type","mallID"}` (S-PDD1 `AckMessage`). Ids are
 * 64-bit; they are written back digit for digit.
 */
export function pmcAckFrame(input: {
  id: string;
  sendTime: string;
  type: string;
  mallId: string;
  now: Date;
}): string {
  const digits = (value: string) => (/^\d+$/.test(value) ? value : '0');
  return (
    `{"id":${digits(input.id)},"commandType":"Ack","time":${input.now.getTime()},` +
    `"sendTime":${digits(input.sendTime)},"type":${JSON.stringify(input.type)},"mallID":${digits(input.mallId)}}`
  );
}
