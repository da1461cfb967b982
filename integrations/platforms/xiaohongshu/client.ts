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
import { signXiaohongshuRequest } from './sign.js';
import { XiaohongshuEnvelopeSchema, XiaohongshuTokenSchema } from './wire.js';

const PLATFORM = 'xiaohongshu';

/**
 * `error_code`s. Only -2000400 (请求参数错误) is in the facts; the rest are UNCONFIRMED (the
 * simulator's choice): -100/-101 an invalid or expired access token → refresh once and retry;
 * -102 signature, -103 app, -104 timestamp → AuthError; -106 → rate limited; -1 → transient.
 */
const TOKEN_REFUSED = new Set([-100, -101]);
const AUTH = new Set([-102, -103, -104]);
const LIMITED = new Set([-106]);

export interface XiaohongshuClient {
  call<T>(method: string, params: Record<string, unknown>, schema: z.ZodType<T>): Promise<T>;
  refreshAccessToken(): Promise<TokenSet>;
}

/**
 * Calls to Xiaohongshu's single gateway (§2.1): `POST {baseUrl}` (the full
 * `…/ark/open_api/v3/common_controller` URL) with a JSON body holding the system parameters
 * `appId, timestamp (seconds), version "2.0", method, sign`, the `accessToken` and the business
 * parameters side by side. Token refresh is the method `oauth.refreshToken` on the same gateway.
 */
export function createXiaohongshuClient(ctx: AdapterContext): XiaohongshuClient {
  const now = () => ctx.now?.() ?? new Date();
  const transport = {
    ...(ctx.fetch ? { fetch: ctx.fetch } : {}),
    ...(ctx.timeoutMs ? { timeoutMs: ctx.timeoutMs } : {}),
  };

  async function exchange(method: string, params: Record<string, unknown>, accessToken?: string) {
    const timestamp = String(Math.floor(now().getTime() / 1000));
    const { appKey: appId, appSecret } = ctx.credentials;
    const result = await httpCall({
      platform: PLATFORM,
      url: ctx.baseUrl,
      method: 'POST',
      headers: { 'content-type': 'application/json;charset=utf-8' },
      body: stringifyLosslessJson({
        ...params,
        appId,
        timestamp,
        version: '2.0',
        method,
        sign: signXiaohongshuRequest(method, appId, timestamp, appSecret),
        ...(accessToken !== undefined ? { accessToken } : {}),
      }),
      ...transport,
    });
    const envelope = XiaohongshuEnvelopeSchema.safeParse(tryParseLosslessJson(result.text));
    if (!envelope.success) {
      throw new PlatformError(
        `xiaohongshu ${method} answered HTTP ${result.status} with an unreadable body: ${result.text.slice(0, 200)}`,
        PLATFORM,
        'unexpected_response',
      );
    }
    const { success, error_code, error_msg } = envelope.data;
    if (!success) {
      const code = Number(error_code ?? -1);
      const message = `xiaohongshu ${method} failed: ${code} ${error_msg}`;
      if (LIMITED.has(code)) throw new RateLimitedError(PLATFORM, DEFAULT_RETRY_AFTER_MS, String(code));
      if (TOKEN_REFUSED.has(code) || AUTH.has(code)) throw new AuthError(message, PLATFORM, String(code));
      if (code === -1) throw new TransientPlatformError(message, PLATFORM, String(code));
      throw new RequestRejectedError(message, PLATFORM, String(code));
    }
    return envelope.data.data;
  }

  const session = new TokenSession(ctx, PLATFORM, async (refreshToken) => {
    const token = XiaohongshuTokenSchema.safeParse(await exchange('oauth.refreshToken', { refreshToken }));
    if (!token.success)
      throw new AuthError('xiaohongshu token refresh answered no token', PLATFORM, 'refresh');
    return {
      accessToken: token.data.accessToken,
      refreshToken: token.data.refreshToken,
      accessTokenExpiresAt: new Date(token.data.accessTokenExpiresAt).toISOString(),
    };
  });

  return {
    call: (method, params, schema) =>
      session.withToken(
        now(),
        (err) => err instanceof AuthError && TOKEN_REFUSED.has(Number(err.code)),
        async () => {
          const data = schema.safeParse((await exchange(method, params, session.accessToken)) ?? {});
          if (!data.success) {
            const issue = data.error.issues[0];
            throw new PlatformError(
              `xiaohongshu ${method} returned data we cannot read: ${issue?.path.join('.')}: ${issue?.message}`,
              PLATFORM,
              'unexpected_response',
            );
          }
          return data.data;
        },
      ),
    refreshAccessToken: () => session.refresh(),
  };
}
