import { AuthError } from './errors.js';
import type { AdapterContext, TokenSet } from './types.js';

/**
 * A shop's tokens inside one adapter. Refreshes are single-flight: concurrent calls that all find
 * the token refused share one refresh (a refresh token must not be spent twice), and a caller
 * whose stale token was already replaced gets the new one without refreshing again. New tokens go
 * to `onTokensRefreshed` before anything else uses them.
 */
export class TokenSession {
  private tokens: TokenSet;
  private inFlight: Promise<TokenSet> | undefined;

  constructor(
    private readonly ctx: AdapterContext,
    private readonly platform: string,
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

  /** Known to be expired already (so a call would fail anyway). */
  expired(now: Date): boolean {
    if (!this.tokens.accessToken) return true;
    const at = this.tokens.accessTokenExpiresAt;
    return at !== undefined && Date.parse(at) <= now.getTime();
  }

  get canRefresh(): boolean {
    return Boolean(this.tokens.refreshToken);
  }

  /**
   * One exchange with the shop's token: refreshed first when it is known to be expired, and once
   * more when the platform refuses it (`refused` tells the platform's refusal from other errors).
   */
  async withToken<T>(now: Date, refused: (err: unknown) => boolean, exchange: () => Promise<T>): Promise<T> {
    if (this.expired(now) && this.canRefresh) await this.refresh();
    try {
      return await exchange();
    } catch (err) {
      if (!refused(err) || !this.canRefresh) throw err;
      await this.refresh();
      return exchange();
    }
  }

  refresh(staleToken?: string): Promise<TokenSet> {
    if (staleToken !== undefined && staleToken !== this.tokens.accessToken)
      return Promise.resolve(this.tokens);
    this.inFlight ??= this.doRefresh().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async doRefresh(): Promise<TokenSet> {
    const refreshToken = this.tokens.refreshToken;
    if (!refreshToken) {
      throw new AuthError(
        `${this.platform} access token expired and no refresh token is stored`,
        this.platform,
      );
    }
    const next = await this.exchange(refreshToken);
    this.tokens = next;
    await this.ctx.onTokensRefreshed?.(next);
    return next;
  }
}
