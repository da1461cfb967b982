import type { z } from 'zod';
import {
  AuthError,
  PlatformError,
  RateLimitedError,
  RequestRejectedError,
  TransientPlatformError,
} from '../errors.js';
import { DEFAULT_RETRY_AFTER_MS, httpCall } from '../http.js';
import { stringifyLosslessJson, tryParseLosslessJson } from '../lossless-json.js';
import { TokenSession } from '../token-session.js';
import type { AdapterContext, TokenSet } from '../types.js';
import { signTiktokRequest } from './sign.js';
import { TiktokEnvelopeSchema, TiktokTokenSchema } from './wire.js';

const PLATFORM = 'tiktok';

/** TikTok Shop's token host (§7.1): `GET /api/v2/token/refresh`. */
export const TIKTOK_AUTH_URL = 'https://auth.tiktok-shops.com';

/**
 * Error codes. Which number means what is UNCONFIRMED (not in our facts): 105001/105002 an invalid
 * or expired access token → refresh once and retry; 106001–106003 a signature, app key or
 * timestamp problem → AuthError; 36009003 and HTTP 429 → rate limited; 5xxxxxx internal → transient.
 */
const TOKEN_REFUSED = new Set([105001, 105002]);
const AUTH = new Set([106001, 106002, 106003]);
const LIMITED = new Set([36009003]);

export interface TiktokCall<T> {
  method: 'GET' | 'POST';
  path: string;
  /** Business query parameters (`page_size`, `ids`, …); `app_key`, `timestamp`, `shop_cipher` are added. */
  query?: Record<string, string>;
  body?: unknown;
  schema: z.ZodType<T>;
}

export interface TiktokClient {
  call<T>(call: TiktokCall<T>): Promise<T>;
  refreshAccessToken(): Promise<TokenSet>;
}

/**
 * Signed calls to the TikTok Shop Partner API (§7.1–7.2): `{baseUrl}{path}` with `app_key`,
 * `timestamp` (seconds), `shop_cipher` (`credentials.extra.shopCipher`, from
 * `/authorization/202309/shops`) and `sign` in the query, the access token in the
 * `x-tts-access-token` header, a JSON body (ids as bare digits, exact) on POST. The token host is
 * `credentials.extra.authUrl` (default `https://auth.tiktok-shops.com`).
 */
export function createTiktokClient(ctx: AdapterContext): TiktokClient {
  const now = () => ctx.now?.() ?? new Date();
  const base = ctx.baseUrl.replace(/\/$/, '');
  const authUrl = (ctx.credentials.extra?.authUrl ?? TIKTOK_AUTH_URL).replace(/\/$/, '');
  const shopCipher = ctx.credentials.extra?.shopCipher ?? '';
  const transport = {
    ...(ctx.fetch ? { fetch: ctx.fetch } : {}),
    ...(ctx.timeoutMs ? { timeoutMs: ctx.timeoutMs } : {}),
  };

  const session = new TokenSession(ctx, PLATFORM, async (refreshToken) => {
    const query = new URLSearchParams({
      app_key: ctx.credentials.appKey,
      app_secret: ctx.credentials.appSecret,
      refresh_token: refreshToken,
      grant_type: 'refresh_token',
    });
    const result = await httpCall({
      platform: PLATFORM,
      url: `${authUrl}/api/v2/token/refresh?${query}`,
      ...transport,
    });
    const token = TiktokTokenSchema.safeParse(tryParseLosslessJson(result.text));
    if (!token.success || token.data.code !== 0 || !token.data.data) {
      throw new AuthError(`tiktok token refresh failed: ${result.text.slice(0, 200)}`, PLATFORM, 'refresh');
    }
    const data = token.data.data;
    return {
      accessToken: data.access_token,
      refreshToken: data.refresh_token,
      accessTokenExpiresAt: new Date(data.access_token_expire_in * 1000).toISOString(),
    };
  });

  async function exchange<T>(call: TiktokCall<T>): Promise<T> {
    const query: Record<string, string> = {
      ...call.query,
      app_key: ctx.credentials.appKey,
      timestamp: String(Math.floor(now().getTime() / 1000)),
      ...(shopCipher ? { shop_cipher: shopCipher } : {}),
    };
    const body = call.method === 'POST' ? stringifyLosslessJson(call.body ?? {}) : '';
    const sign = signTiktokRequest(ctx.credentials.appSecret, call.path, query, body);
    const result = await httpCall({
      platform: PLATFORM,
      url: `${base}${call.path}?${new URLSearchParams({ ...query, sign })}`,
      method: call.method,
      headers: {
        'content-type': 'application/json',
        'x-tts-access-token': session.accessToken,
      },
      ...(call.method === 'POST' ? { body } : {}),
      ...transport,
    });
    const envelope = TiktokEnvelopeSchema.safeParse(tryParseLosslessJson(result.text));
    if (!envelope.success) {
      throw new PlatformError(
        `tiktok ${call.path} answered HTTP ${result.status} with an unreadable body: ${result.text.slice(0, 200)}`,
        PLATFORM,
        'unexpected_response',
      );
    }
    const { code, message } = envelope.data;
    if (code !== 0) {
      const text = `tiktok ${call.path} failed: ${code} ${message}`;
      if (LIMITED.has(code)) throw new RateLimitedError(PLATFORM, DEFAULT_RETRY_AFTER_MS, String(code));
      if (TOKEN_REFUSED.has(code) || AUTH.has(code)) throw new AuthError(text, PLATFORM, String(code));
      if (code >= 5_000_000 && code < 6_000_000)
        throw new TransientPlatformError(text, PLATFORM, String(code));
      throw new RequestRejectedError(text, PLATFORM, String(code));
    }
    const data = call.schema.safeParse(envelope.data.data ?? {});
    if (!data.success) {
      const issue = data.error.issues[0];
      throw new PlatformError(
        `tiktok ${call.path} returned data we cannot read: ${issue?.path.join('.')}: ${issue?.message}`,
        PLATFORM,
        'unexpected_response',
      );
    }
    return data.data;
  }

  return {
    call: (call) =>
      session.withToken(
        now(),
        (err) => err instanceof AuthError && TOKEN_REFUSED.has(Number(err.code)),
        () => exchange(call),
      ),
    refreshAccessToken: () => session.refresh(),
  };
}
