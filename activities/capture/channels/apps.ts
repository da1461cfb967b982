import type { Config } from '../../../config/index.js';
import type { Db } from '../../../db/connect.js';
import type { ChannelKind } from '../../../db/queries/channels.js';
import type { Platform } from '../../../domain/platforms.js';
import { defaultBaseUrl } from '../../../integrations/platforms/registry.js';
import { credentialsCipher } from '../../../services/capture/credentials.js';

/** Which shops each message channel serves: TOP's TMC carries Taobao and Tmall sellers alike. */
export const CHANNEL_PLATFORMS: Record<ChannelKind, readonly Platform[]> = {
  tmc: ['taobao', 'tmall'],
  pmc: ['pdd'],
};

export interface ChannelShop {
  id: string;
  platform: Platform;
  platformShopId: string;
}

/** One platform app whose message channel we consume, with the shops registered under it. */
export interface ChannelApp {
  channel: ChannelKind;
  appKey: string;
  appSecret: string;
  /** The API endpoint of the app's first shop (the sandbox's, or the platform's own). */
  baseUrl: string;
  /** Credential extras of that shop (`tmcGroup`, `pmcUrl`). */
  extra: Record<string, string>;
  shops: ChannelShop[];
}

type Deps = { db: Db; config: Pick<Config, 'CREDENTIALS_KEY' | 'DATA_DIR' | 'NODE_ENV'> };

/**
 * The apps of a channel, read from the shops' (encrypted) credentials: a message channel belongs
 * to an app, not to a shop, so every shop authorised under one app key shares one consumer.
 * Shops whose credentials cannot be read are left out (their polling reports that problem).
 */
export async function findChannelApps(deps: Deps, channel: ChannelKind): Promise<ChannelApp[]> {
  const rows = await deps.db
    .selectFrom('shops')
    .select(['id', 'platform', 'platform_shop_id', 'base_url', 'credentials_encrypted'])
    .where('platform', 'in', [...CHANNEL_PLATFORMS[channel]])
    .where('credentials_encrypted', 'is not', null)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const cipher = credentialsCipher(deps.config);
  const apps = new Map<string, ChannelApp>();
  for (const row of rows) {
    let credentials;
    try {
      credentials = cipher.decrypt(row.id, row.credentials_encrypted!);
    } catch {
      continue;
    }
    if (!credentials.appKey || !credentials.appSecret) continue;
    const platform = row.platform as Platform;
    const shop = { id: row.id, platform, platformShopId: row.platform_shop_id };
    const known = apps.get(credentials.appKey);
    if (known) {
      known.shops.push(shop);
      continue;
    }
    const baseUrl = row.base_url ?? defaultBaseUrl(platform, row.platform_shop_id);
    if (!baseUrl) continue;
    apps.set(credentials.appKey, {
      channel,
      appKey: credentials.appKey,
      appSecret: credentials.appSecret,
      baseUrl,
      extra: credentials.extra ?? {},
      shops: [shop],
    });
  }
  return [...apps.values()];
}

export async function findChannelApp(
  deps: Deps,
  channel: ChannelKind,
  appKey: string,
): Promise<ChannelApp | undefined> {
  return (await findChannelApps(deps, channel)).find((app) => app.appKey === appKey);
}
