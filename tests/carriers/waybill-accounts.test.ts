import { ApplicationFailure } from '@temporalio/common';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CarrierActivities } from '../../activities/carriers/activities.js';
import { upsertCarrierAccount } from '../../db/queries/carriers.js';
import type { WaybillRefusal } from '../../domain/carriers/refusal.js';
import {
  CARRIER_SANDBOX_PREFIXES,
  createCarrierSandbox,
  type CarrierSandbox,
} from '../../sandbox/carriers/index.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { createShop } from '../support/fixtures.js';
import { createHarness, type Harness } from '../support/harness.js';
import { RECEIVER, SENDER, accountCarrierActivities } from './support.js';

const SESSION = 'seller-session-hz';
const parcel = {
  weightG: 1200,
  lengthMm: 200,
  widthMm: 150,
  heightMm: 100,
  items: [{ name: '纯棉T恤', quantity: 1 }],
};

describe('a shop’s own electronic-waybill accounts', () => {
  let h: Harness;
  let api: FastifyInstance;
  let server: FastifyInstance;
  let sandbox: CarrierSandbox;
  let activities: CarrierActivities;
  let shopId: string;
  let ops: { authorization: string };
  let warehouse: { authorization: string };

  beforeAll(async () => {
    sandbox = createCarrierSandbox({
      accounts: {
        sf: { partnerId: 'SANDBOX-SF', checkword: 'sandbox-sf-checkword' },
        cainiao: { appKey: '20000001', appSecret: 'isv-top-secret', sessions: [SESSION, 'other-session'] },
        kuaidi100: { customer: 'K', key: 'k' },
        kdniao: { eBusinessId: '1', appKey: 'k' },
      },
    });
    // Two 中通 branches on one session: 西湖 with one waybill left, 余杭 with five.
    sandbox.cainiaoBranches.open(SESSION, 'ZTO', { code: '571001', name: '中通杭州西湖网点', quantity: 1 });
    sandbox.cainiaoBranches.open(SESSION, 'ZTO', { code: '571002', name: '中通杭州余杭网点', quantity: 5 });
    server = Fastify({ logger: false });
    await sandbox.register(server);
    const base = await server.listen({ port: 0, host: '127.0.0.1' });
    h = await createHarness({
      CAINIAO_BASE_URL: base + CARRIER_SANDBOX_PREFIXES.cainiao,
      CAINIAO_APP_KEY: '20000001',
      CAINIAO_APP_SECRET: 'isv-top-secret',
      SF_BASE_URL: base + CARRIER_SANDBOX_PREFIXES.sf,
    });
    api = await h.api();
    shopId = await createShop(h.db);
    ops = bearer(await apiKeyFor(h.db, ['ops']));
    warehouse = bearer(await apiKeyFor(h.db, ['warehouse']));
    await upsertCarrierAccount(h.db, shopId, { carrier: 'ZTO', waybillChannel: 'cainiao', sender: SENDER });
    // Without the shop's accounts nothing would issue: the deployment has no Cainiao session.
    activities = accountCarrierActivities(h);
  });
  afterAll(async () => {
    await server.close();
    await h.teardown();
  });

  const post = (body: Record<string, unknown>, headers = ops) =>
    api.inject({ method: 'POST', url: `/shops/${shopId}/waybill-accounts`, headers, payload: body });

  it('checks an account with Cainiao before saving it, keeps its session write-only and shows the branch’s balance', async () => {
    const bad = await post({
      carrier: 'ZTO',
      service: 'cainiao',
      branchCode: '571001',
      credentials: { session: 'stolen' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().issues).toEqual([expect.objectContaining({ field: 'body.credentials.session' })]);

    const noBranch = await post({
      carrier: 'ZTO',
      service: 'cainiao',
      branchCode: '999',
      credentials: { session: SESSION },
    });
    expect(noBranch.statusCode).toBe(400);
    expect(noBranch.json().issues[0]).toMatchObject({ field: 'body.branchCode' });
    expect(noBranch.json().issues[0].problem).toContain('571002 中通杭州余杭网点');

    const notSubscribed = await post({
      carrier: 'YTO',
      service: 'cainiao',
      credentials: { session: SESSION },
    });
    expect(notSubscribed.statusCode).toBe(400);
    expect(notSubscribed.json().issues[0].problem).toMatch(/no YTO electronic-waybill subscription/);

    expect((await post({ carrier: 'ZTO', service: 'cainiao', credentials: {} }, warehouse)).statusCode).toBe(
      403,
    );

    const west = await post({
      carrier: 'ZTO',
      service: 'cainiao',
      name: '西湖',
      branchCode: '571001',
      monthlyAccount: 'ZTO-M-001',
      priority: 10,
      lowBalanceAt: 0,
      credentials: { session: SESSION },
    });
    expect(west.statusCode).toBe(201);
    expect(west.json()).toMatchObject({
      carrier: 'ZTO',
      branchCode: '571001',
      branchName: '中通杭州西湖网点',
      balance: 1,
      state: 'ok',
      hasCredentials: true,
    });
    expect(JSON.stringify(west.json())).not.toContain(SESSION);
    const yuhang = await post({
      carrier: 'ZTO',
      service: 'cainiao',
      name: '余杭',
      branchCode: '571002',
      priority: 20,
      lowBalanceAt: 2,
      credentials: { session: SESSION },
    });
    expect(yuhang.json()).toMatchObject({ balance: 5, branchName: '中通杭州余杭网点' });

    const stored = await h.db.selectFrom('waybill_accounts').select('credentials_encrypted').execute();
    for (const row of stored) expect(row.credentials_encrypted).not.toContain(SESSION);

    const list = await api.inject({
      method: 'GET',
      url: `/shops/${shopId}/waybill-accounts`,
      headers: warehouse,
    });
    expect(list.json().accounts.map((a: { name: string }) => a.name)).toEqual(['西湖', '余杭']);
  });

  it('issues from the branch the rules choose, and falls over to the other when the first has no balance', async () => {
    const request = (n: number) => ({
      shopId,
      shipmentId: `shipment:wa:${n}`,
      carrier: 'ZTO' as const,
      receiver: { protected: false as const, ...RECEIVER },
      parcel,
      orderIds: [`40000000000${n}`],
    });
    const accounts = async () =>
      (await api.inject({ method: 'GET', url: `/shops/${shopId}/waybill-accounts`, headers: ops })).json()
        .accounts as Array<{
        id: string;
        name: string;
        balance: number | null;
        state: string;
        stateReason: string | null;
      }>;
    const [west, yuhang] = await accounts();

    const first = await activities.issueWaybill(request(1));
    expect(first.accountId).toBe(west!.id);
    expect(sandbox.cainiaoBranches.quantity(SESSION, 'ZTO', '571001')).toBe(0);
    // The same shipment again is the same waybill, not another from the balance.
    expect((await activities.issueWaybill(request(1))).trackingNumber).toBe(first.trackingNumber);

    // 西湖 is known spent: 余杭 issues without asking 西湖.
    const second = await activities.issueWaybill(request(2));
    expect(second.accountId).toBe(yuhang!.id);

    // Our count says 西湖 has waybills again, Cainiao says it has none: refused, marked, the next account issues.
    await h.db.updateTable('waybill_accounts').set({ balance: 3 }).where('id', '=', west!.id).execute();
    const third = await activities.issueWaybill(request(3));
    expect(third.accountId).toBe(yuhang!.id);
    const after = await accounts();
    expect(after[0]).toMatchObject({ state: 'no_balance', balance: 0 });
    expect(after[0]!.stateReason).toContain('余额不足');
    expect(after[1]!.balance).toBe(2);

    const alerts = await api.inject({ method: 'GET', url: `/alerts?shopId=${shopId}`, headers: ops });
    const kinds = alerts
      .json()
      .alerts.map((a: { kind: string; message: string }) => `${a.kind}: ${a.message}`);
    expect(kinds).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^waybill_account_failing: ZTO waybill account 西湖 stopped \(no waybill balance left\)/,
        ),
        expect.stringMatching(/^waybill_balance_low: ZTO waybill account 余杭 has 2 waybills left/),
      ]),
    );

    // A cancelled waybill goes back to the branch that issued it.
    await activities.cancelWaybill({
      shopId,
      shipmentId: 'shipment:wa:3',
      carrier: 'ZTO',
      trackingNumber: third.trackingNumber,
      accountId: third.accountId!,
    });
    expect(sandbox.cainiaoBranches.quantity(SESSION, 'ZTO', '571002')).toBe(4);

    // Topped up at the branch: a check puts 西湖 back in use with Cainiao's balance.
    sandbox.cainiaoBranches.topUp(SESSION, 'ZTO', '571001', 200);
    const checked = await api.inject({
      method: 'POST',
      url: `/shops/${shopId}/waybill-accounts/${west!.id}/check`,
      headers: ops,
    });
    expect(checked.json()).toMatchObject({ state: 'ok', balance: 200 });
    expect((await activities.issueWaybill(request(4))).accountId).toBe(west!.id);
  });

  it('refuses the parcel when every account is spent, naming the refusal', async () => {
    sandbox.cainiaoBranches.topUp(SESSION, 'ZTO', '571001', -1000);
    sandbox.cainiaoBranches.topUp(SESSION, 'ZTO', '571002', -1000);
    const error = await activities
      .issueWaybill({
        shopId,
        shipmentId: 'shipment:wa:9',
        carrier: 'ZTO',
        receiver: { protected: false, ...RECEIVER },
        parcel,
        orderIds: ['400000000009'],
      })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(ApplicationFailure);
    const refusal = (error as ApplicationFailure).details?.[0] as WaybillRefusal;
    expect(refusal.kind).toBe('no_balance');
    expect((error as ApplicationFailure).message).toContain('on every account');
  });

  it('passes over a carrier whose accounts are all stopped when choosing the next parcel’s carrier, unless the parcel is bound to it', async () => {
    await upsertCarrierAccount(h.db, shopId, { carrier: 'SF', waybillChannel: 'sf', sender: SENDER });
    const request = {
      shopId,
      parcel: { weightG: 1200, lengthMm: 200, widthMm: 150, heightMm: 100 },
      origin: { province: '浙江省' },
      destination: { province: '浙江省', city: '杭州市' },
    };
    const choice = await activities.chooseCarrier(request);
    // ZTO is cheaper, but both its branches ran dry on the parcel before.
    expect(choice).toMatchObject({ ok: true, carrier: 'SF' });
    const zto = choice.rejected.find((r) => r.carrier === 'ZTO');
    expect(zto?.reasons).toEqual([
      {
        code: 'no_waybill_account',
        message: expect.stringMatching(/^every ZTO waybill account of the shop is stopped — .*no_balance/),
        why: { code: 'accounts_stopped', params: { carrier: 'ZTO', accounts: expect.stringMatching(/、/) } },
      },
    ]);
    // A reviewer's carrier binds the parcel: it is kept, and its refusal waits for a person.
    const bound = await activities.chooseCarrier({
      ...request,
      override: { carrier: 'ZTO', by: 'reviewer' },
    });
    expect(bound).toMatchObject({ ok: true, carrier: 'ZTO', basis: 'override' });
  });
});
