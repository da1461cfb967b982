import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * The simulator's own reading of PDD's signing rules (API-FACTS §2.1, §2.4), kept apart from the
 * adapter's signer so that the two check each other.
 */
export function expectedPddSign(params: Record<string, string>, clientSecret: string): string {
  const pairs = Object.entries(params)
    .filter(([key]) => key !== 'sign')
    .sort(([a], [b]) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')));
  const hash = createHash('md5').update(clientSecret, 'utf8');
  for (const [key, value] of pairs) hash.update(key, 'utf8').update(value, 'utf8');
  return hash.update(clientSecret, 'utf8').digest('hex').toUpperCase();
}

export function pddSignatureMatches(params: Record<string, string>, clientSecret: string): boolean {
  const expected = Buffer.from(expectedPddSign(params, clientSecret));
  const given = Buffer.from((params['sign'] ?? '').toUpperCase());
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Base64 of the lower-case hex MD5 of client_id + timestamp_ms + secret: the PMC path signature. */
export function expectedPmcSignature(clientId: string, timestampMs: string, clientSecret: string): string {
  const hex = createHash('md5').update(`${clientId}${timestampMs}${clientSecret}`, 'utf8').digest('hex');
  return Buffer.from(hex, 'utf8').toString('base64');
}

/**
 * Checks a PMC connection path `/message/{client_id}/{timestamp_ms}/{signature}` the way PDD's
 * message service would, for a dev-sandbox WebSocket endpoint.
 */
export function verifyPmcPath(
  path: string,
  secrets: Record<string, string>,
  now: Date,
  toleranceMs = 10 * 60_000,
): { ok: true; clientId: string } | { ok: false; reason: string } {
  const match = /^\/message\/([^/]+)\/(\d+)\/([^/]+)$/.exec(path);
  if (!match) return { ok: false, reason: 'path is not /message/{client_id}/{timestamp}/{sign}' };
  const [, clientId, timestamp, signature] = match as unknown as [string, string, string, string];
  const secret = secrets[clientId];
  if (!secret) return { ok: false, reason: 'unknown client_id' };
  if (Math.abs(now.getTime() - Number(timestamp)) > toleranceMs)
    return { ok: false, reason: 'timestamp out of range' };
  if (decodeURIComponent(signature) !== expectedPmcSignature(clientId, timestamp, secret)) {
    return { ok: false, reason: 'bad signature' };
  }
  return { ok: true, clientId };
}
