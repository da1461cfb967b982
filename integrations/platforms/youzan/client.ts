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
import { YouzanEnvelopeSchema, YouzanTokenSchema } from './wire.js';

const PLATFORM = 'youzan';

/**
 * Gateway codes (§4.1, secondary: observed live): 4201 illegal credential, 4202/4203 a token the
 * gateway does not know or no longer takes → a new token once; 4005 an unknown API → rejected.
 * The call limit's code is UNCONFIRMED: 4006 and 429 are read as rate limited.
 */
const TOKEN_REFUSED = new Set([4201, 4202, 4203]);
const LIMITED = new Set([4006, 429]);

export interface YouzanClient {
  /** `POST /api/<api>/<version>?access_token=…` with a JSON body; `data` read with `schema`. */
  call<T>(api: string, version: string, body: unknown, schema: z.ZodType<T>): Promise<T>;
  refreshAccessToken(): Promise<TokenSet>;
}

/**
 * Calls to the Youzan cloud API (§4.1, confirmed by the official SDK): no request signing, the
 * token in the query only, JSON bodies, `{success, code: 200, data}` answers. The token comes from
 * `POST /auth/token`: a self-use app (自用型) asks `authorize_type: silent` with the shop's
 * `kdt_id` as `grant_id`; a tool app (工具型) holding a refresh token asks `refresh_token`. Either
 * way it is fetched when missing or past `expires`, and once more when the gateway refuses it.
 */
export function createYouzanClient(ctx: AdapterContext): YouzanClient {
  const base = ctx.baseUrl.replace(/\/$/, '');
  const transport = {
    ...(ctx.fetch ? { fetch: ctx.fetch } : {}),
    ...(ctx.timeoutMs ? { timeoutMs: ctx.timeoutMs } : {}),
  };
  const token = new FetchedToken(ctx, async (current) => {
    const grant = current.refreshToken
      ? { authorize_type: 'refresh_token', refresh_token: current.refreshToken }
      : { authorize_type: 'silent', grant_id: ctx.platformShopId };
    const result = await httpCall({
      platform: PLATFORM,
      url: `${base}/auth/token`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        client_id: ctx.credentials.appKey,
        client_secret: ctx.credentials.appSecret,
        ...grant,
      }),
      ...transport,
    });
    const envelope = YouzanEnvelopeSchema.safeParse(tryParseLosslessJson(result.text));
    const data = envelope.success ? YouzanTokenSchema.safeParse(envelope.data.data) : undefined;
    if (!envelope.success || envelope.data.success !== true || !data?.success) {
      throw new AuthError(
        `youzan token (${grant.authorize_type}) failed: ${result.text.slice(0, 200)}`,
        PLATFORM,
        'token',
      );
    }
    const refreshToken = data.data.refresh_token || current.refreshToken;
    return {
      accessToken: data.data.access_token,
      ...(refreshToken ? { refreshToken } : {}),
      accessTokenExpiresAt: new Date(data.data.expires).toISOString(),
    };
  });

  async function exchange<T>(api: string, version: string, body: unknown, schema: z.ZodType<T>): Promise<T> {
    const result = await httpCall({
      platform: PLATFORM,
      url: `${base}/api/${api}/${version}?access_token=${encodeURIComponent(token.accessToken)}`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: stringifyLosslessJson(body),
      ...transport,
    });
    const envelope = YouzanEnvelopeSchema.safeParse(tryParseLosslessJson(result.text));
    if (!envelope.success) {
      throw new PlatformError(
        `youzan ${api} answered HTTP ${result.status} with an unreadable body: ${result.text.slice(0, 200)}`,
        PLATFORM,
        'unexpected_response',
      );
    }
    const e = envelope.data;
    const code = e.gw_err_resp ? e.gw_err_resp.err_code : e.code;
    if (e.gw_err_resp || e.success !== true || code !== 200) {
      const message = `youzan ${api} failed: ${code} ${e.gw_err_resp?.err_msg ?? e.message}`;
      if (LIMITED.has(code)) throw new RateLimitedError(PLATFORM, DEFAULT_RETRY_AFTER_MS, String(code));
      if (TOKEN_REFUSED.has(code)) throw new AuthError(message, PLATFORM, String(code));
      if (code >= 500 && code < 600) throw new TransientPlatformError(message, PLATFORM, String(code));
      throw new RequestRejectedError(message, PLATFORM, String(code));
    }
    const data = schema.safeParse(e.data);
    if (!data.success) {
      const issue = data.error.issues[0];
      throw new PlatformError(
        `youzan ${api} returned data we cannot read: ${issue?.path.join('.')}: ${issue?.message}`,
        PLATFORM,
        'unexpected_response',
      );
    }
    return data.data;
  }

  return {
    call: (api, version, body, schema) =>
      token.withToken(
        (err) => err instanceof AuthError && TOKEN_REFUSED.has(Number(err.code)),
        () => exchange(api, version, body, schema),
      ),
    refreshAccessToken: () => token.refresh(),
  };
}
