import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  listCarrierAccounts,
  loadShopCarriers,
  setCarrierEnabled,
  upsertCarrierAccount,
} from '../../db/queries/carriers.js';
import { selectCarrier } from '../../domain/carriers/select.js';
import { createShop } from '../support/fixtures.js';
import { createHarness, type Harness } from '../support/harness.js';

const sender = {
  name: '南京小店仓库',
  phone: '13900002222',
  address: { province: '江苏省', city: '南京市', district: '江宁区', detail: '秣陵街道胜太路88号' },
};

describe('carrier accounts', () => {
  let h: Harness;
  let shopId: string;

  beforeAll(async () => {
    h = await createHarness();
    shopId = await createShop(h.db);
  });
  afterAll(() => h.teardown());

  it('loads the shop’s enabled carriers with its contract rates over the registry defaults', async () => {
    await upsertCarrierAccount(h.db, shopId, {
      carrier: 'SF',
      waybillChannel: 'sf',
      monthlyAccount: '7551234567',
      sender,
      rateOverrides: {
        national: { firstWeightG: 1000, firstFen: 500, additionalUnitG: 1000, additionalFen: 200 },
      },
      priority: 10,
    });
    await upsertCarrierAccount(h.db, shopId, { carrier: 'ZTO', waybillChannel: 'cainiao', priority: 20 });
    await upsertCarrierAccount(h.db, shopId, { carrier: 'YTO', waybillChannel: 'cainiao', enabled: false });

    const carriers = await loadShopCarriers(h.db, shopId);
    expect(carriers.map((c) => c.profile.code)).toEqual(['SF', 'ZTO']);
    const sf = carriers[0]!;
    expect(sf.account).toMatchObject({ waybillChannel: 'sf', monthlyAccount: '7551234567', sender });
    expect(sf.profile.rates.national).toEqual({
      firstWeightG: 1000,
      firstFen: 500,
      additionalUnitG: 1000,
      additionalFen: 200,
    });
    // Zones the seller did not negotiate keep the list price.
    expect(sf.profile.rates.remote?.firstFen).toBe(2800);

    const choice = selectCarrier({
      parcel: { weightG: 1200, lengthMm: 200, widthMm: 150, heightMm: 100 },
      origin: { province: '江苏省', city: '南京市' },
      destination: { province: '北京市' },
      candidates: carriers.map((c) => c.profile),
    });
    expect(choice.ok && choice.carrier).toBe('SF');
    expect(choice.ok && choice.costFen).toBe(700);
  });

  it('updates an account in place and can switch it off', async () => {
    await upsertCarrierAccount(h.db, shopId, {
      carrier: 'ZTO',
      waybillChannel: 'cainiao',
      monthlyAccount: 'ZTO-001',
    });
    expect((await listCarrierAccounts(h.db, shopId)).find((a) => a.carrier === 'ZTO')?.monthlyAccount).toBe(
      'ZTO-001',
    );
    expect(await setCarrierEnabled(h.db, shopId, 'ZTO', false)).toBe(true);
    expect((await loadShopCarriers(h.db, shopId)).map((c) => c.profile.code)).toEqual(['SF']);
  });

  it('refuses bad rates without writing anything', async () => {
    await expect(
      upsertCarrierAccount(h.db, shopId, {
        carrier: 'STO',
        rateOverrides: {
          national: { firstWeightG: 1000, firstFen: -1, additionalUnitG: 1000, additionalFen: 1.5 },
        },
      }),
    ).rejects.toThrow(/must not be negative/);
    expect((await listCarrierAccounts(h.db, shopId)).some((a) => a.carrier === 'STO')).toBe(false);
  });
});
