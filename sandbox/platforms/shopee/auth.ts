import { randomBytes } from 'node:crypto';

export interface ShopeeSimGrant {
  shopKey: string;
  accessToken: string;
  refreshToken: string;
  expiresAt: Date;
}

/**
 * Shops that authorised the simulated partner app. Access tokens live 4 hours; a refresh token
 * works exactly once (Shopee's rule), so a lost refresh response locks the shop out until it is
 * authorised again — tests can show the adapter stores every new pair.
 */
export class ShopeeSimAuth {
  private readonly byAccess = new Map<string, ShopeeSimGrant>();
  private readonly byRefresh = new Map<string, ShopeeSimGrant>();
  refreshCount = 0;

  constructor(
    private readonly ttlSeconds = 4 * 3600,
    private readonly now: () => Date = () => new Date(),
  ) {}

  grant(shopKey: string): ShopeeSimGrant {
    const grant: ShopeeSimGrant = {
      shopKey,
      accessToken: randomBytes(16).toString('hex'),
      refreshToken: randomBytes(16).toString('hex'),
      expiresAt: new Date(this.now().getTime() + this.ttlSeconds * 1000),
    };
    this.byAccess.set(grant.accessToken, grant);
    this.byRefresh.set(grant.refreshToken, grant);
    return grant;
  }

  expire(accessToken: string): void {
    const grant = this.byAccess.get(accessToken);
    if (grant) grant.expiresAt = new Date(this.now().getTime() - 1000);
  }

  lookup(accessToken: string): { grant: ShopeeSimGrant; expired: boolean } | undefined {
    const grant = this.byAccess.get(accessToken);
    return grant && { grant, expired: grant.expiresAt.getTime() <= this.now().getTime() };
  }

  /** A new pair for the shop; the refresh token is spent whether or not the caller keeps the answer. */
  refresh(refreshToken: string, shopKey: string): ShopeeSimGrant | undefined {
    const old = this.byRefresh.get(refreshToken);
    if (!old || old.shopKey !== shopKey) return undefined;
    this.byRefresh.delete(refreshToken);
    this.byAccess.delete(old.accessToken);
    this.refreshCount += 1;
    return this.grant(old.shopKey);
  }
}
