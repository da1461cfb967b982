import type { CarrierCode } from './codes.js';
import type { CarrierProfile } from './profile.js';
import type { ParcelSpec, RejectionWhy } from './quote.js';
import { rateText } from './rate-table.js';
import { findProvince } from './regions.js';
import { accountPricing, allAccountsStopped, type WaybillAccount } from './waybill-account.js';
import { DOMESTIC_ZONES, INTERNATIONAL_ZONES, OVERSEAS_DOMESTIC_ZONE, type Place } from './zones.js';

/** One of the shop's enabled carriers: its contract (rate overrides) and its merged profile. */
export interface PricedCarrier {
  account: { carrier: CarrierCode; rateOverrides: Readonly<Record<string, unknown>> };
  profile: CarrierProfile;
}

export interface AccountPricingInput {
  parcel: ParcelSpec;
  origin: Place;
  destination: Place;
}

const ALL_ZONES = [...DOMESTIC_ZONES, ...INTERNATIONAL_ZONES, OVERSEAS_DOMESTIC_ZONE] as const;

/**
 * Prices each carrier with the shop's waybill accounts' rate tables (domain/carriers/rate-table.ts)
 * for a parcel to a mainland province: a carrier whose cheapest usable account prices the province
 * is quoted at that rate (every zone: the table is by destination), one whose accounts all have
 * tables and none prices it is left out (`no_rate`), and the rest keep their contract or list
 * prices. Once any account has a table, every price says where it comes from, and the registry's
 * prices are named as the invented defaults they are. Without tables nothing changes.
 */
export function priceByAccounts(
  carriers: readonly PricedCarrier[],
  accounts: readonly WaybillAccount[],
  input: AccountPricingInput,
) {
  const rateSources = new Map<CarrierCode, string>();
  const unpriced = new Map<CarrierCode, { message: string; why: RejectionWhy }>();
  const province = input.destination.province;
  const mainland = (input.destination.country ?? 'CN') === 'CN' && province !== undefined;
  if (!mainland || !accounts.some((a) => a.rateTable !== null)) {
    return { candidates: undefined, rateSources, unpriced };
  }
  const candidates = carriers.map(({ account, profile }) => {
    const priced = accountPricing(
      accounts,
      account.carrier,
      { province, city: input.destination.city, origin: input.origin.province },
      input.parcel,
      profile.volumetricDivisor,
    );
    if (priced.kind === 'table') {
      rateSources.set(
        account.carrier,
        `rate table of waybill account ${priced.account.name} (${rateText(priced.rate)})`,
      );
      const rate = {
        firstWeightG: priced.rate.firstWeightG,
        firstFen: priced.rate.firstFen,
        additionalUnitG: priced.rate.additionalUnitG,
        additionalFen: priced.rate.additionalFen,
        ...(priced.rate.bands ? { bands: priced.rate.bands } : {}),
      };
      const rates = Object.fromEntries(ALL_ZONES.map((zone) => [zone, rate]));
      // The table's surcharge replaces the registry's invented remote-province ones: a branch's
      // price to 新疆 already is its price there.
      const code = findProvince(province)?.code;
      const provinceSurchargeFen =
        code && priced.rate.surchargeFen ? { [code]: priced.rate.surchargeFen } : {};
      return { ...profile, rates, coverage: { ...profile.coverage, provinceSurchargeFen } };
    }
    if (priced.kind === 'unpriced')
      unpriced.set(account.carrier, { message: priced.reason, why: priced.why });
    rateSources.set(
      account.carrier,
      Object.keys(account.rateOverrides).length
        ? 'the shop’s contract rates by zone'
        : 'registry list price (an invented default, not a contract)',
    );
    return profile;
  });
  return { candidates, rateSources, unpriced };
}

/**
 * Carriers whose waybill accounts in the shop are all stopped, with why (carrier selection leaves
 * them out); `bound` carriers (a reviewer's or the platform's) are kept: their refusal waits for a person.
 */
export function stoppedCarriers(
  carriers: readonly PricedCarrier[],
  accounts: readonly WaybillAccount[],
  bound: readonly (CarrierCode | undefined)[] = [],
): Map<CarrierCode, { message: string; why: RejectionWhy }> {
  const stopped = new Map<CarrierCode, { message: string; why: RejectionWhy }>();
  for (const { account } of carriers) {
    if (bound.includes(account.carrier)) continue;
    const message = allAccountsStopped(accounts, account.carrier);
    if (!message) continue;
    const names = accounts.filter((a) => a.enabled && a.carrier === account.carrier).map((a) => a.name);
    stopped.set(account.carrier, {
      message,
      why: { code: 'accounts_stopped', params: { carrier: account.carrier, accounts: names.join('、') } },
    });
  }
  return stopped;
}
