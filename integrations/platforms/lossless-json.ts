import { isSafeNumber, parse, stringify } from 'lossless-json';

/**
 * Parses a platform body keeping ids exact: a JSON number a double cannot hold (Douyin's 19-digit
 * ids, Kuaishou's 16-digit `oid`s as they grow past 2^53) stays as its digit string, every other
 * number is a number. Id fields then accept either form.
 */
export function parseLosslessJson(text: string): unknown {
  return parse(text, null, (digits) => (isSafeNumber(digits) ? Number(digits) : digits));
}

/** The same, or undefined for a body that is not JSON (an HTML error page, an empty answer). */
export function tryParseLosslessJson(text: string): unknown {
  try {
    return parseLosslessJson(text);
  } catch {
    return undefined;
  }
}

/** A digit-string id as a bare JSON number however long (for `stringifyLosslessJson`); else as given. */
export function jsonNumber(id: string): bigint | string {
  return /^\d+$/.test(id) ? BigInt(id) : id;
}

/** JSON with bigint values written as bare numbers, so 16–19-digit ids go out exact. */
export function stringifyLosslessJson(value: unknown): string {
  return stringify(value) ?? 'null';
}
