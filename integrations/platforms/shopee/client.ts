import { z } from 'zod';
import {
  AuthError,
  PlatformError,
  RateLimitedError,
  RequestRejectedError,
  TransientPlatformError,
} from '../errors.js';
import { DEFAULT_RETRY_AFTER_MS, httpCall, parseRetryAfter, type HttpResult } from '../http.js';
import type { AdapterContext, TokenSet } from '../types.js';
import { TokenSession } from '../token-session.js';
import { signShopeePublicRequest, signShopeeShopRequest } from './sign.js';
import { ShopeeEnvelopeSchema, ShopeeTokenSchema, parseShopeeJson } from './wire.js';

const PLATFORM = 'shopee';
/** Shopee's own spelling of the expired-token error, and the corrected one. */
const TOKEN_EXPIRED = new Set(['invalid_acceess_token', 'invalid_access_token']);
const REFRESH_PATH = '/api/v2/auth/access_token/get';

export interface ShopeeClient {
  get<T>(path: string, params: Record<string, string | number>, schema: z.ZodType<T>): Promise<T>;
  post<T>(path: string, body: Record<string, unknown>, schema: z.ZodType<T>): Promise<T>;
  /**
   * A POST answered with a file (`download_shipping_document`): the bytes, or the error envelope
   * Shopee sends instead (read like any other answer).
   */
  download(path: string, body: Record<string, unknown>): Promise<{ bytes: Buffer; contentType: string }>;
  refreshAccessToken(): Promise<TokenSet>;
}

/**
 * Signed calls to Shopee Open Platform v2 shop APIs. Common parameters go in the query (partner_id,
 * timestamp, access_token, shop_id, sign); GET parameters join them, POST parameters are a JSON
 * body. Errors arrive as `{error, message}`: the expired-token error triggers one refresh and one
 * retry; `error_sign`/`error_auth`/`error_permission` are AuthError; `error_too_many_request` or
 * HTTP 429 is a rate limit; `error_server`/`error_inner` are transient; the rest are rejections.
 */
