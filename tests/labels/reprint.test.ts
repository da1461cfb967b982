import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeyFor, bearer } from '../auth/support.js';
import { createShop } from '../support/fixtures.js';
import { setupCarrierAccounts } from '../support/fulfilment.js';
import {
  startShipmentWorld,
  submitOwnOrder,
  toLabelled,
  type ShipmentWorld,
} from '../carriers/shipment-flow.js';
import { readPdf } from './pdf.js';

let ctx: ShipmentWorld;

beforeAll(async () => {
  ctx = await startShipmentWorld({ TRACKING_POLL_SECONDS: '3600' });
});
afterAll(() => ctx.close());

const reprint = (id: string, body: unknown, headers: Record<string, string>) =>
  ctx.api.inject({
    method: 'POST',
    url: `/shipments/${encodeURIComponent(id)}/label/reprint`,
    payload: body as Record<string, unknown>,
    headers,
  });

interface Entry {
  stage: string;
  actor: string;
  detail: Record<string, unknown>;
}

describe('POST /shipments/:id/label/reprint', () => {
  it('records who reprinted, why and the print count on the order and shipment timelines', async () => {
    const shopId = await createShop(ctx.h.db, 'taobao');
    await setupCarrierAccounts(ctx.h.db, shopId);
    const orderId = await submitOwnOrder(ctx, shopId);
    const { parcelId, trackingNumber } = await toLabelled(ctx, orderId);
    await expect
      .poll(async () =>
        ctx.h.db
          .selectFrom('shipment_labels')
          .select('shipment_id')
          .where('shipment_id', '=', parcelId)
          .executeTakeFirst(),
      )
      .toBeDefined();

    // The first print records nothing.
    const first = await ctx.api.inject({
      method: 'GET',
      url: `/shipments/${encodeURIComponent(parcelId)}/label.pdf`,
      headers: ctx.wh,
    });
    expect(first.statusCode).toBe(200);
    const reprints = async () =>
      (
        (
          await ctx.api.inject({
            method: 'GET',
            url: `/orders/${encodeURIComponent(orderId)}`,
            headers: ctx.ops,
          })
        ).json().timeline as Entry[]
      ).filter((e) => e.stage === 'label_reprinted');
    expect(await reprints()).toEqual([]);

    const username = `packer-${Date.now()}`;
    const packer = bearer(await apiKeyFor(ctx.h.db, ['warehouse'], username));
    const res = await reprint(parcelId, { reason: '  label torn at the packing table ' }, packer);
    expect(res.statusCode, res.body).toBe(200);
    const answer = res.json();
    expect(answer).toMatchObject({
      shipmentId: parcelId,
      trackingNumber,
      reason: 'label torn at the packing table',
      printCount: 2,
      actor: username,
      print: `/shipments/${encodeURIComponent(parcelId)}/label.pdf?size=100x150`,
    });
    // The link prints the same label.
    const pdf = await ctx.api.inject({ method: 'GET', url: answer.print, headers: packer });
    expect(pdf.statusCode).toBe(200);
    expect((await readPdf(pdf.rawPayload)).texts[0]).toContain(trackingNumber);

    const again = await reprint(parcelId, { reason: 'printer jammed', size: '76x130' }, ctx.ops);
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json().printCount).toBe(3);
    expect(again.json().print).toMatch(/label\.pdf\?size=76x130$/);

    const onOrder = await reprints();
    expect(onOrder.map((e) => [e.actor, e.detail.reason, e.detail.printCount])).toEqual([
      [username, 'label torn at the packing table', 2],
      [expect.stringMatching(/.+/), 'printer jammed', 3],
    ]);
    expect(onOrder[0]!.detail).toMatchObject({ shipmentId: parcelId, trackingNumber });
    // On the timeline after the label was issued, not before.
    const timeline = (
      await ctx.api.inject({ method: 'GET', url: `/orders/${encodeURIComponent(orderId)}`, headers: ctx.ops })
    ).json().timeline as Entry[];
    const firstReprint = timeline.findIndex((e) => e.stage === 'label_reprinted');
    expect(firstReprint).toBeGreaterThan(0);

    const shipment = await ctx.api.inject({
      method: 'GET',
      url: `/shipments/${encodeURIComponent(parcelId)}`,
      headers: ctx.ops,
    });
    expect(shipment.statusCode).toBe(200);
    const onShipment = (shipment.json().timeline as Entry[]).filter((e) => e.stage === 'label_reprinted');
    expect(onShipment.map((e) => [e.actor, e.detail.reason, e.detail.printCount])).toEqual([
      [username, 'label torn at the packing table', 2],
      [expect.stringMatching(/.+/), 'printer jammed', 3],
    ]);

    // A reason is required and must say something.
    for (const body of [{}, { reason: ' ' }, { reason: 'x'.repeat(201) }]) {
      const bad = await reprint(parcelId, body, ctx.wh);
      expect(bad.statusCode).toBe(400);
      expect(bad.json().issues.map((i: { field: string }) => i.field)).toEqual(['body.reason']);
    }
    expect(await reprints()).toHaveLength(2);
  });

  it('is for the warehouse and ops only, and 404 for a shipment it does not know', async () => {
    for (const role of ['reviewer', 'customer-service', 'finance'] as const) {
      const other = bearer(await apiKeyFor(ctx.h.db, [role]));
      expect((await reprint('nowhere', { reason: 'torn label' }, other)).statusCode).toBe(403);
    }
    const unknown = await reprint('nowhere', { reason: 'torn label' }, ctx.wh);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().message).toBe('no shipment with id "nowhere"');
  });
});
