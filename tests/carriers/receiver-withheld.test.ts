import { afterAll, beforeAll, expect, it } from 'vitest';
import { AuthError } from '../../integrations/platforms/errors.js';
import type { PlatformAdapter } from '../../integrations/platforms/types.js';
import type { NormalizedOrder } from '../../domain/order.js';
import { createShop, orderPush } from '../support/fixtures.js';
import { recordHistory } from '../support/histories.js';
import { setupCarrierAccounts } from '../support/fulfilment.js';
import { PATIENCE_MS } from '../support/waits.js';
import {
  shipmentState,
  startShipmentWorld,
  submitOwnOrder,
  toPacked,
  type ShipmentWorld,
} from './shipment-flow.js';

/**
 * A platform refusing the shop's authorization when the shipment asks for the receiver (Amazon's
 * `Unauthorized` after a restart with stale tokens) used to be retried forever. Now the parcel stops
 * for a person with an alert, and resumes once the shop is authorized again.
 */
let ctx: ShipmentWorld;
let shopId: string;
let authorized = false;
let asked = 0;

// The shop's platform as the worker reaches it: refuses the authorization until a person fixes it.
const platform = {
  async decryptReceiver(order: NormalizedOrder) {
    asked += 1;
    if (!authorized)
      throw new AuthError(
        'amazon: Unauthorized (Access to requested resource is denied.)',
        'amazon',
        'Unauthorized',
      );
    return { ...order.receiver, protected: false };
  },
} as unknown as PlatformAdapter;

beforeAll(async () => {
  ctx = await startShipmentWorld(
    {},
    { services: { platformAdapterFor: async (id) => (id === shopId ? platform : undefined) } },
  );
  shopId = await createShop(ctx.h.db, 'taobao');
  await setupCarrierAccounts(ctx.h.db, shopId, ['ZTO']);
});
afterAll(() => ctx.close());

it('stops the parcel for a person with an alert when the platform refuses the authorization for its receiver, and resumes once authorized', async () => {
  const receiver = { ...orderPush().receiver, protected: true };
  const orderId = await submitOwnOrder(ctx, shopId, { receiver });
  const { parcelId } = await toPacked(ctx, orderId);

  await expect
    .poll(async () => (await shipmentState(ctx, parcelId)).exception?.kind ?? null, { timeout: PATIENCE_MS })
    .toBe('receiver_withheld');
  const stopped = await shipmentState(ctx, parcelId);
  expect(stopped.exception?.detail).toMatch(
    /refused the shop’s authorization.*Unauthorized.*authorize the shop again/,
  );
  expect(stopped.trackingNumber).toBeNull();
  expect(stopped.waitingFor).toMatch(/resolve the receiver withheld/);
  // Asked once: the refusal is final for the activity, not retried.
  expect(asked).toBe(1);
  // The alert is raised just after the exception is recorded (a busy worker can take a moment).
  const alertMessage = async () => {
    const alerts = (await ctx.api.inject({ method: 'GET', url: '/alerts', headers: ctx.ops })).json()
      .alerts as Array<{ kind: string; shopId: string | null; message: string }>;
    return alerts.find((a) => a.kind === 'shipment_exception' && a.shopId === shopId)?.message ?? null;
  };
  await expect.poll(alertMessage, { timeout: PATIENCE_MS }).toMatch(/receiver_withheld/);

  // The shop is authorized again; a person resumes the parcel and it gets its waybill.
  authorized = true;
  const resumed = await ctx.api.inject({
    method: 'POST',
    url: `/shipments/${encodeURIComponent(parcelId)}/resolve`,
    headers: ctx.ops,
    payload: { action: 'resume', note: 'shop re-authorized' },
  });
  expect(resumed.statusCode, resumed.body).toBe(200);
  await expect
    .poll(async () => (await shipmentState(ctx, parcelId)).trackingNumber, { timeout: PATIENCE_MS })
    .toMatch(/\S/);
  expect((await shipmentState(ctx, parcelId)).exception).toBeNull();
  await recordHistory(ctx.h.client, `shipment:${parcelId}`, 'shipment-receiver-withheld-resumed');
});
