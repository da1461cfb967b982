import { AuthError, RequestRejectedError } from '../errors.js';
import { httpCall } from '../http.js';
import type { AdapterContext } from '../types.js';
import { WooErrorSchema } from './wire.js';

export interface WooRequestInit {
  method?: 'GET' | 'POST' | 'PUT';
  query?: Record<string, string>;
  body?: unknown;
}

/**
 * One WooCommerce REST v3 call (`{site}/wp-json/wc/v3…`) authorised with the consumer key and
 * secret as HTTP Basic auth (WooCommerce requires HTTPS for it). 401/403 are refused credentials;
 * other 4xx are the store refusing the request, with Woo's `{code, message}`.
 */
export function createWooRequest(ctx: AdapterContext) {
  const root = `${ctx.baseUrl.replace(/\/$/, '')}/wp-json/wc/v3`;
  const authorization = `Basic ${Buffer.from(`${ctx.credentials.appKey}:${ctx.credentials.appSecret}`).toString('base64')}`;

  return async function request(
    path: string,
    init: WooRequestInit = {},
  ): Promise<{ body: unknown; headers: Headers }> {
    const query = new URLSearchParams(init.query ?? {}).toString();
    const result = await httpCall({
      platform: 'woocommerce',
      url: `${root}${path}${query ? `?${query}` : ''}`,
      method: init.method ?? 'GET',
      headers: {
        authorization,
        accept: 'application/json',
        ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
      ...(ctx.fetch ? { fetch: ctx.fetch } : {}),
      ...(ctx.timeoutMs ? { timeoutMs: ctx.timeoutMs } : {}),
    });
    let body: unknown;
    try {
      body = JSON.parse(result.text);
    } catch {
      body = undefined;
    }
    if (result.status >= 400) {
      const error = WooErrorSchema.safeParse(body);
      const message = `woocommerce ${path} failed: HTTP ${result.status} ${error.success ? `${error.data.code}: ${error.data.message}` : result.text.slice(0, 200)}`;
      const code = error.success ? error.data.code : String(result.status);
      if (result.status === 401 || result.status === 403) throw new AuthError(message, 'woocommerce', code);
      throw new RequestRejectedError(message, 'woocommerce', code);
    }
    return { body, headers: result.headers };
  };
}
