import type { Config } from '../../config/index.js';
import type { Db } from '../../db/connect.js';
import { findShop, updateShop } from '../../db/queries/shops.js';
import { platformCarrierCodes } from '../../domain/platform-carrier-codes.js';
import { returnReceiptMode } from '../../domain/after-sales.js';
import { isPlatform, type Platform } from '../../domain/platforms.js';
import { splitShipmentPolicy, takesSplitShipments } from '../../domain/split-shipments.js';
import type { ShipmentChannelResolver } from '../../integrations/platforms/gateway.js';
import {
  createOwnStoreShipper,
  type OwnStoreCallbackTarget,
} from '../../integrations/platforms/own/index.js';
import {
  createAdapter,
  defaultBaseUrl,
  hasPullApi,
  type AdapterOptions,
  type AdapterShop,
} from '../../integrations/platforms/registry.js';
import type { PlatformAdapter } from '../../integrations/platforms/types.js';
import { credentialsCipher, toShopCredentials, withTokens } from '../../services/capture/credentials.js';

type CredentialsConfig = Pick<Config, 'CREDENTIALS_KEY' | 'DATA_DIR' | 'NODE_ENV'>;

/** Why a shop cannot be spoken to through an adapter; the message is for operators. */
export class ShopNotConnectedError extends Error {}

/**
 * A shop as adapters need it, from its row: endpoint (or the platform's default), decrypted
 * credentials, and a token-refresh hook that stores new tokens re-encrypted. Built per call, so a
 * credentials change takes effect at the next call without restarting anything.
 */
export async function openShop(
  deps: { db: Db; config: CredentialsConfig },
  shopId: string,
  options: Omit<AdapterOptions, 'onTokensRefreshed'> = {},
): Promise<{ shop: AdapterShop; options: AdapterOptions }> {
  const { db, config } = deps;
  const shop = await findShop(db, shopId);
  if (!shop) throw new ShopNotConnectedError(`shop ${shopId} does not exist`);
  if (!isPlatform(shop.platform) || !hasPullApi(shop.platform)) {
    throw new ShopNotConnectedError(`${shop.platform} shops have no platform API to call`);
  }
  const platform = shop.platform;
  if (!shop.credentials_encrypted) throw new ShopNotConnectedError(`shop ${shopId} has no credentials`);
  const baseUrl = shop.base_url ?? defaultBaseUrl(platform, shop.platform_shop_id);
  if (!baseUrl) throw new ShopNotConnectedError(`shop ${shopId} has no base URL`);
  const cipher = credentialsCipher(config);
  const stored = cipher.decrypt(shopId, shop.credentials_encrypted);
  const carrierCodes = platformCarrierCodes(shop.settings);
  return {
    shop: {
      shopId,
      platform,
      platformShopId: shop.platform_shop_id,
      baseUrl,
      credentials: toShopCredentials(stored),
      splitShipments: takesSplitShipments(splitShipmentPolicy(platform, shop.settings)),
      ...(carrierCodes ? { carrierCodes } : {}),
      returnReceipt: returnReceiptMode(shop.settings),
    },
    options: {
      ...options,
      onTokensRefreshed: async (tokens) => {
        // Re-read: another call for this shop may have stored newer tokens meanwhile.
        const current = await findShop(db, shopId);
        const base = current?.credentials_encrypted
          ? cipher.decrypt(shopId, current.credentials_encrypted)
          : stored;
        await updateShop(db, shopId, {
          credentials_encrypted: cipher.encrypt(shopId, withTokens(base, tokens)),
        });
      },
    },
  };
}

/** The platform adapter of one shop (see `openShop`). */
export async function openShopAdapter(
  deps: { db: Db; config: CredentialsConfig },
  shopId: string,
  options: Omit<AdapterOptions, 'onTokensRefreshed'> = {},
): Promise<{ platform: Platform; adapter: PlatformAdapter }> {
  const opened = await openShop(deps, shopId, options);
  return { platform: opened.shop.platform, adapter: createAdapter(opened.shop, opened.options) };
}

/**
 * For fulfilment (ship confirmations, receiver decryption): the adapter of a shop, or undefined
 * for shops without a platform API (own stores) or not connected yet.
 */
export function shopAdapterResolver(deps: { db: Db; config: CredentialsConfig }) {
  return async (shopId: string): Promise<PlatformAdapter | undefined> => {
    try {
      return (await openShopAdapter(deps, shopId)).adapter;
    } catch (err) {
      if (err instanceof ShopNotConnectedError) return undefined;
      throw err;
    }
  };
}

/**
 * Where a seller's own store takes our callbacks (fulfilment, cancellation): its `baseUrl` and the
 * webhook secret that signs both directions; or, for any other shop or a store not set up for
 * callbacks, the reason it cannot be told, for the record.
 */
export async function ownStoreCallbackTarget(
  deps: { db: Db; config: CredentialsConfig },
  shopId: string,
  options: Pick<AdapterOptions, 'fetch' | 'timeoutMs'> = {},
): Promise<OwnStoreCallbackTarget | { unsupported: string }> {
  const shop = await findShop(deps.db, shopId);
  if (!shop) return { unsupported: `shop ${shopId} does not exist` };
  if (shop.platform !== 'own') {
    return {
      unsupported: `shop ${shopId} is not connected to the ${shop.platform} API (credentials or endpoint missing); enter the tracking number on ${shop.platform}`,
    };
  }
  if (!shop.base_url) {
    return {
      unsupported: `own store ${shopId} has no fulfilment callback URL (the shop's baseUrl, see docs/own-store-push.md), so its site was not told; the seller enters the tracking number there`,
    };
  }
  const stored = shop.credentials_encrypted
    ? credentialsCipher(deps.config).decrypt(shopId, shop.credentials_encrypted)
    : undefined;
  if (!stored?.webhookSecret) {
    return { unsupported: `own store ${shopId} has no webhook secret to sign its fulfilment callback with` };
  }
  return {
    shopId,
    url: shop.base_url,
    webhookSecret: stored.webhookSecret,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
  };
}

/**
 * For fulfilment, shops without a platform adapter: an own store with a fulfilment callback URL
 * (its `baseUrl`) and a webhook secret is told of each shipment through a signed callback; any
 * other shop gets the reason it is not told, for the shipment's record.
 */
export function shipmentChannelResolver(
  deps: { db: Db; config: CredentialsConfig },
  options: Pick<AdapterOptions, 'fetch' | 'timeoutMs'> = {},
): ShipmentChannelResolver {
  return async (shopId) => {
    const target = await ownStoreCallbackTarget(deps, shopId, options);
    return 'unsupported' in target ? target : createOwnStoreShipper(target);
  };
}
