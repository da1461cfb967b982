import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { FaultPlan } from '../kit/rate-limit.js';
import { cainiaoSimulator } from './cainiao.js';
import { CainiaoBranches } from './cainiao-branches.js';
import { kdniaoSimulator } from './kdniao.js';
import { kuaidi100Simulator } from './kuaidi100.js';
import { CarrierNetwork } from './network.js';
import { PushLog } from './push-log.js';
import { WaybillRefusals } from './refusals.js';
import { ServiceAreas } from './service-areas.js';
import { sfSimulator } from './sf.js';

export { cainiaoSimulator } from './cainiao.js';
export { CainiaoBranches } from './cainiao-branches.js';
export { kdniaoSimulator } from './kdniao.js';
export { kuaidi100Simulator } from './kuaidi100.js';
export { CarrierNetwork, chinaTime } from './network.js';
export type { ParcelScenario, Scan, ScanKind, SimParcel } from './network.js';
export { PushLog } from './push-log.js';
export type { PushRecord } from './push-log.js';
export { sfSimulator } from './sf.js';
export { WaybillRefusals, WAYBILL_REFUSAL_KINDS } from './refusals.js';
export { ServiceAreas } from './service-areas.js';
export type { WaybillRefusalKind } from './refusals.js';

/** Credentials the simulated carrier services accept; the dev stack configures the adapters with them. */
export interface CarrierSandboxAccounts {
  /** `pushUrl`: the route-push URL in the 丰桥 console (read at each scan, so it may be set later). */
  sf: { partnerId: string; checkword: string; pushUrl?: string };
  cainiao: { appKey: string; appSecret: string; sessions: string[] };
  kuaidi100: { customer: string; key: string };
  kdniao: { eBusinessId: string; appKey: string; pushUrl?: string };
}

export const DEFAULT_CARRIER_SANDBOX_ACCOUNTS: CarrierSandboxAccounts = {
  sf: { partnerId: 'SANDBOX-SF', checkword: 'sandbox-sf-checkword' },
  cainiao: { appKey: '10000001', appSecret: 'sandbox-top-secret', sessions: ['sandbox-seller-session'] },
  kuaidi100: { customer: 'SANDBOXK100', key: 'sandbox-k100-key' },
  kdniao: { eBusinessId: '1000001', appKey: 'sandbox-kdniao-key' },
};

/** Where each service is mounted on the sandbox server (real paths below each prefix). */
export const CARRIER_SANDBOX_PREFIXES = {
  sf: '/sf',
  cainiao: '/cainiao',
  kuaidi100: '/kuaidi100',
  kdniao: '/kdniao',
} as const;

/**
 * The ERP's configuration for the carrier simulators served under `base` (their routes at
 * CARRIER_SANDBOX_PREFIXES) with `accounts`. The salt Kuaidi100 signs its pushes with is made up per
 * call: a push secret is never a value anyone could read here.
 */
export function carrierSandboxEnv(
  base: string,
  accounts: CarrierSandboxAccounts = DEFAULT_CARRIER_SANDBOX_ACCOUNTS,
): Record<string, string> {
  const root = base.replace(/\/$/, '');
  return {
    SF_BASE_URL: `${root}${CARRIER_SANDBOX_PREFIXES.sf}`,
    SF_PARTNER_ID: accounts.sf.partnerId,
    SF_CHECKWORD: accounts.sf.checkword,
    CAINIAO_BASE_URL: `${root}${CARRIER_SANDBOX_PREFIXES.cainiao}`,
    CAINIAO_APP_KEY: accounts.cainiao.appKey,
    CAINIAO_APP_SECRET: accounts.cainiao.appSecret,
    CAINIAO_SESSION: accounts.cainiao.sessions[0]!,
    KUAIDI100_BASE_URL: `${root}${CARRIER_SANDBOX_PREFIXES.kuaidi100}`,
    KUAIDI100_CUSTOMER: accounts.kuaidi100.customer,
    KUAIDI100_KEY: accounts.kuaidi100.key,
    KUAIDI100_SALT: randomBytes(18).toString('base64url'),
  };
}

