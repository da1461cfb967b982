import type { Db } from '../../../db/connect.js';
import type { Platform } from '../../../domain/platforms.js';
import type { ChannelShop } from './apps.js';

/**
 * Finds our shops by the seller a channel message names (Taobao `user_nick`, PDD `mallID`). The
 * table is cached briefly; a seller not in the cache re-reads it at once (at most every
 * `missRefreshMs`), so a shop registered a moment ago receives its next message.
 */
export interface ShopRouter {
  route(seller: string): Promise<ChannelShop[]>;
}

export function createShopRouter(
  db: Db,
  platforms: readonly Platform[],
  options: { ttlMs?: number; missRefreshMs?: number; now?: () => number } = {},
): ShopRouter {
  const ttl = options.ttlMs ?? 60_000;
  const missRefresh = options.missRefreshMs ?? 2_000;
  const now = options.now ?? Date.now;
  let bySeller = new Map<string, ChannelShop[]>();
  let loadedAt = -Infinity;
  let loading: Promise<void> | undefined;

  const load = () =>
    (loading ??= (async () => {
      try {
        const rows = await db
          .selectFrom('shops')
          .select(['id', 'platform', 'platform_shop_id'])
          .where('platform', 'in', [...platforms])
          .orderBy('id')
          .execute();
        const next = new Map<string, ChannelShop[]>();
        for (const row of rows) {
          if (!row.platform_shop_id) continue;
          const shops = next.get(row.platform_shop_id) ?? [];
          shops.push({
            id: row.id,
            platform: row.platform as Platform,
            platformShopId: row.platform_shop_id,
          });
          next.set(row.platform_shop_id, shops);
        }
        bySeller = next;
        loadedAt = now();
      } finally {
        loading = undefined;
      }
    })());

  return {
    async route(seller) {
      if (now() - loadedAt > ttl) await load();
      const found = bySeller.get(seller);
      if (found) return found;
      if (now() - loadedAt > missRefresh) await load();
      return bySeller.get(seller) ?? [];
    },
  };
}
