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
import type { AdapterContext, TokenSet } from '../types.js';
import { WechatEnvelopeSchema, WechatTokenSchema } from './wire.js';

const PLATFORM = 'wechat_shop';

/**
 * WeChat's global error codes (standard WeChat values, UNCONFIRMED for this API family):
 * 40001/40014/42001 a bad or expired access token → a new token once and retry; 40013/40125 a bad
 * app id or secret → AuthError; 45009 (and 45011) call quota → rate limited; -1 system busy →
 * transient; the rest → rejected.
 */
const TOKEN_REFUSED = new Set([40001, 40014, 42001]);
const AUTH = new Set([40013, 40125, 41002, 41004]);
const LIMITED = new Set([45009, 45011]);

export interface WechatClient {
  call<T>(path: string, body: unknown, schema: z.ZodType<T>): Promise<T>;
  refreshAccessToken(): Promise<TokenSet>;
}

/**
 * Calls to the WeChat Channels shop API (§3.1): `POST {baseUrl}/channels/ec/<path>?access_token=…`
 * with a JSON body (ids as bare digits when numeric on the wire; exact however long). No request
 * signing. The shop's token comes from its own app id and secret (`GET /cgi-bin/token`,
 * client_credential, 7200 s): fetched when missing or expired and once more when WeChat refuses it.
 */
export function createWechatClient(ctx: AdapterContext): WechatClient {
  const now = () => ctx.now?.() ?? new Date();
  const base = ctx.baseUrl.replace(/\/$/, '');
  const transport = {
    ...(ctx.fetch ? { fetch: ctx.fetch } : {}),
    ...(ctx.timeoutMs ? { timeoutMs: ctx.timeoutMs } : {}),
  };
  let tokens: TokenSet = {
    accessToken: ctx.credentials.accessToken ?? '',
    ...(ctx.credentials.accessTokenExpiresAt
      ? { accessTokenExpiresAt: ctx.credentials.accessTokenExpiresAt }
      : {}),
  };
  let inFlight: Promise<TokenSet> | undefined;

  async function fetchToken(): Promise<TokenSet> {
    const query = new URLSearchParams({
      grant_type: 'client_credential',
      appid: ctx.credentials.appKey,
      secret: ctx.credentials.appSecret,
    });
    const result = await httpCall({
      platform: PLATFORM,
      url: `${base}/cgi-bin/token?${query}`,
      ...transport,
    });
    const body = tryParseLosslessJson(result.text);
    const token = WechatTokenSchema.safeParse(body);
    if (!token.success) {
      throw new AuthError(`wechat_shop token failed: ${result.text.slice(0, 200)}`, PLATFORM, 'token');
    }
    const next = {
      accessToken: token.data.access_token,
      accessTokenExpiresAt: new Date(now().getTime() + token.data.expires_in * 1000).toISOString(),
    };
    tokens = next;
    await ctx.onTokensRefreshed?.(next);
    return next;
  }
  const refresh = () => {
    inFlight ??= fetchToken().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };
  const expired = () =>
    !tokens.accessToken ||
    (tokens.accessTokenExpiresAt !== undefined && Date.parse(tokens.accessTokenExpiresAt) <= now().getTime());

  async function exchange<T>(path: string, body: unknown, schema: z.ZodType<T>): Promise<T> {
    const result = await httpCall({
      platform: PLATFORM,
      url: `${base}/channels/ec/${path}?access_token=${encodeURIComponent(tokens.accessToken)}`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: stringifyLosslessJson(body),
      ...transport,
    });
    const raw = tryParseLosslessJson(result.text);
    const envelope = WechatEnvelopeSchema.safeParse(raw);
    if (!envelope.success) {
      throw new PlatformError(
        `wechat_shop ${path} answered HTTP ${result.status} with an unreadable body: ${result.text.slice(0, 200)}`,
        PLATFORM,
        'unexpected_response',
      );
    }
    const { errcode, errmsg } = envelope.data;
    if (errcode !== 0) {
      const message = `wechat_shop ${path} failed: ${errcode} ${errmsg}`;
      if (LIMITED.has(errcode)) throw new RateLimitedError(PLATFORM, DEFAULT_RETRY_AFTER_MS, String(errcode));
      if (TOKEN_REFUSED.has(errcode) || AUTH.has(errcode))
        throw new AuthError(message, PLATFORM, String(errcode));
      if (errcode === -1) throw new TransientPlatformError(message, PLATFORM, String(errcode));
      throw new RequestRejectedError(message, PLATFORM, String(errcode));
    }
    const data = schema.safeParse(raw);
    if (!data.success) {
      const issue = data.error.issues[0];
      throw new PlatformError(
        `wechat_shop ${path} returned data we cannot read: ${issue?.path.join('.')}: ${issue?.message}`,
        PLATFORM,
        'unexpected_response',
      );
    }
    return data.data;
  }

  return {
    async call(path, body, schema) {
      if (expired()) await refresh();
      try {
        return await exchange(path, body, schema);
      } catch (err) {
        if (!(err instanceof AuthError && TOKEN_REFUSED.has(Number(err.code)))) throw err;
        await refresh();
        return exchange(path, body, schema);
      }
    },
    refreshAccessToken: refresh,
  };
}