export interface CarrierSandbox {
  network: CarrierNetwork;
  pushLog: PushLog;
  faults: { sf: FaultPlan; cainiao: FaultPlan; kuaidi100: FaultPlan; kdniao: FaultPlan };
  /** Waybill refusals scripted per carrier (SF direct and Cainiao both consult it). */
  refusals: WaybillRefusals;
  /** Cainiao branches and balances per session (`open` one to meter the session). */
  cainiaoBranches: CainiaoBranches;
  /** Where each carrier does not deliver (SF screening and orders consult it). */
  serviceAreas: ServiceAreas;
  accounts: CarrierSandboxAccounts;
  /** Mounts the four services under CARRIER_SANDBOX_PREFIXES. */
  register(app: FastifyInstance): Promise<void>;
  /** Moves parcels along on the clock every `everyMs` (for the dev stack); returns a stop function. */
  startClock(everyMs: number): () => void;
}

/**
 * Every carrier simulator over one shared parcel network: SF and Cainiao issue waybills into it,
 * Kuaidi100, KDNiao and SF routes report it, and subscribed parcels (SF: every waybill ordered
 * through SF, once `accounts.sf.pushUrl` is set) are pushed as they move.
 */
export function createCarrierSandbox(
  options: { now?: () => Date; accounts?: CarrierSandboxAccounts; fetch?: typeof fetch } = {},
): CarrierSandbox {
  const network = new CarrierNetwork(options.now);
  const pushLog = new PushLog();
  const faults = {
    sf: new FaultPlan(),
    cainiao: new FaultPlan(),
    kuaidi100: new FaultPlan(),
    kdniao: new FaultPlan(),
  };
  const refusals = new WaybillRefusals();
  const cainiaoBranches = new CainiaoBranches();
  const serviceAreas = new ServiceAreas();
  // A copy: a sandbox's push URLs are its own.
  const accounts = structuredClone(options.accounts ?? DEFAULT_CARRIER_SANDBOX_ACCOUNTS);
  const fetchOption = options.fetch ? { fetch: options.fetch } : {};
  return {
    network,
    pushLog,
    faults,
    refusals,
    cainiaoBranches,
    serviceAreas,
    accounts,
    async register(app) {
      await app.register(sfSimulator, {
        prefix: CARRIER_SANDBOX_PREFIXES.sf,
        network,
        partners: { [accounts.sf.partnerId]: accounts.sf.checkword },
        faults: faults.sf,
        pushUrl: (partner) => (partner === accounts.sf.partnerId ? accounts.sf.pushUrl : undefined),
        pushLog,
        refusals,
        serviceAreas,
        ...fetchOption,
      });
      await app.register(cainiaoSimulator, {
        prefix: CARRIER_SANDBOX_PREFIXES.cainiao,
        network,
        apps: { [accounts.cainiao.appKey]: accounts.cainiao.appSecret },
        sessions: accounts.cainiao.sessions,
        faults: faults.cainiao,
        refusals,
        branches: cainiaoBranches,
        serviceAreas,
        ...(options.now ? { now: options.now } : {}),
      });
      await app.register(kuaidi100Simulator, {
        prefix: CARRIER_SANDBOX_PREFIXES.kuaidi100,
        network,
        accounts: { [accounts.kuaidi100.customer]: accounts.kuaidi100.key },
        pushLog,
        faults: faults.kuaidi100,
        ...fetchOption,
      });
      await app.register(kdniaoSimulator, {
        prefix: CARRIER_SANDBOX_PREFIXES.kdniao,
        network,
        accounts: {
          [accounts.kdniao.eBusinessId]: {
            appKey: accounts.kdniao.appKey,
            ...(accounts.kdniao.pushUrl ? { pushUrl: accounts.kdniao.pushUrl } : {}),
          },
        },
        pushLog,
        faults: faults.kdniao,
        ...fetchOption,
        ...(options.now ? { now: options.now } : {}),
      });
    },
    startClock(everyMs) {
      const timer = setInterval(() => network.sync(), everyMs);
      timer.unref();
      return () => clearInterval(timer);
    },
  };
}
