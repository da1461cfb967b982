import type { Config } from '../config/index.js';
import type { Db } from '../db/connect.js';
import { createCarrierServices, type CarrierServices } from '../integrations/carriers/services.js';
import { createPlatformGateway, type PlatformGateway } from '../integrations/platforms/gateway.js';
import type { PlatformAdapter } from '../integrations/platforms/types.js';
import type { PaymentChannels } from '../integrations/payments/channels.js';
import { paymentChannelsFromConfig } from '../services/payments.js';
import type { RemarkTranslator } from '../integrations/translation/types.js';
import { shopTranslatorResolver } from '../services/remarks/translation-accounts.js';
import { shipmentChannelResolver, shopAdapterResolver } from '../activities/capture/shop-adapters.js';

export interface ExternalServices {
  platforms: PlatformGateway;
  carriers: CarrierServices;
  /** Alipay and WeChat Pay, for refunds of own-store orders. */
  payments: PaymentChannels;
  /**
   * Machine translation of remarks the lexicon cannot read, for a shop: the seller's own account,
   * then the deployment's; resolves to undefined when neither is configured.
   */
  translatorFor: (shopId: string) => Promise<RemarkTranslator | undefined>;
}

export interface ServiceOverrides {
  /**
   * The adapter of a shop's platform; by default built from the shop's row and encrypted
   * credentials (shops without a platform API, like own stores, have none).
   */
  platformAdapterFor?: (shopId: string) => Promise<PlatformAdapter | undefined>;
  carriers?: CarrierServices;
  payments?: PaymentChannels;
  /** One translator for every shop; null: none, whatever the configuration and the shops say. */
  translator?: RemarkTranslator | null;
}

/** The external systems activities talk to, built from configuration (and the shops' credentials). */
export function buildExternalServices(
  db: Db,
  config: Config,
  overrides: ServiceOverrides = {},
): ExternalServices {
  return {
    platforms: createPlatformGateway(
      overrides.platformAdapterFor ?? shopAdapterResolver({ db, config }),
      shipmentChannelResolver({ db, config }),
    ),
    carriers: overrides.carriers ?? createCarrierServices(config),
    payments: overrides.payments ?? paymentChannelsFromConfig(config),
    translatorFor:
      overrides.translator === undefined
        ? shopTranslatorResolver(db, config)
        : async () => overrides.translator ?? undefined,
  };
}
