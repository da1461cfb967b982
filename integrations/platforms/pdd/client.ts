import { z } from 'zod';
import { AuthError, PlatformError, TransientPlatformError } from '../errors.js';
import { httpCall } from '../http.js';
import type { AdapterContext, TokenSet } from '../types.js';
import { gatewayUrl } from '../taobao/client.js';
import { isRecord, parsePlatformJson } from '../taobao/json.js';
import { PDD_TOKEN_EXPIRED, pddError } from './errors.js';
import { pddSign } from './sign.js';
import { PddTokenSchema } from './wire.js';

export const PDD_GATEWAY_PATH = '/api/router';

const ErrorBodySchema = z.object({
  error_code: z.union([z.string(), z.number()]).transform(String).optional(),
  error_msg: z.string().optional(),
  sub_code: z.string().optional(),
  sub_msg: z.string().optional(),
});

/**
 * One PDD gateway conversation: `type`/`client_id`/`timestamp`/`data_type=JSON` + signature, form
 * POST, error mapping, and `pdd.pop.auth.token.refresh` when PDD reports the token expired (10019):
 * one refresh shared by concurrent callers, `onTokensRefreshed`, then the call is retried once.
 * Answers are unwrapped from their `…_response` envelope.
 */
export class PddClient {
  private tokens: TokenSet | undefined;
  private refreshing: Promise<TokenSet> | undefined;

  constructor(private readonly ctx: AdapterContext) {
    const { accessToken, refreshToken, accessTokenExpiresAt } = ctx.credentials;
    this.tokens = accessToken
      ? {
          accessToken,
          ...(refreshToken ? { refreshToken } : {}),
          ...(accessTokenExpiresAt ? { accessTokenExpiresAt } : {}),
        }
      : undefined;
  }

  async call(type: string, params: Record<string, string>): Promise<Record<string, unknown>> {
    const token = this.tokens?.accessToken;
    if (!token) throw new AuthError('pdd: shop has no access token', 'pdd');
    try {
      return await this.send(type, { ...params, access_token: token });
    } catch (err) {
      if (!(err instanceof AuthError && err.code === PDD_TOKEN_EXPIRED && this.tokens?.refreshToken))
        throw err;
      const refreshed = await this.refresh(token);
      return this.send(type, { ...params, access_token: refreshed.accessToken });
    }
  }

  async refresh(staleToken?: string): Promise<TokenSet> {
    if (this.tokens && staleToken && this.tokens.accessToken !== staleToken) return this.tokens;
    this.refreshing ??= this.doRefresh().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async doRefresh(): Promise<TokenSet> {
    const refreshToken = this.tokens?.refreshToken;
    if (!refreshToken) throw new AuthError('pdd: no refresh token', 'pdd');
    let body: Record<string, unknown>;
    try {
      body = await this.send('pdd.pop.auth.token.refresh', { refresh_token: refreshToken });
    } catch (err) {
      if (err instanceof PlatformError && !(err instanceof TransientPlatformError)) {
        throw new AuthError(
          `pdd: token refresh refused, the shop must authorize again: ${err.message}`,
          'pdd',
          err.code,
        );
      }
      throw err;
    }
    const parsed = PddTokenSchema.safeParse(body);
    if (!parsed.success) throw new AuthError('pdd: token refresh answered without a token', 'pdd');
    const now = this.ctx.now?.() ?? new Date();
    const at = parsed.data.expires_at ? Number(parsed.data.expires_at) : undefined;
    const expiresAt = at
      ? new Date(at < 1e12 ? at * 1000 : at)
      : parsed.data.expires_in
        ? new Date(now.getTime() + Number(parsed.data.expires_in) * 1000)
        : undefined;
    const tokens: TokenSet = {
      accessToken: parsed.data.access_token,
      refreshToken: parsed.data.refresh_token || refreshToken,
      ...(expiresAt ? { accessTokenExpiresAt: expiresAt.toISOString() } : {}),
    };
    this.tokens = tokens;
    await this.ctx.onTokensRefreshed?.(tokens);
    return tokens;
  }

  private async send(type: string, business: Record<string, string>): Promise<Record<string, unknown>> {
    const params: Record<string, string> = {
      type,
      client_id: this.ctx.credentials.appKey,
      timestamp: String(Math.floor((this.ctx.now?.() ?? new Date()).getTime() / 1000)),
      data_type: 'JSON',
      ...business,
    };
    params['sign'] = pddSign(params, this.ctx.credentials.appSecret);
    const result = await httpCall({
      platform: 'pdd',
      url: gatewayUrl(this.ctx.baseUrl, PDD_GATEWAY_PATH),
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
      throw new TransientPlatformError(`pdd answered ${result.status} with a body that is not JSON`, 'pdd');
    }
    if (!isRecord(body)) throw new PlatformError('pdd: unexpected response shape', 'pdd');
    if (isRecord(body['error_response'])) throw pddError(ErrorBodySchema.parse(body['error_response']));
    const envelope = Object.entries(body).find(
      ([key, value]) => key.endsWith('_response') && isRecord(value),
    );
    if (!envelope) throw new PlatformError(`pdd: ${type} answered without a response envelope`, 'pdd');
    return envelope[1] as Record<string, unknown>;
  }
}
