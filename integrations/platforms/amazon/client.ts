import type { z } from 'zod';
import {
  AuthError,
  PlatformError,
  RateLimitedError,
  RequestRejectedError,
  TransientPlatformError,
} from '../errors.js';
import { DEFAULT_RETRY_AFTER_MS, parseRetryAfter } from '../http.js';
import type { AdapterContext, TokenSet } from '../types.js';
import { AmazonErrorsSchema, LwaTokenSchema } from './wire.js';

const PLATFORM = 'amazon';

export interface AmazonRequest {
  method?: 'GET' | 'POST' | 'PATCH';
  path: string;
  query?: Record<string, string | undefined>;
  body?: unknown;
  /** A Restricted Data Token to send instead of the LWA token (PII operations). */
  restrictedDataToken?: string;
}

export interface AmazonClient {
  /** One SP-API call; the parsed body (null for 204). */
  request<T>(request: AmazonRequest, schema: z.ZodType<T>): Promise<T>;
  refreshAccessToken(): Promise<TokenSet>;
}

/**
 * SP-API calls authorised by Login with Amazon: the LWA access token (1 hour) goes in
 * `x-amz-access-token`; no SigV4 signing. The token is fetched from `POST /auth/o2/token` with the
 * shop's refresh token when missing, expired, or rejected as expired (once per call). Errors are
 * `{errors:[{code,message,details}]}`: 403 Unauthorized → AuthError, 400/404 → rejected, 429 →
 * rate limited (Retry-After if sent, else one request interval from `x-amzn-RateLimit-Limit`),
 * 5xx → transient.
 */
