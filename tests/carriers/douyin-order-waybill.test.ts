import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDouyinWaybillSim } from '../../sandbox/platforms/douyin/index.js';
import { paidDouyinOrder, startDouyinWorld, type DouyinWorld } from '../support/douyin.js';
import { shipsOnSealedWaybill } from '../support/sealed-waybill.js';

// A Douyin order ships on the shop's Douyin e-waybill account: the receiver Douyin encrypted goes
// to Douyin's waybill service as the ciphertext the order carries, Douyin answers print data
// encrypted for its print component, and nothing on our side ever holds the receiver decrypted.

const SKU = 'TS-001-BLK-M';
const MINUTES = 5 * 60_000;
const BRANCH = { code: '310001', name: '中通杭州西湖网点', quantity: 5 };

let world: DouyinWorld;
let shopId: string;
const sim = createDouyinWaybillSim();

beforeAll(async () => {
  world = await startDouyinWorld({ [SKU]: 20 }, { WAVE_WINDOW_SECONDS: '1' }, { waybills: sim });
  sim.branches.open(world.shopKey, 'zhongtong', { ...BRANCH });
  shopId = await world.connectedShop();
  const res = await world.api.inject({
    method: 'POST',
    url: `/shops/${shopId}/waybill-accounts`,
    headers: world.ops,
    payload: { carrier: 'ZTO', service: 'douyin', name: '西湖', credentials: world.credentials },
  });
  expect(res.statusCode, res.body).toBe(201);
});
afterAll(() => world.close());

const balance = () => sim.branches.quantity(world.shopKey, 'zhongtong', BRANCH.code);

describe('a Douyin order through the shop’s Douyin e-waybill account', () => {
  it(
    'gets its waybill from Douyin for the encrypted receiver, never decrypted, and prints through Douyin’s component',
    async () => {
      await shipsOnSealedWaybill(world, {
        platform: 'douyin',
        shopId,
        order: paidDouyinOrder(world.shopKey, [{ code: SKU, priceFen: 5_900 }]),
        issuedBy: ['logistics.newCreateOrder', 'logistics.waybillApply'],
        decryptCall: 'order.batchDecrypt',
        balance,
        balanceBefore: BRANCH.quantity,
        content: { print_data: expect.any(String), sign: expect.any(String) },
        timeoutMs: MINUTES,
      });
    },
    3 * MINUTES,
  );
});
