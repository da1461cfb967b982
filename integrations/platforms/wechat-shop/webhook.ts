import { WebhookSignatureError } from '../errors.js';
import { parseLosslessJson } from '../lossless-json.js';
import type { WebhookParser } from '../types.js';
import { decryptWechatMessage, wechatSignatureMatches } from './sign.js';
import { WechatEncryptedSchema, WechatPushSchema } from './wire.js';

/**
 * WeChat message push for a Channels shop (§3.4), JSON format. The shop's `webhookSecret` is the
 * push Token from its 消息推送 settings, or `Token|EncodingAESKey` for safe mode. Safe mode
 * (`{"Encrypt": …}`): `msg_signature` over token, timestamp, nonce and the ciphertext, then the
 * message decrypted and its app id checked. Plain mode: `signature` over token, timestamp and nonce
 * only — WeChat does not sign a plain body, so use safe mode where the body matters; either way a
 * push only names an order, which is then read over the API. `channels_ec_order_*` events name an
 * order (`order_info.order_id`, 19 digits, kept exact) to fetch; other events are ignored.
 * WeChat expects the reply `success`.
 */
export const WECHAT_PUSH_ACK = 'success';

export const wechatShopWebhookParser: WebhookParser = {
  platform: 'wechat_shop',
  parse(request, secrets, shop) {
    const [token = '', aesKey] = (secrets.webhookSecret ?? '').split('|');
    const query = new URL(request.url).searchParams;
    const timestamp = query.get('timestamp') ?? '';
    const nonce = query.get('nonce') ?? '';
    const text = request.rawBody.toString('utf8');
    let json: unknown;
    try {
      json = parseLosslessJson(text);
    } catch {
      json = undefined;
    }
    const encrypted = WechatEncryptedSchema.safeParse(json);
    if (!token)
      throw new WebhookSignatureError('wechat_shop push: the shop has no push Token (webhookSecret)');
    if (encrypted.success) {
      const cipher = encrypted.data.Encrypt;
      if (
        !wechatSignatureMatches([token, timestamp, nonce, cipher], query.get('msg_signature') ?? undefined)
      ) {
        throw new WebhookSignatureError('wechat_shop push: msg_signature does not match');
      }
      const plain = aesKey ? decryptWechatMessage(aesKey, cipher) : undefined;
      if (!plain || plain.appId !== secrets.appKey) {
        throw new WebhookSignatureError('wechat_shop push: the message does not decrypt for this app');
      }
      json = parseLosslessJson(plain.message);
    } else if (!wechatSignatureMatches([token, timestamp, nonce], query.get('signature') ?? undefined)) {
      throw new WebhookSignatureError('wechat_shop push: signature does not match');
    }
    const push = WechatPushSchema.parse(json);
    if (push.ToUserName && shop.platformShopId && push.ToUserName !== shop.platformShopId) {
      return [{ kind: 'ignored', reason: `wechat_shop push for ${push.ToUserName}` }];
    }
    const orderId = push.order_info?.order_id;
    if (!push.Event.startsWith('channels_ec_order_') || !orderId) {
      return [
        { kind: 'ignored', reason: `wechat_shop push ${push.Event || push.MsgType} is not about an order` },
      ];
    }
    return [{ kind: 'order_changed', platformOrderId: orderId }];
  },
};

/**
 * WeChat's check of a push URL (the console's 消息推送 settings): a GET with `signature`,
 * `timestamp`, `nonce` and `echostr`, answered with `echostr` when the signature is the Token's;
 * in safe mode (`msg_signature`) `echostr` is ciphertext, signed with it, and answered decrypted.
 * Undefined when the check does not verify.
 */
export function wechatUrlCheckAnswer(
  secrets: { appKey: string; webhookSecret?: string },
  query: Record<string, string | undefined>,
): string | undefined {
  const [token = '', aesKey] = (secrets.webhookSecret ?? '').split('|');
  const { timestamp = '', nonce = '', echostr = '' } = query;
  if (!token || !echostr) return undefined;
  if (query.msg_signature) {
    if (!wechatSignatureMatches([token, timestamp, nonce, echostr], query.msg_signature)) return undefined;
    const plain = aesKey ? decryptWechatMessage(aesKey, echostr) : undefined;
    return plain && plain.appId === secrets.appKey ? plain.message : undefined;
  }
  return wechatSignatureMatches([token, timestamp, nonce], query.signature) ? echostr : undefined;
}
