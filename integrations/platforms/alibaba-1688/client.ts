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
import { alibaba1688SignPath, signAlibaba1688 } from './sign.js';
import { Alibaba1688GatewayErrorSchema, Alibaba1688OutcomeSchema, Alibaba1688TokenSchema } from './wire.js';

const PLATFORM = 'alibaba_1688';

/**
 * Gateway refusals (`{error_code, error_message}` with an HTTP error status, as the SDK reads
 * them). Which codes mean what is UNCONFIRMED: HTTP 401 is read as a refused token (a new token
 * once; `extra.tokenCodes` names further codes), a code naming the signature or the app key as an
 * authentication failure, 429 / `…Limit…` codes as limited, 5xx as transient, the rest rejected.
 */
const AUTH = /sign|appkey|app_key|isv\.invalid-app/i;
const LIMITED = /limit|flow/i;

export interface Alibaba1688Client {
  /** An API through the param2 gateway: its answer, read with `schema` once `success` is not false. */
  call<T>(
    namespace: string,
    apiName: string,
    params: Record<string, string>,
    schema: z.ZodType<T>,
  ): Promise<T>;
  refreshAccessToken(): Promise<TokenSet>;
}

/**
 * Signed calls to 1688's open platform (docs/platforms/1688.md): `POST {baseUrl}/openapi/param2/1/
 * <namespace>/<apiName>/<appKey>` with the parameters as a form (objects and lists as JSON, as the
 * SDK serializes them) plus `access_token`, `_aop_timestamp` (ms), `_aop_datePattern` and
 * `_aop_signature` (sign.ts). The token is the seller's OAuth token; it is refreshed with
 * `POST {baseUrl}/openapi/http/1/system.oauth2/getToken/<appKey>` (`grant_type=refresh_token`,
 * `client_id`, `client_secret`, `refresh_token`; unsigned — secondary source). Bodies are parsed
 * losslessly (order ids are Longs beyond 2^53).
 */
export function createAlibaba1688Client(ctx: AdapterContext): Alibaba1688Client {
  const now = () => ctx.now?.() ?? new Date();
  const base = ctx.baseUrl.replace(/\/$/, '');
  const appKey = ctx.credentials.appKey;
  const tokenCodes = new Set(
    (ctx.credentials.extra?.tokenCodes ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );
  const transport = {
    ...(ctx.fetch ? { fetch: ctx.fetch } : {}),
    ...(ctx.timeoutMs ? { timeoutMs: ctx.timeoutMs } : {}),
  };

  const session = new TokenSession(ctx, PLATFORM, async (refreshToken) => {
    const result = await httpCall({
      platform: PLATFORM,
      url: `${base}/openapi/http/1/system.oauth2/getToken/${appKey}`,
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        client_id: appKey,
        client_secret: ctx.credentials.appSecret,
        refresh_token: refreshToken,
      }).toString(),
      ...transport,
    });
    const token = Alibaba1688TokenSchema.safeParse(tryParseLosslessJson(result.text));
    if (result.status >= 400 || !token.success) {
      throw new AuthError(`1688 token refresh failed: ${result.text.slice(0, 200)}`, PLATFORM, 'refresh');
    }
    return {
      accessToken: token.data.access_token,
      // The refresh grant may leave the refresh token as it was (UNCONFIRMED): keep ours then.
      refreshToken: token.data.refresh_token || refreshToken,
      accessTokenExpiresAt: new Date(now().getTime() + token.data.expires_in * 1000).toISOString(),
    };
  });

  async function exchange<T>(
    namespace: string,
    apiName: string,
    params: Record<string, string>,
    schema: z.ZodType<T>,
  ): Promise<T> {
    const path = alibaba1688SignPath(1, namespace, apiName, appKey);
    const all: Record<string, string> = {
      ...params,
      access_token: session.accessToken,
      _aop_timestamp: String(now().getTime()),
      _aop_datePattern: 'yyyyMMddHHmmssSSSZ',
    };
    const result = await httpCall({
      platform: PLATFORM,
      url: `${base}/openapi/${path}`,
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' },
      body: new URLSearchParams({
        ...all,
        _aop_signature: signAlibaba1688(ctx.credentials.appSecret, path, all),
      }).toString(),
      ...transport,
    });
    const raw = tryParseLosslessJson(result.text);
    if (result.status >= 400) {
      const failure = Alibaba1688GatewayErrorSchema.safeParse(raw);
      const code =
        failure.success && failure.data.error_code ? failure.data.error_code : String(result.status);
      const message = `1688 ${apiName} failed: HTTP ${result.status} ${code} ${failure.success ? failure.data.error_message : result.text.slice(0, 200)}`;
      if (result.status === 401 || tokenCodes.has(code))
        throw new AuthError(message, PLATFORM, `token:${code}`);
      if (AUTH.test(code)) throw new AuthError(message, PLATFORM, code);
      if (LIMITED.test(code)) throw new RateLimitedError(PLATFORM, DEFAULT_RETRY_AFTER_MS, code);
      throw new RequestRejectedError(message, PLATFORM, code);
    }
    const outcome = Alibaba1688OutcomeSchema.safeParse(raw);
    if (!outcome.success) {
      throw new PlatformError(
        `1688 ${apiName} answered HTTP ${result.status} with an unreadable body: ${result.text.slice(0, 200)}`,
        PLATFORM,
        'unexpected_response',
      );
    }
    const { success, errorCode, errorMessage } = outcome.data;
    if (success === false || success === 'false') {
      const message = `1688 ${apiName} refused: ${errorCode} ${errorMessage}`;
      if (LIMITED.test(errorCode)) throw new RateLimitedError(PLATFORM, DEFAULT_RETRY_AFTER_MS, errorCode);
      if (/system|busy|繁忙/i.test(`${errorCode} ${errorMessage}`))
        throw new TransientPlatformError(message, PLATFORM, errorCode || 'busy');
      throw new RequestRejectedError(message, PLATFORM, errorCode || 'refused');
    }
    const data = schema.safeParse(raw);
    if (!data.success) {
      const issue = data.error.issues[0];
      throw new PlatformError(
        `1688 ${apiName} returned data we cannot read: ${issue?.path.join('.')}: ${issue?.message}`,
        PLATFORM,
        'unexpected_response',
      );
    }
    return data.data;
  }

  return {
    call: (namespace, apiName, params, schema) =>
      session.withToken(
        now(),
        (err) => err instanceof AuthError && err.code?.startsWith('token:') === true,
        () => exchange(namespace, apiName, params, schema),
      ),
    refreshAccessToken: () => session.refresh(),
  };
}
