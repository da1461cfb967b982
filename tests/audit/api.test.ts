import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadActiveAuditRules, loadAuditMasterData } from '../../db/queries/audit-rules.js';
import type { Db } from '../../db/connect.js';
import { prepareAudit } from '../../domain/audit/decide.js';
import { orderWorkflowId } from '../../domain/ids.js';
import type { OrderPush } from '../../domain/order.js';
import { createShop, orderPush, seedCatalog, TEST_SKU } from '../support/fixtures.js';
import { setupWarehouse } from '../support/fulfilment.js';
import { createHarness, type Harness } from '../support/harness.js';
import { submitOrder } from '../support/intake.js';
import { waitForOrderStatus, waitForStage } from '../support/waits.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { auditOrder, NOW } from './support.js';

let h: Harness;
let api: FastifyInstance;
let admin: { authorization: string };
let ops: { authorization: string };

beforeAll(async () => {
  h = await createHarness();
  api = await h.api();
  admin = bearer(await apiKeyFor(h.db, ['admin'], 'rules-admin'));
  ops = bearer(await apiKeyFor(h.db, ['ops'], 'ops-lead'));
});
afterAll(() => h.teardown());

const send = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown, headers = admin) =>
  api.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });

const largeOrderRule = {
  id: 'very-large',
  name: 'Very large order',
  order: 5,
  when: { type: 'amount', minFen: 1_000_000 },
  action: { type: 'hold', reason: 'very_large', clearedBy: 'finance', stage: 2 },
};

describe('audit rules API', () => {
  it('serves the default rule set on first read, written by "system"', async () => {
    const res = await send('GET', '/audit-rules');
    expect(res.statusCode).toBe(200);
    const rules = res.json().rules as { id: string; version: number; updatedBy: string }[];
    expect(rules.map((r) => r.id)).toContain('large-amount');
    expect(rules.every((r) => r.version === 1 && r.updatedBy === 'system')).toBe(true);
    expect((await send('GET', '/audit-rules')).json().rules).toHaveLength(rules.length);
  });

  it('creates, replaces (with a version check), disables and enables a rule, recording each actor', async () => {
    const created = await send('POST', '/audit-rules', largeOrderRule);
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      id: 'very-large',
      enabled: true,
      version: 1,
      updatedBy: 'rules-admin',
    });
    expect((await send('POST', '/audit-rules', largeOrderRule)).statusCode).toBe(409);

    const stale = await send('PUT', '/audit-rules/very-large', { ...largeOrderRule, version: 7 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().message).toContain('is at version 1, not 7');

    const { id: _id, ...withoutId } = largeOrderRule;
    const replaced = await send('PUT', '/audit-rules/very-large', {
      ...withoutId,
      when: { type: 'amount', minFen: 2_000_000 },
      version: 1,
    });
    expect(replaced.statusCode).toBe(200);
    expect(replaced.json()).toMatchObject({ version: 2, when: { type: 'amount', minFen: 2_000_000 } });

    expect((await send('POST', '/audit-rules/very-large/disable')).json()).toMatchObject({
      enabled: false,
      version: 3,
    });
    expect((await loadActiveAuditRules(h.db)).map((r) => r.id)).not.toContain('very-large');
    expect((await send('POST', '/audit-rules/very-large/enable')).json()).toMatchObject({
      enabled: true,
      version: 4,
    });
    expect((await loadActiveAuditRules(h.db)).map((r) => r.id)).toContain('very-large');

    const revisions = await h.db
      .selectFrom('rule_revisions')
      .select(['version', 'actor', 'enabled'])
      .where('rule_id', '=', 'very-large')
      .orderBy('version')
      .execute();
    expect(revisions).toEqual([
      { version: 1, actor: 'rules-admin', enabled: true },
      { version: 2, actor: 'rules-admin', enabled: true },
      { version: 3, actor: 'rules-admin', enabled: false },
      { version: 4, actor: 'rules-admin', enabled: true },
    ]);
    expect((await send('GET', '/audit-rules/nope')).statusCode).toBe(404);
  });

  it('refuses an invalid rule, naming each bad field', async () => {
    const res = await send('POST', '/audit-rules', {
      id: 'Bad Id',
      name: 'x',
      when: { type: 'all', conditions: [{ type: 'amount', minFen: -5 }, { type: 'teleport' }] },
      action: { type: 'hold', reason: 'x', clearedBy: 'boss' },
    });
    expect(res.statusCode).toBe(400);
    const fields = (res.json().issues as { field: string }[]).map((i) => i.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        'body.id',
        'body.when.conditions.0.minFen',
        'body.when.conditions.1.type',
        'body.action.reason',
        'body.action.clearedBy',
      ]),
    );
    const mismatch = await send('PUT', '/audit-rules/very-large', { ...largeOrderRule, id: 'other' });
    expect(mismatch.json().issues).toEqual([
      { field: 'body.id', problem: 'must equal the id in the path ("very-large")' },
    ]);
  });

  it('lets only admins change rules', async () => {
    const res = await send('POST', '/audit-rules/large-amount/disable', undefined, ops);
    expect(res.statusCode).toBe(403);
  });
});