export function createShopeeClient(ctx: AdapterContext): ShopeeClient {
  const now = () => ctx.now?.() ?? new Date();
  const partnerId = ctx.credentials.appKey;
  const partnerKey = ctx.credentials.appSecret;
  const shopId = ctx.platformShopId;
  const base = ctx.baseUrl.replace(/\/$/, '');
  const http = (url: string, method: 'GET' | 'POST', body?: string, binary = false) =>
    httpCall({
      platform: PLATFORM,
      url,
      method,
      ...(binary ? { binary } : {}),
      ...(body !== undefined ? { body, headers: { 'content-type': 'application/json' } } : {}),
      ...(ctx.fetch ? { fetch: ctx.fetch } : {}),
      ...(ctx.timeoutMs ? { timeoutMs: ctx.timeoutMs } : {}),
    });

  // Shopee refresh tokens are single use: one refresh shared by concurrent callers.
  const session = new TokenSession(ctx, 'shopee', async (refreshToken) => {
    const timestamp = Math.floor(now().getTime() / 1000);
    const query = new URLSearchParams({
      partner_id: partnerId,
      timestamp: String(timestamp),
      sign: signShopeePublicRequest({ partnerId, partnerKey, path: REFRESH_PATH, timestamp }),
    });
    const result = await http(
      `${base}${REFRESH_PATH}?${query}`,
      'POST',
      JSON.stringify({ refresh_token: refreshToken, partner_id: Number(partnerId), shop_id: Number(shopId) }),
    );
    const body = ShopeeTokenSchema.safeParse(parseShopeeJson(result.text));
    if (!body.success || body.data.error || !body.data.access_token || !body.data.refresh_token) {
      const reason = body.success ? `${body.data.error}: ${body.data.message}` : result.text.slice(0, 200);
      throw new AuthError(
        `shopee token refresh failed: ${reason}`,
        PLATFORM,
        body.success ? body.data.error : undefined,
      );
    }
    return {
      accessToken: body.data.access_token,
      refreshToken: body.data.refresh_token,
      accessTokenExpiresAt: new Date(now().getTime() + (body.data.expire_in ?? 14_400) * 1000).toISOString(),
    };
  });

  async function exchange<T>(
    method: 'GET' | 'POST',
    path: string,
    params: Record<string, unknown>,
    schema: z.ZodType<T>,
  ): Promise<T> {
    return readEnvelope(path, await send(method, path, params), schema);
  }

  async function send(
    method: 'GET' | 'POST',
    path: string,
    params: Record<string, unknown>,
    binary = false,
  ): Promise<HttpResult> {
    const timestamp = Math.floor(now().getTime() / 1000);
    const accessToken = session.accessToken;
    const query = new URLSearchParams({
      partner_id: partnerId,
      timestamp: String(timestamp),
      access_token: accessToken,
      shop_id: shopId,
      sign: signShopeeShopRequest({ partnerId, partnerKey, path, timestamp, accessToken, shopId }),
    });
    if (method === 'GET') for (const [k, v] of Object.entries(params)) query.set(k, String(v));
    return http(
      `${base}${path}?${query}`,
      method,
      method === 'POST' ? JSON.stringify(params) : undefined,
      binary,
    );
  }

  /** A file, unless Shopee answered with its JSON envelope (an error, read as one). */
  async function fetchFile(path: string, params: Record<string, unknown>) {
    const result = await send('POST', path, params, true);
    const contentType = result.headers.get('content-type') ?? '';
    if (contentType.includes('json')) {
      readEnvelope(path, result, z.unknown());
      throw new PlatformError(
        `shopee ${path} answered with JSON but no error instead of a file`,
        PLATFORM,
        'unexpected_response',
      );
    }
    return { bytes: result.bytes ?? Buffer.alloc(0), contentType };
  }

  async function withSession<T>(exchangeOnce: () => Promise<T>): Promise<T> {
    if (session.expired(now())) await session.refresh();
    try {
      return await exchangeOnce();
    } catch (err) {
      if (!(err instanceof AuthError && err.code && TOKEN_EXPIRED.has(err.code))) throw err;
      await session.refresh();
      return exchangeOnce();
    }
  }

  return {
    get: (path, params, schema) => withSession(() => exchange('GET', path, params, schema)),
    post: (path, body, schema) => withSession(() => exchange('POST', path, body, schema)),
    download: (path, body) => withSession(() => fetchFile(path, body)),
    refreshAccessToken: () => session.refresh(),
  };
}

function readEnvelope<T>(path: string, result: HttpResult, schema: z.ZodType<T>): T {
  let envelope: z.infer<typeof ShopeeEnvelopeSchema>;
  try {
    envelope = ShopeeEnvelopeSchema.parse(parseShopeeJson(result.text));
  } catch {
    throw new PlatformError(
      `shopee ${path} answered HTTP ${result.status} with an unreadable body: ${result.text.slice(0, 200)}`,
      PLATFORM,
      'unexpected_response',
    );
  }
  if (envelope.error) {
    const message = `shopee ${path} failed: ${envelope.error} ${envelope.message} (request ${envelope.request_id})`;
    const code = envelope.error;
    if (TOKEN_EXPIRED.has(code) || ['error_sign', 'error_auth', 'error_permission'].includes(code)) {
      throw new AuthError(message, PLATFORM, code);
    }
    if (code === 'error_too_many_request') {
      throw new RateLimitedError(
        PLATFORM,
        parseRetryAfter(result.headers.get('retry-after')) ?? DEFAULT_RETRY_AFTER_MS,
        code,
      );
    }
    if (code === 'error_server' || code === 'error_inner')
      throw new TransientPlatformError(message, PLATFORM, code);
    throw new RequestRejectedError(message, PLATFORM, code);
  }
  const data = schema.safeParse(envelope.response);
  if (!data.success) {
    throw new PlatformError(
      `shopee ${path} returned a response we cannot read: ${data.error.issues
        .slice(0, 3)
        .map((i) => `${i.path.join('.')}: ${i.message}`)
        .join('; ')}`,
      PLATFORM,
      'unexpected_response',
    );
  }
  return data.data;
}
