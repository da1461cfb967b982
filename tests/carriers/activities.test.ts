import { ApplicationFailure } from '@temporalio/common';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCarrierActivities, type CarrierActivities } from '../../activities/carriers/activities.js';
import { createCainiaoWaybillProvider } from '../../integrations/carriers/cainiao/waybill.js';
import { CARRIER_FAILURE } from '../../activities/carriers/failures.js';
import { createKuaidi100Provider } from '../../integrations/carriers/kuaidi100/provider.js';
import { createSfWaybillProvider } from '../../integrations/carriers/sf/waybill.js';
import { upsertCarrierAccount } from '../../db/queries/carriers.js';
import {
  CARRIER_SANDBOX_PREFIXES,
  createCarrierSandbox,
  type CarrierSandbox,
} from '../../sandbox/carriers/index.js';
import { createShop } from '../support/fixtures.js';
import { createHarness, type Harness } from '../support/harness.js';
import { RECEIVER, SENDER } from './support.js';

const parcel = { weightG: 1200, lengthMm: 200, widthMm: 150, heightMm: 100 };
const origin = { province: '浙江省', city: '杭州市' };
const destination = { province: '北京市', city: '北京市' };
const items = [{ name: '纯棉T恤', quantity: 2 }];

async function failureOf(promise: Promise<unknown>): Promise<ApplicationFailure> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApplicationFailure);
  return error as ApplicationFailure;
}

