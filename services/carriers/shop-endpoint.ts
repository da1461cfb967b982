import type { Db } from '../../db/connect.js';
import { findShop } from '../../db/queries/shops.js';
import type { Platform } from '../../domain/platforms.js';
import { defaultBaseUrl } from '../../integrations/platforms/registry.js';

/** The shop's platform endpoint (its own, or the platform's default): PDD's e-waybill lives there. */
export async function shopEndpoint(db: Db, shopId: string): Promise<string | null> {
  const shop = await findShop(db, shopId);
  if (!shop) return null;
  return shop.base_url ?? defaultBaseUrl(shop.platform as Platform, shop.platform_shop_id) ?? null;
}
