import { createHash } from 'node:crypto';

/**
 * JD JOS (`routerjson`) signature (API-FACTS §3.1): all parameters but `sign` — including the
 * `360buy_param_json` string that carries every business parameter — sorted by key, `key+value`
 * concatenated, wrapped in the app secret, MD5, upper-case hex. Parameters not sent (JD's own
 * example sends no `format`/`sign_method`) are not signed.
 */
export function jdSign(params: Record<string, string>, appSecret: string): string {
  const concat = Object.keys(params)
    .filter((key) => key !== 'sign')
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((key) => key + params[key])
    .join('');
  return createHash('md5')
    .update(appSecret + concat + appSecret, 'utf8')
    .digest('hex')
    .toUpperCase();
}
