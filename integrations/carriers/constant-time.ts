import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Whether a signature or token someone sent equals the one we computed, in time that does not
 * depend on where they differ (an early-exit `!==` lets a caller find a valid signature byte by
 * byte). Hashing both first makes the comparison constant-time for any lengths.
 */
export function sameSecret(given: string | null | undefined, expected: string): boolean {
  if (!given) return false;
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}
