import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderWorkflowId } from '../../domain/ids.js';
import { createPddWaybillSim } from '../../sandbox/platforms/pdd/index.js';
import { labelledParcel } from '../support/fulfilment.js';
import { paidPddOrder, startPddWorld, type PddWorld } from '../support/pdd.js';
import { shipsOnSealedWaybill } from '../support/sealed-waybill.js';
import { waitForOrderStatus } from '../support/waits.js';

// A PDD order ships on the shop's PDD e-waybill account: the receiver PDD encrypted goes to PDD's
// waybill service as the ciphertext the order carries, PDD answers print data sealed for its print
// component, and nothing on our side ever holds the receiver decrypted.

const SKU = 'TS-001-BLK-M';
const MINUTES = 5 * 60_000;
const BRANCH = { code: '310001', name: '中通杭州西湖网点', quantity: 5 };

let world: PddWorld;
let shopId: string;
const sim = createPddWaybillSim();

beforeAll(async () => {
  world = await startPddWorld({ [SKU]: 20 }, { WAVE_WINDOW_SECONDS: '1' }, { waybills: sim });
  sim.branches.open(world.mallId, 'ZTO', { ...BRANCH });
  shopId = await world.connectedShop();
  const res = await world.api.inject({
    method: 'POST',
    url: `/shops/${shopId}/waybill-accounts`,
    headers: world.ops,
    payload: { carrier: 'ZTO', service: 'pdd', name: '西湖', credentials: world.credentials },
  });
  expect(res.statusCode, res.body).toBe(201);
});
afterAll(() => world.close());

const balance = () => sim.branches.quantity(world.mallId, 'ZTO', BRANCH.code);

describe('a PDD order through the shop’s PDD e-waybill account', () => {
  it(
    'gets its waybill from PDD for the encrypted receiver, never decrypted, and prints through PDD’s component',
    async () => {
      await shipsOnSealedWaybill(world, {
        platform: 'pdd',
        shopId,
        order: paidPddOrder(world.mallId, [{ code: SKU, priceFen: 5_900 }]),
        issuedBy: ['pdd.waybill.get'],
        decryptCall: 'pdd.open.decrypt.batch',
        balance,
        balanceBefore: BRANCH.quantity,
        content: { encryptedData: expect.any(String) },
        timeoutMs: MINUTES,
      });
    },
    3 * MINUTES,
  );

  it(
    'cancels the PDD waybill through the same account when the order is refunded before handover',
    async () => {
      const order = paidPddOrder(world.mallId, [{ code: SKU, priceFen: 5_900 }]);
      const id = orderWorkflowId('pdd', shopId, order.id);
      await world.onPlatform(shopId, order);
      const { parcelId } = await labelledParcel(world.h, world.api, world.wh, id, MINUTES);
      const before = balance() ?? 0;

      // A paid PDD order is cancelled by its refund (退款成功 before shipment).
      await world.onPlatform(shopId, order, (o) => {
        o.status = 'cancelled';
        o.refund = {
          // PDD after-sales ids are numbers (the gateway writes them as JSON numbers).
          id: `7${Date.now()}`,
          status: 'refunded',
          kind: 'refund_only',
          amountMinor: o.paidMinor,
          reason: '不想要了',
          createdAt: new Date(),
          modifiedAt: new Date(),
        };
      });
      await waitForOrderStatus(world.h.db, id, 'cancelled', MINUTES);
      const events = () =>
        world.h.db
          .selectFrom('shipment_events')
          .select('stage')
          .where('shipment_id', '=', parcelId)
          .execute()
          .then((rows) => rows.map((r) => r.stage));
      await expect.poll(events, { timeout: MINUTES }).toContain('waybill_cancelled');
      // PDD gave the cancelled waybill back to the branch.
      await expect.poll(balance, { timeout: MINUTES }).toBe(before + 1);
      expect(world.calls).toContain('pdd.waybill.cancel');
      expect(world.calls).not.toContain('pdd.open.decrypt.batch');
    },
    3 * MINUTES,
  );
});
