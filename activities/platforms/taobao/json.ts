import { parse } from 'lossless-json';

/**
 * Parses a platform response keeping every JSON number as its source text. Taobao tids and
 * Douyin ids run to 19 digits (past 2^53) and money arrives as floats like 25.9, so nothing may
 * pass through a JS number: ids stay exact and yuan go straight to `decimalToMinor`.
 */
export function parsePlatformJson(text: string): unknown {
  return parse(text, null, (digits) => digits);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
