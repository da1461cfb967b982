import type { Client } from '@temporalio/client';
import type { Config } from '../config/index.js';
import type { Db } from '../db/connect.js';
import type { WmsAdapter } from '../domain/wms/adapter.js';
import type { RemarkTranslator } from '../integrations/translation/types.js';
import { createAfterSaleAuditActivities } from './after-sale-audit.js';
import { createAfterSaleExchangeActivities } from './after-sale-exchange.js';
import { createAfterSaleReturnActivities } from './after-sale-returns.js';
import { createAfterSaleActivities } from './after-sales.js';
import { createLostParcelRefundActivities } from './after-sale/lost-parcel.js';
import { createPlatformAfterSaleActivities } from './after-sale/platform.js';
import { createAmazonRefundActivities } from './after-sale/amazon-refund.js';
import { createTmcChannelActivities } from './capture/channels/tmc-activities.js';
import { createShopSyncActivities } from './capture/sync.js';
import { createAmazonReturnsActivities } from './capture/amazon-returns.js';
import { createCarrierActivities } from './carriers/activities.js';
import { createWaybillAccountIssuer } from './carriers/waybill-accounts.js';
import { waybillSecretsCipher } from '../services/carriers/waybill-secrets.js';
import type { PaymentChannels } from '../integrations/payments/channels.js';
import type { CarrierServices } from '../integrations/carriers/services.js';
import { createFulfilmentActivities } from './fulfilment.js';
import type { PlatformGateway } from '../integrations/platforms/gateway.js';
import { createOrderAuditActivities } from './order-audit.js';
import { createPlatformLogisticsActivities } from './platform-logistics.js';
import { createOrderPaymentActivities } from './order-payment.js';
import { createOrderProjectionActivities } from './order-projection.js';
import { createReportActivities } from './reports/itemsets.js';
import { createStageFoldActivities } from './reports/stage-fold.js';
import { createStockActivities } from './stock/index.js';
import { createStockSyncActivities } from './stock-sync/index.js';
import { createWmsActivities } from './wms/index.js';

export interface ActivityDeps {
  db: Db;
  config: Config;
  /** Activities that start or signal other workflows (waves, shipments, orders) use it. */
  client: Client;
  /** Ship confirmation and receiver decryption through the shops' platform adapters. */
  platforms: PlatformGateway;
  carriers: CarrierServices;
  /** Alipay and WeChat Pay: refunds of own-store orders. */
  payments: PaymentChannels;
  /** An external WMS in place of the built-in one. */
  wms?: WmsAdapter;
  /** Machine translation of remarks the lexicon cannot read, for a shop (audit). */
  translatorFor?: (shopId: string) => Promise<RemarkTranslator | undefined>;
}

/** Every activity the worker registers, built once over injected dependencies. */
export function createActivities(deps: ActivityDeps) {
  const waybillAccounts = deps.carriers.accounts
    ? createWaybillAccountIssuer({
        db: deps.db,
        services: deps.carriers.accounts,
        secrets: waybillSecretsCipher(deps.config),
      })
    : undefined;
  return {
    ...createOrderProjectionActivities(deps),
    ...createOrderAuditActivities({ ...deps, ...(waybillAccounts ? { waybillAccounts } : {}) }),
    ...createOrderPaymentActivities(deps),
    ...createShopSyncActivities(deps),
    ...createAmazonReturnsActivities(deps),
    ...createTmcChannelActivities(deps),
    ...createStockActivities(deps),
    ...createStockSyncActivities({ db: deps.db, config: deps.config }),
    ...createWmsActivities({ db: deps.db, config: deps.config, ...(deps.wms ? { wms: deps.wms } : {}) }),
    ...createCarrierActivities({
      db: deps.db,
      waybillProvider: deps.carriers.waybillProvider,
      ...(deps.carriers.tracking ? { tracking: deps.carriers.tracking } : {}),
      ...(deps.carriers.sfRoutes ? { sfRoutes: deps.carriers.sfRoutes } : {}),
      ...(waybillAccounts ? { waybillAccounts } : {}),
    }),
    ...createFulfilmentActivities(deps),
    ...createPlatformLogisticsActivities(deps),
    ...createAfterSaleActivities(deps),
    ...createAfterSaleAuditActivities(deps),
    ...createAfterSaleReturnActivities({ db: deps.db, config: deps.config, carriers: deps.carriers }),
    ...createAfterSaleExchangeActivities(deps),
    ...createLostParcelRefundActivities(deps),
    ...createPlatformAfterSaleActivities({ db: deps.db, config: deps.config, client: deps.client }),
    ...createAmazonRefundActivities({ db: deps.db, config: deps.config }),
    ...createReportActivities({ db: deps.db }),
    ...createStageFoldActivities({ db: deps.db }),
  };
}

export type Activities = ReturnType<typeof createActivities>;
