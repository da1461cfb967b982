import { createHmac } from 'node:crypto';

/** VOP's system-level parameters (docs/platforms/vip.md), all but `sign`. */
export interface VipSystemParams {
  service: string;
  method: string;
  version: string;
  /** Epoch seconds. */
  timestamp: string;
  format: string;
  appKey: string;
  accessToken?: string;
  language?: string;
}

/**
 * VOP request signing (docs/platforms/vip.md; the official SDK's `OspStub::createRequestSign` and
 * `HmacUtil::hmac`): the system parameters but `sign`, in name order, each name then its value
 * with nothing between (`accessToken` and `language` only when set), then the request body
 * exactly as sent; upper-case hex HMAC-MD5 keyed with the app secret.
 */
export function signVip(appSecret: string, params: VipSystemParams, body: string): string {
  const entries = Object.entries(params).filter(
    (e): e is [string, string] => typeof e[1] === 'string' && e[1] !== '',
  );
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const text = entries.map(([name, value]) => `${name}${value}`).join('') + body;
  return createHmac('md5', appSecret).update(text, 'utf8').digest('hex').toUpperCase();
}
