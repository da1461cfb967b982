import { z } from 'zod';
import { AuthError, PlatformError, TransientPlatformError } from '../errors.js';
import { httpCall } from '../http.js';
import type { AdapterContext, TokenSet } from '../types.js';
import { isExpiredSession, topError, type TopErrorBody } from './errors.js';
import { formatGmt8 } from './gmt8.js';
import { isRecord, parsePlatformJson } from './json.js';
import { topSign, type TopSignMethod } from './sign.js';
import { TopTokenResultSchema } from './wire.js';

export const TOP_GATEWAY_PATH = '/router/rest';

export function gatewayUrl(baseUrl: string, path: string): string {
  const trimmed = baseUrl.replace(/\/+$/, '');
  return trimmed.endsWith(path) ? trimmed : `${trimmed}${path}`;
}

const ErrorBodySchema = z.object({
  code: z.union([z.string(), z.number()]).transform(String).optional(),
  msg: z.string().optional(),
  sub_code: z.string().optional(),
  sub_msg: z.string().optional(),
  request_id: z.string().optional(),
});

/**
 * One TOP gateway conversation: common parameters, signature, form POST, error mapping, and the
 * token refresh that TOP allows service-market apps (`taobao.top.auth.token.refresh`): on an
 * invalid session the token is refreshed once (one refresh shared by concurrent calls), the new
 * tokens are handed to `onTokensRefreshed`, and the call is retried once.
 */
export class TopClient {
  private tokens: TokenSet | undefined;
  private refreshing: Promise<TokenSet> | undefined;

  constructor(
    private readonly ctx: AdapterContext,
    private readonly platform: 'taobao' | 'tmall',
    private readonly signMethod: TopSignMethod,
  ) {
    const { accessToken, refreshToken, accessTokenExpiresAt } = ctx.credentials;
    this.tokens = accessToken
      ? {
          accessToken,
          ...(refreshToken ? { refreshToken } : {}),
          ...(accessTokenExpiresAt ? { accessTokenExpiresAt } : {}),
        }
      : undefined;
  }

  get canRefresh(): boolean {
    return Boolean(this.tokens?.refreshToken);
  }

  /** Calls an API that acts for the seller (`session` = access token). */
  async call(method: string, params: Record<string, string>): Promise<Record<string, unknown>> {
    const session = this.tokens?.accessToken;
    if (!session) throw new AuthError(`${this.platform}: shop has no access token`, this.platform);
    try {
      return await this.send(method, { ...params, session });
    } catch (err) {
      if (!(err instanceof ExpiredSessionError) || !this.canRefresh) throw unwrap(err);
      const refreshed = await this.refresh(session);
      try {
        return await this.send(method, { ...params, session: refreshed.accessToken });
      } catch (retryErr) {
        throw unwrap(retryErr);
      }
    }
  }

  /** Calls an app-level API that needs no seller session (TMC, token refresh). */
  async callApp(method: string, params: Record<string, string>): Promise<Record<string, unknown>> {
    try {
      return await this.send(method, params);
    } catch (err) {
      throw unwrap(err);
    }
  }

  /**
   * Exchanges the refresh token for new tokens. `staleToken` lets concurrent callers that all saw
   * the same expired session share one refresh instead of each burning the refresh token.
   */
  async refresh(staleToken?: string): Promise<TokenSet> {
    if (this.tokens && staleToken && this.tokens.accessToken !== staleToken) return this.tokens;
    this.refreshing ??= this.doRefresh().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async doRefresh(): Promise<TokenSet> {
    const refreshToken = this.tokens?.refreshToken;
    if (!refreshToken) throw new AuthError(`${this.platform}: no refresh token`, this.platform);
    const body = await this.callApp('taobao.top.auth.token.refresh', { refresh_token: refreshToken });
    const raw = body['token_result'];
    const parsed = TopTokenResultSchema.safeParse(typeof raw === 'string' ? parsePlatformJson(raw) : raw);
    if (!parsed.success) {
      throw new AuthError(`${this.platform}: token refresh answered without a token`, this.platform);
    }
    const now = this.ctx.now?.() ?? new Date();
    const expiresAt = parsed.data.expire_time
      ? new Date(Number(parsed.data.expire_time))
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

  private async send(method: string, business: Record<string, string>): Promise<Record<string, unknown>> {
    const params: Record<string, string> = {
      method,
      app_key: this.ctx.credentials.appKey,
      timestamp: formatGmt8(this.ctx.now?.() ?? new Date()),
      format: 'json',
      v: '2.0',
      sign_method: this.signMethod,
      simplify: 'true',
      ...business,
    };
    params['sign'] = topSign(params, this.ctx.credentials.appSecret, this.signMethod);
    const result = await httpCall({
      platform: this.platform,
      url: gatewayUrl(this.ctx.baseUrl, TOP_GATEWAY_PATH),
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
      throw new TransientPlatformError(
        `${this.platform} answered ${result.status} with a body that is not JSON: ${result.text.slice(0, 200)}`,
        this.platform,
      );
    }
    if (!isRecord(body))
      throw new PlatformError(`${this.platform}: unexpected response shape`, this.platform);
    if (isRecord(body['error_response'])) {
      const error: TopErrorBody = ErrorBodySchema.parse(body['error_response']);
      if (isExpiredSession(error)) throw new ExpiredSessionError(topError(this.platform, error));
      throw topError(this.platform, error);
    }
    if (result.status >= 400) {
      throw new PlatformError(
        `${this.platform} answered HTTP ${result.status}`,
        this.platform,
        String(result.status),
      );
    }
    return body;
  }
}

/** Carries the AuthError of an expired session up to the one place that may refresh and retry. */
class ExpiredSessionError extends Error {
  constructor(override readonly cause: PlatformError) {
    super(cause.message);
  }
}

function unwrap(err: unknown): unknown {
  return err instanceof ExpiredSessionError ? err.cause : err;
}
