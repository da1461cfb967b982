import { expect } from 'vitest';
import { dataKeyring } from '../../db/crypto/data-keys.js';
import { loadLabel } from '../../db/queries/labels.js';
import { orderWorkflowId } from '../../domain/ids.js';
import type { Platform } from '../../domain/platforms.js';
import type { SimOrder } from '../../sandbox/orders/model.js';
import type { ErpSide } from './erp-world.js';
import { labelledParcel } from './fulfilment.js';

/**
 * An order whose platform encrypted its receiver ships on the shop's account with the platform's
 * own e-waybill: the service is asked with the ciphertext, never the platform's decryption; the
 * label keeps the masks and the sealed print data; the print task carries it to the platform's
 * component; no row of the order or the parcel holds the receiver in plaintext. Answers the parcel.
 */
export async function shipsOnSealedWaybill(
  world: ErpSide & {
    calls: string[];
    onPlatform(shopId: string, order: SimOrder): Promise<void>;
  },
  expected: {
    platform: Platform;
    shopId: string;
    order: SimOrder;
    /** The methods that issue it, and the decryption that must not be called. */
    issuedBy: string[];
    decryptCall: string;
    /** The branch's balance at the service, before and now. */
    balance: () => number | undefined;
    balanceBefore: number;
    /** What the print task's content carries. */
    content: Record<string, unknown>;
    timeoutMs: number;
  },
): Promise<{ parcelId: string }> {
  const { h, api, wh } = world;
  const { order, platform } = expected;
  const id = orderWorkflowId(platform, expected.shopId, order.id);
  await world.onPlatform(expected.shopId, order);
  const { parcelId, waybill } = await labelledParcel(h, api, wh, id, expected.timeoutMs);
  const plaintext = [order.receiver.name, order.receiver.phone, order.receiver.detail];

  const shipment = await h.db
    .selectFrom('shipments')
    .select(['carrier', 'waybill'])
    .where('id', '=', parcelId)
    .executeTakeFirstOrThrow();
  expect(shipment.carrier).toBe('ZTO');
  expect(shipment.waybill).toMatchObject({ provider: platform, accountId: expect.any(String) });
  expect(expected.balance()).toBe(expected.balanceBefore - 1);
  for (const call of expected.issuedBy) expect(world.calls).toContain(call);
  expect(world.calls).not.toContain(expected.decryptCall);

  // The label we keep has the platform's masks and the sealed print data, never the receiver.
  const label = await loadLabel(h.db, dataKeyring(h.config), parcelId);
  const kept = JSON.stringify(label!.label);
  for (const plain of plaintext) expect(kept).not.toContain(plain);
  expect(label!.label).toMatchObject({ sealedPrint: { service: platform } });

  const task = await api.inject({ method: 'GET', url: `/shipments/${parcelId}/print-task`, headers: wh });
  expect(task.statusCode, task.body).toBe(200);
  expect(task.json()).toMatchObject({
    service: platform,
    cmd: 'print',
    task: { documents: [{ documentID: waybill, contents: [expected.content] }] },
  });
  const pdf = await api.inject({ method: 'GET', url: `/shipments/${parcelId}/label.pdf`, headers: wh });
  expect(pdf.statusCode).toBe(200);
  expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');

  // Nothing the ERP stored for the order or the parcel carries the receiver in plaintext.
  const rows = await Promise.all([
    h.db.selectFrom('orders').selectAll().where('id', '=', id).execute(),
    h.db.selectFrom('shipments').selectAll().where('id', '=', parcelId).execute(),
    h.db.selectFrom('shipment_events').selectAll().where('shipment_id', '=', parcelId).execute(),
    h.db.selectFrom('order_events').selectAll().where('order_id', '=', id).execute(),
  ]);
  const stored = JSON.stringify(rows);
  for (const plain of plaintext) expect(stored).not.toContain(plain);
  return { parcelId };
}
