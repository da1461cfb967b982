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
import { FetchedToken } from '../fetched-token.js';
import type { AdapterContext, TokenSet } from '../types.js';
import { pairsOf } from '../window.js';
import { WeidianEnvelopeSchema, WeidianTokenSchema } from './wire.js';

const PLATFORM = 'weidian';

/**
 * Status codes, all UNCONFIRMED (§5 names none): 10013 / 10014 an invalid or expired token → a new
 * token once; 10016 the call limit → rate limited; 10001 a system error → transient; the rest →
 * rejected. A shop can name further token codes in `extra.tokenCodes` (`10015,10017`).
 */
const TOKEN_REFUSED = new Set([10013, 10014]);
const LIMITED = new Set([10016]);
const TRANSIENT = new Set([10001]);

export interface WeidianClient {
  /** A method through the gateway: its `result`, read with `schema`. */
  call<T>(method: string, param: Record<string, unknown>, schema: z.ZodType<T>): Promise<T>;
  refreshAccessToken(): Promise<TokenSet>;
}

/**
 * Calls to Weidian's open API (§5): `POST {baseUrl}/api` with the form fields `param` (the method's
 * parameters as JSON) and `public` (`{method, access_token, version, format: "json"}`), as the facts
 * give it; no request signing is known (UNCONFIRMED: the facts name the access token only). The
 * token of a self-use app (UNCONFIRMED): `GET {baseUrl}/token?grant_type=client_credential&appkey=&secret=`
 * → `{access_token, expire_in}`, fetched when missing or expired and once more when refused.
 * Method versions default to 1.0 (`extra.versions` names others, `vdian.order.list.get=1.1,…`).
 */
export function createWeidianClient(ctx: AdapterContext): WeidianClient {
  const now = () => ctx.now?.() ?? new Date();
  const base = ctx.baseUrl.replace(/\/$/, '');
  const versions = pairsOf(ctx.credentials.extra?.versions);
  const tokenCodes = new Set([
    ...TOKEN_REFUSED,
    ...(ctx.credentials.extra?.tokenCodes ?? '').split(',').map(Number).filter(Number.isInteger),
  ]);
  const transport = {
    ...(ctx.fetch ? { fetch: ctx.fetch } : {}),
    ...(ctx.timeoutMs ? { timeoutMs: ctx.timeoutMs } : {}),
  };
  const token = new FetchedToken(ctx, async () => {
    const query = new URLSearchParams({
      grant_type: 'client_credential',
      appkey: ctx.credentials.appKey,
      secret: ctx.credentials.appSecret,
    });
    const result = await httpCall({ platform: PLATFORM, url: `${base}/token?${query}`, ...transport });
    const envelope = WeidianEnvelopeSchema.safeParse(tryParseLosslessJson(result.text));
    const data = envelope.success ? WeidianTokenSchema.safeParse(envelope.data.result) : undefined;
    if (!envelope.success || envelope.data.status.status_code !== 0 || !data?.success) {
      throw new AuthError(`weidian token failed: ${result.text.slice(0, 200)}`, PLATFORM, 'token');
    }
    return {
      accessToken: data.data.access_token,
      accessTokenExpiresAt: new Date(now().getTime() + data.data.expire_in * 1000).toISOString(),
    };
  });

  async function exchange<T>(
    method: string,
    param: Record<string, unknown>,
    schema: z.ZodType<T>,
  ): Promise<T> {
    const result = await httpCall({
      platform: PLATFORM,
      url: `${base}/api`,
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        param: stringifyLosslessJson(param),
        public: JSON.stringify({
          method,
          access_token: token.accessToken,
          version: versions[method] ?? '1.0',
          format: 'json',
        }),
      }).toString(),
      ...transport,
    });
    const envelope = WeidianEnvelopeSchema.safeParse(tryParseLosslessJson(result.text));
    if (!envelope.success) {
      throw new PlatformError(
        `weidian ${method} answered HTTP ${result.status} with an unreadable body: ${result.text.slice(0, 200)}`,
        PLATFORM,
        'unexpected_response',
      );
    }
    const { status_code: code, status_reason: reason } = envelope.data.status;
    if (code !== 0) {
      const message = `weidian ${method} failed: ${code} ${reason}`;
      if (LIMITED.has(code)) throw new RateLimitedError(PLATFORM, DEFAULT_RETRY_AFTER_MS, String(code));
      if (tokenCodes.has(code)) throw new AuthError(message, PLATFORM, String(code));
      if (TRANSIENT.has(code)) throw new TransientPlatformError(message, PLATFORM, String(code));
      throw new RequestRejectedError(message, PLATFORM, String(code));
    }
    const data = schema.safeParse(envelope.data.result);
    if (!data.success) {
      const issue = data.error.issues[0];
      throw new PlatformError(
        `weidian ${method} returned data we cannot read: ${issue?.path.join('.')}: ${issue?.message}`,
        PLATFORM,
        'unexpected_response',
      );
    }
    return data.data;
  }

  return {
    call: (method, param, schema) =>
      token.withToken(
        (err) => err instanceof AuthError && tokenCodes.has(Number(err.code)),
        () => exchange(method, param, schema),
      ),
    refreshAccessToken: () => token.refresh(),
  };
}
