import type { Config } from '../../config/index.js';
import type { CarrierAccount } from '../../domain/carriers/account.js';
import { createAccountServices, type AccountServices } from './accounts.js';
import { createCainiaoWaybillProvider } from './cainiao/waybill.js';
import { createKdniaoProvider } from './kdniao/provider.js';
import { createKuaidi100Provider } from './kuaidi100/provider.js';
import { createSfTrackingProvider } from './sf/routes.js';
import { createSfWaybillProvider } from './sf/waybill.js';
import type { TrackingProvider, TrackingProviderName, WaybillProvider } from './types.js';

export interface CarrierServices {
  /** The waybill service for one of a shop's carrier accounts; undefined when none is configured. */
  waybillProvider(shopId: string, account: CarrierAccount): WaybillProvider | undefined;
  /** The tracking aggregator: Kuaidi100, else KDNiao. */
  tracking?: TrackingProvider;
  /** SF's own route query (and route push with SF_PUSH_TOKEN), for SF direct waybills. */
  sfRoutes?: TrackingProvider;
  /** The service whose pushes arrive at `/webhooks/tracking/{name}`, when it is set up to push. */
  pushReceiver(name: TrackingProviderName): TrackingProvider | undefined;
  /** Which services are configured, for start-up logs and /health. */
  configured: string[];
  /** The waybill services of the shops' own accounts (their secrets, our endpoints). */
  accounts?: AccountServices;
}

/**
 * Builds the carrier services the deployment has credentials for (endpoints and secrets come from
 * configuration, never from code or the database). SF issues SF waybills directly; Cainiao issues
 * waybills for the carriers it serves. Tracking goes per parcel (`trackingRouteFor`): SF direct
 * waybills follow SF's own routes, the rest the aggregator — Kuaidi100, else KDNiao.
 */
export function createCarrierServices(config: Config, fetchImpl?: typeof fetch): CarrierServices {
  const http = (baseUrl: string) => ({ baseUrl, ...(fetchImpl ? { fetch: fetchImpl } : {}) });
  const sf =
    config.SF_BASE_URL && config.SF_PARTNER_ID && config.SF_CHECKWORD
      ? { ...http(config.SF_BASE_URL), partnerId: config.SF_PARTNER_ID, checkword: config.SF_CHECKWORD }
      : undefined;
  const sfWaybills = sf ? createSfWaybillProvider(sf) : undefined;
  const cainiao =
    config.CAINIAO_BASE_URL && config.CAINIAO_APP_KEY && config.CAINIAO_APP_SECRET && config.CAINIAO_SESSION
      ? createCainiaoWaybillProvider({
          ...http(config.CAINIAO_BASE_URL),
          appKey: config.CAINIAO_APP_KEY,
          appSecret: config.CAINIAO_APP_SECRET,
          session: config.CAINIAO_SESSION,
        })
      : undefined;
  const sfRoutes = sf
    ? createSfTrackingProvider({
        ...sf,
        ...(config.SF_PUSH_TOKEN ? { pushToken: config.SF_PUSH_TOKEN } : {}),
      })
    : undefined;
  const tracking =
    config.KUAIDI100_BASE_URL && config.KUAIDI100_CUSTOMER && config.KUAIDI100_KEY && config.KUAIDI100_SALT
      ? createKuaidi100Provider({
          ...http(config.KUAIDI100_BASE_URL),
          customer: config.KUAIDI100_CUSTOMER,
          key: config.KUAIDI100_KEY,
          salt: config.KUAIDI100_SALT,
        })
      : config.KDNIAO_BASE_URL && config.KDNIAO_EBUSINESS_ID && config.KDNIAO_APP_KEY
        ? createKdniaoProvider({
            ...http(config.KDNIAO_BASE_URL),
            eBusinessId: config.KDNIAO_EBUSINESS_ID,
            appKey: config.KDNIAO_APP_KEY,
          })
        : undefined;

  return {
    accounts: createAccountServices(config, fetchImpl),
    waybillProvider(_shopId, account) {
      const channel = account.waybillChannel ?? (account.carrier === 'SF' && sfWaybills ? 'sf' : 'cainiao');
      return channel === 'sf' ? sfWaybills : cainiao;
    },
    ...(tracking ? { tracking } : {}),
    ...(sfRoutes ? { sfRoutes } : {}),
    pushReceiver(name) {
      const provider = name === 'sf' ? sfRoutes : tracking?.name === name ? tracking : undefined;
      return provider?.parsePush ? provider : undefined;
    },
    configured: [
      ...(sfWaybills ? ['SF waybills'] : []),
      ...(cainiao ? ['Cainiao waybills'] : []),
      ...(tracking ? [`${tracking.name} tracking`] : sfRoutes ? ['sf tracking'] : []),
      ...(sfRoutes?.parsePush ? ['SF route pushes'] : []),
    ],
  };
}
