import { z } from 'zod';
import { CarrierCodeSchema, type CarrierCode } from './codes.js';
import { LABEL_SIZES, type LabelSize } from './label-size.js';
import { chargeableWeightG, type ParcelSpec, type RejectionWhy } from './quote.js';
import { tableCostFen, tableRate, type RateRoute, type RateTableRow } from './rate-table.js';
import { findProvince } from './regions.js';

/**
 * A shop's electronic-waybill account (电子面单账号): which service issues the waybill for a
 * carrier, from which branch (网点) and monthly account (月结卡号), with which product, for the
 * whole shop or one warehouse. A shop may hold several for one carrier (two 中通 branches, an
 * SF monthly account per warehouse); the rules below choose among them.
 */

/** The services that issue waybills: Cainiao (TOP session), SF 丰桥, and the platforms' own. */
export const WAYBILL_SERVICES = ['cainiao', 'sf', 'pdd', 'jd', 'douyin'] as const;
export const WaybillServiceSchema = z.enum(WAYBILL_SERVICES);
export type WaybillService = z.infer<typeof WaybillServiceSchema>;

/** Why an account is not used now; `ok` accounts are tried. */
export const WAYBILL_ACCOUNT_STATES = [
  'ok',
  'no_balance',
  'authorisation_expired',
  'account_not_configured',
] as const;
export type WaybillAccountState = (typeof WAYBILL_ACCOUNT_STATES)[number];

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);

/** An account as the rules see it (no secrets). */
export interface WaybillAccount {
  id: string;
  shopId: string;
  /** Null: any of the shop's warehouses. */
  warehouseCode: string | null;
  carrier: CarrierCode;
  service: WaybillService;
  name: string;
  branchCode: string | null;
  branchName: string | null;
  monthlyAccount: string | null;
  productType: string | null;
  priority: number;
  enabled: boolean;
  /** Waybills left, as the service last reported (and we counted down since); null: not reported. */
  balance: number | null;
  balanceCheckedAt: string | null;
  /** At or below this many waybills left the shop is alerted, before orders fail. */
  lowBalanceAt: number;
  state: WaybillAccountState;
  stateReason: string | null;
  /** What the account's branch charges by province (rate-table.ts); null: no table. */
  rateTable: RateTableRow[] | null;
  /** The label stock its printer is loaded with: labels it issued print on it unless another is asked. */
  labelSize: LabelSize;
}

/** The secrets an account's service needs; write-only through the API. */
export const WaybillSecretsSchema = z
  .object({
    /** Cainiao: the seller's TOP session. PDD/JD/Douyin: the shop's access token for the waybill app. */
    session: text(4096),
    /** Cainiao: another TOP app than the deployment's. SF: partnerId (顾客编码). */
    appKey: text(512),
    /** Cainiao: that app's secret. SF: checkword. */
    appSecret: text(512),
  })
  .partial()
  .strict();
export type WaybillSecrets = z.infer<typeof WaybillSecretsSchema>;

export const WaybillAccountInputSchema = z
  .object({
    carrier: CarrierCodeSchema,
    service: WaybillServiceSchema,
    name: text(100).optional(),
    warehouseCode: text(64).nullable().default(null),
    branchCode: text(64).optional(),
    branchName: text(100).optional(),
    monthlyAccount: text(64).optional(),
    productType: text(32).optional(),
    priority: z.number().int().min(0).max(10_000).default(100),
    enabled: z.boolean().default(true),
    lowBalanceAt: z.number().int().min(0).max(1_000_000).default(100),
    /** The label stock the account's printer is loaded with. */
    labelSize: z.enum(LABEL_SIZES).default('100x150'),
    credentials: WaybillSecretsSchema.default({}),
  })
  .strict();
export type WaybillAccountInput = z.input<typeof WaybillAccountInputSchema>;

/** What each service needs among the secrets (the rest comes from the deployment's config). */
export const REQUIRED_SECRETS: Record<WaybillService, readonly (keyof WaybillSecrets)[]> = {
  cainiao: ['session'],
  sf: ['appKey', 'appSecret'],
  pdd: ['session', 'appKey', 'appSecret'],
  jd: ['session'],
  douyin: ['session', 'appKey', 'appSecret'],
};

/** Whether the account can be tried now: enabled, not stopped by the service, balance not known to be spent. */
export function usable(account: WaybillAccount): boolean {
  return account.enabled && account.state === 'ok' && (account.balance === null || account.balance > 0);
}

/**
 * The accounts to try for a parcel of `carrier` from `warehouse`, in order: accounts of that
 * warehouse before the shop-wide ones (a warehouse's own branch collects there), then the seller's
 * priority, then the larger balance (a branch about to run dry is spared). Unusable accounts are left
 * out; the caller says why when none is left.
 */
