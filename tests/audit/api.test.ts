import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditMoment, loadActiveAuditRules, loadAuditContext } from '../../db/queries/audit-rules.js';
import type { Db } from '../../db/connect.js';
import { summarizeAuditDryRun } from '../../domain/audit/dry-run.js';
import { evaluateAuditRules } from '../../domain/audit/evaluate.js';
import { buildAuditSubject } from '../../domain/audit/subject.js';
import type { NormalizedOrder } from '../../domain/order.js';
import { orderWorkflowId } from '../../domain/ids.js';
import { createShop, uniqueId } from '../support/fixtures.js';
import { createHarness, type Harness } from '../support/harness.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { auditOrder } from './support.js';

let h: Harness;
let api: FastifyInstance;
let admin: Record<string, string>;
let ops: Record<string, string>;
let shopId: string;

beforeAll(async () => {
  h = await createHarness();
  api = await h.api();
  admin = bearer(await apiKeyFor(h.db, ['admin'], 'rules-admin'));
  ops = bearer(await apiKeyFor(h.db, ['ops'], 'ops-lead'));
  shopId = await createShop(h.db, 'taobao');
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

  it('finds the SKU flags and blacklist hits of an order for the audit activity', async () => {
    await insertSku(h.db, 'CAKE-6IN', ['cold_chain', 'fragile']);
    await send('POST', '/blacklist', { kind: 'address', value: '文三路200号', reason: '拒收多次' });
    await send('POST', '/blacklist', { kind: 'buyer', value: 'fraud-9', platform: 'jd' });
    const order = auditOrder({
      buyer: { id: 'fraud-9' },
      receiver: { ...auditOrder().receiver, detail: '浙江省杭州市西湖区文三路 200 号' },
      lines: [{ ...auditOrder().lines[0]!, skuCode: 'CAKE-6IN' }],
    });
    const context = await loadAuditContext(h.db, order);
    expect(context.skuFlags).toEqual({ 'CAKE-6IN': ['cold_chain', 'fragile'] });
    // The buyer entry is for JD only; this is a Taobao order.
    expect(context.blacklistHits.map((hit) => [hit.kind, hit.reason])).toEqual([['address', '拒收多次']]);
    const onJd = await loadAuditContext(h.db, { ...order, platform: 'jd' });
    expect(onJd.blacklistHits.map((hit) => hit.kind).sort()).toEqual(['address', 'buyer']);
  });
});

