import type { AdapterContext, TokenSet } from './types.js';

/**
 * A shop token the adapter fetches for itself with the app's credentials (a self-use app's token
 * call, not an OAuth refresh): fetched when missing or past its end, and once more when the
 * platform refuses it. Fetches are single-flight; new tokens go to `onTokensRefreshed` before use.
 */
export class FetchedToken {
  private tokens: TokenSet;
  private inFlight: Promise<TokenSet> | undefined;

  constructor(
    private readonly ctx: AdapterContext,
    /** Asks the platform for a token; given the current set (a refresh token, when it has one). */
    private readonly fetch: (current: TokenSet) => Promise<TokenSet>,
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

  refresh(): Promise<TokenSet> {
    this.inFlight ??= (async () => {
      const next = await this.fetch(this.tokens);
      this.tokens = next;
      await this.ctx.onTokensRefreshed?.(next);
      return next;
    })().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  /** One exchange: a token first when there is none usable, a new one once when it is refused. */
  async withToken<T>(refused: (err: unknown) => boolean, exchange: () => Promise<T>): Promise<T> {
    const at = this.tokens.accessTokenExpiresAt;
    const now = (this.ctx.now?.() ?? new Date()).getTime();
    if (!this.tokens.accessToken || (at !== undefined && Date.parse(at) <= now)) await this.refresh();
    try {
      return await exchange();
    } catch (err) {
      if (!refused(err)) throw err;
      await this.refresh();
      return exchange();
    }
  }
}
