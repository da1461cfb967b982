import type { z } from 'zod';
import {
  AuthError,
  PlatformError,
  RateLimitedError,
  RequestRejectedError,
  TransientPlatformError,
} from '../errors.js';
import { DEFAULT_RETRY_AFTER_MS, httpCall } from '../http.js';
import type { AdapterContext, TokenSet } from '../types.js';
import { TokenSession } from '../token-session.js';
import { douyinParamJson, signDouyinRequest } from './sign.js';
import { DouyinEnvelopeSchema, DouyinTokenDataSchema, parseDouyinJson } from './wire.js';

const PLATFORM = 'douyin';
const TOKEN_EXPIRED = new Set(['isv.access-token-expired', 'isv.access-token-no-existed']);

export interface DouyinClient {
  /** Calls `method` (e.g. `order.searchList`) with the shop's token and returns `data` parsed by `schema`. */
  call<T>(method: string, params: Record<string, unknown>, schema: z.ZodType<T>): Promise<T>;
  refreshAccessToken(): Promise<TokenSet>;
}

/**
 * Signed calls to the Douyin Shop open API: path = method with dots as slashes, common parameters
 * in the query, param_json as the body. Error codes (doc "平台基础错误码"): 10000 success;
 * 20000/20001 service unavailable/timeout → transient; 60000 → rate limited; 40003 with
 * `isv.access-token-expired` → refresh once and retry; 30001, other 40003 auth sub-codes and
 * 50001 token failures → AuthError; the rest → RequestRejectedError.
 */
export function createDouyinClient(ctx: AdapterContext): DouyinClient {
  const now = () => ctx.now?.() ?? new Date();
  const session = new TokenSession(ctx, 'douyin', async (refreshToken) => {
    try {
      const data = await exchange(
        'token.refresh',
        { grant_type: 'refresh_token', refresh_token: refreshToken },
        undefined,
        DouyinTokenDataSchema,
      );
      return {
        accessToken: data.access_token,
        refreshToken: data.refresh_token,
        accessTokenExpiresAt: new Date(now().getTime() + data.expires_in * 1000).toISOString(),
      };
    } catch (err) {
      if (
        err instanceof PlatformError &&
        !(err instanceof TransientPlatformError || err instanceof RateLimitedError)
      ) {
        throw new AuthError(`douyin token refresh failed: ${err.message}`, PLATFORM, err.code);
      }
      throw err;
    }
  });

  async function exchange<T>(
    method: string,
    params: Record<string, unknown>,
    accessToken: string | undefined,
    schema: z.ZodType<T>,
  ): Promise<T> {
    const paramJson = douyinParamJson(params);
    const timestamp = String(Math.floor(now().getTime() / 1000));
    const query = new URLSearchParams({
      app_key: ctx.credentials.appKey,
      method,
      ...(accessToken !== undefined ? { access_token: accessToken } : {}),
      timestamp,
      v: '2',
      sign_method: 'hmac-sha256',
    });
    query.set(
      'sign',
      signDouyinRequest({
        appKey: ctx.credentials.appKey,
        appSecret: ctx.credentials.appSecret,
        method,
        paramJson,
        timestamp,
        v: '2',
        signMethod: 'hmac-sha256',
      }),
    );
    const result = await httpCall({
      platform: PLATFORM,
      url: `${ctx.baseUrl.replace(/\/$/, '')}/${method.replace(/\./g, '/')}?${query}`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: paramJson,
      ...(ctx.fetch ? { fetch: ctx.fetch } : {}),
      ...(ctx.timeoutMs ? { timeoutMs: ctx.timeoutMs } : {}),
    });
    let envelope: z.infer<typeof DouyinEnvelopeSchema>;
    try {
      envelope = DouyinEnvelopeSchema.parse(parseDouyinJson(result.text));
    } catch {
      throw new PlatformError(
        `douyin ${method} answered HTTP ${result.status} with an unreadable body: ${result.text.slice(0, 200)}`,
        PLATFORM,
        'unexpected_response',
      );
    }
    const code = envelope.code ?? (envelope.err_no === 0 ? 10000 : envelope.err_no);
    if (code !== 10000) throw douyinError(method, code ?? -1, envelope);
    const data = schema.safeParse(envelope.data);
    if (!data.success) {
      throw new PlatformError(
        `douyin ${method} returned data we cannot read: ${data.error.issues
          .slice(0, 3)
          .map((i) => `${i.path.join('.')}: ${i.message}`)
          .join('; ')}`,
        PLATFORM,
        'unexpected_response',
      );
    }
    return data.data;
  }

  return {
    async call(method, params, schema) {
      if (session.expired(now())) await session.refresh();
      try {
        return await exchange(method, params, session.accessToken, schema);
      } catch (err) {
        if (!(err instanceof AuthError && err.code && TOKEN_EXPIRED.has(err.code))) throw err;
        await session.refresh();
        return exchange(method, params, session.accessToken, schema);
      }
    },
    refreshAccessToken: () => session.refresh(),
  };
}

function douyinError(
  method: string,
  code: number,
  envelope: z.infer<typeof DouyinEnvelopeSchema>,
): PlatformError {
  const sub = envelope.sub_code;
  const message = `douyin ${method} failed: ${code} ${envelope.msg || envelope.message}${sub ? ` (${sub}: ${envelope.sub_msg})` : ''}`;
  if (code === 60000) return new RateLimitedError(PLATFORM, DEFAULT_RETRY_AFTER_MS, String(code));
  if (code === 20000 || code === 20001) return new TransientPlatformError(message, PLATFORM, String(code));
  if (TOKEN_EXPIRED.has(sub)) return new AuthError(message, PLATFORM, sub);
  if (
    code === 30001 ||
    code === 50001 ||
    sub.startsWith('isv.access-token') ||
    sub === 'isv.signature-invalid'
  ) {
    return new AuthError(message, PLATFORM, sub || String(code));
  }
  return new RequestRejectedError(message, PLATFORM, sub || String(code));
}
