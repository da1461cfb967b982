import { ApplicationFailure } from '@temporalio/common';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCarrierActivities, type CarrierActivities } from '../../activities/carriers/activities.js';
import { createCainiaoWaybillProvider } from '../../integrations/carriers/cainiao/waybill.js';
import { CARRIER_FAILURE } from '../../activities/carriers/failures.js';
import { createKdniaoProvider } from '../../integrations/carriers/kdniao/provider.js';
import { createKuaidi100Provider } from '../../integrations/carriers/kuaidi100/provider.js';
import { createSfTrackingProvider } from '../../integrations/carriers/sf/routes.js';
import { createSfWaybillProvider } from '../../integrations/carriers/sf/waybill.js';
import { trackingRouteFor } from '../../integrations/carriers/tracking-route.js';
import type { TrackingProvider, Waybill } from '../../integrations/carriers/types.js';
import { upsertCarrierAccount } from '../../db/queries/carriers.js';
import { CARRIER_CODES } from '../../domain/carriers/codes.js';
import { CARRIER_SANDBOX_PREFIXES, createCarrierSandbox } from '../../sandbox/carriers/index.js';
import { createShop, uniqueId } from '../support/fixtures.js';
import { createHarness, type Harness } from '../support/harness.js';
import { RECEIVER, SENDER } from './support.js';

const OFFLINE = { baseUrl: 'http://127.0.0.1:9' };
const kuaidi100 = createKuaidi100Provider({ ...OFFLINE, customer: 'C', key: 'K', salt: 'S' });
const kdniao = createKdniaoProvider({ ...OFFLINE, eBusinessId: '1', appKey: 'A' });
const sfRoutes = createSfTrackingProvider({ ...OFFLINE, partnerId: 'P', checkword: 'W' });
const nameOf = (route: ReturnType<typeof trackingRouteFor>) =>
  route.ok ? route.provider.name : route.reason;

describe('which service follows a parcel', () => {
  it('SF direct waybills follow SF’s own routes, whichever aggregator is configured', () => {
    for (const aggregator of [kuaidi100, kdniao, undefined]) {
      expect(nameOf(trackingRouteFor('SF', 'sf', { aggregator, sfRoutes }))).toBe('sf');
    }
  });

  it('other parcels go to the aggregator with the carrier’s registry code', () => {
    expect(nameOf(trackingRouteFor('ZTO', 'cainiao', { aggregator: kuaidi100, sfRoutes }))).toBe('kuaidi100');
    expect(nameOf(trackingRouteFor('ZTO', 'cainiao', { aggregator: kdniao, sfRoutes }))).toBe('kdniao');
    // An SF waybill from Cainiao: Kuaidi100 follows it; KDNiao traces only SF waybills it issued.
    expect(nameOf(trackingRouteFor('SF', 'cainiao', { aggregator: kuaidi100, sfRoutes }))).toBe('kuaidi100');
    expect(nameOf(trackingRouteFor('SF', 'cainiao', { aggregator: kdniao, sfRoutes }))).toBe('sf');
    expect(nameOf(trackingRouteFor('SF', 'sf', { aggregator: kuaidi100 }))).toBe('kuaidi100');
  });

  it('says why when nothing follows a carrier', () => {
    expect(nameOf(trackingRouteFor('DANNIAO', 'cainiao', { aggregator: kdniao, sfRoutes }))).toBe(
      'no tracking service follows DANNIAO (丹鸟): kdniao has no code for it',
    );
    expect(nameOf(trackingRouteFor('ZTO', 'cainiao', { sfRoutes }))).toBe(
      'no tracking service follows ZTO (中通快递): no tracking aggregator is configured',
    );
  });

  it('Kuaidi100 follows every carrier in the registry; KDNiao all but these', () => {
    const untracked = (aggregator: TrackingProvider) =>
      CARRIER_CODES.filter(
        (c) => !trackingRouteFor(c, c === 'SF' ? 'sf' : 'cainiao', { aggregator, sfRoutes }).ok,
      );
    expect(untracked(kuaidi100)).toEqual([]);
    expect(untracked(kdniao)).toEqual([
      'DANNIAO',
      'ZYKD',
      'SXJD',
      'JDKY',
      'SHANSONG',
      'DHL',
      'FEDEX',
      'USPS',
    ]);
  });
});