describe('dry run', () => {
  it('reports what a draft rule set would do to recent orders, exactly as live evaluation does', async () => {
    await insertSku(h.db, 'VASE-1', ['fragile']);
    await insertSku(h.db, 'RING-ENGRAVED', ['custom_made']);
    const orders = [
      auditOrder({ buyerRemark: '请周末送货' }),
      auditOrder({ amounts: { goodsFen: 900_000, discountFen: 0, shippingFen: 0, paidFen: 900_000 } }),
      auditOrder({ buyerRemark: '要发票，抬头某某公司', type: 'livestream' }),
      auditOrder({ lines: [{ ...auditOrder().lines[0]!, skuCode: 'VASE-1' }] }),
      auditOrder({ lines: [{ ...auditOrder().lines[0]!, skuCode: 'RING-ENGRAVED' }] }),
      auditOrder({ receiver: { ...auditOrder().receiver, district: '' } }),
      auditOrder({ receiver: { ...auditOrder().receiver, detail: '浙江省杭州市西湖区文三路200号' } }),
    ].map((o, i) => ({
      ...o,
      shopId,
      platformOrderId: uniqueId('T'),
      // Paid minutes before capture, except one paid two hours earlier.
      paidAt: new Date(Date.now() - (i === 0 ? 7_200_000 : 300_000)).toISOString(),
    }));
    for (const o of orders) await insertProjection(h.db, o);
    const old = { ...auditOrder({ type: 'livestream' }), shopId, platformOrderId: uniqueId('T') };
    await insertProjection(h.db, old, new Date(Date.now() - 10 * 86_400_000));

    const draft = [
      ...(await loadActiveAuditRules(h.db)),
      {
        id: 'fresh-payment',
        name: 'Paid within the hour',
        order: 1,
        when: { type: 'payment_age', maxSeconds: 3600 },
        action: { type: 'flag', flag: 'vip' },
      },
    ];
    const res = await send('POST', '/audit-rules/dry-run', { rules: draft, days: 7, sampleSize: 50 }, ops);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ draft: true, truncated: false, skipped: [] });
    expect(body.summary.evaluated).toBe(orders.length);

    // Live: what the audit activity does for each order, at the moment it audits it.
    const live = [];
    for (const o of orders) {
      const id = orderWorkflowId(o.platform, o.shopId, o.platformOrderId);
      const row = await h.db
        .selectFrom('orders')
        .select(['captured_at', 'paid_at'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      const context = await loadAuditContext(h.db, o);
      const s = buildAuditSubject(o, { ...context, now: auditMoment(row.captured_at, row.paid_at) });
      live.push({ orderId: id, outcome: evaluateAuditRules(draft, s) });
    }
    const expected = summarizeAuditDryRun(live, 50);
    const sortSamples = (summary: typeof expected) => ({
      ...summary,
      byReason: summary.byReason.map((r) => ({ ...r, sampleOrderIds: [...r.sampleOrderIds].sort() })),
      byFlag: summary.byFlag.map((f) => ({ ...f, sampleOrderIds: [...f.sampleOrderIds].sort() })),
    });
    expect(sortSamples(body.summary)).toEqual(sortSamples(expected));

    const reasons = Object.fromEntries(
      (body.summary.byReason as { reason: string; count: number }[]).map((r) => [r.reason, r.count]),
    );
    expect(reasons).toEqual({
      large_amount: 1,
      buyer_remark: 1,
      custom_made: 1,
      address_invalid: 1,
      blacklisted: 1,
    });
    expect(body.summary.byStage).toEqual([
      { stage: 1, count: 4 },
      { stage: 2, count: 1 },
    ]);
    expect(body.summary.byFlag.map((f: { flag: string }) => f.flag).sort()).toEqual([
      'fragile',
      'urgent',
      'vip',
    ]);
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

/** The projection row an order workflow writes on capture. */
async function insertProjection(db: Db, o: NormalizedOrder, capturedAt = new Date()): Promise<void> {
  const id = orderWorkflowId(o.platform, o.shopId, o.platformOrderId);
  await db
    .insertInto('orders')
    .values({
      id,
      platform: o.platform,
      shop_id: o.shopId,
      platform_order_id: o.platformOrderId,
      status: 'auditing',
      platform_status: o.status,
      refund_status: o.refundStatus,
      order_type: o.type,
      buyer_id: o.buyer.id,
      buyer_nick: o.buyer.nick ?? null,
      receiver: JSON.stringify(o.receiver),
      currency: o.currency,
      goods_fen: o.amounts.goodsFen,
      discount_fen: o.amounts.discountFen,
      shipping_fen: o.amounts.shippingFen,
      paid_fen: o.amounts.paidFen,
      buyer_remark: o.buyerRemark ?? null,
      seller_memo: o.sellerMemo ?? null,
      platform_created_at: o.createdAt,
      paid_at: o.paidAt ?? null,
      platform_modified_at: o.modifiedAt,
      captured_at: capturedAt,
      updated_at: capturedAt,
    })
    .execute();
  await db
    .insertInto('order_lines')
    .values(
      o.lines.map((l) => ({
        order_id: id,
        line_id: l.lineId,
        sku_code: l.skuCode,
        platform_sku_id: l.platformSkuId,
        title: l.title,
        quantity: l.quantity,
        unit_price_fen: l.unitPriceFen,
        discount_fen: l.discountFen,
      })),
    )
    .execute();
}
