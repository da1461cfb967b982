import type { Config } from '../../config/index.js';
import type { WaybillAccount, WaybillSecrets } from '../../domain/carriers/waybill-account.js';
import { carrierProfile } from '../../domain/carriers/registry.js';
import { douyinCompanyCode } from '../platforms/douyin/carriers.js';
import { AuthError, PlatformError } from '../platforms/errors.js';
import type { CainiaoOptions } from './cainiao/client.js';
import { searchCainiaoSubscriptions } from './cainiao/subscriptions.js';
import { createCainiaoWaybillProvider } from './cainiao/waybill.js';
import {
  createDouyinWaybillProvider,
  searchDouyinNetsites,
  type DouyinWaybillOptions,
} from './douyin/waybill.js';
import { createPddWaybillProvider, searchPddSubscriptions, type PddWaybillOptions } from './pdd/waybill.js';
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

export interface AccountEndpoint {
  /** The shop's platform endpoint: PDD's e-waybill is on the platform's own gateway. */
  shopBaseUrl?: string | null;
}

interface Branch {
  branchCode: string;
  branchName: string;
  quantity: number;
}

/**
 * The waybill services of the shops' own accounts. Endpoints (and, for Cainiao, the ISV app unless
 * the account brings its own) come from configuration or the shop; the account brings its secrets:
 * the seller's TOP session, SF's partner id and checkword, the PDD app and the shop's token.
 */
export function createAccountServices(config: ServiceConfig, fetchImpl?: typeof fetch) {
  const http = (baseUrl: string) => ({ baseUrl, ...(fetchImpl ? { fetch: fetchImpl } : {}) });

  function cainiaoOptions(secrets: WaybillSecrets): CainiaoOptions | undefined {
    const appKey = secrets.appKey ?? config.CAINIAO_APP_KEY;
    const appSecret = secrets.appSecret ?? config.CAINIAO_APP_SECRET;
    if (!config.CAINIAO_BASE_URL || !appKey || !appSecret || !secrets.session) return undefined;
    return { ...http(config.CAINIAO_BASE_URL), appKey, appSecret, session: secrets.session };
  }

  function pddOptions(secrets: WaybillSecrets, where: AccountEndpoint): PddWaybillOptions | undefined {
    if (!where.shopBaseUrl || !secrets.appKey || !secrets.appSecret || !secrets.session) return undefined;
    return {
      ...http(where.shopBaseUrl),
      clientId: secrets.appKey,
      clientSecret: secrets.appSecret,
      accessToken: secrets.session,
    };
  }

  function douyinOptions(secrets: WaybillSecrets, where: AccountEndpoint): DouyinWaybillOptions | undefined {
    if (!where.shopBaseUrl || !secrets.appKey || !secrets.appSecret || !secrets.session) return undefined;
    return {
      ...http(where.shopBaseUrl),
      appKey: secrets.appKey,
      appSecret: secrets.appSecret,
      accessToken: secrets.session,
    };
  }

  return {
    /** The provider issuing with this account's secrets; undefined when the service cannot be reached. */
    provider(
      account: WaybillAccount,
      secrets: WaybillSecrets,
      where: AccountEndpoint = {},
    ): WaybillProvider | undefined {
      switch (account.service) {
        case 'cainiao': {
          const options = cainiaoOptions(secrets);
          return options ? createCainiaoWaybillProvider({ ...options, screensAddresses: true }) : undefined;
        }
        case 'pdd': {
          const options = pddOptions(secrets, where);
          return options ? createPddWaybillProvider(options) : undefined;
        }
        case 'douyin': {
          const options = douyinOptions(secrets, where);
          return options ? createDouyinWaybillProvider(options) : undefined;
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
     * Asks the service whether the account works: Cainiao's and PDD's subscription searches and
     * Douyin's `listShopNetsite` prove
     * the session, that the carrier is subscribed and the branch exists, and report its balance.
     * SF has no call that checks credentials without placing an order, so SF accounts are taken
     * as given.
     */
    async check(
      account: WaybillAccount,
      secrets: WaybillSecrets,
      where: AccountEndpoint = {},
    ): Promise<AccountCheck> {
      if (account.service === 'sf') return { ok: true, balance: null, checked: false };
      const code = carrierProfile(account.carrier).codes.cainiao;
      if (account.service === 'pdd') {
        const options = pddOptions(secrets, where);
        if (!options)
          return {
            ok: false,
            field: 'body.credentials',
            problem: 'PDD needs appKey, appSecret and session, on a PDD shop with its endpoint',
          };
        if (!code)
          return { ok: false, field: 'body.carrier', problem: `PDD issues no ${account.carrier} waybills` };
        try {
          return pickBranch(account, code, await searchPddSubscriptions(options, code));
        } catch (err) {
          return refused('PDD', err);
        }
      }
      if (account.service === 'douyin') {
        const options = douyinOptions(secrets, where);
        if (!options)
          return {
            ok: false,
            field: 'body.credentials',
            problem: 'Douyin needs appKey, appSecret and session, on a Douyin shop with its endpoint',
          };
        if (!douyinCompanyCode(account.carrier))
          return {
            ok: false,
            field: 'body.carrier',
            problem: `Douyin issues no ${account.carrier} waybills`,
          };
        try {
          return pickBranch(
            account,
            douyinCompanyCode(account.carrier)!,
            await searchDouyinNetsites(options, account.carrier),
          );
        } catch (err) {
          return refused('Douyin', err);
        }
      }
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
      if (!code)
        return { ok: false, field: 'body.carrier', problem: `Cainiao issues no ${account.carrier} waybills` };
      try {
        const subscriptions = await searchCainiaoSubscriptions(options, code);
        return pickBranch(
          account,
          code,
          subscriptions.filter((s) => s.cpCode === code).flatMap((s) => s.branches),
        );
      } catch (err) {
        return refused('Cainiao', err);
      }
    },
  };
}

function refused(service: string, err: unknown): AccountCheck {
  if (err instanceof AuthError)
    return { ok: false, field: 'body.credentials.session', problem: `${service} refused it: ${err.message}` };
  if (err instanceof PlatformError)
    return { ok: false, field: 'body', problem: `${service}: ${err.message}` };
  throw err;
}

/** The account's branch among those the service reports (the only one when none was named). */
function pickBranch(account: WaybillAccount, code: string, branches: readonly Branch[]): AccountCheck {
  if (branches.length === 0) {
    return {
      ok: false,
      field: 'body.carrier',
      problem: `the session has no ${code} electronic-waybill subscription`,
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
        ? `no such ${code} branch on this session (it has: ${known})`
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
}

export type AccountServices = ReturnType<typeof createAccountServices>;
