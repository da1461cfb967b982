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
import { signAliexpressRest, signAliexpressSync, type AliexpressSignMethod } from './sign.js';
import { AliexpressErrorSchema, AliexpressTokenSchema } from './wire.js';

const PLATFORM = 'aliexpress';

/**
 * Error codes (UNCONFIRMED beyond the IOP names seen in §8/§9): a refused token → refresh once and
 * retry; a signature or app problem → AuthError; call limits → rate limited; `isp.*` and system
 * errors → transient; the rest → rejected.
 */
const TOKEN_REFUSED = new Set(['IllegalAccessToken', 'InvalidAccessToken', 'AccessTokenExpired', '27']);
const AUTH = new Set(['IncompleteSignature', 'InvalidSignature', 'InvalidAppKey', 'AppWhiteIpLimit', '25']);
const LIMITED = /CallLimit$|^ApiCallLimit|FlowLimit|^7$/;

export interface AliexpressClient {
  /** A business method on `/sync`: its `<method>_response.result`, read with `schema`. */
  call<T>(method: string, params: Record<string, string>, schema: z.ZodType<T>): Promise<T>;
  refreshAccessToken(): Promise<TokenSet>;
}

/**
 * Signed calls to the AliExpress gateway (§9): `POST {baseUrl}/sync` with `method` and the system
 * parameters `app_key, sign_method, timestamp (ms), v=2.0, format=json, session` as a form
 * (`extra.signMethod` = `md5` for the TOP-style digest); token refresh on
 * `{baseUrl}/rest/auth/token/refresh` signed with the path. Bodies are parsed losslessly.
 */
export function createAliexpressClient(ctx: AdapterContext): AliexpressClient {
  const now = () => ctx.now?.() ?? new Date();
  const base = ctx.baseUrl.replace(/\/$/, '');
  const signMethod: AliexpressSignMethod = ctx.credentials.extra?.signMethod === 'md5' ? 'md5' : 'sha256';
  const transport = {
    ...(ctx.fetch ? { fetch: ctx.fetch } : {}),
    ...(ctx.timeoutMs ? { timeoutMs: ctx.timeoutMs } : {}),
  };

  const session = new TokenSession(ctx, PLATFORM, async (refreshToken) => {
    const path = '/auth/token/refresh';
    const params: Record<string, string> = {
      refresh_token: refreshToken,
      app_key: ctx.credentials.appKey,
      timestamp: String(now().getTime()),
      sign_method: 'sha256',
    };
    const result = await httpCall({
      platform: PLATFORM,
      url: `${base}/rest${path}`,
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        ...params,
        sign: signAliexpressRest(ctx.credentials.appSecret, path, params),
      }).toString(),
      ...transport,
    });
    const token = AliexpressTokenSchema.safeParse(tryParseLosslessJson(result.text));
    if (!token.success || (token.data.code !== '' && token.data.code !== '0')) {
      throw new AuthError(
        `aliexpress token refresh failed: ${result.text.slice(0, 200)}`,
        PLATFORM,
        'refresh',
      );
    }
    return {
      accessToken: token.data.access_token,
      refreshToken: token.data.refresh_token,
      accessTokenExpiresAt: new Date(now().getTime() + token.data.expires_in * 1000).toISOString(),
    };
  });

  async function exchange<T>(
    method: string,
    params: Record<string, string>,
    schema: z.ZodType<T>,
  ): Promise<T> {
    const all: Record<string, string> = {
      ...params,
      method,
      app_key: ctx.credentials.appKey,
      sign_method: signMethod,
      timestamp: String(now().getTime()),
      v: '2.0',
      format: 'json',
      session: session.accessToken,
    };
    const result = await httpCall({
      platform: PLATFORM,
      url: `${base}/sync`,
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' },
      body: new URLSearchParams({
        ...all,
        sign: signAliexpressSync(ctx.credentials.appSecret, all, signMethod),
      }).toString(),
      ...transport,
    });
    const raw = tryParseLosslessJson(result.text) as Record<string, unknown> | undefined;
    const failure = AliexpressErrorSchema.safeParse(raw);
    if (failure.success) {
      const { code, msg, sub_code, sub_msg } = failure.data.error_response;
      const text = `aliexpress ${method} failed: ${code} ${msg}${sub_code ? ` (${sub_code} ${sub_msg})` : ''}`;
      if (LIMITED.test(code)) throw new RateLimitedError(PLATFORM, DEFAULT_RETRY_AFTER_MS, code);
      if (TOKEN_REFUSED.has(code) || AUTH.has(code)) throw new AuthError(text, PLATFORM, code);
      if (code.startsWith('isp.') || sub_code.startsWith('isp.') || code === 'SystemError')
        throw new TransientPlatformError(text, PLATFORM, code);
      throw new RequestRejectedError(text, PLATFORM, code);
    }
    const answer = raw?.[`${method.replace(/\./g, '_')}_response`] as { result?: unknown } | undefined;
    if (!answer || typeof answer !== 'object') {
      throw new PlatformError(
        `aliexpress ${method} answered HTTP ${result.status} with an unreadable body: ${result.text.slice(0, 200)}`,
        PLATFORM,
        'unexpected_response',
      );
    }
    const outcome = answer.result as
      { success?: unknown; error_code?: unknown; error_message?: unknown } | undefined;
    if (outcome && outcome.success === false) {
      throw new RequestRejectedError(
        `aliexpress ${method} refused: ${String(outcome.error_code ?? '')} ${String(outcome.error_message ?? '')}`,
        PLATFORM,
        String(outcome.error_code ?? 'refused'),
      );
    }
    const data = schema.safeParse(outcome);
    if (!data.success) {
      const issue = data.error.issues[0];
      throw new PlatformError(
        `aliexpress ${method} returned data we cannot read: ${issue?.path.join('.')}: ${issue?.message}`,
        PLATFORM,
        'unexpected_response',
      );
    }
    return data.data;
  }

  return {
    call: (method, params, schema) =>
      session.withToken(
        now(),
        (err) => err instanceof AuthError && TOKEN_REFUSED.has(String(err.code)),
        () => exchange(method, params, schema),
      ),
    refreshAccessToken: () => session.refresh(),
  };
}
