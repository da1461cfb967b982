import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { orderWorkflowId } from '../../domain/ids.js';
import { createBaiduTranslator } from '../../integrations/translation/baidu.js';
import { createTranslationSandbox, type TranslationSandbox } from '../../sandbox/translation/index.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { createShop, orderPush, seedCatalog, TEST_SKU } from '../support/fixtures.js';
import { setupWarehouse } from '../support/fulfilment.js';
import { createHarness, type Harness } from '../support/harness.js';
import { submitOrder } from '../support/intake.js';
import { waitForOrderStatus, waitForStage } from '../support/waits.js';

/**
 * A Vietnamese remark through the whole order: captured as written, translated at audit by the
 * Baidu Translate simulator, not held (a call before delivery is routine), and shown translated on
 * the order; a remark the service cannot translate (down) is held for customer service with the
 * reason, and the review queue shows the original.
 */
let h: Harness;
let sandbox: TranslationSandbox;
let server: FastifyInstance;
let api: FastifyInstance;
let admin: { authorization: string };
let shopId: string;

beforeAll(async () => {
  h = await createHarness();
  sandbox = createTranslationSandbox();
  server = Fastify({ logger: false });
  await server.register(async (scope) => sandbox.register(scope), { prefix: '/translation' });
  const baseUrl = `${await server.listen({ port: 0, host: '127.0.0.1' })}/translation/baidu`;
  await h.startWorker({
    services: { translator: createBaiduTranslator({ baseUrl, ...sandbox.accounts.baidu }) },
  });
  api = await h.api();
  admin = bearer(await apiKeyFor(h.db, ['admin'], 'remarks-admin'));
  shopId = await createShop(h.db, 'taobao');
  await seedCatalog(h.db);
  await setupWarehouse(h.db, { stock: { [TEST_SKU.code]: 500 } });
});
afterAll(async () => {
  await server?.close();
  await h?.teardown();
});

const place = async (buyerRemark: string) => {
  const order = orderPush({ buyerRemark });
  const res = await submitOrder(api, { platform: 'taobao', shopId, order }, admin);
  expect(res.statusCode, res.body).toBe(202);
  return orderWorkflowId('taobao', shopId, order.platformOrderId);
};

const holdsOf = (orderId: string) =>
  h.db.selectFrom('order_holds').select(['reason', 'detail']).where('order_id', '=', orderId).execute();

it('translates a Vietnamese remark at audit: no remark hold, the translation beside the original', async () => {
  const remark = 'Vui lòng gọi trước khi giao hàng';
  const id = await place(remark);
  await waitForStage(h.db, id, 'audited');
  expect((await holdsOf(id)).map((x) => x.reason)).not.toContain('buyer_remark');
  const detail = await api.inject({ method: 'GET', url: `/orders/${id}`, headers: admin });
  expect(detail.statusCode, detail.body).toBe(200);
  const order = detail.json().order;
  expect(order.buyer_remark).toBe(remark);
  expect(order.buyer_remark_translation).toEqual({
    text: '请在送货前打电话',
    source_language: 'vi',
    provider: 'baidu',
    instructions: ['送货前电话联系'],
  });
  expect(sandbox.calls.count('baidu', remark)).toBe(1);
});

it('holds a remark the service cannot translate, saying why, and lists it in the review queue', async () => {
  sandbox.faults.down = true;
  const remark = 'Tolong telepon sebelum pengiriman';
  const id = await place(remark);
  await waitForOrderStatus(h.db, id, 'held');
  const hold = (await holdsOf(id)).find((x) => x.reason === 'buyer_remark');
  expect(hold?.detail).toContain('translation unavailable: baidu unavailable');
  const queue = await api.inject({ method: 'GET', url: '/reviews?reason=buyer_remark', headers: admin });
  expect(queue.statusCode, queue.body).toBe(200);
  const item = queue.json().items.find((i: { orderId: string }) => i.orderId === id);
  expect(item).toMatchObject({ buyerRemark: remark, buyerRemarkTranslation: null });
  sandbox.faults.clear();
});

it('a remark the engine hands back unchanged is held, and no "translation" repeating it is shown', async () => {
  const remark = 'Hinterlassen Sie das Paket beim Nachbarn';
  const id = await place(remark);
  await waitForOrderStatus(h.db, id, 'held');
  expect(sandbox.calls.count('baidu', remark)).toBe(1);
  const detail = await api.inject({ method: 'GET', url: `/orders/${id}`, headers: admin });
  expect(detail.json().order).toMatchObject({ buyer_remark: remark, buyer_remark_translation: null });
  const queue = await api.inject({ method: 'GET', url: '/reviews?reason=buyer_remark', headers: admin });
  const item = queue.json().items.find((i: { orderId: string }) => i.orderId === id);
  expect(item).toMatchObject({ buyerRemark: remark, buyerRemarkTranslation: null });
});
