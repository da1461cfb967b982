import { ApplicationFailure } from '@temporalio/common';
import type { Db } from '../../db/connect.js';
import { raiseAlert, resolveAlerts } from '../../db/queries/alerts.js';
import {
  countWaybillIssued,
  listWaybillAccountRows,
  recordWaybillAccountState,
  toWaybillAccount,
} from '../../db/queries/waybill-accounts.js';
import type { WaybillRefusal, WaybillRefusalKind } from '../../domain/carriers/refusal.js';
import { WAYBILL_REFUSAL_TEXT } from '../../domain/carriers/refusal.js';
import {
  accountsToTry,
  hasAccountFor,
  opensReceiver,
  usable,
  type WaybillAccount,
  type WaybillSecrets,
} from '../../domain/carriers/waybill-account.js';
import { shopEndpoint } from '../../services/carriers/shop-endpoint.js';
import type { AccountServices } from '../../integrations/carriers/accounts.js';
import type { ServiceCoverage } from '../../domain/carriers/reachability.js';
import type {
  CancelWaybillRequest,
  CoverageQuery,
  Waybill,
  WaybillProvider,
  WaybillRequest,
} from '../../integrations/carriers/types.js';
import { asCarrierActivity, asWaybillRefusal, CARRIER_FAILURE } from './failures.js';

export interface WaybillAccountDeps {
  db: Db;
  services: AccountServices;
  /** Decrypts an account's stored secrets (services/carriers/waybill-secrets.ts). */
  secrets: { decrypt(id: string, blob: string): WaybillSecrets };
  now?: () => Date;
}

/** Refusals that are the account's, not the parcel's: the next account may well take the parcel. */
const ACCOUNT_REFUSALS: readonly WaybillRefusalKind[] = [
  'no_balance',
  'authorisation_expired',
  'account_not_configured',
];

/**
 * Waybills through the shop's own electronic-waybill accounts. `issue` answers undefined when the
 * shop has no account for the carrier at that warehouse (the deployment-wide service then issues,
 * as before). Otherwise it tries the accounts the rules order (`accountsToTry`): an account the
 * service refuses for its own reasons (balance spent, authorisation expired, carrier not
 * subscribed) is marked, the shop alerted, and the next account tried; a refusal of the parcel
 * itself (address, receiver) ends it. A balance that reaches the account's threshold alerts the
 * shop while waybills still come.
 */
