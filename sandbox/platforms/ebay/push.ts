import { createHash, generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import type { SimOrder } from '../../orders/model.js';

/** The key pair eBay signs notifications with, and the id (`kid`) it names the public half by. */
export interface EbayNotificationKey {
  kid: string;
  privateKey: string;
  /** PEM, as eBay's `getPublicKey` hands it out; the shop stores it as its `webhookSecret`. */
  publicKey: string;
}

export function ebayNotificationKey(): EbayNotificationKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  return {
    kid: createHash('sha256').update(pem).digest('hex').slice(0, 32),
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKey: pem,
  };
}

/** `X-EBAY-SIGNATURE` as the simulator writes it: Base64 JSON naming the key and an ECDSA/SHA1 signature. */
export function ebaySignatureHeader(key: EbayNotificationKey, body: string): string {
  const signature = sign('sha1', Buffer.from(body, 'utf8'), key.privateKey).toString('base64');
  return Buffer.from(JSON.stringify({ alg: 'ecdsa', kid: key.kid, signature, digest: 'SHA1' })).toString(
    'base64',
  );
}

/**
 * An order notification (MORE-CHANNELS §10: push UNCONFIRMED; the Notification API envelope with
 * an order topic): `metadata.topic`, `notification.data.orderId`, signed in `X-EBAY-SIGNATURE`.
 */
export function renderEbayNotification(
  key: EbayNotificationKey,
  order: SimOrder,
  topic = 'ORDER_CHANGE',
): { headers: Record<string, string>; body: string } {
  const body = JSON.stringify({
    metadata: { topic, schemaVersion: '1.0', deprecated: false },
    notification: {
      notificationId: randomUUID(),
      eventDate: order.modifiedAt.toISOString(),
      publishDate: new Date().toISOString(),
      publishAttemptCount: 1,
      data: { orderId: order.id, sellerId: order.shopKey },
    },
  });
  return {
    headers: { 'content-type': 'application/json', 'x-ebay-signature': ebaySignatureHeader(key, body) },
    body,
  };
}