describe('blacklist', () => {
  it('stores normalized values, is idempotent, and refuses entries that would match too much', async () => {
    const added = await send('POST', '/blacklist', {
      kind: 'phone',
      value: '+86 138-0000-9999',
      reason: '恶意退款',
    });
    expect(added.statusCode).toBe(201);
    expect(added.json()).toMatchObject({
      kind: 'phone',
      value: '13800009999',
      displayValue: '+86 138-0000-9999',
    });
    const again = await send('POST', '/blacklist', { kind: 'phone', value: '13800009999' });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ id: added.json().id, created: false });

    const tooShort = await send('POST', '/blacklist', { kind: 'address', value: '100号' });
    expect(tooShort.statusCode).toBe(400);
    expect(tooShort.json().issues[0].field).toBe('body.value');
    const badKind = await send('POST', '/blacklist', { kind: 'email', value: 'a@b.c' });
    expect(badKind.json().issues[0].field).toBe('body.kind');

    const listed = await send('GET', '/blacklist?kind=phone');
    expect(listed.json().entries.map((e: { value: string }) => e.value)).toContain('13800009999');
    expect((await send('DELETE', `/blacklist/${added.json().id}`)).statusCode).toBe(204);
    expect((await send('DELETE', `/blacklist/${added.json().id}`)).statusCode).toBe(404);
  });

  it('loads what the audit reads about an order: mappings, bundle components, SKU flags, blacklist hits', async () => {
    await insertSku(h.db, 'CAKE-6IN', ['cold_chain', 'fragile']);
    await insertSku(h.db, 'CANDLE', []);
    await send('POST', '/skus', {
      code: 'PARTY-SET',
      name: 'Party set',
      weightG: 900,
      flags: ['gift'],
      components: [
        { code: 'CAKE-6IN', qty: 1 },
        { code: 'CANDLE', qty: 6 },
      ],
    });
    const mapped = await send('POST', '/sku-mappings', {
      platform: 'taobao',
      platformSkuId: 'TB-PARTY',
      skuCode: 'PARTY-SET',
    });
    expect(mapped.statusCode, mapped.body).toBe(201);
    await send('POST', '/blacklist', { kind: 'address', value: '文三路200号', reason: '拒收多次' });
    await send('POST', '/blacklist', { kind: 'buyer', value: 'fraud-9', platform: 'jd' });
    const order = auditOrder({
      buyer: { id: 'fraud-9' },
      receiver: { ...auditOrder().receiver, detail: '浙江省杭州市西湖区文三路 200 号' },
      lines: [
        { ...auditOrder().lines[0]!, lineId: '1', skuCode: 'CAKE-6IN' },
        { ...auditOrder().lines[0]!, lineId: '2', skuCode: 'OUTER-PARTY', platformSkuId: 'TB-PARTY' },
        { ...auditOrder().lines[0]!, lineId: '3', skuCode: 'NOPE', platformSkuId: 'TB-NOPE' },
      ],
    });
    const data = await loadAuditMasterData(h.db, order);
    expect(data.skuFlags).toEqual({ 'CAKE-6IN': ['cold_chain', 'fragile'], 'PARTY-SET': ['gift'] });
    expect(data.resolution.matches).toEqual([
      { lineId: '1', sku: 'CAKE-6IN' },
      { lineId: '2', sku: 'PARTY-SET' },
    ]);
    expect(data.resolution.components.filter((c) => c.lineId === '2')).toEqual([
      { lineId: '2', flags: ['cold_chain', 'fragile'] },
      { lineId: '2', flags: [] },
    ]);
    expect(data.resolution.unmapped.map((u) => u.lineId)).toEqual(['3']);
    // The buyer entry is for JD only; this is a Taobao order.
    expect(data.blacklistHits.map((hit) => [hit.kind, hit.reason])).toEqual([['address', '拒收多次']]);
    const onJd = await loadAuditMasterData(h.db, {
      ...order,
      platform: 'jd',
      lines: order.lines.slice(0, 1),
    });
    expect(onJd.blacklistHits.map((hit) => hit.kind).sort()).toEqual(['address', 'buyer']);

    // The bundle line carries its own flag and its components': the cold-chain cake makes it cold-chain.
    const prepared = prepareAudit(order, data, { paymentToleranceFen: 0 }, NOW);
    expect(prepared.subject.lines.find((l) => l.lineId === '2')?.skuFlags).toEqual([
      'cold_chain',
      'fragile',
      'gift',
    ]);
    expect(prepared.unmappedHold).toMatchObject({ reason: 'unmapped_sku', clearedBy: 'ops', stage: 1 });
  });
});

