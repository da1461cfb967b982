import { RequestRejectedError } from './errors.js';
import type { ListWindow } from './types.js';

/**
 * A list window checked against the platform's longest span: [from, to) in milliseconds. Empty or
 * too long windows are refused before any call (the platform would refuse them too).
 */
export function checkedWindow(
  platform: string,
  window: ListWindow,
  maxWindowSeconds: number,
): { fromMs: number; toMs: number } {
  const fromMs = window.from.getTime();
  const toMs = window.to.getTime();
  const span = toMs - fromMs;
  if (span <= 0) throw new RequestRejectedError(`${platform} list window is empty`, platform, 'bad_window');
  if (span > maxWindowSeconds * 1000) {
    throw new RequestRejectedError(
      `${platform} list window of ${span / 1000} s exceeds ${maxWindowSeconds} s`,
      platform,
      'window_too_long',
    );
  }
  return { fromMs, toMs };
}

/** Reads an `extra` credential holding `CODE=value` pairs (comma separated), e.g. carrier code overrides. */
export function pairsOf(text: string | undefined): Record<string, string> {
  if (!text) return {};
  return Object.fromEntries(
    text
      .split(',')
      .map((pair) => pair.split('=').map((s) => s.trim()))
      .filter((kv): kv is [string, string] => kv.length === 2 && kv[0] !== '' && kv[1] !== ''),
  );
}
