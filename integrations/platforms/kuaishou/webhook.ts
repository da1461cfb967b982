import { WebhookSignatureError } from '../errors.js';
import { parseLosslessJson } from '../lossless-json.js';
import type { WebhookParser } from '../types.js';
import { decryptKuaishouPush } from './sign.js';
import { KuaishouPushInfoSchema, KuaishouPushSchema } from './wire.js';

/**
 * Kuaishou message push (§1.4): the body is Base64 AES-CBC ciphertext under the shop's message
 * secret (`webhookSecret`), which is what authenticates it — a body that does not decrypt to a
 * message is refused as forged. `kwaishop_order_*` events name an order (`bizId`, `info.oid`) to
 * fetch; console test messages (`test: true`) and other topics are acknowledged and ignored.
 * Kuaishou expects `KUAISHOU_PUSH_ACK`.
 */
export const KUAISHOU_PUSH_ACK = { result: 1 } as const;

export const kuaishouWebhookParser: WebhookParser = {
  platform: 'kuaishou',
  parse(request, secrets, shop) {
    const plain = secrets.webhookSecret
      ? decryptKuaishouPush(secrets.webhookSecret, request.rawBody.toString('utf8'))
      : undefined;
    let json: unknown;
    try {
      json = plain === undefined ? undefined : parseLosslessJson(plain);
    } catch {
      json = undefined;
    }
    if (json === undefined) {
      throw new WebhookSignatureError('kuaishou push: the body does not decrypt under the message secret');
    }
    const push = KuaishouPushSchema.parse(json);
    if (push.appKey && push.appKey !== secrets.appKey) {
      throw new WebhookSignatureError(`kuaishou push: for app ${push.appKey}, not this shop's app`);
    }
    if (push.test) return [{ kind: 'ignored', reason: 'kuaishou console test message' }];
    const info = KuaishouPushInfoSchema.parse(push.info ? parseLosslessJson(push.info) : {});
    if (info.sellerId && info.sellerId !== shop.platformShopId) {
      return [{ kind: 'ignored', reason: `kuaishou push ${push.msgId} is for seller ${info.sellerId}` }];
    }
    const oid = info.oid ?? push.bizId;
    if (!push.event.startsWith('kwaishop_order_') || !oid) {
      return [{ kind: 'ignored', reason: `kuaishou push ${push.event} is not about an order` }];
    }
    return [
      {
        kind: 'order_changed',
        platformOrderId: oid,
        ...(info.updateTime ? { modifiedAt: new Date(info.updateTime).toISOString() } : {}),
      },
    ];
  },
};