export function accountsToTry(
  accounts: readonly WaybillAccount[],
  carrier: CarrierCode,
  warehouse: string | null,
  /** Where the parcel goes and what it weighs: among equal priorities the cheaper table goes first. */
  pricing?: RateRoute & { weightG: number },
): WaybillAccount[] {
  const cost = (a: WaybillAccount) =>
    (pricing && a.rateTable ? tableCostFen(a.rateTable, pricing, pricing.weightG) : undefined) ??
    Number.MAX_SAFE_INTEGER;
  return accounts
    .filter((a) => a.carrier === carrier && (a.warehouseCode === null || a.warehouseCode === warehouse))
    .filter(usable)
    .sort(
      (a, b) =>
        Number(b.warehouseCode !== null) - Number(a.warehouseCode !== null) ||
        a.priority - b.priority ||
        cost(a) - cost(b) ||
        (b.balance ?? Number.MAX_SAFE_INTEGER) - (a.balance ?? Number.MAX_SAFE_INTEGER) ||
        a.id.localeCompare(b.id),
    );
}

/** What the shop's accounts say a carrier costs for a parcel to a province (carrier selection). */
export type AccountPricing =
  /** The cheapest usable account's table prices it: selection uses this rate (and its surcharge). */
  | { kind: 'table'; account: WaybillAccount; rate: RateTableRow; costFen: number }
  /** No usable account of the carrier has a table: the carrier's contract or list prices stand. */
  | { kind: 'none' }
  /** Every usable account has a table and none prices the province: the carrier is not priced. */
  | { kind: 'unpriced'; reason: string; why: RejectionWhy };

export function accountPricing(
  accounts: readonly WaybillAccount[],
  carrier: CarrierCode,
  route: RateRoute,
  parcel: ParcelSpec,
  volumetricDivisor: number,
): AccountPricing {
  const own = accounts.filter((a) => a.carrier === carrier && usable(a));
  const tabled = own.filter((a) => a.rateTable !== null);
  if (tabled.length === 0) return { kind: 'none' };
  const weight = chargeableWeightG(parcel, volumetricDivisor);
  let best: { account: WaybillAccount; rate: RateTableRow; costFen: number } | undefined;
  for (const account of tabled) {
    const rate = tableRate(account.rateTable!, route);
    if (!rate) continue;
    const costFen = tableCostFen(account.rateTable!, route, weight)!;
    if (!best || costFen < best.costFen) best = { account, rate, costFen };
  }
  if (best) return { kind: 'table', ...best };
  if (tabled.length < own.length) return { kind: 'none' };
  // The origin is named only when some table prices by it.
  const byOrigin = tabled.some((a) => a.rateTable!.some((r) => r.originProvinceCode !== undefined));
  const origin = byOrigin && route.origin ? route.origin : undefined;
  return {
    kind: 'unpriced',
    reason: `no ${carrier} account's rate table prices ${route.province}${origin ? ` from ${origin}` : ''} (${tabled.map((a) => a.name).join(', ')})`,
    why: {
      code: 'no_table_price',
      params: {
        carrier,
        // Named as officially written (四川 → 四川省), as the page shows provinces.
        province: findProvince(route.province)?.name ?? route.province,
        ...(origin ? { origin: findProvince(origin)?.name ?? origin } : {}),
        accounts: tabled.map((a) => a.name).join('、'),
      },
    },
  };
}

/** Whether some account for the carrier serves this warehouse at all (usable or not). */
export function hasAccountFor(
  accounts: readonly WaybillAccount[],
  carrier: CarrierCode,
  warehouse: string | null,
): boolean {
  return accounts.some(
    (a) => a.enabled && a.carrier === carrier && (a.warehouseCode === null || a.warehouseCode === warehouse),
  );
}

/**
 * Whether the platform's own e-waybill service (PDD, Douyin) is among the accounts that would issue a
 * `carrier` waybill from `warehouse` now: then the order's ciphertext receiver goes to it as it is.
 */
export function platformIssues(
  accounts: readonly WaybillAccount[],
  carrier: CarrierCode,
  warehouse: string | null,
  service: WaybillService,
): boolean {
  return accountsToTry(accounts, carrier, warehouse).some((a) => a.service === service);
}

/**
 * The services that can take a receiver sealed by a platform: only that platform's own (PDD and
 * Douyin decrypt their ciphertext inside their e-waybill services; Cainiao and SF cannot open it).
 */
export function opensReceiver(account: WaybillAccount, sealedBy: 'pdd' | 'douyin' | null): boolean {
  return sealedBy === null || account.service === sealedBy;
}

/**
 * Why the shop cannot issue `carrier` waybills on its own accounts now — it has enabled accounts
 * for the carrier and every one is stopped or spent — else null (no accounts: the deployment's
 * services issue; one usable anywhere: it is tried). Carrier selection leaves such a carrier out.
 */
export function allAccountsStopped(accounts: readonly WaybillAccount[], carrier: CarrierCode): string | null {
  const own = accounts.filter((a) => a.enabled && a.carrier === carrier);
  if (own.length === 0 || own.some(usable)) return null;
  const why = own.map(
    (a) =>
      `${a.name}: ${a.state === 'ok' ? 'no waybills left' : a.state}${a.stateReason ? ` (${a.stateReason})` : ''}`,
  );
  return `every ${carrier} waybill account of the shop is stopped — ${why.join('; ')}`;
}
