import { AuthError } from '../errors.js';
import type { AdapterContext, TokenSet } from '../types.js';

/**
 * The shop's tokens inside one adapter. Refreshes are single-flight: concurrent calls that all
 * find the token expired share one refresh, because a refresh token must not be spent twice.
 */
export class DouyinSession {
  private tokens: TokenSet;
  private inFlight: Promise<TokenSet> | undefined;

  constructor(
    private readonly ctx: AdapterContext,
    private readonly exchange: (refreshToken: string) => Promise<TokenSet>,
  ) {
    const { accessToken, refreshToken, accessTokenExpiresAt } = ctx.credentials;
    this.tokens = {
      accessToken: accessToken ?? '',
      ...(refreshToken ? { refreshToken } : {}),
      ...(accessTokenExpiresAt ? { accessTokenExpiresAt } : {}),
    };
  }

  get accessToken(): string {
    return this.tokens.accessToken;
  }

  /** Known to be expired already (so the call would fail anyway). */
  expired(now: Date): boolean {
    if (!this.tokens.accessToken) return true;
    const at = this.tokens.accessTokenExpiresAt;
    return at !== undefined && Date.parse(at) <= now.getTime();
  }

  refresh(): Promise<TokenSet> {
    this.inFlight ??= this.doRefresh().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async doRefresh(): Promise<TokenSet> {
    const refreshToken = this.tokens.refreshToken;
    if (!refreshToken) {
      throw new AuthError('douyin access token expired and no refresh token is stored', 'douyin');
    }
    const next = await this.exchange(refreshToken);
    this.tokens = next;
    await this.ctx.onTokensRefreshed?.(next);
    return next;
  }
}
