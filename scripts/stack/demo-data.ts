import type { Client } from '@temporalio/client';
import { credentialsCipher } from '../../services/capture/credentials.js';
import { startShopSync } from '../../services/capture/sync-control.js';
import { hasPullApi } from '../../integrations/platforms/registry.js';
import type { Config } from '../../config/index.js';
import type { Db } from '../../db/connect.js';
import { findShop, insertShop, updateShop } from '../../db/queries/shops.js';
import { PLATFORMS, type Platform } from '../../domain/platforms.js';
import { CATALOGUE } from '../../sandbox/orders/catalogue.js';
import { platformSkuId } from '../../sandbox/orders/generator.js';
import type { SandboxShop } from '../../sandbox/stack.js';

export interface DemoDataOptions {
  config: Pick<Config, 'CREDENTIALS_KEY' | 'DATA_DIR' | 'NODE_ENV' | 'TASK_QUEUE_ORDERS'>;
  /** The sandbox's shops: registered (or re-pointed at this run's sandbox) and their syncs started. */
  sandboxShops?: readonly SandboxShop[];
  temporal?: Client;
  /** Poll interval of the demo shops (short, so a new user sees orders within a minute). */
  pollIntervalSeconds?: number;
}

/**
 * What a new user needs to see orders flow in `npm run dev`: the simulated sellers' catalogue as
 * SKUs (with each platform's SKU ids mapped to them), and one shop per platform pointing at the
 * sandbox with its demo credentials, encrypted like any shop's. Safe to run on every start: the
 * sandbox's tokens change per run, so existing demo shops get this run's endpoint and tokens.
 */
export async function seedDemoData(db: Db, options?: DemoDataOptions): Promise<void> {
  await seedCatalogue(db);
  if (!options?.sandboxShops) {
    await db
      .insertInto('shops')
      .values({
        id: 'demo-shop',
        platform: 'own',
        name: 'Demo store (own site)',
        settings: JSON.stringify({}),
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
    return;
  }
  const cipher = credentialsCipher(options.config);
  for (const shop of options.sandboxShops) {
    const pullable = hasPullApi(shop.platform);
    const credentials = Object.fromEntries(Object.entries(shop.credentials).filter(([, v]) => v !== ''));
    const encrypted = cipher.encrypt(shop.id, { appKey: '', appSecret: '', ...credentials });
    const existing = await findShop(db, shop.id);
    if (!existing) {
      await insertShop(db, {
        id: shop.id,
        platform: shop.platform,
        name: shop.name,
        platformShopId: shop.platformShopId,
        baseUrl: shop.baseUrl || null,
        credentialsEncrypted: encrypted,
        pollIntervalSeconds: options.pollIntervalSeconds ?? 30,
        syncEnabled: pullable,
        // The demo own store provides SF return labels (docs/after-sales.md, "Return waybills we issue").
        settings: shop.platform === 'own' ? { returnLabel: { issuer: 'sf', carrier: 'SF' } } : {},
      });
    } else if (existing.platform === shop.platform) {
      await updateShop(db, shop.id, {
        platform_shop_id: shop.platformShopId,
        base_url: shop.baseUrl || null,
        credentials_encrypted: encrypted,
      });
    }
    const row = await findShop(db, shop.id);
    if (options.temporal && row?.sync_enabled && pullable) {
      await startShopSync(options.temporal, options.config.TASK_QUEUE_ORDERS, row);
    }
  }
}

/** The catalogue's SKUs, and each platform's SKU id mapped to them (platform-wide mappings). */
async function seedCatalogue(db: Db): Promise<void> {
  await db
    .insertInto('skus')
    .values(
      CATALOGUE.map((sku) => {
        // The catalogue gives a volume: a cube of that volume, in millimetres.
        const side = Math.round(Math.cbrt(sku.volumeCm3) * 10);
        return {
          code: sku.code,
          name: `${sku.title} ${sku.spec}`,
          weight_g: sku.weightGrams,
          length_mm: side,
          width_mm: side,
          height_mm: side,
          flags: [...(sku.fragile ? ['fragile'] : []), ...(sku.coldChain ? ['cold_chain'] : [])],
        };
      }),
    )
    .onConflict((oc) => oc.column('code').doNothing())
    .execute();

  const existing = await db
    .selectFrom('platform_sku_mappings')
    .select(['platform', 'platform_sku_id'])
    .where('shop_id', 'is', null)
    .execute();
  const have = new Set(existing.map((m) => `${m.platform}|${m.platform_sku_id}`));
  const platforms = PLATFORMS.filter((p): p is Exclude<Platform, 'own'> => p !== 'own');
  const mappings = platforms
    .flatMap((platform) =>
      CATALOGUE.map((sku) => ({ platform, platformSkuId: platformSkuId(platform, sku.code), sku: sku.code })),
    )
    .filter((m) => !have.has(`${m.platform}|${m.platformSkuId}`));
  if (mappings.length) {
    await db
      .insertInto('platform_sku_mappings')
      .values(
        mappings.map((m) => ({
          platform: m.platform,
          shop_id: null,
          platform_sku_id: m.platformSkuId,
          outer_code: null,
          sku_code: m.sku,
        })),
      )
      .execute();
  }
}
