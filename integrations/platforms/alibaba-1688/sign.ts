import { createHmac } from 'node:crypto';

/**
 * 1688 open platform ("param2" protocol) request signing, as the official PHP SDK does it
 * (`duanyasong/1688-sdk-php` @7a7e40a, `src/com/alibaba/openapi/client/util/SignatureUtil.class.php`
 * and `SyncAPIClient.class.php`; docs/platforms/1688.md):
 *
 * - the signed path is `param2/<version>/<namespace>/<apiName>/<appKey>` (no leading slash, no
 *   `/openapi` prefix);
 * - every request parameter except `_aop_signature` becomes the string `name + value`; those
 *   strings are sorted and joined with nothing between them;
 * - `_aop_signature` = upper-case hex of HMAC-SHA1 keyed with the app secret over path + joined.
 */
export function alibaba1688SignPath(
  version: number,
  namespace: string,
  apiName: string,
  appKey: string,
): string {
  return `param2/${version}/${namespace}/${apiName}/${appKey}`;
}

export function signAlibaba1688(appSecret: string, path: string, params: Record<string, string>): string {
  const pieces = Object.entries(params)
    .filter(([name]) => name !== '_aop_signature')
    .map(([name, value]) => `${name}${value}`)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return createHmac('sha1', appSecret)
    .update(path + pieces.join(''), 'utf8')
    .digest('hex')
    .toUpperCase();
}
