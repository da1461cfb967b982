import type { Config } from '../../config/index.js';
import type { WaybillAccount, WaybillSecrets } from '../../domain/carriers/waybill-account.js';
import { carrierProfile } from '../../domain/carriers/registry.js';
import { AuthError, PlatformError } from '../platforms/errors.js';
import type { CainiaoOptions } from './cainiao/client.js';
import { searchCainiaoSubscriptions } from './cainiao/subscriptions.js';
import { createCainiaoWaybillProvider } from './cainiao/waybill.js';
import { createSfWaybillProvider } from './sf/waybill.js';
import type { WaybillProvider } from './types.js';

type ServiceConfig = Pick<
  Config,
  'CAINIAO_BASE_URL' | 'CAINIAO_APP_KEY' | 'CAINIAO_APP_SECRET' | 'SF_BASE_URL'
>;

/** What the service says of an account when it is saved or re-checked. */
export type AccountCheck =
  | { ok: true; balance: number | null; branchCode?: string; branchName?: string; checked: boolean }
  | { ok: false; field: string; problem: string };

/**
 * The waybill services of the shops' own accounts. Endpoints (and, for Cainiao, the ISV app unless
 * the account brings its own) come from configuration; the account brings its secrets: the seller's
 * TOP session, SF's partner id and checkword.
 */
export function createAccountServices(config: ServiceConfig, fetchImpl?: typeof fetch) {
  const http = (baseUrl: string) => ({ baseUrl, ...(fetchImpl ? { fetch: fetchImpl } : {}) });

  function cainiaoOptions(secrets: WaybillSecrets): CainiaoOptions | undefined {
    const appKey = secrets.appKey ?? config.CAINIAO_APP_KEY;
    const appSecret = secrets.appSecret ?? config.CAINIAO_APP_SECRET;
    if (!config.CAINIAO_BASE_URL || !appKey || !appSecret || !secrets.session) return undefined;
    return { ...http(config.CAINIAO_BASE_URL), appKey, appSecret, session: secrets.session };
  }

  return {
    /** The provider issuing with this account's secrets; undefined when the deployment lacks the service. */
    provider(account: WaybillAccount, secrets: WaybillSecrets): WaybillProvider | undefined {
      switch (account.service) {
        case 'cainiao': {
          const options = cainiaoOptions(secrets);
          return options ? createCainiaoWaybillProvider(options) : undefined;
        }
        case 'sf':
          return config.SF_BASE_URL && secrets.appKey && secrets.appSecret
            ? createSfWaybillProvider({
                ...http(config.SF_BASE_URL),
                partnerId: secrets.appKey,
                checkword: secrets.appSecret,
              })
            : undefined;
        default:
          return undefined;
      }
    },

    /**
     * Asks the service whether the account works: Cainiao's subscription search proves the session,
     * that the carrier is subscribed and the branch exists, and reports its balance. SF has no call
     * that checks credentials without placing an order, so SF accounts are taken as given.
     */
    async check(account: WaybillAccount, secrets: WaybillSecrets): Promise<AccountCheck> {
      if (account.service === 'sf') return { ok: true, balance: null, checked: false };
      if (account.service !== 'cainiao') {
        return {
          ok: false,
          field: 'body.service',
          problem: `${account.service} waybills are not available yet`,
        };
      }
      const options = cainiaoOptions(secrets);
      if (!options) {
        return {
          ok: false,
          field: 'body.credentials.session',
          problem: config.CAINIAO_BASE_URL ? 'is required' : 'Cainiao is not configured (CAINIAO_BASE_URL)',
        };
      }
      const cp = carrierProfile(account.carrier).codes.cainiao;
      if (!cp)
        return { ok: false, field: 'body.carrier', problem: `Cainiao issues no ${account.carrier} waybills` };
      let subscriptions;
      try {
        subscriptions = await searchCainiaoSubscriptions(options, cp);
      } catch (err) {
        if (err instanceof AuthError)
          return {
            ok: false,
            field: 'body.credentials.session',
            problem: `Cainiao refused it: ${err.message}`,
          };
        if (err instanceof PlatformError)
          return { ok: false, field: 'body', problem: `Cainiao: ${err.message}` };
        throw err;
      }
      const branches = subscriptions.filter((s) => s.cpCode === cp).flatMap((s) => s.branches);
      if (branches.length === 0) {
        return {
          ok: false,
          field: 'body.carrier',
          problem: `the session has no ${cp} electronic-waybill subscription`,
        };
      }
      const wanted = account.branchCode;
      const branch = wanted
        ? branches.find((b) => b.branchCode === wanted)
        : branches.length === 1
          ? branches[0]
          : undefined;
      if (!branch) {
        const known = branches.map((b) => `${b.branchCode} ${b.branchName}`).join(', ');
        return {
          ok: false,
          field: 'body.branchCode',
          problem: wanted
            ? `no such ${cp} branch on this session (it has: ${known})`
            : `choose one of ${known}`,
        };
      }
      return {
        ok: true,
        balance: branch.quantity,
        branchCode: branch.branchCode,
        branchName: branch.branchName,
        checked: true,
      };
    },
  };
}

export type AccountServices = ReturnType<typeof createAccountServices>;
