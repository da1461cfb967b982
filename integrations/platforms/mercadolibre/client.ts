import type { z } from 'zod';
import { AuthError, PlatformError, RequestRejectedError } from '../errors.js';
import { httpCall } from '../http.js';
import { tryParseLosslessJson } from '../lossless-json.js';
import { TokenSession } from '../token-session.js';
import type { AdapterContext, TokenSet } from '../types.js';
import { MeliErrorSchema, MeliTokenSchema } from './wire.js';

const PLATFORM = 'mercadolibre';

export interface MeliClient {
  call<T>(method: 'GET' | 'PUT', path: string, schema: z.ZodType<T>, body?: unknown): Promise<T>;
  refreshAccessToken(): Promise<TokenSet>;
}

/**
 * Calls to `https://api.mercadolibre.com` (§13): `Authorization: Bearer <access token>`, no
 * request signing. Bodies are parsed losslessly (16-digit order ids). The token is refreshed through
 * `POST /oauth/token` (`grant_type=refresh_token`, client id and secret; UNCONFIRMED with its
 * 6-hour lifetime and single-use refresh tokens: the new refresh token is stored at once) — first
 * when the stored token is known to be expired, and once more when a call answers 401.
 */
export function createMeliClient(ctx: AdapterContext): MeliClient {
  const now = () => ctx.now?.() ?? new Date();
  const base = ctx.baseUrl.replace(/\/$/, '');
  const transport = {
    ...(ctx.fetch ? { fetch: ctx.fetch } : {}),
    ...(ctx.timeoutMs ? { timeoutMs: ctx.timeoutMs } : {}),
  };

  const session = new TokenSession(ctx, PLATFORM, async (refreshToken) => {
    const result = await httpCall({
      platform: PLATFORM,
      url: `${base}/oauth/token`,
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        client_id: ctx.credentials.appKey,
        client_secret: ctx.credentials.appSecret,
        refresh_token: refreshToken,
      }).toString(),
      ...transport,
    });
    const token = MeliTokenSchema.safeParse(tryParseLosslessJson(result.text));
    if (result.status !== 200 || !token.success) {
      throw new AuthError(
        `mercadolibre token refresh failed: ${result.text.slice(0, 200)}`,
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

  const send = async <T>(method: 'GET' | 'PUT', path: string, schema: z.ZodType<T>, body: unknown) => {
    const result = await httpCall({
      platform: PLATFORM,
      url: `${base}${path}`,
      method,
      headers: {
        authorization: `Bearer ${session.accessToken}`,
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      ...transport,
    });
    const parsed = tryParseLosslessJson(result.text);
    const where = `mercadolibre ${method} ${path.split('?')[0]}`;
    if (result.status >= 400) {
      const error = MeliErrorSchema.safeParse(parsed);
      const words = error.success ? `${error.data.error} ${error.data.message}` : result.text.slice(0, 200);
      if (result.status === 401 || result.status === 403) {
        throw new AuthError(`${where}: ${result.status} ${words}`, PLATFORM, String(result.status));
      }
      throw new RequestRejectedError(
        `${where}: ${result.status} ${words}`,
        PLATFORM,
        error.data?.error || undefined,
      );
    }
    const data = schema.safeParse(parsed);
    if (data.success) return data.data;
    const issue = data.error.issues[0];
    throw new PlatformError(
      `${where} we cannot read: ${issue?.path.join('.')}: ${issue?.message}`,
      PLATFORM,
      'unexpected_response',
    );
  };

  return {
    call: (method, path, schema, body) =>
      session.withToken(
        now(),
        (err) => err instanceof AuthError && err.code === '401',
        () => send(method, path, schema, body),
      ),
    refreshAccessToken: () => session.refresh(),
  };
}
