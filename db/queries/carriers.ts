import {
  CarrierAccountInputSchema,
  LimitOverridesSchema,
  RateOverridesSchema,
  SenderSchema,
  type CarrierAccount,
  type CarrierAccountInput,
} from '../../domain/carriers/account.js';
import { CarrierCodeSchema } from '../../domain/carriers/codes.js';
import type { CarrierProfile } from '../../domain/carriers/profile.js';
import { carrierProfile, withOverrides } from '../../domain/carriers/registry.js';
import type { Db } from '../connect.js';

/** A seller's enabled carrier: its account and its profile with the contract rates laid over. */
export interface ShopCarrier {
  account: CarrierAccount;
  profile: CarrierProfile;
}

/** Creates or replaces the shop's account with one carrier. Validates first; writes nothing on bad input. */
export async function upsertCarrierAccount(
  db: Db,
  shopId: string,
  input: CarrierAccountInput,
): Promise<CarrierAccount> {
  const account = CarrierAccountInputSchema.parse(input);
  const values = {
    enabled: account.enabled,
    waybill_channel: account.waybillChannel ?? null,
    monthly_account: account.monthlyAccount ?? null,
    service_type: account.serviceType ?? null,
    sender: account.sender ? JSON.stringify(account.sender) : null,
    rate_overrides: JSON.stringify(account.rateOverrides),
    limit_overrides: JSON.stringify(account.limitOverrides),
    priority: account.priority,
  };
  await db
    .insertInto('carrier_accounts')
    .values({ shop_id: shopId, carrier: account.carrier, ...values })
    .onConflict((oc) => oc.columns(['shop_id', 'carrier']).doUpdateSet({ ...values, updated_at: new Date() }))
    .execute();
  return account;
}

export async function setCarrierEnabled(
  db: Db,
  shopId: string,
  carrier: string,
  enabled: boolean,
): Promise<boolean> {
  const result = await db
    .updateTable('carrier_accounts')
    .set({ enabled, updated_at: new Date() })
    .where('shop_id', '=', shopId)
    .where('carrier', '=', carrier)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Every account of the shop, enabled or not, in the seller's order of preference. */
export async function listCarrierAccounts(db: Db, shopId: string): Promise<CarrierAccount[]> {
  const rows = await db
    .selectFrom('carrier_accounts')
    .selectAll()
    .where('shop_id', '=', shopId)
    .orderBy('priority')
    .orderBy('carrier')
    .execute();
  return rows.flatMap((row) => {
    const carrier = CarrierCodeSchema.safeParse(row.carrier);
    // A carrier code we no longer know cannot be used; it is left out rather than failing the shop.
    if (!carrier.success) return [];
    return [
      {
        carrier: carrier.data,
        enabled: row.enabled,
        ...(row.waybill_channel === 'sf' || row.waybill_channel === 'cainiao'
          ? { waybillChannel: row.waybill_channel }
          : {}),
        ...(row.monthly_account ? { monthlyAccount: row.monthly_account } : {}),
        ...(row.service_type ? { serviceType: row.service_type } : {}),
        ...(row.sender ? { sender: SenderSchema.parse(row.sender) } : {}),
        rateOverrides: RateOverridesSchema.parse(row.rate_overrides),
        limitOverrides: LimitOverridesSchema.parse(row.limit_overrides),
        priority: row.priority,
      },
    ];
  });
}

/**
 * The shop's enabled carriers with the registry defaults merged with the seller's contract rates
 * and limits: the `candidates` for `selectCarrier`, in the seller's order of preference.
 */
export async function loadShopCarriers(db: Db, shopId: string): Promise<ShopCarrier[]> {
  const accounts = await listCarrierAccounts(db, shopId);
  return accounts
    .filter((account) => account.enabled)
    .map((account) => ({
      account,
      profile: withOverrides(carrierProfile(account.carrier), {
        rates: account.rateOverrides,
        limits: account.limitOverrides,
      }),
    }));
}