describe('dry run', () => {
  it('reports exactly the holds and flags the order workflows applied when they audited the same orders', async () => {
    const dryShop = await createShop(h.db, 'taobao', { paymentToleranceFen: 100 });
    await h.startWorker();
    await seedCatalog(h.db);
    await setupWarehouse(h.db, { stock: { [TEST_SKU.code]: 500 } });
    await insertSku(h.db, 'ICE-MOONCAKE', ['cold_chain']);
    await insertSku(h.db, 'VASE-2', ['fragile']);
    await insertSku(h.db, 'RING-CUSTOM', ['custom_made']);
    const bundle = await send('POST', '/skus', {
      code: 'MOONCAKE-BOX',
      name: '冰皮月饼礼盒',
      weightG: 1200,
      components: [
        { code: 'ICE-MOONCAKE', qty: 6 },
        { code: TEST_SKU.code, qty: 1 },
      ],
    });
    expect(bundle.statusCode, bundle.body).toBe(201);
    for (const mapping of [
      { platform: 'taobao', shopId: dryShop, platformSkuId: 'TB-MOONCAKE-BOX', skuCode: 'MOONCAKE-BOX' },
      { platform: 'taobao', outerCode: 'VASE-OUTER', skuCode: 'VASE-2' },
    ]) {
      const res = await send('POST', '/sku-mappings', mapping);
      expect(res.statusCode, res.body).toBe(201);
    }
    // In force for the live audits and the dry run alike: paid over an hour before the audit → vip.
    const rule = await send('POST', '/audit-rules', {
      id: 'paid-an-hour-ago',
      name: 'Paid over an hour before the audit',
      order: 5,
      when: { type: 'payment_age', minSeconds: 3600 },
      action: { type: 'flag', flag: 'vip' },
    });
    expect(rule.statusCode, rule.body).toBe(201);

    const line = orderPush().lines[0]!;
    const amounts = (paidFen: number, goodsFen = 19_800) => ({
      goodsFen,
      discountFen: 2_000,
      shippingFen: 0,
      paidFen,
    });
    const cases: Record<string, Partial<OrderPush>> = {
      plain: {},
      // Mapped by platform SKU id to a bundle whose component is cold-chain: flagged through the component.
      bundle: { lines: [{ ...line, skuCode: 'MOONCAKE-BOX-TB', platformSkuId: 'TB-MOONCAKE-BOX' }] },
      // Mapped by outer code to a fragile SKU.
      mappedFragile: { lines: [{ ...line, skuCode: 'VASE-OUTER', platformSkuId: '' }] },
      unmapped: { lines: [{ ...line, skuCode: 'NO-SUCH-SKU', platformSkuId: 'TB-404' }] },
      underpaid: { amounts: amounts(15_000) },
      withinTolerance: { amounts: amounts(17_750) },
      custom: { lines: [{ ...line, skuCode: 'RING-CUSTOM', platformSkuId: '' }] },
      remarkAndLarge: {
        buyerRemark: '要发票，抬头某某公司',
        amounts: { goodsFen: 900_000, discountFen: 0, shippingFen: 0, paidFen: 900_000 },
        lines: [{ ...line, quantity: 90, unitPriceFen: 10_000, discountFen: 0 }],
      },
      livestream: { type: 'livestream' },
      paidLongAgo: {
        createdAt: new Date(Date.now() - 3 * 3600_000).toISOString(),
        paidAt: new Date(Date.now() - 2 * 3600_000).toISOString(),
      },
    };
    const ids: Record<string, string> = {};
    for (const [name, overrides] of Object.entries(cases)) {
      const order = orderPush(overrides);
      const res = await submitOrder(api, { platform: 'taobao', shopId: dryShop, order }, ops);
      expect(res.statusCode, res.body).toBe(202);
      ids[name] = orderWorkflowId('taobao', dryShop, order.platformOrderId);
    }
    // Paid after capture: audited when the payment arrives, not when the order was captured.
    const unpaid = orderPush({
      status: 'awaiting_payment',
      paidAt: undefined,
      createdAt: new Date().toISOString(),
      modifiedAt: new Date().toISOString(),
      amounts: amounts(0),
    });
    await submitOrder(api, { platform: 'taobao', shopId: dryShop, order: unpaid }, ops);
    ids.paidLater = orderWorkflowId('taobao', dryShop, unpaid.platformOrderId);
    await waitForOrderStatus(h.db, ids.paidLater, 'awaiting_payment');
    const paidAt = new Date().toISOString();
    await submitOrder(
      api,
      {
        platform: 'taobao',
        shopId: dryShop,
        order: { ...unpaid, status: 'paid', paidAt, modifiedAt: paidAt, amounts: amounts(17_800) },
      },
      ops,
    );
    // And one that never pays: captured in the window but never audited.
    const neverPaid = orderPush({ status: 'awaiting_payment', paidAt: undefined, amounts: amounts(0) });
    await submitOrder(api, { platform: 'taobao', shopId: dryShop, order: neverPaid }, ops);
    const neverPaidId = orderWorkflowId('taobao', dryShop, neverPaid.platformOrderId);

    for (const id of Object.values(ids)) await waitForStage(h.db, id, 'audited');
    await waitForOrderStatus(h.db, neverPaidId, 'awaiting_payment');

    // What the workflows applied at their audit.
    const live: Record<string, { holds: string[]; flags: string[] }> = {};
    for (const [name, id] of Object.entries(ids)) {
      const event = await h.db
        .selectFrom('order_events')
        .select(['detail'])
        .where('order_id', '=', id)
        .where('stage', '=', 'audited')
        .executeTakeFirstOrThrow();
      const holds = await h.db
        .selectFrom('order_holds')
        .select(['reason', 'stage', 'cleared_by_role'])
        .where('order_id', '=', id)
        .where('opened_at', '=', new Date(event.detail.at as string))
        .execute();
      expect(holds.map((x) => x.reason).sort(), name).toEqual([...(event.detail.holds as string[])].sort());
      live[name] = {
        holds: holds.map((x) => `${x.reason}@${x.stage}:${x.cleared_by_role}`).sort(),
        flags: [...(event.detail.flags as string[])].sort(),
      };
    }
    // The cases cover what the dry run used to miss: bundle components, payment, unmapped SKUs.
    expect(live).toMatchObject({
      plain: { holds: [], flags: [] },
      bundle: { holds: [], flags: ['cold_chain'] },
      mappedFragile: { holds: [], flags: ['fragile'] },
      unmapped: { holds: ['unmapped_sku@1:ops'], flags: [] },
      underpaid: { holds: ['payment_mismatch@2:finance'], flags: [] },
      withinTolerance: { holds: [], flags: [] },
      custom: { holds: ['custom_made@1:reviewer'], flags: [] },
      remarkAndLarge: { holds: ['buyer_remark@1:customer-service', 'large_amount@2:finance'] },
      livestream: { holds: [], flags: ['urgent'] },
      paidLongAgo: { holds: [], flags: ['vip'] },
      paidLater: { holds: [], flags: [] },
    });

    const res = await send(
      'POST',
      '/audit-rules/dry-run',
      { days: 1, includeOrders: true, sampleSize: 50 },
      ops,
    );
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ draft: false, truncated: false, skipped: [] });
    expect(body.notAudited).toBeGreaterThanOrEqual(1);
    const dry = new Map(
      (
        body.summary.orders as {
          orderId: string;
          holds: { reason: string; stage: number; clearedBy: string }[];
          flags: string[];
        }[]
      ).map((o) => [o.orderId, o]),
    );
    expect(dry.has(neverPaidId)).toBe(false);
    const reported: typeof live = {};
    for (const [name, id] of Object.entries(ids)) {
      const o = dry.get(id);
      expect(o, name).toBeDefined();
      reported[name] = {
        holds: o!.holds.map((x) => `${x.reason}@${x.stage}:${x.clearedBy}`).sort(),
        flags: [...o!.flags].sort(),
      };
    }
    expect(reported).toEqual(live);

    // The summary counts the same orders.
    const ours = new Set(Object.values(ids));
    const sampled = (reason: string) =>
      (body.summary.byReason as { reason: string; sampleOrderIds: string[] }[])
        .find((r) => r.reason === reason)
        ?.sampleOrderIds.filter((id) => ours.has(id));
    expect(sampled('unmapped_sku')).toEqual([ids.unmapped]);
    expect(sampled('payment_mismatch')).toEqual([ids.underpaid]);
    const coldChain = (body.summary.byFlag as { flag: string; sampleOrderIds: string[] }[]).find(
      (f) => f.flag === 'cold_chain',
    );
    expect(coldChain?.sampleOrderIds).toContain(ids.bundle);
  });

  it('names the field of a bad dry-run request', async () => {
    const res = await send('POST', '/audit-rules/dry-run', { days: 0, rules: [{ id: 'x' }] }, ops);
    expect(res.statusCode).toBe(400);
    const fields = (res.json().issues as { field: string }[]).map((i) => i.field);
    expect(fields).toEqual(expect.arrayContaining(['body.days', 'body.rules.0.name', 'body.rules.0.when']));
  });
});

async function insertSku(db: Db, code: string, flags: string[]): Promise<void> {
  await db
    .insertInto('skus')
    .values({ code, name: code, weight_g: 100, length_mm: 10, width_mm: 10, height_mm: 10, flags })
    .onConflict((oc) => oc.column('code').doUpdateSet({ flags }))
    .execute();
}
