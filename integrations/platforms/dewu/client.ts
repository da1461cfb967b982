import type { z } from 'zod';
import { AuthError, PlatformError, RequestRejectedError } from '../errors.js';
import { httpCall } from '../http.js';
import { tryParseLosslessJson } from '../lossless-json.js';
import { TokenSession } from '../token-session.js';
import type { AdapterContext, TokenSet } from '../types.js';
import { pairsOf } from '../window.js';
import { signDewu } from './sign.js';
import { DewuEnvelopeSchema, DewuTokenSchema } from './wire.js';

const PLATFORM = 'dewu';

/**
 * The APIs' paths. Only the gateway's `/dop/api/v…/` prefix is in our sources; the order, ship
 * and stock paths are **UNCONFIRMED** defaults, each replaceable per shop with
 * `credentials.extra.paths` (`list=/dop/api/…,ship=/dop/api/…`).
 */
export const DEWU_DEFAULT_PATHS = {
  list: '/dop/api/v1/order/brand_deliver/list',
  detail: '/dop/api/v1/order/brand_deliver/detail',
  ship: '/dop/api/v1/order/brand_deliver/ship',
  stock: '/dop/api/v1/stock/sync',
  stockQuery: '/dop/api/v1/stock/query',
} as const;
export type DewuApi = keyof typeof DEWU_DEFAULT_PATHS;

/**
 * Gateway codes: 401 签名认证失败 and 5025 (the calling IP is not on the app's whitelist) are the
 * app's own problem → AuthError. 5044 is taken as the token refused (secondary source: a client
 * drops its cached token on it); more token codes can be named in `credentials.extra.tokenCodes`.
 */
const APP_AUTH = new Set(['401', '5025']);
const TOKEN = new Set(['5044']);

export interface DewuClient {
  /** One API by its name: its `data`, read with `schema`. */
  call<T>(api: DewuApi, params: Record<string, unknown>, schema: z.ZodType<T>): Promise<T>;
  refreshAccessToken(): Promise<TokenSet>;
}

/**
 * Signed calls to Dewu's open platform (docs/platforms/dewu.md): `POST {baseUrl}{path}` with a
 * JSON body of the API's parameters plus `app_key`, `access_token`, `timestamp` (ms) and `sign`
 * (sign.ts); answers `{code, msg, data}`, 200 for success. The seller's OAuth token is refreshed
 * with `POST {authBaseUrl}/api/v1/h5/passport/v1/oauth2/refresh_token` {`client_id`,
 * `client_secret`, `refresh_token`} (unsigned), `authBaseUrl` being `https://open.dewu.com`
 * unless `credentials.extra.authBaseUrl` says otherwise.
 */
export function createDewuClient(ctx: AdapterContext): DewuClient {
  const now = () => ctx.now?.() ?? new Date();
  const base = ctx.baseUrl.replace(/\/$/, '');
  const authBase = (ctx.credentials.extra?.authBaseUrl || 'https://open.dewu.com').replace(/\/$/, '');
  const paths = { ...DEWU_DEFAULT_PATHS, ...pairsOf(ctx.credentials.extra?.paths) };
  const tokenCodes = new Set([
    ...TOKEN,
    ...(ctx.credentials.extra?.tokenCodes ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  ]);
  const transport = {
    ...(ctx.fetch ? { fetch: ctx.fetch } : {}),
    ...(ctx.timeoutMs ? { timeoutMs: ctx.timeoutMs } : {}),
  };

  const session = new TokenSession(ctx, PLATFORM, async (refreshToken) => {
    const result = await httpCall({
      platform: PLATFORM,
      url: `${authBase}/api/v1/h5/passport/v1/oauth2/refresh_token`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        client_id: ctx.credentials.appKey,
        client_secret: ctx.credentials.appSecret,
        refresh_token: refreshToken,
      }),
      ...transport,
    });
    const token = DewuTokenSchema.safeParse(tryParseLosslessJson(result.text));
    if (!token.success || String(token.data.code) !== '200' || !token.data.data) {
      throw new AuthError(`dewu token refresh failed: ${result.text.slice(0, 200)}`, PLATFORM, 'refresh');
    }
    const t = token.data.data;
    return {
      accessToken: t.access_token,
      refreshToken: t.refresh_token || refreshToken,
      accessTokenExpiresAt: new Date(now().getTime() + t.access_token_expires_in * 1000).toISOString(),
    };
  });

  async function exchange<T>(
    api: DewuApi,
    params: Record<string, unknown>,
    schema: z.ZodType<T>,
  ): Promise<T> {
    const body: Record<string, unknown> = {
      ...params,
      app_key: ctx.credentials.appKey,
      access_token: session.accessToken,
      timestamp: now().getTime(),
    };
    body.sign = signDewu(ctx.credentials.appSecret, body);
    const result = await httpCall({
      platform: PLATFORM,
      url: `${base}${paths[api]}`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      ...transport,
    });
    const envelope = DewuEnvelopeSchema.safeParse(tryParseLosslessJson(result.text));
    if (!envelope.success) {
      throw new PlatformError(
        `dewu ${api} answered HTTP ${result.status} with an unreadable body: ${result.text.slice(0, 200)}`,
        PLATFORM,
        'unexpected_response',
      );
    }
    const code = String(envelope.data.code);
    if (code !== '200') {
      const message = `dewu ${api} failed: ${code} ${envelope.data.msg}`;
      if (tokenCodes.has(code)) throw new AuthError(message, PLATFORM, `token:${code}`);
      if (APP_AUTH.has(code)) throw new AuthError(message, PLATFORM, code);
      throw new RequestRejectedError(message, PLATFORM, code);
    }
    const data = schema.safeParse(envelope.data.data);
    if (!data.success) {
      const issue = data.error.issues[0];
      throw new PlatformError(
        `dewu ${api} returned data we cannot read: ${issue?.path.join('.')}: ${issue?.message}`,
        PLATFORM,
        'unexpected_response',
      );
    }
    return data.data;
  }

  return {
    call: (api, params, schema) =>
      session.withToken(
        now(),
        (err) => err instanceof AuthError && err.code?.startsWith('token:') === true,
        () => exchange(api, params, schema),
      ),
    refreshAccessToken: () => session.refresh(),
  };
}
