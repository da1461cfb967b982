import { stringify } from 'lossless-json';
import type { z } from 'zod';
import { AuthError, PlatformError, RequestRejectedError } from '../errors.js';
import { httpCall } from '../http.js';
import type { AdapterContext } from '../types.js';
import { parseShopifyJson } from './wire.js';

export const SHOPIFY_DEFAULT_API_VERSION = '2025-01';

/**
 * Calls to one store's Admin API (`{baseUrl}/admin/api/{extra.apiVersion}`) with its access token:
 * `request` for REST paths and GraphQL (`/graphql.json`), `read` to check an answer's shape.
 * 401/403 are auth errors, other 4xx/5xx rejections naming Shopify's `errors`.
 */
export function createShopifyClient(ctx: AdapterContext) {
  const version = ctx.credentials.extra?.apiVersion ?? SHOPIFY_DEFAULT_API_VERSION;
  const root = `${ctx.baseUrl.replace(/\/$/, '')}/admin/api/${version}`;

  async function request(
    path: string,
    init: { method?: 'GET' | 'POST'; query?: Record<string, string>; body?: unknown } = {},
  ): Promise<{ body: unknown; link: string | null }> {
    const query = new URLSearchParams(init.query ?? {}).toString();
    const result = await httpCall({
      platform: 'shopify',
      url: `${root}${path}${query ? `?${query}` : ''}`,
      method: init.method ?? 'GET',
      headers: {
        'x-shopify-access-token': ctx.credentials.accessToken ?? '',
        accept: 'application/json',
        ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(init.body !== undefined ? { body: stringify(init.body) ?? '' } : {}),
      ...(ctx.fetch ? { fetch: ctx.fetch } : {}),
      ...(ctx.timeoutMs ? { timeoutMs: ctx.timeoutMs } : {}),
    });
    let body: unknown;
    try {
      body = result.text ? parseShopifyJson(result.text) : null;
    } catch {
      body = result.text;
    }
    if (result.status >= 400) {
      const detail =
        typeof body === 'object' && body && 'errors' in body
          ? JSON.stringify(body.errors)
          : result.text.slice(0, 200);
      const message = `shopify ${path} failed: HTTP ${result.status} ${detail}`;
      if (result.status === 401 || result.status === 403)
        throw new AuthError(message, 'shopify', String(result.status));
      throw new RequestRejectedError(message, 'shopify', String(result.status));
    }
    return { body, link: result.headers.get('link') };
  }

  function read<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      throw new PlatformError(
        `shopify ${what} we cannot read: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`,
        'shopify',
        'unexpected_response',
      );
    }
    return parsed.data;
  }

  return { request, read };
}
