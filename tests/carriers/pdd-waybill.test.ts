import { ApplicationFailure } from '@temporalio/common';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CarrierActivities } from '../../activities/carriers/activities.js';
import { upsertCarrierAccount } from '../../db/queries/carriers.js';
import type { WaybillRefusal } from '../../domain/carriers/refusal.js';
import type { WaybillReceiver } from '../../integrations/carriers/types.js';
import { SimOrderStore } from '../../sandbox/kit/store.js';
import { PddCipher } from '../../sandbox/platforms/pdd/cipher.js';
import { createPddWaybillSim, pddSimulator } from '../../sandbox/platforms/pdd/index.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { createShop } from '../support/fixtures.js';
import { createHarness, type Harness } from '../support/harness.js';
import { SENDER, accountCarrierActivities } from './support.js';

const CLIENT = { clientId: 'pdd-waybill-client', clientSecret: 'pdd-waybill-secret' };
const MALL = { mallId: '556677', accessToken: 'pdd-mall-token' };
const CIPHER_SECRET = 'pdd-platform-key';
const parcel = { weightG: 800, items: [{ name: '保温杯', quantity: 1 }] };

/** The receiver as a PDD order carries it: ciphertext bound to the order number. */
function sealed(
  orderSn: string,
  region = { province: '广东省', city: '深圳市', district: '南山区' },
): WaybillReceiver {
  const cipher = new PddCipher(CIPHER_SECRET);
  return {
    protected: 'ciphertext',
    orderSn,
    name: cipher.encrypt(orderSn, 'name', '李四'),
    phone: cipher.encrypt(orderSn, 'phone', '13700005678'),
    detail: cipher.encrypt(orderSn, 'address', '科技园南区深南大道10000号'),
    address: region,
  };
}

describe('PDD 电子面单 through a shop’s PDD waybill account', () => {
  let h: Harness;
  let api: FastifyInstance;
  let pdd: FastifyInstance;
  let activities: CarrierActivities;
  let shopId: string;
  let ops: { authorization: string };
  const sim = createPddWaybillSim();

  beforeAll(async () => {
    sim.branches.open(MALL.mallId, 'ZTO', { code: '518001', name: '中通深圳南山网点', quantity: 2 });
    sim.unreachable.add('西藏自治区');
    pdd = Fastify({ logger: false });
    await pdd.register(pddSimulator, {
      store: new SimOrderStore(),
      ...CLIENT,
      malls: [MALL],
      cipherSecret: CIPHER_SECRET,
      waybills: sim,
    });
    const url = await pdd.listen({ port: 0, host: '127.0.0.1' });
    h = await createHarness();
    api = await h.api();
    shopId = await createShop(h.db, 'pdd');
    await h.db
      .updateTable('shops')
      .set({ base_url: url, platform_shop_id: MALL.mallId })
      .where('id', '=', shopId)
      .execute();
    ops = bearer(await apiKeyFor(h.db, ['ops']));
    await upsertCarrierAccount(h.db, shopId, { carrier: 'ZTO', sender: SENDER });
    activities = accountCarrierActivities(h);
  });
  afterAll(async () => {
    await pdd.close();
    await h.teardown();
  });

  const issue = (n: string, receiver: WaybillReceiver) =>
    activities.issueWaybill({
      shopId,
      shipmentId: `shipment:pdd:${n}`,
      carrier: 'ZTO',
      receiver,
      parcel,
      orderIds: [n],
      orderChannel: 'PDD',
    });

  it('checks the account with pdd.waybill.search and shows the branch’s balance', async () => {
    const wrong = await api.inject({
      method: 'POST',
      url: `/shops/${shopId}/waybill-accounts`,
      headers: ops,
      payload: { carrier: 'ZTO', service: 'pdd', credentials: { ...secrets(), session: 'not-a-token' } },
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().issues[0].field).toBe('body.credentials.session');
    const res = await api.inject({
      method: 'POST',
      url: `/shops/${shopId}/waybill-accounts`,
      headers: ops,
      payload: { carrier: 'ZTO', service: 'pdd', name: '南山', lowBalanceAt: 1, credentials: secrets() },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ branchCode: '518001', branchName: '中通深圳南山网点', balance: 2 });
  });

  it('issues for an encrypted receiver without decrypting it, and the label prints from the print data', async () => {
    const orderSn = '241205-000000000001';
    const waybill = await issue(orderSn, sealed(orderSn));
    expect(waybill).toMatchObject({ provider: 'pdd', carrier: 'ZTO' });
    expect(waybill.printData?.encrypted).toBe(true);
    expect(waybill.printData?.raw).not.toContain('李四');
    expect(sim.branches.quantity(MALL.mallId, 'ZTO', '518001')).toBe(1);

    const label = await activities.renderWaybillLabel({
      waybill,
      sender: SENDER,
      receiver: {
        name: '李*',
        phone: '137****5678',
        address: { province: '广东省', city: '深圳市', district: '南山区', detail: '科技园南区****' },
      },
      lines: [{ skuCode: 'CUP-01', quantity: 1 }],
      orderRefs: [orderSn],
    });
    expect(Buffer.from(label.pdfBase64, 'base64').subarray(0, 5).toString()).toBe('%PDF-');

    const alerts = await h.db
      .selectFrom('alerts')
      .select(['kind', 'message'])
      .where('shop_id', '=', shopId)
      .execute();
    expect(alerts).toEqual([expect.objectContaining({ kind: 'waybill_balance_low' })]);

    await activities.cancelWaybill({
      shopId,
      shipmentId: `shipment:pdd:${orderSn}`,
      carrier: 'ZTO',
      trackingNumber: waybill.trackingNumber,
      accountId: waybill.accountId!,
    });
    expect(sim.branches.quantity(MALL.mallId, 'ZTO', '518001')).toBe(2);
  });

  it('refuses a ciphertext of another order and an address outside the service area, keeping the account in use', async () => {
    const refusalOf = async (promise: Promise<unknown>) => {
      const error = await promise.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ApplicationFailure);
      return (error as ApplicationFailure).details?.[0] as WaybillRefusal;
    };
    const mismatched = await refusalOf(issue('241205-000000000002', sealed('241205-000000000099')));
    expect(mismatched.kind).toBe('rejected');
    expect(mismatched.reason).toContain('密文与订单不匹配');

    const far = await refusalOf(
      issue(
        '241205-000000000003',
        sealed('241205-000000000003', { province: '西藏自治区', city: '拉萨市', district: '城关区' }),
      ),
    );
    expect(far.kind).toBe('address_not_served');
    const [account] = await h.db
      .selectFrom('waybill_accounts')
      .select(['state'])
      .where('shop_id', '=', shopId)
      .execute();
    expect(account?.state).toBe('ok');
  });
});

function secrets() {
  return { session: MALL.accessToken, appKey: CLIENT.clientId, appSecret: CLIENT.clientSecret };
}
