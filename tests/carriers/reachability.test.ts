import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertCarrierAccount } from '../../db/queries/carriers.js';
import {
  ADDRESS_UNREACHABLE_REASON,
  reachabilityHold,
  type CarrierReach,
} from '../../domain/carriers/reachability.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { createShop } from '../support/fixtures.js';
import { recordHistory } from '../support/histories.js';
import { SENDER, setupCarrierAccounts } from '../support/fulfilment.js';
import { PATIENCE_MS, waitForState } from '../support/waits.js';
import { startShipmentWorld, submitOwnOrder, type ShipmentWorld } from './shipment-flow.js';

const LHASA = {
  name: '次仁',
  phone: '13900001111',
  country: 'CN',
  province: '西藏自治区',
  city: '拉萨市',
  district: '城关区',
  detail: '北京中路1号',
  protected: false,
};

describe('the screening decision', () => {
  const reach = (carrier: 'SF' | 'ZTO', unreachable: string | null): CarrierReach => ({
    carrier,
    nameZh: carrier,
    unreachable,
  });

  it('holds only when no carrier reaches, naming each carrier’s reason', () => {
    expect(
      reachabilityHold({
        reaches: [reach('SF', 'SF 筛单: 不可收派'), reach('ZTO', null)],
        destinationText: '西藏',
      }),
    ).toBeNull();
    const held = reachabilityHold({
      reaches: [reach('SF', 'SF 筛单: 不可收派'), reach('ZTO', 'does not deliver to 西藏')],
      destinationText: '西藏 拉萨市',
    });
    expect(held).toMatchObject({
      reason: ADDRESS_UNREACHABLE_REASON,
      clearedBy: 'customer-service',
      stage: 1,
    });
    expect(held?.detail).toBe(
      'no carrier of the shop delivers to 西藏 拉萨市: SF SF: SF 筛单: 不可收派; ZTO ZTO: does not deliver to 西藏',
    );
  });

  it('screens a bound carrier alone when the shop ships with it, and ignores one it does not', () => {
    const reaches = [reach('SF', 'SF 筛单: 不可收派'), reach('ZTO', null)];
    const bound = { carrier: 'SF' as const, source: 'pdd free_sf' };
    expect(reachabilityHold({ reaches, bound, destinationText: '西藏' })?.detail).toBe(
      'SF (pdd free_sf) cannot deliver to 西藏: SF 筛单: 不可收派; carriers that can: ZTO',
    );
    expect(
      reachabilityHold({ reaches, bound: { carrier: 'ZTO', source: 'reviewer' }, destinationText: '西藏' }),
    ).toBeNull();
    expect(reachabilityHold({ reaches: [reach('ZTO', null)], bound, destinationText: '西藏' })).toBeNull();
  });

  it('has nothing to screen for a shop without carriers', () => {
    expect(reachabilityHold({ reaches: [], destinationText: '西藏' })).toBeNull();
  });
});

let ctx: ShipmentWorld;
let cs: { authorization: string };

beforeAll(async () => {
  ctx = await startShipmentWorld({});
  cs = bearer(await apiKeyFor(ctx.h.db, ['customer-service']));
});
afterAll(() => ctx.close());

async function heldUnreachable(orderId: string) {
  const state = await waitForState(ctx.h.client, orderId, (s) => s.status === 'held', PATIENCE_MS);
  return state.holds.find((h) => h.reason === ADDRESS_UNREACHABLE_REASON);
}

async function edit(orderId: string, edits: Record<string, unknown>) {
  const res = await ctx.api.inject({
    method: 'POST',
    url: `/orders/${encodeURIComponent(orderId)}/review`,
    headers: cs,
    payload: { decision: 'edit', edits, note: '筛单未通过，已处理' },
  });
  expect(res.statusCode, res.body).toBe(200);
}

async function reauditOutcome(orderId: string) {
  await expect
    .poll(
      async () =>
        (
          await ctx.h.db
            .selectFrom('order_events')
            .select('stage')
            .where('order_id', '=', orderId)
            .where('stage', '=', 're_audited')
            .execute()
        ).length,
      { timeout: PATIENCE_MS },
    )
    .toBe(1);
  const row = await ctx.h.db
    .selectFrom('order_events')
    .select('detail')
    .where('order_id', '=', orderId)
    .where('stage', '=', 're_audited')
    .executeTakeFirstOrThrow();
  return row.detail as { opened: string[]; resolved: string[] };
}

