import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyLedger } from '../../db/queries/stock.js';
import { afterSaleWorkflowId } from '../../domain/after-sales.js';
import { afterSaleStateQuery } from '../../workflows/messages.js';
import { recordHistory } from '../support/histories.js';
import {
  caseWaitsForDecision,
  decideAsCustomerService,
  shippedMarketOrder,
  startMarketWorld,
  type MarketWorld,
} from '../support/market-cases.js';
import { topCases, withReturnAddress } from '../support/top-cases.js';
import { PATIENCE_MS } from '../support/waits.js';
import { buyerSendsReturnByZto, receiveResaleable, returnCaseDetail, returnRowOf } from './world.js';

// A Taobao return whose buyer fills in the return waybill on Taobao only after the seller agreed
// (docs/after-sales.md, "The buyer's return waybill reported after the agreement"), on the real dev
// server with the TOP simulator and the simulated carriers: the case agrees the return, waits for
// the parcel, and once TOP's refund names the buyer's company and number (`company_name`, `sid`)
// it writes them on the return, follows the parcel by tracking like a return waybill of its own —
// silence and a delivery without the warehouse's receipt go to a person with one alert per case —
// and the warehouse's scan of the number receives it, after which Taobao is told the goods are back.

const SKU_A = 'TS-001-RED-M';
const SKU_B = 'TEA-003-250G';
/** Short enough to wait for, long enough that a parcel being moved by the test is not quiet. */
const QUIET_SECONDS = 20;

const sim = withReturnAddress(topCases());
let world: MarketWorld;

beforeAll(async () => {
  world = await startMarketWorld(
    sim,
    { [SKU_A]: 50, [SKU_B]: 50 },
    {
      TRACKING_POLL_SECONDS: '1',
      RETURN_NO_SCAN_SECONDS: String(QUIET_SECONDS),
      RETURN_UNRECEIVED_SECONDS: String(QUIET_SECONDS),
    },
  );
});
afterAll(() => world?.close());

const detail = (caseId: string) => returnCaseDetail(world.api, world.ops, caseId);

/** Every alert of a kind the case raised, open or resolved. */
const caseAlerts = (kind: string, caseId: string) =>
  world.h.db
    .selectFrom('alerts')
    .select(['shop_id', 'message', 'resolved_at'])
    .where('kind', '=', kind)
    .where('subject', '=', caseId)
    .execute();

