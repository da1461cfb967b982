import { AuthError } from '../errors.js';
import type { AdapterContext, TokenSet } from '../types.js';

/**
 * The shop's tokens inside one adapter. Shopee refresh tokens are single use, so refreshes are
 * single-flight: concurrent calls that find the token expired share one refresh, and the new pair
 * is handed to `onTokensRefreshed` before anything else uses it.
 */
export class ShopeeSession {
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
    if (!refreshToken)
      throw new AuthError('shopee access token expired and no refresh token is stored', 'shopee');
    const next = await this.exchange(refreshToken);
    this.tokens = next;
    await this.ctx.onTokensRefreshed?.(next);
    return next;
  }
}