describe('carrier reachability at audit (筛单), on the real stack', () => {
  it('an address SF’s screening refuses is held at audit with SF’s words; correcting the address releases it', async () => {
    const shopId = await createShop(ctx.h.db, 'taobao');
    await setupCarrierAccounts(ctx.h.db, shopId, ['SF']);
    ctx.carriers.sandbox.serviceAreas.exclude('SF', '西藏自治区');
    try {
      const orderId = await submitOwnOrder(ctx, shopId, { receiver: LHASA });
      const hold = await heldUnreachable(orderId);
      expect(hold?.detail).toBe(
        'no carrier of the shop delivers to 西藏 拉萨市 城关区: SF 顺丰速运: SF 筛单: 不可收派（收方超范围）',
      );
      expect(hold?.clearedBy).toBe('customer-service');

      await edit(orderId, {
        receiver: { province: '浙江省', city: '杭州市', district: '西湖区', detail: '文三路100号' },
      });
      expect(await reauditOutcome(orderId)).toMatchObject({ resolved: [ADDRESS_UNREACHABLE_REASON] });
      const released = await waitForState(ctx.h.client, orderId, (s) => s.parcels.length === 1);
      expect(released.holds).toEqual([]);
      await recordHistory(ctx.h.client, orderId, 'order-address-unreachable-readdressed');
    } finally {
      ctx.carriers.sandbox.serviceAreas.reset('SF');
    }
  });

  it('a carrier whose registry coverage leaves out the province holds the order; choosing a carrier that reaches it releases it', async () => {
    const shopId = await createShop(ctx.h.db, 'taobao');
    await upsertCarrierAccount(ctx.h.db, shopId, {
      carrier: 'HTKY',
      enabled: true,
      waybillChannel: 'cainiao',
      sender: SENDER,
    });
    const orderId = await submitOwnOrder(ctx, shopId, { receiver: LHASA });
    const hold = await heldUnreachable(orderId);
    expect(hold?.detail).toMatch(
      /^no carrier of the shop delivers to 西藏 拉萨市 城关区: HTKY .*does not deliver to 西藏$/,
    );

    // The shop opens SF; the reviewer sends this order with it, and SF's screening says it reaches.
    await setupCarrierAccounts(ctx.h.db, shopId, ['SF']);
    await edit(orderId, { carrierPreference: 'SF' });
    expect(await reauditOutcome(orderId)).toMatchObject({ resolved: [ADDRESS_UNREACHABLE_REASON] });
    await waitForState(
      ctx.h.client,
      orderId,
      (s) => s.status !== 'held' && !s.holds.some((h) => h.reason === ADDRESS_UNREACHABLE_REASON),
    );
  });
});

describe('screening asked of the shop’s own waybill accounts', () => {
  async function addAccount(shopId: string, body: Record<string, unknown>) {
    const res = await ctx.api.inject({
      method: 'POST',
      url: `/shops/${shopId}/waybill-accounts`,
      headers: ctx.ops,
      payload: body,
    });
    expect(res.statusCode, res.body).toBe(201);
  }

  it('a shop’s Cainiao account says the address is out of ZTO’s range (地址可达查询): held with Cainiao’s words and the account', async () => {
    const shopId = await createShop(ctx.h.db, 'taobao');
    await upsertCarrierAccount(ctx.h.db, shopId, {
      carrier: 'ZTO',
      enabled: true,
      waybillChannel: 'cainiao',
      sender: SENDER,
    });
    await addAccount(shopId, {
      carrier: 'ZTO',
      service: 'cainiao',
      name: '中通杭州',
      credentials: { session: ctx.carriers.sandbox.accounts.cainiao.sessions[0] },
    });
    ctx.carriers.sandbox.serviceAreas.exclude('ZTO', '西藏自治区');
    try {
      const orderId = await submitOwnOrder(ctx, shopId, { receiver: LHASA });
      const hold = await heldUnreachable(orderId);
      expect(hold?.detail).toBe(
        'no carrier of the shop delivers to 西藏 拉萨市 城关区: ZTO 中通快递: 中通杭州: 菜鸟地址不可达: 西藏自治区拉萨市 不在该快递公司派送范围',
      );
    } finally {
      ctx.carriers.sandbox.serviceAreas.reset('ZTO');
    }
    // Where Cainiao says ZTO reaches, the same shop's order goes on to its parcel.
    const served = await submitOwnOrder(ctx, shopId, { receiver: LHASA });
    const state = await waitForState(ctx.h.client, served, (s) => s.parcels.length === 1, PATIENCE_MS);
    expect(state.holds).toEqual([]);
  });

  it('a shop’s own SF account screens with its own partner id (订单筛选), not the deployment’s', async () => {
    const shopId = await createShop(ctx.h.db, 'taobao');
    await setupCarrierAccounts(ctx.h.db, shopId, ['SF']);
    const { partnerId, checkword } = ctx.carriers.sandbox.accounts.sf;
    await addAccount(shopId, {
      carrier: 'SF',
      service: 'sf',
      name: '顺丰月结',
      monthlyAccount: '7551234567',
      credentials: { appKey: partnerId, appSecret: checkword },
    });
    ctx.carriers.sandbox.serviceAreas.exclude('SF', '西藏自治区');
    try {
      const orderId = await submitOwnOrder(ctx, shopId, { receiver: LHASA });
      const hold = await heldUnreachable(orderId);
      expect(hold?.detail).toBe(
        'no carrier of the shop delivers to 西藏 拉萨市 城关区: SF 顺丰速运: 顺丰月结: SF 筛单: 不可收派（收方超范围）',
      );
    } finally {
      ctx.carriers.sandbox.serviceAreas.reset('SF');
    }
  });
});