export function createWaybillAccountIssuer(deps: WaybillAccountDeps) {
  const now = deps.now ?? (() => new Date());

  async function accounts(shopId: string) {
    const rows = await listWaybillAccountRows(deps.db, shopId);
    return rows.flatMap((row) => {
      const account = toWaybillAccount(row);
      return account ? [{ account, blob: row.credentials_encrypted }] : [];
    });
  }

  async function providerOf(account: WaybillAccount, blob: string): Promise<WaybillProvider | undefined> {
    const provider = deps.services.provider(account, deps.secrets.decrypt(account.id, blob), {
      shopBaseUrl: await shopEndpoint(deps.db, account.shopId),
    });
    return provider?.supports(account.carrier) ? provider : undefined;
  }

  async function stop(account: WaybillAccount, refusal: WaybillRefusal): Promise<void> {
    const state = refusal.kind as 'no_balance' | 'authorisation_expired' | 'account_not_configured';
    await recordWaybillAccountState(deps.db, account.id, {
      state,
      reason: refusal.reason,
      ...(state === 'no_balance' ? { balance: 0 } : {}),
      at: now(),
    });
    await raiseAlert(deps.db, {
      shopId: account.shopId,
      kind: 'waybill_account_failing',
      message: `${account.carrier} waybill account ${account.name} stopped (${WAYBILL_REFUSAL_TEXT[refusal.kind]}): ${refusal.reason}`,
      at: now(),
    });
  }

  async function counted(account: WaybillAccount): Promise<void> {
    if (account.balance === null) return;
    const left = await countWaybillIssued(deps.db, account.id);
    if (left !== null && left <= account.lowBalanceAt) {
      await raiseAlert(deps.db, {
        shopId: account.shopId,
        kind: 'waybill_balance_low',
        message: `${account.carrier} waybill account ${account.name} has ${left} waybills left (alert at ${account.lowBalanceAt}): top it up at the branch`,
        at: now(),
      });
    }
  }

  return {
    async issue(
      shopId: string,
      warehouse: string | null,
      request: WaybillRequest,
    ): Promise<Waybill | undefined> {
      const all = await accounts(shopId);
      const list = all.map((a) => a.account);
      if (!hasAccountFor(list, request.carrier, warehouse)) return undefined;
      const blobs = new Map(all.map((a) => [a.account.id, a.blob]));
      // A receiver sealed by a platform can only go to that platform's own e-waybill accounts.
      const sealedBy =
        request.receiver.protected === 'ciphertext' ? (request.receiver.platform ?? 'pdd') : null;
      // Among equal priorities the account whose rate table is cheaper for this parcel goes first.
      const order = accountsToTry(list, request.carrier, warehouse, {
        province: request.receiver.address.province,
        city: request.receiver.address.city,
        origin: request.sender.address.province,
        weightG: request.parcel.weightG,
      }).filter((a) => opensReceiver(a, sealedBy));
      let last: WaybillRefusal | undefined;
      for (const account of order) {
        const provider = await providerOf(account, blobs.get(account.id)!);
        if (!provider) continue;
        try {
          const waybill = await asCarrierActivity(() =>
            provider.createWaybill({
              ...request,
              ...(account.branchCode ? { branchCode: account.branchCode } : {}),
              ...(account.monthlyAccount ? { monthlyAccount: account.monthlyAccount } : {}),
              ...(account.productType ? { serviceType: account.productType } : {}),
            }),
          );
          await counted(account);
          return { ...waybill, accountId: account.id };
        } catch (err) {
          const failure = asWaybillRefusal(request.carrier, err);
          const refusal = refusalOf(failure);
          if (!refusal) throw failure;
          if (!ACCOUNT_REFUSALS.includes(refusal.kind)) throw failure;
          await stop(account, refusal);
          last = refusal;
        }
      }
      throw ApplicationFailure.create({
        type: CARRIER_FAILURE.waybillRefused,
        message: last
          ? `${request.carrier} refused the waybill on every account: ${last.reason}`
          : `no usable ${request.carrier} waybill account (every one is stopped, spent or lacks a configured service)`,
        nonRetryable: true,
        details: [
          last ?? {
            kind: 'account_not_configured',
            carrier: request.carrier,
            reason: `no usable ${request.carrier} waybill account`,
            code: null,
          },
        ],
      });
    },

    /**
     * What the shop's own accounts for the carrier say of an address (筛单): undefined when the shop
     * has no enabled account for it (the deployment's service is asked instead). Each usable account
     * whose service has a coverage call is asked (Cainiao 地址可达查询, Douyin 超区校验, SF 订单筛选
     * with the account's own partner id); one that serves is enough, every one saying no is a no
     * with the first one's words, and otherwise (an account that cannot tell, a call that fails,
     * no service with a call) the registry's answer stands.
     */
    async coverage(shopId: string, query: CoverageQuery): Promise<ServiceCoverage | undefined> {
      const own = (await accounts(shopId)).filter(
        ({ account }) => account.enabled && account.carrier === query.carrier,
      );
      if (own.length === 0) return undefined;
      const answers: ServiceCoverage[] = [];
      for (const { account, blob } of own) {
        if (!usable(account)) continue;
        const provider = await providerOf(account, blob);
        if (!provider?.coverage) continue;
        let answer: ServiceCoverage;
        try {
          answer = await provider.coverage(query);
        } catch (err) {
          answer = { serves: 'unknown', reason: (err as Error).message };
        }
        if (answer.serves === true) return answer;
        answers.push(
          answer.serves === false ? { ...answer, reason: `${account.name}: ${answer.reason}` } : answer,
        );
      }
      const no = answers.find((a) => a.serves === false);
      if (no && answers.every((a) => a.serves === false)) return no;
      return {
        serves: 'unknown',
        reason: answers.length ? 'an account could not tell' : 'no account of the carrier can be asked',
      };
    },

    /** Cancels through the account that issued the waybill; undefined when it was not an account's. */
    async cancel(shopId: string, accountId: string, request: CancelWaybillRequest): Promise<boolean> {
      const row = (await accounts(shopId)).find((a) => a.account.id === accountId);
      if (!row) return false;
      const provider = await providerOf(row.account, row.blob);
      if (!provider) return false;
      await asCarrierActivity(() => provider.cancelWaybill(request));
      return true;
    },

    /** A refreshed report of the account from its service: the balance, and the state back to ok. */
    async recordCheck(account: WaybillAccount, balance: number | null): Promise<void> {
      await recordWaybillAccountState(deps.db, account.id, { state: 'ok', reason: null, balance, at: now() });
      const left = await accounts(account.shopId);
      if (left.every(({ account: a }) => a.state === 'ok' || a.id === account.id)) {
        await resolveAlerts(deps.db, {
          shopId: account.shopId,
          kinds: ['waybill_account_failing'],
          at: now(),
        });
      }
    },
  };
}

function refusalOf(failure: unknown): WaybillRefusal | undefined {
  if (!(failure instanceof ApplicationFailure) || failure.type !== CARRIER_FAILURE.waybillRefused)
    return undefined;
  return failure.details?.[0] as WaybillRefusal | undefined;
}

export type WaybillAccountIssuer = ReturnType<typeof createWaybillAccountIssuer>;