describe('a Taobao return whose buyer reports the waybill after the agreement', () => {
  it('picks the waybill up from TOP’s refund, follows the parcel by tracking with its alerts, and receives it by the number', async () => {
    const { shop, order } = await shippedMarketOrder(world, { returnReceipt: 'platform' });
    const before = await world.onHand(SKU_B);

    // The buyer asks to return line 2; customer service agrees (TOP: WAIT_BUYER_RETURN_GOODS).
    const refund = world.buyerAsks(order, {
      kind: 'return_and_refund',
      amountMinor: 16_800,
      reason: '尺码不合适',
      lineIds: [order.items[1]!.lineId],
    });
    const caseId = afterSaleWorkflowId(sim.platform, shop.shopId, refund.id);
    const handle = await caseWaitsForDecision(world.h.client, caseId);
    await decideAsCustomerService(world.h, caseId, { decision: 'agree' });
    await expect.poll(() => world.refundOf(order).status, { timeout: PATIENCE_MS }).toBe('agreed');
    await expect
      .poll(async () => (await handle.query(afterSaleStateQuery)).waitingFor, { timeout: PATIENCE_MS })
      .toBe('the return parcel at the warehouse');
    // No waybill yet: nothing to follow, no alert however long the buyer takes.
    expect(await returnRowOf(world.h.db, caseId)).toMatchObject({
      tracking_no: null,
      status: 'awaiting_parcel',
    });

    // The buyer sends the goods back with ZTO and fills in company and number on Taobao.
    // The case picks it up from TOP's refund and follows it like its own return waybills.
    const back = await buyerSendsReturnByZto(world, order, caseId);
    await expect
      .poll(async () => (await detail(caseId)).state?.returnParcel?.followedBy ?? null, {
        timeout: PATIENCE_MS,
      })
      .toBe('poll');
    expect((await detail(caseId)).returnParcel).toMatchObject({
      source: 'buyer',
      carrierCode: 'ZTO',
      trackingNo: back.trackingNumber,
    });

    // Nobody hands it to ZTO: after the quiet time the case goes to a person, with its own alert.
    await expect
      .poll(async () => (await detail(caseId)).state?.waiting?.code ?? null, { timeout: PATIENCE_MS })
      .toBe('case_return_stalled');
    expect((await detail(caseId)).case.status).toBe('returning');
    // The case says what it waits for before its activity raises the alert: wait for the alert too.
    await expect
      .poll(async () => (await caseAlerts('return_parcel_stalled', caseId)).length, { timeout: PATIENCE_MS })
      .toBe(1);
    const stalled = await caseAlerts('return_parcel_stalled', caseId);
    expect(stalled[0]).toMatchObject({ shop_id: shop.shopId, resolved_at: null });
    expect(stalled[0]!.message).toContain(`return parcel ZTO ${back.trackingNumber} of after-sales case `);

    // ZTO collects it: the case moves again and resolves its alert.
    world.carriers.sandbox.network.advance(back.trackingNumber);
    await expect
      .poll(async () => (await detail(caseId)).state?.waiting?.code ?? null, { timeout: PATIENCE_MS })
      .toBe('case_return_parcel');
    await expect
      .poll(
        async () => (await caseAlerts('return_parcel_stalled', caseId)).map((a) => a.resolved_at !== null),
        {
          timeout: PATIENCE_MS,
        },
      )
      .toEqual([true]);

    // Delivered at the return address, and the warehouse does not scan it: a person again.
    world.carriers.sandbox.network.finish(back.trackingNumber);
    await expect
      .poll(async () => (await detail(caseId)).state?.waiting?.code ?? null, { timeout: PATIENCE_MS })
      .toBe('case_return_unreceived');
    await expect
      .poll(() => caseAlerts('return_not_received', caseId), { timeout: PATIENCE_MS })
      .toEqual([expect.objectContaining({ resolved_at: null })]);
    // 退货包裹 on the case's page: the buyer's parcel with its whole route, as polled.
    const parcel = (await detail(caseId)).returnParcel!;
    expect(parcel).toMatchObject({ source: 'buyer', carrierCode: 'ZTO', trackingStatus: 'delivered' });
    const route = world.carriers.sandbox.network.get(back.trackingNumber)!.scans;
    expect(parcel.scans.map((scan) => scan.description)).toEqual(route.map((scan) => scan.context));
    expect(parcel.scans.every((scan) => scan.via === 'poll')).toBe(true);

    // The warehouse finds it and scans the buyer's number: back on the shelf, Taobao told once.
    await receiveResaleable(world, back.trackingNumber, [{ lineId: sim.lineId(order, 1), qty: 1 }]);
    await expect
      .poll(async () => (await world.caseRow(caseId))?.status, { timeout: PATIENCE_MS })
      .toBe('refunded');
    expect(world.refundOf(order)).toMatchObject({ status: 'refunded' });
    expect(world.refundOf(order).received).toBeDefined();
    expect(await world.onHand(SKU_B)).toBe(before + 1);
    expect((await verifyLedger(world.h.db)).mismatches).toEqual([]);
    expect((await caseAlerts('return_not_received', caseId)).map((a) => a.resolved_at !== null)).toEqual([
      true,
    ]);

    const seen = await world.stages(caseId);
    const at = (stage: string) => seen.indexOf(stage);
    expect(at('return_awaited')).toBeLessThan(at('return_waybill_reported'));
    expect(at('return_waybill_reported')).toBeLessThan(at('return_stalled'));
    expect(at('return_stalled')).toBeLessThan(at('return_moving_again'));
    expect(at('return_accepted')).toBeLessThan(at('return_delivered'));
    expect(at('return_delivered')).toBeLessThan(at('return_unreceived'));
    expect(at('return_unreceived')).toBeLessThan(at('return_inspected'));
    expect(seen.slice(-3)).toEqual(['return_inspected', 'platform_return_received', 'refunded']);
    await recordHistory(world.h.client, caseId, 'aftersale-taobao-return-waybill-reported');
  });
});
