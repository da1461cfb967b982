import { z } from 'zod';
import { AuthError, PlatformError, RequestRejectedError, TransientPlatformError } from '../errors.js';
import { httpCall } from '../http.js';
import { TokenSession } from '../token-session.js';
import type { AdapterContext, TokenSet } from '../types.js';
import { gatewayUrl } from '../taobao/client.js';
import { formatGmt8 } from '../taobao/gmt8.js';
import { isRecord, parsePlatformJson } from '../taobao/json.js';
import { JD_INVALID_TOKEN, jdError } from './errors.js';
import { jdSign } from './sign.js';
import { JdApiResultSchema } from './wire.js';

export const JD_GATEWAY_PATH = '/routerjson';
/** JD's OAuth host; a shop's `credentials.extra.oauthUrl` overrides it (the sandbox's). */
export const JD_OAUTH_URL = 'https://open-oauth.jd.com';

const REAUTHORIZE =
  'the seller must authorize the app again on JD (京东宙斯 授权) and the shop be given the new accessToken and refreshToken';

/**
 * `/oauth2/refresh_token` answer. ⚠️ Not in API-FACTS: the shape several independent JD clients
 * agree on (access_token, expires_in seconds, refresh_token, time = issue time in ms; refusals
 * `{code, msg, requestId}`).
 */
const JdTokenSchema = z.object({
  access_token: z.string().min(1),
  expires_in: z.union([z.string(), z.number()]).transform(Number).optional(),
  refresh_token: z.string().optional(),
  time: z.union([z.string(), z.number()]).transform(Number).optional(),
});
const JdOauthErrorSchema = z.object({
  code: z.union([z.string(), z.number()]).transform(String).optional(),
  msg: z.string().optional(),
});

const ErrorBodySchema = z.object({
  code: z.union([z.string(), z.number()]).transform(String).optional(),
  zh_desc: z.string().optional(),
  en_desc: z.string().optional(),
});

/**
 * One JOS `routerjson` call: business parameters as the `360buy_param_json` string, timestamp in
 * JD's documented `yyyy-MM-dd HH:mm:ss.SSS+0800`, signature, form POST. Answers are unwrapped from
 * their `…_responce` envelope (sic, JD's spelling) and business failures inside it
 * (`success: false` with a Chinese error) become RequestRejectedError.
 *
 * A refused token (code 19) is refreshed once through JD's OAuth `/oauth2/refresh_token` when the
 * shop has a refresh token, and the call repeated; otherwise, or when JD refuses the refresh, it is
 * an AuthError telling the seller to authorize again (the shop's sync pauses with that alert).
 */
export class JdClient {
  private readonly session: TokenSession;

  constructor(private readonly ctx: AdapterContext) {
    this.session = new TokenSession(ctx, 'jd', (refreshToken) => this.exchange(refreshToken));
  }

  async call(method: string, business: Record<string, unknown>): Promise<Record<string, unknown>> {
    const token = this.session.accessToken;
    try {
      return await this.send(method, business, token);
    } catch (err) {
      if (!(err instanceof AuthError && err.code === JD_INVALID_TOKEN)) throw err;
      if (!this.session.canRefresh) {
        throw new AuthError(
          `jd access token is invalid or expired (code 19); ${REAUTHORIZE}`,
          'jd',
          err.code,
        );
      }
      const refreshed = await this.session.refresh(token);
      return this.send(method, business, refreshed.accessToken);
    }
  }

  refresh(): Promise<TokenSet> {
    return this.session.refresh();
  }

  private async exchange(refreshToken: string): Promise<TokenSet> {
    const base = (this.ctx.credentials.extra?.['oauthUrl'] ?? JD_OAUTH_URL).replace(/\/+$/, '');
    const query = new URLSearchParams({
      app_key: this.ctx.credentials.appKey,
      app_secret: this.ctx.credentials.appSecret,
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
    });
    const result = await httpCall({
      platform: 'jd',
      url: `${base}/oauth2/refresh_token?${query.toString()}`,
      method: 'GET',
      ...(this.ctx.fetch ? { fetch: this.ctx.fetch } : {}),
      ...(this.ctx.timeoutMs ? { timeoutMs: this.ctx.timeoutMs } : {}),
    });
    let body: unknown;
    try {
      body = JSON.parse(result.text);
    } catch {
      throw new TransientPlatformError(
        `jd token refresh answered ${result.status} with a body that is not JSON`,
        'jd',
      );
    }
    const token = JdTokenSchema.safeParse(body);
    if (!token.success) {
      const refusal = JdOauthErrorSchema.safeParse(body);
      const why = refusal.success
        ? `code ${refusal.data.code ?? '?'}: ${refusal.data.msg ?? 'no message'}`
        : 'no token in the answer';
      throw new AuthError(`jd refused the token refresh (${why}); ${REAUTHORIZE}`, 'jd', refusal.data?.code);
    }
    const issuedAt =
      token.data.time && Number.isFinite(token.data.time)
        ? token.data.time
        : (this.ctx.now?.() ?? new Date()).getTime();
    return {
      accessToken: token.data.access_token,
      refreshToken: token.data.refresh_token || refreshToken,
      ...(token.data.expires_in
        ? { accessTokenExpiresAt: new Date(issuedAt + token.data.expires_in * 1000).toISOString() }
        : {}),
    };
  }

  private async send(
    method: string,
    business: Record<string, unknown>,
    accessToken: string,
  ): Promise<Record<string, unknown>> {
    const params: Record<string, string> = {
      method,
      app_key: this.ctx.credentials.appKey,
      access_token: accessToken,
      timestamp: formatGmt8(this.ctx.now?.() ?? new Date(), { millis: true, zone: true }),
      v: '2.0',
      '360buy_param_json': JSON.stringify(business),
    };
    params['sign'] = jdSign(params, this.ctx.credentials.appSecret);
    const result = await httpCall({
      platform: 'jd',
      url: gatewayUrl(this.ctx.baseUrl, JD_GATEWAY_PATH),
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' },
      body: new URLSearchParams(params).toString(),
      ...(this.ctx.fetch ? { fetch: this.ctx.fetch } : {}),
      ...(this.ctx.timeoutMs ? { timeoutMs: this.ctx.timeoutMs } : {}),
    });
    let body: unknown;
    try {
      body = parsePlatformJson(result.text);
    } catch {
      throw new TransientPlatformError(`jd answered ${result.status} with a body that is not JSON`, 'jd');
    }
    if (!isRecord(body)) throw new PlatformError('jd: unexpected response shape', 'jd');
    if (isRecord(body['error_response'])) throw jdError(ErrorBodySchema.parse(body['error_response']));
    const envelope = body[`${method.replace(/\./g, '_')}_responce`];
    if (!isRecord(envelope)) throw new PlatformError(`jd: ${method} answered without its envelope`, 'jd');
    return envelope;
  }
}

/** Throws when a JOS result object reports failure in its own `success`/`apiResult` fields. */
export function assertJdSuccess(method: string, result: unknown): void {
  const parsed = JdApiResultSchema.safeParse(result);
  if (!parsed.success) return;
  const { success, chineseErrCode, englishErrCode } = parsed.data;
  if (success === false || success === 'false') {
    throw new RequestRejectedError(
      `jd ${method}: ${chineseErrCode || englishErrCode || 'failed'}`,
      'jd',
      englishErrCode,
    );
  }
}
