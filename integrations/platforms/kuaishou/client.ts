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
import { signKuaishouRequest } from './sign.js';
import { KuaishouEnvelopeSchema, KuaishouTokenSchema } from './wire.js';

const PLATFORM = 'kuaishou';

/**
 * `result` codes as the PHP SDK maps them (MORE-CHANNELS §1.2; the numbers are UNCONFIRMED against
 * official docs): 21/24 token refused → refresh once and retry; 22/25/26 permission and 27/28
 * signature → AuthError; 15/16/17/1016/1017/802000 → rate limited; the rest → rejected.
 */
const TOKEN_REFUSED = new Set([21, 24]);
const AUTH = new Set([22, 25, 26, 27, 28]);
const LIMITED = new Set([15, 16, 17, 1016, 1017, 802000]);

export interface KuaishouClient {
  call<T>(
    method: string,
    params: Record<string, unknown>,
    schema: z.ZodType<T>,
    http?: 'GET' | 'POST',
  ): Promise<T>;
  refreshAccessToken(): Promise<TokenSet>;
}

/**
 * Signed calls to the Kuaishou open API: path = method with dots as slashes, public parameters
 * `appkey, method, version, param, access_token, timestamp (ms), signMethod, sign`; GET carries
 * them in the query, POST as a form body. The sign secret is `credentials.extra.signSecret`
 * (Kuaishou issues it apart from the app secret, which only OAuth uses).
 */
export function createKuaishouClient(ctx: AdapterContext): KuaishouClient {
  const now = () => ctx.now?.() ?? new Date();
  const base = ctx.baseUrl.replace(/\/$/, '');
  const signSecret = ctx.credentials.extra?.signSecret ?? '';
  const session = new TokenSession(ctx, PLATFORM, async (refreshToken) => {
    const result = await httpCall({
      platform: PLATFORM,
      url: `${base}/oauth2/refresh_token`,
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        app_id: ctx.credentials.appKey,
        app_secret: ctx.credentials.appSecret,
        grant_type: 'refresh_token',
        refresh_token: refreshToken,
      }).toString(),
      ...transport(),
    });
    const token = KuaishouTokenSchema.safeParse(tryParseLosslessJson(result.text));
    if (!token.success || token.data.result !== 1) {
      throw new AuthError(`kuaishou token refresh failed: ${result.text.slice(0, 200)}`, PLATFORM, 'refresh');
    }
    return {
      accessToken: token.data.access_token,
      refreshToken: token.data.refresh_token,
      accessTokenExpiresAt: new Date(now().getTime() + token.data.expires_in * 1000).toISOString(),
    };
  });

  function transport() {
    return {
      ...(ctx.fetch ? { fetch: ctx.fetch } : {}),
      ...(ctx.timeoutMs ? { timeoutMs: ctx.timeoutMs } : {}),
    };
  }

  async function exchange<T>(
    method: string,
    params: Record<string, unknown>,
    schema: z.ZodType<T>,
    http: 'GET' | 'POST',
  ): Promise<T> {
    const pub: Record<string, string> = {
      access_token: session.accessToken,
      appkey: ctx.credentials.appKey,
      method,
      param: stringifyLosslessJson(params),
      signMethod: 'HMAC_SHA256',
      timestamp: String(now().getTime()),
      version: '1',
    };
    const form = new URLSearchParams({ ...pub, sign: signKuaishouRequest(pub, signSecret) });
    const path = `${base}/${method.replace(/\./g, '/')}`;
    const result = await httpCall({
      platform: PLATFORM,
      url: http === 'GET' ? `${path}?${form}` : path,
      method: http,
      ...(http === 'POST'
        ? { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() }
        : {}),
      ...transport(),
    });
    const envelope = KuaishouEnvelopeSchema.safeParse(tryParseLosslessJson(result.text));
    if (!envelope.success) {
      throw new PlatformError(
        `kuaishou ${method} answered HTTP ${result.status} with an unreadable body: ${result.text.slice(0, 200)}`,
        PLATFORM,
        'unexpected_response',
      );
    }
    const { result: code, error_msg, msg, sub_msg } = envelope.data;
    if (code !== 1) {
      const message = `kuaishou ${method} failed: ${code} ${error_msg || msg}${sub_msg ? ` (${sub_msg})` : ''}`;
      if (LIMITED.has(code)) throw new RateLimitedError(PLATFORM, DEFAULT_RETRY_AFTER_MS, String(code));
      if (TOKEN_REFUSED.has(code) || AUTH.has(code)) throw new AuthError(message, PLATFORM, String(code));
      if (code >= 500 && code < 600) throw new TransientPlatformError(message, PLATFORM, String(code));
      throw new RequestRejectedError(message, PLATFORM, String(code));
    }
    const data = schema.safeParse(envelope.data.data);
    if (!data.success) {
      throw new PlatformError(
        `kuaishou ${method} returned data we cannot read: ${data.error.issues[0]?.path.join('.')}: ${data.error.issues[0]?.message}`,
        PLATFORM,
        'unexpected_response',
      );
    }
    return data.data;
  }

  return {
    call: (method, params, schema, http = 'GET') =>
      session.withToken(
        now(),
        (err) => err instanceof AuthError && TOKEN_REFUSED.has(Number(err.code)),
        () => exchange(method, params, schema, http),
      ),
    refreshAccessToken: () => session.refresh(),
  };
}
