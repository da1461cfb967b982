import { randomBytes } from 'node:crypto';

export interface SimTokenGrant {
  shopKey: string;
  accessToken: string;
  refreshToken: string;
  expiresAt: Date;
}

/**
 * The shops that authorised the simulated app, and their tokens. Tests grant tokens, expire them
 * on purpose, and watch refreshes; the simulator maps each access token to its shop.
 */
export class SimTokenAuth {
  private readonly byAccess = new Map<string, SimTokenGrant>();
  private readonly byRefresh = new Map<string, SimTokenGrant>();
  /** How many refreshes succeeded (tests assert the adapter refreshed exactly once). */
  refreshCount = 0;

  constructor(
    private readonly ttlSeconds = 7 * 24 * 3600,
    private readonly now: () => Date = () => new Date(),
  ) {}

  grant(shopKey: string, tokens?: { accessToken: string; refreshToken: string }): SimTokenGrant {
    const grant: SimTokenGrant = {
      shopKey,
      accessToken: tokens?.accessToken ?? randomBytes(16).toString('hex'),
      refreshToken: tokens?.refreshToken ?? randomBytes(16).toString('hex'),
      expiresAt: new Date(this.now().getTime() + this.ttlSeconds * 1000),
    };
    this.byAccess.set(grant.accessToken, grant);
    this.byRefresh.set(grant.refreshToken, grant);
    return grant;
  }

  /** Makes the access token expire now (the refresh token stays usable). */
  expire(accessToken: string): void {
    const grant = this.byAccess.get(accessToken);
    if (grant) grant.expiresAt = new Date(this.now().getTime() - 1000);
  }

  lookup(accessToken: string): { grant: SimTokenGrant; expired: boolean } | undefined {
    const grant = this.byAccess.get(accessToken);
    return grant && { grant, expired: grant.expiresAt.getTime() <= this.now().getTime() };
  }

  /** A new token pair; the old pair stops working. */
  refresh(refreshToken: string): SimTokenGrant | undefined {
    const old = this.byRefresh.get(refreshToken);
    if (!old) return undefined;
    this.byAccess.delete(old.accessToken);
    this.byRefresh.delete(old.refreshToken);
    this.refreshCount += 1;
    return this.grant(old.shopKey);
  }
}
