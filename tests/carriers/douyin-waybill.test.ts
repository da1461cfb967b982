import { ApplicationFailure } from '@temporalio/common';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CarrierActivities } from '../../activities/carriers/activities.js';
import { upsertCarrierAccount } from '../../db/queries/carriers.js';
import type { WaybillRefusal } from '../../domain/carriers/refusal.js';
import type { WaybillReceiver } from '../../integrations/carriers/types.js';
import { SimOrderStore } from '../../sandbox/kit/store.js';
import {
  createDouyinWaybillSim,
  DouyinSimAuth,
  DouyinSimCipher,
  douyinSimulator,
} from '../../sandbox/platforms/douyin/index.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { createShop } from '../support/fixtures.js';
import { createHarness, type Harness } from '../support/harness.js';
import { paidSimOrder } from '../support/sim-orders.js';
import { createWaybillAccountIssuer } from '../../activities/carriers/waybill-accounts.js';
import { createCarrierServices } from '../../integrations/carriers/services.js';
import { waybillSecretsCipher } from '../../services/carriers/waybill-secrets.js';
import { SENDER, startSimulator, accountCarrierActivities } from './support.js';

const APP = { appKey: 'douyin-waybill-app', appSecret: 'douyin-waybill-secret' };
const SHOP_KEY = '4455667';
type Sealed = Extract<WaybillReceiver, { protected: 'ciphertext' }>;
const parcel = { weightG: 600, items: [{ name: '蓝牙耳机', quantity: 1 }] };