export function createAmazonClient(ctx: AdapterContext): AmazonClient {
  const now = () => ctx.now?.() ?? new Date();
  const doFetch = ctx.fetch ?? fetch;
  const base = ctx.baseUrl.replace(/\/$/, '');
  const lwaUrl = (ctx.credentials.extra?.lwaUrl ?? 'https://api.amazon.com').replace(/\/$/, '');
  let tokens: TokenSet = {
    accessToken: ctx.credentials.accessToken ?? '',
    ...(ctx.credentials.refreshToken ? { refreshToken: ctx.credentials.refreshToken } : {}),
    ...(ctx.credentials.accessTokenExpiresAt
      ? { accessTokenExpiresAt: ctx.credentials.accessTokenExpiresAt }
      : {}),
  };
  let inFlight: Promise<TokenSet> | undefined;

  const expired = () =>
    !tokens.accessToken ||
    (tokens.accessTokenExpiresAt !== undefined && Date.parse(tokens.accessTokenExpiresAt) <= now().getTime());

  function refresh(): Promise<TokenSet> {
    inFlight ??= (async () => {
      const refreshToken = tokens.refreshToken;
      if (!refreshToken) throw new AuthError('amazon: no LWA refresh token stored for the shop', PLATFORM);
      const response = await send(`${lwaUrl}/auth/o2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8' },
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: refreshToken,
          client_id: ctx.credentials.appKey,
          client_secret: ctx.credentials.appSecret,
        }).toString(),
      });
      const parsed = LwaTokenSchema.safeParse(jsonOf(response.text));
      if (response.status !== 200 || !parsed.success) {
        throw new AuthError(
          `amazon LWA token refresh failed: HTTP ${response.status} ${response.text.slice(0, 200)}`,
          PLATFORM,
        );
      }
      tokens = {
        accessToken: parsed.data.access_token,
        // LWA keeps the refresh token unless it sends a new one.
        refreshToken: parsed.data.refresh_token ?? refreshToken,
        accessTokenExpiresAt: new Date(now().getTime() + parsed.data.expires_in * 1000).toISOString(),
      };
      await ctx.onTokensRefreshed?.(tokens);
      return tokens;
    })().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  }

  async function send(
    url: string,
    init: RequestInit,
  ): Promise<{ status: number; headers: Headers; text: string }> {
    let response: Response;
    try {
      response = await doFetch(url, { ...init, signal: AbortSignal.timeout(ctx.timeoutMs ?? 15_000) });
    } catch (err) {
      throw new TransientPlatformError(`amazon unreachable: ${(err as Error).message}`, PLATFORM);
    }
    const text = await response.text();
    if (response.status === 429) {
      const limit = Number(response.headers.get('x-amzn-ratelimit-limit'));
      const fromLimit = Number.isFinite(limit) && limit > 0 ? Math.ceil(1000 / limit) : undefined;
      throw new RateLimitedError(
        PLATFORM,
        parseRetryAfter(response.headers.get('retry-after')) ?? fromLimit ?? DEFAULT_RETRY_AFTER_MS,
        'QuotaExceeded',
      );
    }
    if (response.status >= 500) {
      throw new TransientPlatformError(
        `amazon answered ${response.status}: ${text.slice(0, 200)}`,
        PLATFORM,
        String(response.status),
      );
    }
    return { status: response.status, headers: response.headers, text };
  }

  async function once<T>(request: AmazonRequest, schema: z.ZodType<T>): Promise<T> {
    const query = new URLSearchParams();
    for (const [k, v] of Object.entries(request.query ?? {})) if (v !== undefined) query.set(k, v);
    const qs = query.toString();
    const response = await send(`${base}${request.path}${qs ? `?${qs}` : ''}`, {
      method: request.method ?? 'GET',
      headers: {
        accept: 'application/json',
        'x-amz-access-token': request.restrictedDataToken ?? tokens.accessToken,
        'x-amz-date': now()
          .toISOString()
          .replace(/[-:]/g, '')
          .replace(/\.\d{3}/, ''),
        ...(request.body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(request.body !== undefined ? { body: JSON.stringify(request.body) } : {}),
    });
    if (response.status >= 400) throw amazonError(request.path, response.status, response.text);
    const parsed = schema.safeParse(response.status === 204 || !response.text ? null : jsonOf(response.text));
    if (!parsed.success) {
      throw new PlatformError(
        `amazon ${request.path} returned a body we cannot read: ${parsed.error.issues
          .slice(0, 3)
          .map((i) => `${i.path.join('.')}: ${i.message}`)
          .join('; ')}`,
        PLATFORM,
        'unexpected_response',
      );
    }
    return parsed.data;
  }

  return {
    async request(request, schema) {
      if (!request.restrictedDataToken && expired()) await refresh();
      try {
        return await once(request, schema);
      } catch (err) {
        if (request.restrictedDataToken || !(err instanceof AuthError && err.code === 'expired')) throw err;
        await refresh();
        return once(request, schema);
      }
    },
    refreshAccessToken: refresh,
  };
}

function jsonOf(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function amazonError(path: string, status: number, text: string): PlatformError {
  const parsed = AmazonErrorsSchema.safeParse(jsonOf(text));
  const first = parsed.success ? parsed.data.errors[0] : undefined;
  const message = `amazon ${path} failed: HTTP ${status} ${first ? `${first.code}: ${first.message} ${first.details}`.trim() : text.slice(0, 200)}`;
  if (status === 401 || status === 403) {
    const isExpired = /expired/i.test(`${first?.message} ${first?.details}`);
    return new AuthError(message, PLATFORM, isExpired ? 'expired' : (first?.code ?? String(status)));
  }
  return new RequestRejectedError(message, PLATFORM, first?.code ?? String(status));
}

/**
 * A Feeds API document at its pre-signed URL (upload or download): no token, a plain PUT or GET;
 * not reaching it or a refusal is transient (the URL is good for minutes; the caller asks again).
 */
export async function feedDocument(ctx: AdapterContext, url: string, init: RequestInit): Promise<Response> {
  let response: Response;
  try {
    response = await (ctx.fetch ?? fetch)(url, {
      ...init,
      signal: AbortSignal.timeout(ctx.timeoutMs ?? 15_000),
    });
  } catch (err) {
    throw new TransientPlatformError(`amazon feed document unreachable: ${(err as Error).message}`, PLATFORM);
  }
  if (!response.ok)
    throw new TransientPlatformError(`amazon feed document answered ${response.status}`, PLATFORM);
  return response;
}
