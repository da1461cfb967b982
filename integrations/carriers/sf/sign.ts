import { createHash } from 'node:crypto';

/**
 * Python's `urllib.parse.quote_plus` over UTF-8: letters, digits and `_.-~` stay, space becomes
 * `+`, everything else is %XX (upper case). SF's official Python demo encodes this way and the
 * Java SDK's URLEncoder nearly so; encodeURIComponent differs on `!'()*` and spaces.
 */
export function quotePlus(text: string): string {
  return encodeURIComponent(text)
    .replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase())
    .replace(/%20/g, '+');
}

/**
 * SF `msgDigest` (API-FACTS §9): Base64 of the raw 16-byte MD5 of the URL-encoded
 * `msgData + timestamp + checkword`.
 */
export function sfMsgDigest(msgData: string, timestamp: string, checkword: string): string {
  return createHash('md5')
    .update(quotePlus(msgData + timestamp + checkword), 'utf8')
    .digest('base64');
}
