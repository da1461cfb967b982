import type { Db } from '../../db/connect.js';
import { listCarrierAccounts, upsertCarrierAccount } from '../../db/queries/carriers.js';
import type { CarrierAccountInput, Sender } from '../../domain/carriers/account.js';

/**
 * The demo seller's carrier contracts, the same for each of its shops: SF (its own waybill API)
 * for cold-chain, fragile and cross-border parcels, the four 通达 networks through Cainiao for
 * everything else, and EMS (through Cainiao too) for the countries SF does not serve. Selection
 * takes the cheapest carrier able to carry each parcel, so most parcels go 通达.
 */
export const DEMO_SENDER: Sender = {
  name: '示例旗舰店发货部',
  phone: '0571-88886666',
  company: '杭州示例电子商务有限公司',
  address: { province: '浙江省', city: '杭州市', district: '余杭区', detail: '仓前街道文一西路1500号' },
};

export const DEMO_CARRIER_ACCOUNTS: readonly CarrierAccountInput[] = [
  { carrier: 'SF', waybillChannel: 'sf', monthlyAccount: '7551234567', serviceType: '1', priority: 10 },
  { carrier: 'ZTO', waybillChannel: 'cainiao', priority: 20 },
  { carrier: 'YTO', waybillChannel: 'cainiao', priority: 30 },
  { carrier: 'STO', waybillChannel: 'cainiao', priority: 40 },
  { carrier: 'YUNDA', waybillChannel: 'cainiao', priority: 50 },
  { carrier: 'EMS', waybillChannel: 'cainiao', priority: 60 },
];

/**
 * Gives each shop the demo accounts it does not have yet; an account a person has changed (or
 * disabled) keeps their change.
 */
export async function seedCarrierAccounts(db: Db, shopIds: readonly string[]): Promise<void> {
  for (const shopId of shopIds) {
    const have = new Set((await listCarrierAccounts(db, shopId)).map((a) => a.carrier));
    for (const account of DEMO_CARRIER_ACCOUNTS) {
      if (!have.has(account.carrier)) {
        await upsertCarrierAccount(db, shopId, { ...account, sender: DEMO_SENDER });
      }
    }
  }
}
