import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { AuthError, PlatformError, RequestRejectedError } from '../errors.js';
import { httpCall } from '../http.js';
import { tryParseLosslessJson } from '../lossless-json.js';
import type { AdapterContext, TokenSet } from '../types.js';
import { WalmartErrorsSchema, WalmartTokenSchema } from './wire.js';

const PLATFORM = 'walmart';
/** `WM_SVC.NAME` on every call (§11). */
export const WALMART_SERVICE_NAME = 'Walmart Marketplace';

export interface WalmartClient {
  call<T>(method: 'GET' | 'POST' | 'PUT', path: string, schema: z.ZodType<T>, body?: unknown): Promise<T>;
  refreshAccessToken(): Promise<TokenSet>;
}

/**
 * Calls to Walmart's Marketplace APIs (§11): `{baseUrl}{path}` (`https://marketplace.walmartapis.com`)
 * with `WM_SEC.ACCESS_TOKEN`, `WM_SVC.NAME`, a fresh `WM_QOS.CORRELATION_ID` and
 * `Accept: application/json`; no request signing. The token comes from `POST /v3/token`
 * (client credentials, HTTP Basic client id:secret) and is kept until it expires (its 15-minute
 * lifetime is UNCONFIRMED: we take `expires_in`); a 401 gets a new token once. 403 → AuthError,
 * other 4xx → rejected with Walmart's first error code, 429/5xx as http.ts does.
 */
export function createWalmartClient(ctx: AdapterContext): WalmartClient {
  const now = () => ctx.now?.() ?? new Date();
  const base = ctx.baseUrl.replace(/\/$/, '');
  const transport = {
    ...(ctx.fetch ? { fetch: ctx.fetch } : {}),
    ...(ctx.timeoutMs ? { timeoutMs: ctx.timeoutMs } : {}),
  };
  const headers = () => ({
    'WM_SVC.NAME': WALMART_SERVICE_NAME,
    'WM_QOS.CORRELATION_ID': randomUUID(),
    accept: 'application/json',
  });
  let token: TokenSet | undefined = ctx.credentials.accessToken
    ? {
        accessToken: ctx.credentials.accessToken,
        ...(ctx.credentials.accessTokenExpiresAt
          ? { accessTokenExpiresAt: ctx.credentials.accessTokenExpiresAt }
          : {}),
      }
    : undefined;
  let inFlight: Promise<TokenSet> | undefined;

  async function fetchToken(): Promise<TokenSet> {
    const basic = Buffer.from(`${ctx.credentials.appKey}:${ctx.credentials.appSecret}`).toString('base64');
    const result = await httpCall({
      platform: PLATFORM,
      url: `${base}/v3/token`,
      method: 'POST',
      headers: {
        ...headers(),
        authorization: `Basic ${basic}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
      ...transport,
    });
    const parsed = WalmartTokenSchema.safeParse(tryParseLosslessJson(result.text));
    if (result.status !== 200 || !parsed.success) {
      throw new AuthError(`walmart token request failed: ${result.text.slice(0, 200)}`, PLATFORM, 'token');
    }
    const next = {
      accessToken: parsed.data.access_token,
      accessTokenExpiresAt: new Date(now().getTime() + parsed.data.expires_in * 1000).toISOString(),
    };
    token = next;
    await ctx.onTokensRefreshed?.(next);
    return next;
  }
  /** One token request at a time, shared by the calls waiting for it. */
  const renew = () =>
    (inFlight ??= fetchToken().finally(() => {
      inFlight = undefined;
    }));
  const current = async () => {
    const fresh =
      token &&
      (!token.accessTokenExpiresAt || Date.parse(token.accessTokenExpiresAt) > now().getTime() + 30_000);
    return fresh ? token!.accessToken : (await renew()).accessToken;
  };

  async function exchange<T>(
    method: 'GET' | 'POST' | 'PUT',
    path: string,
    schema: z.ZodType<T>,
    body: unknown,
    accessToken: string,
  ): Promise<T> {
    const result = await httpCall({
      platform: PLATFORM,
      url: `${base}${path}`,
      method,
      headers: {
        ...headers(),
        'WM_SEC.ACCESS_TOKEN': accessToken,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      ...transport,
    });
    const parsed = result.text ? tryParseLosslessJson(result.text) : {};
    if (result.status >= 400) {
      const errors = WalmartErrorsSchema.safeParse(parsed);
      const first = errors.success ? errors.data.errors[0] : undefined;
      const code = first?.code || String(result.status);
      const text = `walmart ${method} ${path.split('?')[0]} answered ${result.status}: ${code} ${first?.description ?? result.text.slice(0, 200)}`;
      if (result.status === 401 || result.status === 403) throw new AuthError(text, PLATFORM, code);
      throw new RequestRejectedError(text, PLATFORM, code);
    }
    const data = schema.safeParse(parsed ?? {});
    if (!data.success) {
      const issue = data.error.issues[0];
      throw new PlatformError(
        `walmart ${path.split('?')[0]} returned data we cannot read: ${issue?.path.join('.')}: ${issue?.message}`,
        PLATFORM,
        'unexpected_response',
      );
    }
    return data.data;
  }

  return {
    async call(method, path, schema, body) {
      const first = await current();
      try {
        return await exchange(method, path, schema, body, first);
      } catch (err) {
        if (!(err instanceof AuthError) || !String(err.code).startsWith('UNAUTHORIZED')) throw err;
        // A token refused before its time (revoked, or the clock ran ahead): one new token, once.
        const next = token?.accessToken !== first ? token!.accessToken : (await renew()).accessToken;
        return exchange(method, path, schema, body, next);
      }
    },
    refreshAccessToken: () => renew(),
  };
}
