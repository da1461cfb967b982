import { WebhookSignatureError } from '../../platforms/errors.js';
import type { RefundNotice } from '../types.js';
import { wechatRefundState } from './client.js';
import { decryptResource, wechatSignatureProblem, type SignedHeaders } from './sign.js';

/** The acknowledgement WeChat Pay expects (HTTP 200, AFTER-SALES-FACTS §2.2). */
export const WECHATPAY_NOTIFY_ACK = { code: 'SUCCESS' } as const;

export const REFUND_EVENT_TYPES = ['REFUND.SUCCESS', 'REFUND.ABNORMAL', 'REFUND.CLOSED'] as const;

interface NotifyEnvelope {
  id?: string;
  event_type?: string;
  resource_type?: string;
  resource?: { algorithm?: string; ciphertext?: string; nonce?: string; associated_data?: string };
}

interface RefundResource {
  mchid?: string;
  out_trade_no?: string;
  refund_id?: string;
  out_refund_no?: string;
  refund_status?: string;
  amount?: { refund?: number };
}

/**
 * A refund notification: verified over the raw body before anything is decrypted (a probe or a
 * bad signature is refused), then its resource decrypted with the APIv3 key. Returns undefined
 * for a verified event that is not a refund event.
 */
export function parseWechatRefundNotify(
  headers: SignedHeaders,
  rawBody: string,
  keys: { platformKeys: Record<string, string>; apiV3Key: string; mchid?: string },
  nowSeconds: number,
): RefundNotice | undefined {
  const problem = wechatSignatureProblem(headers, rawBody, keys.platformKeys, nowSeconds);
  if (problem) throw new WebhookSignatureError(`WeChat Pay notification: ${problem}`);
  const envelope = JSON.parse(rawBody) as NotifyEnvelope;
  if (!REFUND_EVENT_TYPES.includes(envelope.event_type as (typeof REFUND_EVENT_TYPES)[number]))
    return undefined;
  const resource = envelope.resource;
  if (!resource?.ciphertext || !resource.nonce || resource.algorithm !== 'AEAD_AES_256_GCM') {
    throw new WebhookSignatureError('WeChat Pay notification: resource is not AEAD_AES_256_GCM');
  }
  let plain: RefundResource;
  try {
    plain = JSON.parse(
      decryptResource(keys.apiV3Key, {
        nonce: resource.nonce,
        ciphertext: resource.ciphertext,
        ...(resource.associated_data !== undefined ? { associated_data: resource.associated_data } : {}),
      }),
    ) as RefundResource;
  } catch {
    throw new WebhookSignatureError('WeChat Pay notification: resource does not decrypt with the APIv3 key');
  }
  if (keys.mchid && plain.mchid !== keys.mchid)
    throw new WebhookSignatureError('WeChat Pay notification is for another merchant');
  if (!plain.out_trade_no || !plain.out_refund_no || !plain.refund_status) {
    throw new WebhookSignatureError('WeChat Pay notification: resource lacks the refund fields');
  }
  return {
    channel: 'wechatpay',
    noticeId: envelope.id ?? `${plain.out_refund_no}:${plain.refund_status}`,
    outTradeNo: plain.out_trade_no,
    refundNo: plain.out_refund_no,
    state: wechatRefundState(plain.refund_status),
    refundedFen: plain.amount?.refund ?? 0,
    ...(plain.refund_id ? { channelRefundId: plain.refund_id } : {}),
  };
}