describe('tracking and carrier selection per carrier, over the carrier sandbox', () => {
  let h: Harness;
  let server: FastifyInstance;
  let base: string;
  const sandbox = createCarrierSandbox();
  let shopId: string;
  const parcel = { weightG: 1200, lengthMm: 200, widthMm: 150, heightMm: 100 };
  const origin = { province: '浙江省', city: '杭州市' };
  const destination = { province: '北京市', city: '北京市' };

  const activitiesWith = (aggregator: 'kuaidi100' | 'kdniao'): CarrierActivities => {
    const { sf, cainiao } = sandbox.accounts;
    const sfWaybills = createSfWaybillProvider({ baseUrl: base + CARRIER_SANDBOX_PREFIXES.sf, ...sf });
    const cainiaoWaybills = createCainiaoWaybillProvider({
      baseUrl: base + CARRIER_SANDBOX_PREFIXES.cainiao,
      appKey: cainiao.appKey,
      appSecret: cainiao.appSecret,
      session: cainiao.sessions[0]!,
    });
    return createCarrierActivities({
      db: h.db,
      waybillProvider: (_shop, account) => (account.waybillChannel === 'sf' ? sfWaybills : cainiaoWaybills),
      tracking:
        aggregator === 'kuaidi100'
          ? createKuaidi100Provider({
              baseUrl: base + CARRIER_SANDBOX_PREFIXES.kuaidi100,
              ...sandbox.accounts.kuaidi100,
              salt: 'salt',
            })
          : createKdniaoProvider({
              baseUrl: base + CARRIER_SANDBOX_PREFIXES.kdniao,
              ...sandbox.accounts.kdniao,
            }),
      sfRoutes: createSfTrackingProvider({ baseUrl: base + CARRIER_SANDBOX_PREFIXES.sf, ...sf }),
    });
  };

  /** The shipment row the workflow writes when the label is printed: the waybill's issuer is in it. */
  async function projectShipment(waybill: Waybill) {
    await h.db
      .insertInto('shipments')
      .values({
        id: uniqueId('parcel'),
        wave_id: 'wave:test',
        warehouse_code: 'HZ',
        stage: 'labelled',
        order_ids: ['order:1'],
        carrier: waybill.carrier,
        tracking_number: waybill.trackingNumber,
        waybill: JSON.stringify({ provider: waybill.provider }),
        updated_at: new Date(),
      })
      .execute();
  }

  beforeAll(async () => {
    h = await createHarness();
    shopId = await createShop(h.db);
    server = Fastify({ logger: false });
    await sandbox.register(server);
    base = await server.listen({ port: 0, host: '127.0.0.1' });
    await upsertCarrierAccount(h.db, shopId, { carrier: 'SF', waybillChannel: 'sf', sender: SENDER });
    await upsertCarrierAccount(h.db, shopId, { carrier: 'ZTO', waybillChannel: 'cainiao', sender: SENDER });
    // 丹鸟 at a contract price below everyone else's.
    await upsertCarrierAccount(h.db, shopId, {
      carrier: 'DANNIAO',
      waybillChannel: 'cainiao',
      sender: SENDER,
      rateOverrides: {
        national: { firstWeightG: 1000, firstFen: 200, additionalUnitG: 1000, additionalFen: 50 },
      },
    });
  });
  afterAll(async () => {
    await server.close();
    await h.teardown();
  });

  const issue = (activities: CarrierActivities, carrier: 'SF' | 'ZTO') =>
    activities.issueWaybill({
      shopId,
      shipmentId: uniqueId('shipment'),
      carrier,
      receiver: { protected: false, ...RECEIVER },
      parcel: { ...parcel, items: [{ name: '纯棉T恤', quantity: 1 }] },
      orderIds: ['1'],
    });

  it('an SF direct waybill is followed through SF’s route query, a ZTO one through Kuaidi100', async () => {
    const activities = activitiesWith('kuaidi100');
    const sf = await issue(activities, 'SF');
    const zto = await issue(activities, 'ZTO');
    await projectShipment(sf);
    await projectShipment(zto);
    sandbox.network.advance(sf.trackingNumber, 2);
    sandbox.network.advance(zto.trackingNumber, 2);

    // No phone: Kuaidi100 would refuse an SF number without one, SF's own route query does not.
    const sfCheck = await activities.checkTracking({
      carrier: 'SF',
      trackingNumber: sf.trackingNumber,
      noScanHours: 48,
    });
    expect(sfCheck.snapshot).toMatchObject({ source: 'sf', status: 'in_transit' });
    expect(sfCheck.snapshot.events).toHaveLength(2);
    const ztoCheck = await activities.checkTracking({
      carrier: 'ZTO',
      trackingNumber: zto.trackingNumber,
      noScanHours: 48,
    });
    expect(ztoCheck.snapshot).toMatchObject({ source: 'kuaidi100', status: 'in_transit' });

    // The caller may name the issuer itself; an SF waybill from Cainiao then goes to Kuaidi100.
    const named = await activities
      .checkTracking({
        carrier: 'SF',
        trackingNumber: sf.trackingNumber,
        waybillProvider: 'cainiao',
        noScanHours: 48,
      })
      .catch((e: unknown) => e);
    expect((named as ApplicationFailure).message).toMatch(/手机号/);
  });

  it('subscribing an SF direct parcel is nothing to do when SF pushes; Kuaidi100 parcels are subscribed', async () => {
    const activities = activitiesWith('kuaidi100');
    const sf = await issue(activities, 'SF');
    await projectShipment(sf);
    // The SF provider here has no push token: SF is polled, and the activity says so.
    const noPush = await activities
      .subscribeTracking({
        carrier: 'SF',
        trackingNumber: sf.trackingNumber,
        callbackUrl: 'http://127.0.0.1:9/x',
      })
      .catch((e: unknown) => e);
    expect(noPush).toMatchObject({ type: CARRIER_FAILURE.notConfigured, message: 'sf does not push to us' });
    const zto = await issue(activities, 'ZTO');
    await projectShipment(zto);
    await activities.subscribeTracking({
      carrier: 'ZTO',
      trackingNumber: zto.trackingNumber,
      callbackUrl: 'http://127.0.0.1:9/webhooks/tracking/kuaidi100',
    });
  });

  it('chooses the cheap carrier Kuaidi100 follows, and passes it over under KDNiao with the reason', async () => {
    const withKuaidi100 = await activitiesWith('kuaidi100').chooseCarrier({
      shopId,
      parcel,
      origin,
      destination,
    });
    expect(withKuaidi100.ok && withKuaidi100.carrier).toBe('DANNIAO');

    const withKdniao = await activitiesWith('kdniao').chooseCarrier({ shopId, parcel, origin, destination });
    expect(withKdniao.ok && withKdniao.carrier).toBe('ZTO');
    expect(withKdniao.rejected).toContainEqual({
      carrier: 'DANNIAO',
      reasons: [
        {
          code: 'untracked',
          message: 'no tracking service follows DANNIAO (丹鸟): kdniao has no code for it',
        },
      ],
    });

    // A buyer asking for 丹鸟 is told why not, on the reason the timeline records.
    const asked = await activitiesWith('kdniao').chooseCarrier({
      shopId,
      parcel,
      origin,
      destination,
      buyerRemark: '请发丹鸟',
    });
    expect(asked.ok && asked.carrier).toBe('ZTO');
    expect(asked.ok && asked.reason).toContain(
      'preference for DANNIAO (buyer remark) not followed: no tracking service follows DANNIAO (丹鸟): kdniao has no code for it',
    );
  });

  it('a carrier nobody follows cannot be polled: the failure is typed and names the service', async () => {
    const failure = await activitiesWith('kdniao')
      .checkTracking({ carrier: 'DANNIAO', trackingNumber: 'DN000000000001', noScanHours: 48 })
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: CARRIER_FAILURE.notConfigured, nonRetryable: true });
    expect((failure as Error).message).toMatch(/kdniao has no code for it/);
  });
});
