import type { z } from 'zod';
import {
  AuthError,
  PlatformError,
  RateLimitedError,
  RequestRejectedError,
  TransientPlatformError,
} from '../errors.js';
import { DEFAULT_RETRY_AFTER_MS, httpCall } from '../http.js';
import { tryParseLosslessJson } from '../lossless-json.js';
import { TokenSession } from '../token-session.js';
import type { AdapterContext, TokenSet } from '../types.js';
import { signLazadaRequest } from './sign.js';
import { LazadaEnvelopeSchema, LazadaTokenSchema } from './wire.js';

const PLATFORM = 'lazada';

/** Lazada's seller-authorisation host (§8.1): token create and refresh are signed calls there. */
export const LAZADA_AUTH_URL = 'https://auth.lazada.com/rest';

/**
 * Error codes (the SDK's `P_CODE`; which code means what is UNCONFIRMED beyond the names):
 * an illegal or expired token → refresh once and retry; a signature or app problem → AuthError;
 * call limits → rate limited; `ISP`/`SYSTEM` errors → transient; the rest → rejected.
 */
const TOKEN_REFUSED = new Set(['IllegalAccessToken', 'InvalidAccessToken', 'AccessTokenExpired']);
const AUTH = new Set(['IncompleteSignature', 'InvalidSignature', 'InvalidAppKey', 'AppWhiteIpLimit']);
const LIMITED = /CallLimit$|^ApiCallLimit|FlowLimit/;

export interface LazadaClient {
  call<T>(
    apiPath: string,
    params: Record<string, string>,
    schema: z.ZodType<T>,
    http?: 'GET' | 'POST',
  ): Promise<T>;
  refreshAccessToken(): Promise<TokenSet>;
}

/**
 * Signed calls to the Lazada Open Platform (§8.2): `{baseUrl}{apiPath}` (the venture's gateway,
 * `https://api.lazada.sg/rest`, …), system parameters `app_key, access_token, timestamp (ms),
 * sign_method=sha256, sign`; GET carries everything in the query, POST as a form body. The auth
 * host is `credentials.extra.authUrl` (default `https://auth.lazada.com/rest`).
 */
export function createLazadaClient(ctx: AdapterContext): LazadaClient {
  const now = () => ctx.now?.() ?? new Date();
  const base = ctx.baseUrl.replace(/\/$/, '');
  const authUrl = (ctx.credentials.extra?.authUrl ?? LAZADA_AUTH_URL).replace(/\/$/, '');
  const transport = {
    ...(ctx.fetch ? { fetch: ctx.fetch } : {}),
    ...(ctx.timeoutMs ? { timeoutMs: ctx.timeoutMs } : {}),
  };

  function signed(apiPath: string, params: Record<string, string>, accessToken?: string) {
    const all: Record<string, string> = {
      ...params,
      app_key: ctx.credentials.appKey,
      timestamp: String(now().getTime()),
      sign_method: 'sha256',
      ...(accessToken ? { access_token: accessToken } : {}),
    };
    return new URLSearchParams({ ...all, sign: signLazadaRequest(ctx.credentials.appSecret, apiPath, all) });
  }

  const session = new TokenSession(ctx, PLATFORM, async (refreshToken) => {
    const path = '/auth/token/refresh';
    const result = await httpCall({
      platform: PLATFORM,
      url: `${authUrl}${path}`,
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: signed(path, { refresh_token: refreshToken }).toString(),
      ...transport,
    });
    const token = LazadaTokenSchema.safeParse(tryParseLosslessJson(result.text));
    if (!token.success || (token.data.code !== '' && token.data.code !== '0')) {
      throw new AuthError(`lazada token refresh failed: ${result.text.slice(0, 200)}`, PLATFORM, 'refresh');
    }
    return {
      accessToken: token.data.access_token,
      refreshToken: token.data.refresh_token,
      accessTokenExpiresAt: new Date(now().getTime() + token.data.expires_in * 1000).toISOString(),
    };
  });

  async function exchange<T>(
    apiPath: string,
    params: Record<string, string>,
    schema: z.ZodType<T>,
    http: 'GET' | 'POST',
  ): Promise<T> {
    const form = signed(apiPath, params, session.accessToken);
    const result = await httpCall({
      platform: PLATFORM,
      url: http === 'GET' ? `${base}${apiPath}?${form}` : `${base}${apiPath}`,
      method: http,
      ...(http === 'POST'
        ? { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() }
        : {}),
      ...transport,
    });
    const envelope = LazadaEnvelopeSchema.safeParse(tryParseLosslessJson(result.text));
    if (!envelope.success) {
      throw new PlatformError(
        `lazada ${apiPath} answered HTTP ${result.status} with an unreadable body: ${result.text.slice(0, 200)}`,
        PLATFORM,
        'unexpected_response',
      );
    }
    const { code, type, message } = envelope.data;
    if (code !== '0') {
      const text = `lazada ${apiPath} failed: ${code} ${message}`;
      if (LIMITED.test(code)) throw new RateLimitedError(PLATFORM, DEFAULT_RETRY_AFTER_MS, code);
      if (TOKEN_REFUSED.has(code) || AUTH.has(code)) throw new AuthError(text, PLATFORM, code);
      if (type === 'ISP' || type === 'SYSTEM') throw new TransientPlatformError(text, PLATFORM, code);
      throw new RequestRejectedError(text, PLATFORM, code);
    }
    const data = schema.safeParse(envelope.data.data);
    if (!data.success) {
      const issue = data.error.issues[0];
      throw new PlatformError(
        `lazada ${apiPath} returned data we cannot read: ${issue?.path.join('.')}: ${issue?.message}`,
        PLATFORM,
        'unexpected_response',
      );
    }
    return data.data;
  }

  return {
    call: (apiPath, params, schema, http = 'GET') =>
      session.withToken(
        now(),
        (err) => err instanceof AuthError && TOKEN_REFUSED.has(String(err.code)),
        () => exchange(apiPath, params, schema, http),
      ),
    refreshAccessToken: () => session.refresh(),
  };
}
