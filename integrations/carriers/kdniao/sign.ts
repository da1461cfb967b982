import { createHash } from 'node:crypto';

/**
 * KDNiao `DataSign` (API-FACTS §12): Base64 of the lower-case hex MD5 TEXT of RequestData + AppKey
 * (44 characters), not of the 16 raw bytes. It travels URL-encoded as a form field, which the
 * form encoder does once.
 */
export function kdniaoDataSign(requestData: string, appKey: string): string {
  const hex = createHash('md5')
    .update(requestData + appKey, 'utf8')
    .digest('hex');
  return Buffer.from(hex, 'ascii').toString('base64');
}
