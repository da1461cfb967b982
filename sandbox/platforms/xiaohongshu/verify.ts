import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * The simulator's own reading of Xiaohongshu's signing rule (MORE-CHANNELS §2.2), written apart
 * from the adapter: MD5 over `method?appId=…&timestamp=…&version=…` with the app secret appended,
 * compared as lower-case hex. Nothing else in the body is signed.
 */
export function xiaohongshuExpectedSign(
  body: { method?: unknown; appId?: unknown; timestamp?: unknown; version?: unknown },
  appSecret: string,
): string {
  const plain = [
    String(body.method ?? ''),
    '?appId=',
    String(body.appId ?? ''),
    '&timestamp=',
    String(body.timestamp ?? ''),
    '&version=',
    String(body.version ?? ''),
    appSecret,
  ].join('');
  return createHash('md5').update(Buffer.from(plain, 'utf8')).digest('hex');
}

export function xiaohongshuSignMatches(body: Record<string, unknown>, appSecret: string): boolean {
  const given = typeof body.sign === 'string' ? body.sign.toLowerCase() : '';
  const expected = xiaohongshuExpectedSign(body, appSecret);
  return given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}

/** A push's `sign` header as the simulator makes it (the assumed scheme): MD5(secret + body + secret). */
export function xiaohongshuPushSign(secret: string, body: string): string {
  return createHash('md5')
    .update(Buffer.from(`${secret}${body}${secret}`, 'utf8'))
    .digest('hex');
}
