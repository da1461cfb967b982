import type { z } from 'zod';
import { AuthError, PlatformError, RequestRejectedError } from '../errors.js';
import { httpCall } from '../http.js';
import { tryParseLosslessJson } from '../lossless-json.js';
import { TokenSession } from '../token-session.js';
import type { AdapterContext, TokenSet } from '../types.js';
import { EbayErrorsSchema, EbayTokenSchema } from './wire.js';

const PLATFORM = 'ebay';

/**
 * OAuth scopes a refresh asks for (the seller granted them with the authorization code): reading
 * and shipping orders, and inventory. eBay's refresh grant names the scopes again (UNCONFIRMED which
 * are needed; `credentials.extra.scopes` overrides, space separated).
 */
export const EBAY_SCOPES = [
  'https://api.ebay.com/oauth/api_scope/sell.fulfillment',
  'https://api.ebay.com/oauth/api_scope/sell.inventory',
].join(' ');

export interface EbayResponse<T> {
  status: number;
  data: T;
  headers: Headers;
}

export interface EbayClient {
  call<T>(
    method: 'GET' | 'POST' | 'PUT',
    path: string,
    schema: z.ZodType<T>,
    body?: unknown,
  ): Promise<EbayResponse<T>>;
  refreshAccessToken(): Promise<TokenSet>;
}

/** eBay's refusal of the token itself (`errorId` 1001 "Invalid access token"), as opposed to a scope. */
const TOKEN_REFUSED = '1001';

/**
 * Calls to eBay's REST APIs (§10): `{baseUrl}{path}` (`https://api.ebay.com`), the seller's user
 * token as `Authorization: Bearer …`, no request signing. A refused token (401) is refreshed once
 * through `POST /identity/v1/oauth2/token` (HTTP Basic client id:secret, `grant_type=refresh_token`;
 * UNCONFIRMED: the standard eBay values, §10) and the call repeated. Other answers: 403 → AuthError
 * (a scope the seller did not grant), 4xx → rejected with eBay's first error, 429 → rate limited,
 * 5xx → transient (http.ts).
 */
export function createEbayClient(ctx: AdapterContext): EbayClient {
  const now = () => ctx.now?.() ?? new Date();
  const base = ctx.baseUrl.replace(/\/$/, '');
  const tokenUrl = ctx.credentials.extra?.tokenUrl ?? `${base}/identity/v1/oauth2/token`;
  const transport = {
    ...(ctx.fetch ? { fetch: ctx.fetch } : {}),
    ...(ctx.timeoutMs ? { timeoutMs: ctx.timeoutMs } : {}),
  };

  const session = new TokenSession(ctx, PLATFORM, async (refreshToken) => {
    const basic = Buffer.from(`${ctx.credentials.appKey}:${ctx.credentials.appSecret}`).toString('base64');
    const result = await httpCall({
      platform: PLATFORM,
      url: tokenUrl,
      method: 'POST',
      headers: {
        authorization: `Basic ${basic}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: refreshToken,
        scope: ctx.credentials.extra?.scopes ?? EBAY_SCOPES,
      }).toString(),
      ...transport,
    });
    const token = EbayTokenSchema.safeParse(tryParseLosslessJson(result.text));
    if (result.status !== 200 || !token.success) {
      throw new AuthError(`ebay token refresh failed: ${result.text.slice(0, 200)}`, PLATFORM, 'refresh');
    }
    return {
      accessToken: token.data.access_token,
      // eBay keeps the refresh token (about 18 months) and sends no new one.
      refreshToken: token.data.refresh_token ?? refreshToken,
      accessTokenExpiresAt: new Date(now().getTime() + token.data.expires_in * 1000).toISOString(),
    };
  });

  async function exchange<T>(
    method: 'GET' | 'POST' | 'PUT',
    path: string,
    schema: z.ZodType<T>,
    body: unknown,
  ): Promise<EbayResponse<T>> {
    const result = await httpCall({
      platform: PLATFORM,
      url: `${base}${path}`,
      method,
      headers: {
        authorization: `Bearer ${session.accessToken}`,
        accept: 'application/json',
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(ctx.credentials.extra?.marketplaceId
          ? { 'x-ebay-c-marketplace-id': ctx.credentials.extra.marketplaceId }
          : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      ...transport,
    });
    const parsed = result.text ? tryParseLosslessJson(result.text) : {};
    if (result.status >= 400) {
      const errors = EbayErrorsSchema.safeParse(parsed);
      const first = errors.success ? errors.data.errors[0] : undefined;
      const code = first?.errorId != null ? String(first.errorId) : String(result.status);
      const text = `ebay ${method} ${path.split('?')[0]} answered ${result.status}: ${first?.message ?? result.text.slice(0, 200)}`;
      if (result.status === 401 || result.status === 403) throw new AuthError(text, PLATFORM, code);
      throw new RequestRejectedError(text, PLATFORM, code);
    }
    const data = schema.safeParse(parsed ?? {});
    if (!data.success) {
      const issue = data.error.issues[0];
      throw new PlatformError(
        `ebay ${path.split('?')[0]} returned data we cannot read: ${issue?.path.join('.')}: ${issue?.message}`,
        PLATFORM,
        'unexpected_response',
      );
    }
    return { status: result.status, data: data.data, headers: result.headers };
  }

  return {
    call: (method, path, schema, body) =>
      session.withToken(
        now(),
        (err) => err instanceof AuthError && err.code === TOKEN_REFUSED,
        () => exchange(method, path, schema, body),
      ),
    refreshAccessToken: () => session.refresh(),
  };
}
