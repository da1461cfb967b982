import { randomBytes } from 'node:crypto';

interface Seller {
  shopKey: string;
  refreshToken: string;
}

/**
 * Login with Amazon for the simulated SP-API: the app's client id/secret, sellers' refresh tokens
 * (long-lived, not rotated), 1-hour access tokens, and Restricted Data Tokens scoped to paths.
 */
export class AmazonSimAuth {
  private readonly sellersByRefresh = new Map<string, Seller>();
  private readonly access = new Map<string, { shopKey: string; expiresAt: Date }>();
  private readonly rdts = new Map<string, { shopKey: string; paths: string[]; expiresAt: Date }>();
  refreshCount = 0;

  constructor(
    readonly client: { clientId: string; clientSecret: string },
    private readonly now: () => Date = () => new Date(),
    private readonly ttlSeconds = 3600,
  ) {}

  /** A seller authorises the app: its refresh token. */
  authorize(shopKey: string): string {
    const refreshToken = `Atzr|${randomBytes(24).toString('base64url')}`;
    this.sellersByRefresh.set(refreshToken, { shopKey, refreshToken });
    return refreshToken;
  }

  /** LWA grant; undefined when the client or refresh token is wrong. */
  exchange(
    clientId: string,
    clientSecret: string,
    refreshToken: string,
  ): { accessToken: string; expiresIn: number } | undefined {
    if (clientId !== this.client.clientId || clientSecret !== this.client.clientSecret) return undefined;
    const seller = this.sellersByRefresh.get(refreshToken);
    if (!seller) return undefined;
    const accessToken = `Atza|${randomBytes(24).toString('base64url')}`;
    this.access.set(accessToken, {
      shopKey: seller.shopKey,
      expiresAt: new Date(this.now().getTime() + this.ttlSeconds * 1000),
    });
    this.refreshCount += 1;
    return { accessToken, expiresIn: this.ttlSeconds };
  }

  expireAll(): void {
    for (const token of this.access.values()) token.expiresAt = new Date(this.now().getTime() - 1000);
  }

  lookup(token: string): { shopKey: string; expired: boolean; rdtPaths?: string[] } | undefined {
    const plain = this.access.get(token);
    if (plain) return { shopKey: plain.shopKey, expired: plain.expiresAt <= this.now() };
    const rdt = this.rdts.get(token);
    return rdt && { shopKey: rdt.shopKey, expired: rdt.expiresAt <= this.now(), rdtPaths: rdt.paths };
  }

  issueRdt(shopKey: string, paths: string[]): { token: string; expiresIn: number } {
    const token = `Atz.sprdt|${randomBytes(24).toString('base64url')}`;
    this.rdts.set(token, { shopKey, paths, expiresAt: new Date(this.now().getTime() + 3600_000) });
    return { token, expiresIn: 3600 };
  }
}