describe('carrier activities over the carrier sandbox', () => {
  let h: Harness;
  let server: FastifyInstance;
  let sandbox: CarrierSandbox;
  let activities: CarrierActivities;
  let shopId: string;
  let clock = Date.now();
  const now = () => new Date(clock);

  beforeAll(async () => {
    h = await createHarness();
    shopId = await createShop(h.db);
    sandbox = createCarrierSandbox({ now });
    server = Fastify({ logger: false });
    await sandbox.register(server);
    const base = await server.listen({ port: 0, host: '127.0.0.1' });
    const { sf, cainiao, kuaidi100 } = sandbox.accounts;
    const sfProvider = createSfWaybillProvider({ baseUrl: base + CARRIER_SANDBOX_PREFIXES.sf, now, ...sf });
    const cainiaoProvider = createCainiaoWaybillProvider({
      baseUrl: base + CARRIER_SANDBOX_PREFIXES.cainiao,
      now,
      appKey: cainiao.appKey,
      appSecret: cainiao.appSecret,
      session: cainiao.sessions[0]!,
    });
    activities = createCarrierActivities({
      db: h.db,
      now,
      waybillProvider: (_shop, account) => (account.waybillChannel === 'sf' ? sfProvider : cainiaoProvider),
      tracking: createKuaidi100Provider({
        baseUrl: base + CARRIER_SANDBOX_PREFIXES.kuaidi100,
        now,
        ...kuaidi100,
        salt: 'shop-salt',
      }),
    });
    await upsertCarrierAccount(h.db, shopId, {
      carrier: 'SF',
      waybillChannel: 'sf',
      monthlyAccount: '7551234567',
      sender: SENDER,
    });
    await upsertCarrierAccount(h.db, shopId, { carrier: 'ZTO', waybillChannel: 'cainiao', sender: SENDER });
  });
  afterAll(async () => {
    await server.close();
    await h.teardown();
  });

  it('chooses the cheapest enabled carrier, or the one the buyer asked for in the remark', async () => {
    const cheapest = await activities.chooseCarrier({ shopId, parcel, origin, destination });
    expect(cheapest.ok && cheapest.carrier).toBe('ZTO');
    const asked = await activities.chooseCarrier({
      shopId,
      parcel,
      origin,
      destination,
      buyerRemark: '麻烦请发顺丰，谢谢',
    });
    expect(asked.ok && asked.carrier).toBe('SF');
    expect(asked.ok && asked.reason).toMatch(/^SF: requested by buyer remark/);
  });

  it('issues one waybill per shipment however often the activity retries, through the account’s channel', async () => {
    const input = {
      shopId,
      shipmentId: 'shipment:wave-1:parcel-1',
      carrier: 'SF' as const,
      receiver: { protected: false as const, ...RECEIVER },
      parcel: { ...parcel, items },
      orderIds: ['4012345678901234567'],
    };
    const first = await activities.issueWaybill(input);
    const retried = await activities.issueWaybill(input);
    expect(retried.trackingNumber).toBe(first.trackingNumber);
    expect(first.provider).toBe('sf');

    const zto = await activities.issueWaybill({
      ...input,
      shipmentId: 'shipment:wave-1:parcel-2',
      carrier: 'ZTO',
    });
    expect(zto.provider).toBe('cainiao');

    const label = await activities.renderWaybillLabel({
      waybill: zto,
      sender: SENDER,
      receiver: RECEIVER,
      lines: [{ skuCode: 'SKU-001-RED-M', quantity: 2 }],
      orderRefs: input.orderIds,
    });
    expect(Buffer.from(label.pdfBase64, 'base64').subarray(0, 5).toString()).toBe('%PDF-');

    await activities.cancelWaybill({
      shopId,
      shipmentId: 'shipment:wave-1:parcel-2',
      carrier: 'ZTO',
      trackingNumber: zto.trackingNumber,
    });
    expect(sandbox.network.get(zto.trackingNumber)?.cancelledAt).toBeInstanceOf(Date);
  });

  it('fails at once as a typed refusal, with its kind, when a carrier is not set up or refuses the request', async () => {
    const base = {
      shopId,
      shipmentId: 'shipment:x',
      receiver: { protected: false as const, ...RECEIVER },
      parcel: { ...parcel, items },
      orderIds: ['1'],
    };
    const missing = await failureOf(activities.issueWaybill({ ...base, carrier: 'YTO' }));
    expect(missing).toMatchObject({ type: CARRIER_FAILURE.waybillRefused, nonRetryable: true });
    expect(missing.details?.[0]).toMatchObject({ kind: 'account_not_configured', carrier: 'YTO' });

    const refused = await failureOf(
      activities.issueWaybill({
        ...base,
        carrier: 'SF',
        receiver: {
          protected: true,
          oaid: 'OAID',
          tid: '4012345678901234567',
          address: { province: '北京市', city: '北京市', district: '朝阳区' },
        },
      }),
    );
    expect(refused).toMatchObject({ type: CARRIER_FAILURE.waybillRefused, nonRetryable: true });
    expect(refused.details?.[0]).toMatchObject({ kind: 'rejected', carrier: 'SF' });
  });

  it('retries a rate limit after the service’s delay', async () => {
    sandbox.faults.sf.fail('EXP_RECE_CREATE_ORDER', 429, 1, 7);
    const limited = await failureOf(
      activities.issueWaybill({
        shopId,
        shipmentId: 'shipment:rate-limited',
        carrier: 'SF',
        receiver: { protected: false, ...RECEIVER },
        parcel: { ...parcel, items },
        orderIds: ['1'],
      }),
    );
    expect(limited.type).toBe(CARRIER_FAILURE.rateLimited);
    expect(limited.nonRetryable).toBe(false);
    expect(limited.nextRetryDelay).toBe(7000);
  });

  it('follows a parcel and raises a no-scan exception when it stops moving', async () => {
    const waybill = await activities.issueWaybill({
      shopId,
      shipmentId: 'shipment:stuck',
      carrier: 'ZTO',
      receiver: { protected: false, ...RECEIVER },
      parcel: { ...parcel, items },
      orderIds: ['2'],
    });
    sandbox.network.script(waybill.trackingNumber, 'no_scan');
    clock += 6 * 3_600_000;
    const moving = await activities.checkTracking({
      carrier: 'ZTO',
      trackingNumber: waybill.trackingNumber,
      noScanHours: 48,
    });
    expect(moving.snapshot.status).toBe('in_transit');
    expect(moving.exception).toBeUndefined();

    clock += 60 * 3_600_000;
    const stuck = await activities.checkTracking({
      carrier: 'ZTO',
      trackingNumber: waybill.trackingNumber,
      noScanHours: 48,
    });
    expect(stuck.exception?.kind).toBe('no_scan');
  });
});