describe('Douyin 电子面单 through a shop’s Douyin waybill accounts', () => {
  let h: Harness;
  let api: FastifyInstance;
  let douyin: FastifyInstance;
  let activities: CarrierActivities;
  let shopId: string;
  let ops: { authorization: string };
  let token: string;
  const store = new SimOrderStore();
  const auth = new DouyinSimAuth();
  const cipher = new DouyinSimCipher(APP.appSecret);
  const sim = createDouyinWaybillSim();
  let serial = 0;

  /** A paid order on the simulated shop, and its receiver as the order carries it (ciphertext). */
  function douyinOrder(region = { province: '广东省', city: '广州市', district: '天河区' }): {
    orderId: string;
    receiver: Sealed;
  } {
    const orderId = `69${String(Date.now()).slice(-12)}${String(++serial).padStart(4, '0')}`;
    const order = paidSimOrder(
      {
        id: orderId,
        shopKey: SHOP_KEY,
        buyerNick: '',
        receiver: { name: '王五', phone: '13600007777', ...region, detail: '体育西路191号' },
      },
      [{ code: 'EAR-01', priceFen: 19900 }],
      { line: (i) => `${orderId}${i}`, sku: (i) => String(1_700_000_000 + i) },
    );
    store.upsert(order);
    return {
      orderId,
      receiver: {
        protected: 'ciphertext',
        platform: 'douyin',
        orderSn: orderId,
        name: cipher.encrypt('王五', 'text'),
        phone: cipher.encrypt('13600007777', 'phone'),
        detail: cipher.encrypt('体育西路191号', 'text'),
        address: region,
      },
    };
  }

  beforeAll(async () => {
    token = auth.grant(SHOP_KEY).accessToken;
    sim.branches.open(SHOP_KEY, 'zhongtong', { code: 'GZ-TH', name: '中通广州天河网点', quantity: 3 });
    sim.branches.open(SHOP_KEY, 'zhongtong', { code: 'GZ-BY', name: '中通广州白云网点', quantity: 40 });
    sim.unreachable.add('西藏自治区');
    const started = await startSimulator(douyinSimulator, { store, app: APP, auth, waybills: sim });
    douyin = started.app;
    h = await createHarness();
    api = await h.api();
    shopId = await createShop(h.db, 'douyin');
    await h.db
      .updateTable('shops')
      .set({ base_url: started.baseUrl, platform_shop_id: SHOP_KEY })
      .where('id', '=', shopId)
      .execute();
    ops = bearer(await apiKeyFor(h.db, ['ops']));
    await upsertCarrierAccount(h.db, shopId, { carrier: 'ZTO', sender: SENDER });
    activities = accountCarrierActivities(h);
  });
  afterAll(async () => {
    await douyin.close();
    await h.teardown();
  });

  const issue = (orderId: string, receiver: WaybillReceiver) =>
    activities.issueWaybill({
      shopId,
      shipmentId: `shipment:douyin:${orderId}`,
      carrier: 'ZTO',
      receiver,
      parcel,
      orderIds: [orderId],
      orderChannel: 'DY',
    });
  const secrets = () => ({ session: token, ...APP });
  const refusalOf = async (promise: Promise<unknown>) => {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ApplicationFailure);
    return (error as ApplicationFailure).details?.[0] as WaybillRefusal;
  };

  it('checks each account with logistics.listShopNetsite: a refused token, a branch the shop lacks, then the balance', async () => {
    const badToken = await api.inject({
      method: 'POST',
      url: `/shops/${shopId}/waybill-accounts`,
      headers: ops,
      payload: { carrier: 'ZTO', service: 'douyin', credentials: { ...secrets(), session: 'not-a-token' } },
    });
    expect(badToken.statusCode).toBe(400);
    expect(badToken.json().issues[0].field).toBe('body.credentials.session');

    const noBranch = await api.inject({
      method: 'POST',
      url: `/shops/${shopId}/waybill-accounts`,
      headers: ops,
      payload: { carrier: 'ZTO', service: 'douyin', branchCode: 'SZ-NS', credentials: secrets() },
    });
    expect(noBranch.statusCode).toBe(400);
    expect(noBranch.json().issues[0]).toMatchObject({ field: 'body.branchCode' });
    expect(noBranch.json().issues[0].problem).toContain('GZ-TH');

    const tianhe = await api.inject({
      method: 'POST',
      url: `/shops/${shopId}/waybill-accounts`,
      headers: ops,
      payload: {
        carrier: 'ZTO',
        service: 'douyin',
        name: '天河',
        branchCode: 'GZ-TH',
        priority: 1,
        lowBalanceAt: 1,
        credentials: secrets(),
      },
    });
    expect(tianhe.statusCode).toBe(201);
    expect(tianhe.json()).toMatchObject({ branchName: '中通广州天河网点', balance: 3, hasCredentials: true });
    expect(JSON.stringify(tianhe.json())).not.toContain(APP.appSecret);
    const baiyun = await api.inject({
      method: 'POST',
      url: `/shops/${shopId}/waybill-accounts`,
      headers: ops,
      payload: {
        carrier: 'ZTO',
        service: 'douyin',
        name: '白云',
        branchCode: 'GZ-BY',
        priority: 2,
        credentials: secrets(),
      },
    });
    expect(baiyun.statusCode).toBe(201);
    expect(baiyun.json()).toMatchObject({ balance: 40 });
  });

  it('screens an address with the shop’s Douyin accounts (logistics.getOutRange): out of range is a no in Douyin’s words', async () => {
    const issuer = createWaybillAccountIssuer({
      db: h.db,
      services: createCarrierServices(h.config).accounts!,
      secrets: waybillSecretsCipher(h.config),
    });
    const query = (province: string, city: string, district: string) => ({
      carrier: 'ZTO' as const,
      reference: `screen-${++serial}`,
      destination: { country: 'CN', province, city, district },
      origin: { province: '广东省' },
    });
    expect(await issuer.coverage(shopId, query('广东省', '广州市', '天河区'))).toEqual({ serves: true });
    expect(await issuer.coverage(shopId, query('西藏自治区', '拉萨市', '城关区'))).toEqual({
      serves: false,
      reason: '天河: 抖音电子面单超区: 西藏自治区拉萨市 超区，不在该快递公司服务范围内',
    });
    // A carrier the shop has no account for is not the accounts' to answer.
    expect(await issuer.coverage(shopId, { ...query('广东省', '广州市', '天河区'), carrier: 'YTO' })).toBe(
      undefined,
    );
  });

  it('issues for the order’s encrypted receiver without decrypting it; encrypted print data for Douyin’s component', async () => {
    const { orderId, receiver } = douyinOrder();
    const waybill = await issue(orderId, receiver);
    expect(waybill).toMatchObject({ provider: 'douyin', carrier: 'ZTO' });
    expect(waybill.sortCode).toBeTruthy();
    expect(waybill.printData?.encrypted).toBe(true);
    expect(waybill.printData?.raw).not.toContain('王五');
    expect(sim.branches.quantity(SHOP_KEY, 'zhongtong', 'GZ-TH')).toBe(2);
    // The same parcel asked again gets the same number (pack_id is the request id).
    expect((await issue(orderId, receiver)).trackingNumber).toBe(waybill.trackingNumber);

    await activities.cancelWaybill({
      shopId,
      shipmentId: `shipment:douyin:${orderId}`,
      carrier: 'ZTO',
      trackingNumber: waybill.trackingNumber,
      accountId: waybill.accountId!,
    });
    expect(sim.branches.quantity(SHOP_KEY, 'zhongtong', 'GZ-TH')).toBe(3);
  });

  it('refuses another order’s ciphertext and an address outside the area without stopping the account', async () => {
    const first = douyinOrder();
    const other = douyinOrder();
    const mismatched = await refusalOf(
      issue(first.orderId, {
        ...other.receiver,
        orderSn: first.orderId,
        name: cipher.encrypt('赵六', 'text'),
      }),
    );
    expect(mismatched.kind).toBe('rejected');
    expect(mismatched.reason).toContain('密文与订单不匹配');

    const far = douyinOrder({ province: '西藏自治区', city: '拉萨市', district: '城关区' });
    const refused = await refusalOf(issue(far.orderId, far.receiver));
    expect(refused.kind).toBe('address_not_served');
    const states = await h.db
      .selectFrom('waybill_accounts')
      .select(['state'])
      .where('shop_id', '=', shopId)
      .execute();
    expect(states.map((s) => s.state)).toEqual(['ok', 'ok']);
  });

  it('alerts before the chosen branch runs out, and falls over to the other branch when Douyin says it has none left', async () => {
    const { orderId, receiver } = douyinOrder();
    await issue(orderId, receiver);
    const low = await h.db
      .selectFrom('alerts')
      .select(['kind', 'message'])
      .where('shop_id', '=', shopId)
      .where('kind', '=', 'waybill_balance_low')
      .execute();
    expect(low[0]?.message).toContain('天河');

    // Re-read from Douyin, the branch still has waybills; then they go elsewhere (another ERP of
    // the seller) and Douyin says 余额不足 to the next request.
    const [tianhe] = await h.db
      .selectFrom('waybill_accounts')
      .select('id')
      .where('shop_id', '=', shopId)
      .where('name', '=', '天河')
      .execute();
    const check = await api.inject({
      method: 'POST',
      url: `/shops/${shopId}/waybill-accounts/${tianhe!.id}/check`,
      headers: ops,
    });
    expect(check.statusCode, check.body).toBe(200);
    expect(check.json()).toMatchObject({ balance: sim.branches.quantity(SHOP_KEY, 'zhongtong', 'GZ-TH') });
    sim.branches.topUp(SHOP_KEY, 'zhongtong', 'GZ-TH', -10);
    const next = douyinOrder();
    const waybill = await issue(next.orderId, next.receiver);
    expect(sim.branches.quantity(SHOP_KEY, 'zhongtong', 'GZ-BY')).toBe(39);
    const accounts = await h.db
      .selectFrom('waybill_accounts')
      .select(['id', 'name', 'state', 'balance'])
      .where('shop_id', '=', shopId)
      .orderBy('priority')
      .execute();
    expect(accounts[0]).toMatchObject({ name: '天河', state: 'no_balance', balance: 0 });
    expect(waybill.accountId).toBe(accounts[1]!.id);
    const failing = await h.db
      .selectFrom('alerts')
      .select(['message'])
      .where('shop_id', '=', shopId)
      .where('kind', '=', 'waybill_account_failing')
      .execute();
    expect(failing[0]?.message).toContain('余额不足');
  });
});
