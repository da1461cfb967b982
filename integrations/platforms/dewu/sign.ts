import { createHash } from 'node:crypto';

/**
 * Dewu open platform request signing (docs/platforms/dewu.md, "Signature"): every parameter of
 * the request but `sign` (business parameters and `app_key`, `access_token`, `timestamp`), null
 * ones left out, sorted by name; name and value each URL-encoded the way Java's `URLEncoder` does
 * (space → `+`, `*` kept, `~` → `%7E`); `name=value` joined with `&`; the app secret appended;
 * MD5, upper-case hex. A list's value is its elements joined with `,` (objects among them as
 * compact JSON); an object's value is its compact JSON (the adapter writes objects with their
 * keys in name order, so either reading of the key order signs the same). No official test
 * vector was found: the simulator checks signatures with its own code.
 */
export function dewuSignValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  if (Array.isArray(value))
    return value
      .map((v) => (typeof v === 'object' && v !== null ? JSON.stringify(v) : dewuSignValue(v)))
      .join(',');
  return JSON.stringify(value);
}

/** `URLEncoder.encode(text, "UTF-8")`: letters, digits and `.-*_` as they are, space as `+`. */
export function javaUrlEncode(text: string): string {
  return encodeURIComponent(text)
    .replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

export function signDewu(appSecret: string, params: Record<string, unknown>): string {
  const text = Object.keys(params)
    .filter((name) => name !== 'sign' && params[name] !== undefined && params[name] !== null)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((name) => `${javaUrlEncode(name)}=${javaUrlEncode(dewuSignValue(params[name]))}`)
    .join('&');
  return createHash('md5').update(`${text}${appSecret}`, 'utf8').digest('hex').toUpperCase();
}
