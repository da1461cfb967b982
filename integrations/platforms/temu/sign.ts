import { createHash } from 'node:crypto';

/**
 * Temu open API request signing (docs/platforms/temu.md, the partner docs' "API 请求签名方法"):
 * every parameter of the JSON body except `sign` (common and business), sorted by name in ASCII
 * order, concatenated `name` then value with nothing between (objects and lists as the JSON text
 * the body carries), the app secret before and after, MD5, upper-case hex. The docs' worked
 * example (`bg.logistics.shipment.confirm`, secret `c7e0a1a6…fc290` → `4CCF2199…838F`) is a test
 * vector for it.
 */
export function temuSignValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  return JSON.stringify(value);
}

export function signTemu(appSecret: string, params: Record<string, unknown>): string {
  const text = Object.keys(params)
    .filter((name) => name !== 'sign' && params[name] !== undefined && params[name] !== null)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((name) => `${name}${temuSignValue(params[name])}`)
    .join('');
  return createHash('md5').update(`${appSecret}${text}${appSecret}`, 'utf8').digest('hex').toUpperCase();
}
