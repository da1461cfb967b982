import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyLedger } from '../../db/queries/stock.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { uniqueId } from '../support/fixtures.js';
import { recordHistory } from '../support/histories.js';
import { PATIENCE_MS } from '../support/waits.js';
import {
  MINUTES,
  startReturnFollowingWorld,
  type OwnStoreWorld,
  caseStages,
  returnCaseDetail,
  returnRowOf,
} from './world.js';

// The return parcel followed like a parcel going out, on the real dev server with the sandbox's
// carriers pushing to the API over HTTP: SF pushes the routes of its return orders, Kuaidi100 pushes
// what the case subscribed to. Polling is an hour apart, so whatever moves a case here came in
// through a webhook. A parcel without a new scan for RETURN_NO_SCAN_SECONDS, and one delivered
// RETURN_UNRECEIVED_SECONDS ago without the warehouse's receipt, go to a person (an alert, the
// timeline, the live state); the warehouse's receipt still ends the wait.

const SF_PUSH_TOKEN = 'erp-sf-route-push-return-0123456789';
/** Short enough to wait for, long enough that a parcel being moved by the test is not quiet. */
const NO_SCAN_SECONDS = 20;
/** The world's one quiet time serves both: no new scan, and delivered without a receipt. */
const UNRECEIVED_SECONDS = NO_SCAN_SECONDS;

let w: OwnStoreWorld;
let ops: { authorization: string };
let apiUrl: string;

beforeAll(async () => {
  ({ w, apiUrl } = await startReturnFollowingWorld('own-rt', SF_PUSH_TOKEN, NO_SCAN_SECONDS));
  ops = bearer(await apiKeyFor(w.h.db, ['ops']));
}, MINUTES);
afterAll(() => w?.close());

const caseNo = () => uniqueId('RT').replace(/[^A-Za-z0-9_.-]/g, '');

async function setReturnLabel(value: unknown) {
  const res = await w.api.inject({
    method: 'PATCH',
    url: `/shops/${w.storeId}`,
    headers: ops,
    payload: { settings: { returnLabel: value } },
  });
  expect(res.statusCode, res.body).toBe(200);
}

const returnRow = (caseId: string) => returnRowOf(w.h.db, caseId);

const stages = (caseId: string) => caseStages(w.h.db, caseId);

const detail = (caseId: string) => returnCaseDetail(w.api, w.cs, caseId);

/** The case's own open alert of a kind (one per case and kind). */
const openAlert = (kind: string, caseId: string) =>
  w.h.db
    .selectFrom('alerts')
    .select(['message', 'occurrences'])
    .where('shop_id', '=', w.storeId)
    .where('kind', '=', kind)
    .where('subject', '=', caseId)
    .where('resolved_at', 'is', null)
    .executeTakeFirst();

/** Every alert of a kind the case raised, open or resolved. */
const caseAlerts = (kind: string, caseId: string) =>
  w.h.db
    .selectFrom('alerts')
    .select(['resolved_at'])
    .where('kind', '=', kind)
    .where('subject', '=', caseId)
    .execute();

