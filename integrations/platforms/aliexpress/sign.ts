import { createHash, createHmac } from 'node:crypto';
import { signLazadaRequest } from '../lazada/sign.js';

/**
 * AliExpress Open Platform signing (MORE-CHANNELS §9; the IOP family of §8.2, whose signing is
 * confirmed; the `/sync` variant is secondary — several independent community clients agree).
 * On `/sync` (business methods named by `method`): every parameter except `sign`, sorted by name,
 * concatenated `name1value1name2value2…` **without** an API-path prefix; `sign_method=sha256` →
 * upper-case hex HMAC-SHA256 keyed with the app secret, `sign_method=md5` → upper-case hex
 * MD5(secret + string + secret) (TOP style). On `/rest/<path>` (token calls) the path is prefixed
 * exactly as Lazada does it.
 */
export type AliexpressSignMethod = 'sha256' | 'md5';

export function aliexpressSyncString(params: Record<string, string>): string {
  return Object.keys(params)
    .filter((name) => name !== 'sign')
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((name) => `${name}${params[name]}`)
    .join('');
}

export function signAliexpressSync(
  appSecret: string,
  params: Record<string, string>,
  method: AliexpressSignMethod = 'sha256',
): string {
  const text = aliexpressSyncString(params);
  const digest =
    method === 'md5'
      ? createHash('md5').update(`${appSecret}${text}${appSecret}`, 'utf8').digest('hex')
      : createHmac('sha256', appSecret).update(text, 'utf8').digest('hex');
  return digest.toUpperCase();
}

/** `/rest/<path>` calls (token create and refresh): the Lazada rule, path first. */
export const signAliexpressRest = signLazadaRequest;
