/**
 * Parses a platform response keeping every JSON number as its source text. Taobao tids and
 * Douyin ids run to 19 digits (past 2^53) and money arrives as floats like 25.9, so nothing may
 * pass through a JS number: ids stay exact and yuan go straight to `decimalToMinor`.
 *
 * Strings are matched first, so digits inside them are left alone; every number token outside a
 * string is quoted, then the native parser does the rest. It gives the same result as
 * lossless-json with a text-keeping number parser (property-tested against it) at native speed,
 * which matters when a livestream burst brings thousands of orders per poll.
 */
const TOKEN = /"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g;

export function parsePlatformJson(text: string): unknown {
  return JSON.parse(text.replace(TOKEN, (token) => (token.charCodeAt(0) === 34 ? token : `"${token}"`)));
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