/** How many times the case read the parcel by a poll (the rest came by push). */
async function polls(caseId: string): Promise<number> {
  const history = await w.h.client.workflow.getHandle(caseId).fetchHistory();
  return (history.events ?? []).filter(
    (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'readReturnTracking',
  ).length;
}

const pushesFor = (trackingNo: string) =>
  w.sandbox.carriers.pushLog.records.filter((r) => r.trackingNumber === trackingNo);

async function receive(scan: string, lines: Array<{ lineId: string; qty: number; condition: string }>) {
  const res = await w.api.inject({
    method: 'POST',
    url: '/wms/returns/receipts',
    headers: { ...w.wh, 'idempotency-key': uniqueId('scan') },
    payload: { warehouse: w.warehouse, scan, lines },
  });
  expect(res.statusCode, res.body).toBe(202);
}

/** An agreed return (or exchange) of a shipped order, once its return waybill is issued and followed. */
async function agreedReturn(
  kind: 'return_refund' | 'exchange',
  lineId: string,
  qty: number,
  refundFen: number,
) {
  const order = await w.shippedOrder();
  const res = await w.pushCase({
    caseId: caseNo(),
    platformOrderId: order.platformOrderId,
    kind,
    reason: '尺码不合适',
    createdAt: new Date().toISOString(),
    lines: [{ lineId, quantity: qty, refundFen }],
    payment: { channel: 'alipay', outTradeNo: order.outTradeNo },
  });
  expect(res.statusCode, res.body).toBe(202);
  const { caseId } = res.json() as { caseId: string };
  await expect
    .poll(async () => (await detail(caseId)).state?.waiting?.code ?? null, { timeout: PATIENCE_MS })
    .toBe('case_decision');
  await w.agree(caseId);
  // Followed by pushes once the tracking service was asked (SF: pushed without asking).
  await expect
    .poll(async () => (await detail(caseId)).state?.returnParcel?.followedBy ?? null, {
      timeout: PATIENCE_MS,
    })
    .toBe('push');
  const trackingNo = (await returnRow(caseId))!.tracking_no!;
  expect(trackingNo).toBeTruthy();
  return { order, caseId, trackingNo };
}

describe('the return parcel followed by carrier tracking', () => {
  it(
    'SF: the return order’s routes are pushed to the case; silence and a delivery without a receipt go to a person; the receipt ends it',
    async () => {
      await setReturnLabel({ issuer: 'sf', carrier: 'SF' });
      const { order, caseId, trackingNo } = await agreedReturn('return_refund', '1', 2, 17_800);
      expect((await detail(caseId)).state?.waiting).toEqual({
        code: 'case_return_parcel',
        params: { carrier: 'SF', trackingNo },
      });

      // Nobody hands the parcel to SF: after RETURN_NO_SCAN_SECONDS the case goes to a person.
      await expect.poll(() => stages(caseId), { timeout: PATIENCE_MS }).toContain('return_stalled');
      const stalled = await detail(caseId);
      expect(stalled.state?.waiting).toEqual({
        code: 'case_return_stalled',
        params: { carrier: 'SF', trackingNo, seconds: NO_SCAN_SECONDS },
      });
      expect(stalled.state?.waitingFor).toBe(
        `a person to look into the return parcel SF ${trackingNo}: no new scan for ${NO_SCAN_SECONDS} seconds (or the warehouse to receive it)`,
      );
      expect(stalled.state?.returnParcel?.attention?.kind).toBe('stalled');
      expect(stalled.case.status).toBe('returning');
      expect(await openAlert('return_parcel_stalled', caseId)).toMatchObject({
        message: expect.stringContaining(`return parcel SF ${trackingNo} of after-sales case `),
        occurrences: 1,
      });

      // The courier collects it (揽收): SF pushes the route, the case moves again.
      w.sandbox.carriers.network.advance(trackingNo);
      await expect
        .poll(() => stages(caseId), { timeout: PATIENCE_MS })
        .toEqual(expect.arrayContaining(['return_moving_again', 'return_accepted']));
      const moving = await detail(caseId);
      expect(moving.state?.waiting?.code).toBe('case_return_parcel');
      expect(moving.state?.returnParcel).toMatchObject({ tracking: 'accepted', attention: null });
      expect(moving.state?.returnParcel?.scannedAt).toBeTruthy();
      // Nobody needs to chase it now: the case resolved its alert.
      await expect
        .poll(
          async () => (await caseAlerts('return_parcel_stalled', caseId)).map((a) => a.resolved_at !== null),
          {
            timeout: PATIENCE_MS,
          },
        )
        .toEqual([true]);

      // In transit, then signed for (已签收) at the return address — and the warehouse does not scan
      // it. One scan at a time, as couriers scan: each pushed and acknowledged before the next.
      for (let pushed = 1; ; pushed++) {
        await expect
          .poll(() => pushesFor(trackingNo).filter((r) => r.acknowledged).length, { timeout: PATIENCE_MS })
          .toBe(pushed);
        if (w.sandbox.carriers.network.advance(trackingNo).length === 0) break;
      }
      await expect.poll(() => stages(caseId), { timeout: PATIENCE_MS }).toContain('return_delivered');
      expect((await returnRow(caseId))?.tracking_status).toBe('delivered');
      // The case's page reads the parcel's whole route from the API: every scan SF pushed, once.
      const recorded = (await detail(caseId)).returnParcel!;
      expect(recorded).toMatchObject({
        source: 'sf',
        carrierCode: 'SF',
        carrierName: { zh: '顺丰速运', en: 'SF Express' },
        trackingNo,
        trackingStatus: 'delivered',
      });
      const route = w.sandbox.carriers.network.get(trackingNo)!.scans;
      expect(recorded.scans.map((scan) => scan.description)).toEqual(route.map((scan) => scan.context));
      expect(recorded.scans.at(-1)?.status).toBe('delivered');
      expect(recorded.scans.every((scan) => scan.via === 'push' && scan.source === 'sf')).toBe(true);
      await expect.poll(() => stages(caseId), { timeout: PATIENCE_MS }).toContain('return_unreceived');
      const unreceived = await detail(caseId);
      expect(unreceived.state?.waiting).toEqual({
        code: 'case_return_unreceived',
        params: { carrier: 'SF', trackingNo, seconds: UNRECEIVED_SECONDS, tracking: 'delivered' },
      });
      expect(unreceived.state?.returnParcel?.attention?.kind).toBe('unreceived');
      expect((await openAlert('return_not_received', caseId))?.message).toContain(
        `return parcel SF ${trackingNo} of after-sales case `,
      );

      // The warehouse finds it and scans it: received, inspected, refunded once.
      await receive(trackingNo, [{ lineId: '1', qty: 2, condition: 'resaleable' }]);
      await expect
        .poll(async () => (await detail(caseId)).case.status, { timeout: PATIENCE_MS })
        .toBe('refunded');
      expect(w.sandbox.payments.alipay.book.moves.filter((m) => m.outTradeNo === order.outTradeNo)).toEqual([
        expect.objectContaining({ amountFen: 17_800 }),
      ]);
      expect((await verifyLedger(w.h.db)).mismatches).toEqual([]);
      // Received: the case resolved its not-received alert too; each alert was raised once.
      expect((await caseAlerts('return_not_received', caseId)).map((a) => a.resolved_at !== null)).toEqual([
        true,
      ]);
      expect(await caseAlerts('return_parcel_stalled', caseId)).toHaveLength(1);

      const seen = await stages(caseId);
      const at = (stage: string) => seen.indexOf(stage);
      expect(at('return_waybill_issued')).toBeLessThan(at('return_stalled'));
      expect(at('return_stalled')).toBeLessThan(at('return_moving_again'));
      expect(at('return_accepted')).toBeLessThan(at('return_in_transit'));
      expect(at('return_in_transit')).toBeLessThan(at('return_delivered'));
      expect(at('return_delivered')).toBeLessThan(at('return_unreceived'));
      expect(seen.slice(-2)).toEqual(['return_inspected', 'refunded']);
      // Every scan came by SF's push (acknowledged); the case read the parcel once, when it began.
      const pushes = pushesFor(trackingNo);
      expect(pushes.length).toBeGreaterThanOrEqual(2);
      expect(pushes.every((r) => r.service === 'sf' && r.acknowledged)).toBe(true);
      expect(await polls(caseId)).toBe(1);
      await recordHistory(w.h.client, caseId, 'aftersale-own-return-alerts-per-case');
    },
    4 * MINUTES,
  );

  it(
    'Kuaidi100: the case subscribes its Cainiao (ZTO) return parcel, the pushes reach it, and the receipt at the warehouse ends the wait',
    async () => {
      await setReturnLabel({ issuer: 'cainiao', carrier: 'ZTO' });
      const { caseId, trackingNo } = await agreedReturn('return_refund', '2', 1, 16_800);
      expect((await returnRow(caseId))?.carrier_code).toBe('ZTO');

      w.sandbox.carriers.network.finish(trackingNo);
      await expect
        .poll(() => stages(caseId), { timeout: PATIENCE_MS })
        .toEqual(expect.arrayContaining(['return_accepted', 'return_delivered']));
      expect((await detail(caseId)).state?.returnParcel).toMatchObject({
        trackingNo,
        tracking: 'delivered',
        followedBy: 'push',
      });
      const pushes = pushesFor(trackingNo);
      expect(pushes.length).toBeGreaterThanOrEqual(1);
      expect(
        pushes.every(
          (r) =>
            r.service === 'kuaidi100' && r.url === `${apiUrl}/webhooks/tracking/kuaidi100` && r.acknowledged,
        ),
      ).toBe(true);
      expect(await polls(caseId)).toBe(1);

      await receive(trackingNo, [{ lineId: '2', qty: 1, condition: 'resaleable' }]);
      await expect
        .poll(async () => (await detail(caseId)).case.status, { timeout: PATIENCE_MS })
        .toBe('refunded');
    },
    4 * MINUTES,
  );
});
