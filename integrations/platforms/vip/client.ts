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
import { readWire } from '../wire-fields.js';
import { signVip, type VipSystemParams } from './sign.js';
import { VipEnvelopeSchema, VipTokenSchema } from './wire.js';

const PLATFORM = 'vip';
/** Every service used here is at version 1.0.0 (the SDK's client constructors). */
const VERSION = '1.0.0';

/**
 * Gateway codes are not listed in our sources (UNCONFIRMED): a `returnCode` naming the token or
 * OAuth is a refused token (one refresh), one naming the signature, the app key or the timestamp
 * an authentication failure, one naming a limit rate limiting, a busy system transient; the rest
 * is the platform refusing the request.
 */
const TOKEN = /token|oauth/i;
const AUTH = /sign|appkey|app_key|timestamp/i;
const LIMITED = /limit|flow/i;
const BUSY = /system|busy|繁忙/i;

export interface VipClient {
  /** `service.method` through the gateway with `args` as the body: its `result`, read with `schema`. */
  call<T>(service: string, method: string, args: Record<string, unknown>, schema: z.ZodType<T>): Promise<T>;
  refreshAccessToken(): Promise<TokenSet>;
}

/**
 * Signed calls to VIP's open platform (docs/platforms/vip.md): `POST {baseUrl}/?service=…&method=…
 * &version=1.0.0&timestamp=<s>&format=json&appKey=…&accessToken=…&sign=…` with the method's
 * arguments as a JSON body (`sign.ts` signs the query's parameters and the body). Answers are
 * `{returnCode: "0", result}`, parsed losslessly. The vendor's OAuth token is refreshed through
 * `vipapis.oauth.OauthService.refreshToken` (`refresh_token`, `client_id`, `client_secret`).
 */
export function createVipClient(ctx: AdapterContext): VipClient {
  const now = () => ctx.now?.() ?? new Date();
  const base = ctx.baseUrl.replace(/\/$/, '');
  const transport = {
    ...(ctx.fetch ? { fetch: ctx.fetch } : {}),
    ...(ctx.timeoutMs ? { timeoutMs: ctx.timeoutMs } : {}),
  };

  async function exchange<T>(
    service: string,
    method: string,
    args: Record<string, unknown>,
    schema: z.ZodType<T>,
    accessToken: string | undefined,
  ): Promise<T> {
    const system: VipSystemParams = {
      service,
      method,
      version: VERSION,
      timestamp: String(Math.floor(now().getTime() / 1000)),
      format: 'json',
      appKey: ctx.credentials.appKey,
      ...(accessToken ? { accessToken } : {}),
    };
    const body = JSON.stringify(args);
    const query = new URLSearchParams({
      ...system,
      sign: signVip(ctx.credentials.appSecret, system, body),
    });
    const result = await httpCall({
      platform: PLATFORM,
      url: `${base}/?${query.toString()}`,
      method: 'POST',
      headers: { 'content-type': 'application/json;charset=utf-8' },
      body,
      ...transport,
    });
    const envelope = VipEnvelopeSchema.safeParse(tryParseLosslessJson(result.text));
    if (!envelope.success) {
      throw new PlatformError(
        `vip ${method} answered HTTP ${result.status} with an unreadable body: ${result.text.slice(0, 200)}`,
        PLATFORM,
        'unexpected_response',
      );
    }
    const { returnCode, returnMessage } = envelope.data;
    if (returnCode !== '0') {
      const message = `vip ${service}.${method} failed: ${returnCode} ${returnMessage}`;
      if (TOKEN.test(returnCode)) throw new AuthError(message, PLATFORM, `token:${returnCode}`);
      if (AUTH.test(returnCode)) throw new AuthError(message, PLATFORM, returnCode);
      if (LIMITED.test(returnCode)) throw new RateLimitedError(PLATFORM, DEFAULT_RETRY_AFTER_MS, returnCode);
      if (BUSY.test(`${returnCode} ${returnMessage}`))
        throw new TransientPlatformError(message, PLATFORM, returnCode);
      throw new RequestRejectedError(message, PLATFORM, returnCode);
    }
    return readWire(PLATFORM, `${method} result`, schema, envelope.data.result);
  }

  const session = new TokenSession(ctx, PLATFORM, async (refreshToken) => {
    const token = await exchange(
      'vipapis.oauth.OauthService',
      'refreshToken',
      {
        request: {
          refresh_token: refreshToken,
          client_id: ctx.credentials.appKey,
          client_secret: ctx.credentials.appSecret,
        },
      },
      VipTokenSchema,
      undefined,
    ).catch((err: unknown) => {
      throw new AuthError(`vip token refresh failed: ${(err as Error).message}`, PLATFORM, 'refresh');
    });
    return {
      accessToken: token.access_token,
      refreshToken: token.refresh_token || refreshToken,
      ...(token.expires_in
        ? { accessTokenExpiresAt: new Date(now().getTime() + token.expires_in * 1000).toISOString() }
        : {}),
    };
  });

  return {
    call: (service, method, args, schema) =>
      session.withToken(
        now(),
        (err) => err instanceof AuthError && err.code?.startsWith('token:') === true,
        () => exchange(service, method, args, schema, session.accessToken),
      ),
    refreshAccessToken: () => session.refresh(),
  };
}
