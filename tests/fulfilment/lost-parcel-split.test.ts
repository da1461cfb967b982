import { afterAll, beforeAll, expect, it } from 'vitest';
import { verifyLedger } from '../../db/queries/stock.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { createShop, TEST_SKU, uniqueId } from '../support/fixtures.js';
import { recordHistory } from '../support/histories.js';
import { packParcel, setupCarrierAccounts, waitForShipments, workWave } from '../support/fulfilment.js';
import { waitForOrderStatus, waitForState } from '../support/waits.js';
import { startShipmentWorld, submitOwnOrder, type ShipmentWorld } from '../carriers/shipment-flow.js';

// A line too heavy for one parcel leaves in two; when one of them is lost, the reship sends what
// that parcel carried, not the whole line (docs/order-semantics.md, "A lost parcel is reshipped or
// refunded").

let ctx: ShipmentWorld;
let cs: { authorization: string };

/** Six T-shirts of 250 g under a 1 kg parcel limit: one line in two parcels (4 + 2 units). */
beforeAll(async () => {
  ctx = await startShipmentWorld({
    TRACKING_POLL_SECONDS: '1',
    TRACKING_NO_SCAN_SECONDS: '86400',
    PARCEL_MAX_WEIGHT_G: '1000',
  });
  cs = bearer(await apiKeyFor(ctx.h.db, ['customer-service']));
});
afterAll(() => ctx.close());

const contents = (parcelId: string) =>
  ctx.h.db
    .selectFrom('wms_parcel_contents')
    .select(['line_id', 'sku_code', 'qty'])
    .where('parcel_id', '=', parcelId)
    .execute();

/** Picks and packs the order's parcels (but those in `done`) and waits for their waybills. */
async function labelAll(orderId: string, count: number, done: string[] = []) {
  const state = await waitForState(ctx.h.client, orderId, (s) => s.parcels.length === count);
  const ids = state.parcels.map((p) => p.parcelId).filter((id) => !done.includes(id));
  await waitForShipments(ctx.h.db, ids);
  const waves = await ctx.h.db.selectFrom('shipments').select('wave_id').where('id', 'in', ids).execute();
  for (const waveId of new Set(waves.map((w) => w.wave_id))) await workWave(ctx.api, ctx.wh, waveId);
  for (const id of ids) await packParcel(ctx.api, ctx.wh, id);
  const labelled = await waitForState(ctx.h.client, orderId, (s) =>
    s.parcels.filter((p) => ids.includes(p.parcelId)).every((p) => p.trackingNumber != null),
  );
  return labelled.parcels.filter((p) => ids.includes(p.parcelId));
}

it('reships only the units of a split line that were in the lost parcel: those written off, a parcel with them alone', async () => {
  const shopId = await createShop(ctx.h.db, 'taobao');
  await setupCarrierAccounts(ctx.h.db, shopId, ['ZTO']);
  const orderId = await submitOwnOrder(ctx, shopId, {
    amounts: { goodsFen: 59_400, discountFen: 0, shippingFen: 0, paidFen: 59_400 },
    lines: [
      {
        lineId: '1',
        platformSkuId: '5012345678901',
        skuCode: TEST_SKU.code,
        title: '纯棉T恤',
        quantity: 6,
        unitPriceFen: 9_900,
        discountFen: 0,
      },
    ],
  });
  const parcels = await labelAll(orderId, 2);
  const held = await Promise.all(parcels.map(async (p) => ({ ...p, contents: await contents(p.parcelId) })));
  // One line, split: each parcel carries part of it.
  expect(held.map((p) => p.contents.map((c) => c.line_id))).toEqual([['1'], ['1']]);
  expect(held.map((p) => p.contents[0]!.qty).sort()).toEqual([2, 4]);
  const lost = held.find((p) => p.contents[0]!.qty === 2)!;
  const kept = held.find((p) => p !== lost)!;

  // The larger parcel arrives; the carrier reports the smaller one lost (快件遗失).
  ctx.carriers.sandbox.network.finish(kept.trackingNumber!);
  ctx.carriers.sandbox.network.script(lost.trackingNumber!, 'lost');
  ctx.carriers.sandbox.network.finish(lost.trackingNumber!);
  await waitForState(ctx.h.client, orderId, (s) =>
    s.parcels.some((p) => p.parcelId === lost.parcelId && p.lost),
  );

  const res = await ctx.api.inject({
    method: 'POST',
    url: `/orders/${encodeURIComponent(orderId)}/lost-parcels/${encodeURIComponent(lost.parcelId)}`,
    headers: { ...cs, 'idempotency-key': uniqueId('reship') },
    payload: { decision: 'reship', reason: '快递公司确认遗失，补发' },
  });
  expect(res.statusCode, res.body).toBe(200);

  // A third parcel, with the two lost T-shirts only.
  const [third] = await labelAll(orderId, 3, [lost.parcelId, kept.parcelId]);
  expect(await contents(third!.parcelId)).toEqual([{ line_id: '1', sku_code: TEST_SKU.code, qty: 2 }]);
  ctx.carriers.sandbox.network.finish(third!.trackingNumber!);
  await waitForOrderStatus(ctx.h.db, orderId, 'completed');

  const events = await ctx.h.db
    .selectFrom('order_events')
    .select(['stage', 'detail'])
    .where('order_id', '=', orderId)
    .orderBy('seq')
    .execute();
  expect(events.find((e) => e.stage === 'lost_parcel_reship')!.detail).toMatchObject({
    parcelId: lost.parcelId,
    units: [{ lineId: '1', quantity: 2 }],
  });
  // Written off: the two lost units, not the line; shipped: 4 + 2 + the 2 reshipped.
  const ledger = await ctx.h.db
    .selectFrom('stock_ledger')
    .select(['kind', 'qty', 'reference'])
    .where('order_id', '=', orderId)
    .execute();
  expect(ledger.filter((l) => l.kind === 'adjust')).toEqual([
    { kind: 'adjust', qty: 2, reference: `parcel ${lost.parcelId} lost` },
  ]);
  expect(
    ledger
      .filter((l) => l.kind === 'ship')
      .map((l) => Math.abs(l.qty))
      .sort(),
  ).toEqual([2, 2, 4]);
  expect((await verifyLedger(ctx.h.db)).mismatches).toEqual([]);
  await recordHistory(ctx.h.client, orderId, 'order-lost-parcel-split-reshipped');
});
