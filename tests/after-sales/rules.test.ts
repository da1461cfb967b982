import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AfterSalePush } from '../../domain/after-sales.js';
import { orderWorkflowId } from '../../domain/ids.js';
import { renderOwnPush, signOwnPush } from '../../integrations/platforms/own/index.js';
import { startSandbox, type Sandbox } from '../../sandbox/stack.js';
import { afterSaleStateQuery } from '../../workflows/messages.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { registerShop } from '../capture/support.js';
import { orderPush, seedCatalog, TEST_SKU, uniqueId } from '../support/fixtures.js';
import { setupWarehouse } from '../support/fulfilment.js';
import { createHarness, type Harness } from '../support/harness.js';
import { recordHistory } from '../support/histories.js';
import { PATIENCE_MS, waitForStage } from '../support/waits.js';

// The automatic refund audit on the real dev server: an admin switches on the auto-agree rule for
// small refunds before shipment and the case refunds itself with the rule as actor on its
// timeline; a quality complaint above the (lowered) large-refund limit is held, customer service
// alone may not agree it but may ask for evidence, finance agrees; the dry run over these cases
// counts what a draft rule set would have done, blacklist included.

const storeId = uniqueId('own-asr');
let h: Harness;
let api: FastifyInstance;
let sandbox: Sandbox;
let admin: Record<string, string>;

beforeAll(async () => {
  sandbox = await startSandbox({ shopIds: { own: storeId } });
  const { alipay } = sandbox.payments.accounts;
  h = await createHarness({
    ALIPAY_BASE_URL: sandbox.payments.baseUrls.alipay,
    ALIPAY_APP_ID: alipay.appId,
    ALIPAY_APP_PRIVATE_KEY: alipay.appPrivateKey,
    ALIPAY_PUBLIC_KEY: alipay.alipayPublicKey,
  });
  api = await h.api();
  await seedCatalog(h.db);
  await setupWarehouse(h.db, { stock: { [TEST_SKU.code]: 20 } });
  admin = bearer(await apiKeyFor(h.db, ['admin']));
  await registerShop(api, admin as { authorization: string }, sandbox.shop('own'));
  await h.startWorker();
});
afterAll(async () => {
  await h?.teardown();
  await sandbox?.stop();
});

/** A paid own-store order (two T-shirts, ¥178) and a case on its line through Alipay. */
async function openCase(reason: string, refundFen: number): Promise<{ caseId: string; outTradeNo: string }> {
  const push = orderPush({ buyer: { id: 'asr-buyer', nick: 'a**r' } });
  const rendered = renderOwnPush(sandbox.own.webhookSecret, push);
  const order = await api.inject({
    method: 'POST',
    url: `/webhooks/own/${storeId}`,
    headers: rendered.headers,
    payload: rendered.body,
  });
  expect(order.statusCode, order.body).toBe(202);
  await waitForStage(h.db, orderWorkflowId('own', storeId, push.platformOrderId), 'allocated');
  const outTradeNo = uniqueId('PAY').replace(/[^A-Za-z0-9_-]/g, '');
  sandbox.payments.alipay.book.openTrade({ outTradeNo, totalFen: 17_800 });
  const body: AfterSalePush = {
    caseId: uniqueId('RF').replace(/[^A-Za-z0-9_.-]/g, ''),
    platformOrderId: push.platformOrderId,
    kind: 'refund_only',
    reason,
    createdAt: new Date().toISOString(),
    lines: [{ lineId: '1', quantity: 1, refundFen }],
    payment: { channel: 'alipay', outTradeNo },
  };
  const raw = JSON.stringify(body);
  const res = await api.inject({
    method: 'POST',
    url: `/webhooks/own/${storeId}/after-sales`,
    headers: {
      'content-type': 'application/json',
      'x-erp-hmac-sha256': signOwnPush(sandbox.own.webhookSecret, raw),
    },
    payload: raw,
  });
  expect(res.statusCode, res.body).toBe(202);
  return { caseId: (res.json() as { caseId: string }).caseId, outTradeNo };
}

const timeline = async (caseId: string) =>
  h.db
    .selectFrom('after_sale_events')
    .select(['stage', 'actor', 'detail'])
    .where('case_id', '=', caseId)
    .orderBy('id')
    .execute();

const statusOf = async (caseId: string) =>
  (await h.db.selectFrom('after_sale_cases').select('status').where('id', '=', caseId).executeTakeFirst())
    ?.status;

let agreedCase = '';
let heldCase = '';

describe('the automatic refund audit', () => {
  it('agrees a small refund before shipment by itself once the rule is on, with the rule as actor', async () => {
    const rules = await api.inject({ method: 'GET', url: '/after-sale-rules', headers: admin });
    expect(rules.statusCode, rules.body).toBe(200);
    const listed = (rules.json() as { rules: Array<{ id: string; enabled: boolean }> }).rules;
    expect(listed.find((r) => r.id === 'as-agree-unshipped-small')).toMatchObject({ enabled: false });
    expect(listed.find((r) => r.id === 'as-hold-quality')).toMatchObject({ enabled: true });
    const on = await api.inject({
      method: 'POST',
      url: '/after-sale-rules/as-agree-unshipped-small/enable',
      headers: admin,
    });
    expect(on.statusCode, on.body).toBe(200);
    expect(on.json()).toMatchObject({ enabled: true, version: 2 });

    const { caseId, outTradeNo } = await openCase('不想要了', 5_000);
    agreedCase = caseId;
    await expect.poll(() => statusOf(caseId), { timeout: PATIENCE_MS }).toBe('refunded');
    expect(sandbox.payments.alipay.book.moves.filter((m) => m.outTradeNo === outTradeNo)).toEqual([
      expect.objectContaining({ amountFen: 5_000 }),
    ]);
    const steps = await timeline(caseId);
    expect(steps.map((s) => s.stage)).toEqual(['opened', 'lines_held', 'agreed', 'refunded']);
    expect(steps[2]).toMatchObject({
      actor: 'rule:as-agree-unshipped-small',
      detail: { agreedFen: 5_000, rule: 'as-agree-unshipped-small' },
    });
    const state = await h.client.workflow.getHandle(caseId).query(afterSaleStateQuery);
    expect(state.audit).toMatchObject({
      verdict: 'agree',
      agreedBy: 'as-agree-unshipped-small',
      holds: [],
    });
    await recordHistory(h.client, caseId, 'aftersale-rule-auto-agree');
  });

  it('holds a quality complaint above the limit for finance; customer service may ask for evidence but not agree', async () => {
    const current = (
      await api.inject({ method: 'GET', url: '/after-sale-rules/as-hold-large', headers: admin })
    ).json() as { version: number; when: unknown };
    const lowered = await api.inject({
      method: 'PUT',
      url: '/after-sale-rules/as-hold-large',
      headers: admin,
      payload: {
        name: '大额退款 Large refund',
        order: 40,
        when: { type: 'amount', minFen: 10_001 },
        action: { type: 'hold', reason: 'large_refund', clearedBy: 'finance' },
        version: current.version,
      },
    });
    expect(lowered.statusCode, lowered.body).toBe(200);
    const bad = await api.inject({
      method: 'PUT',
      url: '/after-sale-rules/as-hold-large',
      headers: admin,
      payload: { name: 'x', when: { type: 'amount' }, action: { type: 'hold', reason: 'large_refund' } },
    });
    expect(bad.statusCode).toBe(400);

    const { caseId } = await openCase('质量问题，开线了', 15_000);
    heldCase = caseId;
    await expect
      .poll(async () => (await timeline(caseId)).map((s) => s.stage), { timeout: PATIENCE_MS })
      .toEqual(['opened', 'lines_held', 'held_by_rule']);
    const held = (await timeline(caseId))[2]!;
    expect(held.actor).toBe('rule:as-hold-quality');
    expect((held.detail as { holds: Array<{ reason: string }> }).holds.map((x) => x.reason)).toEqual([
      'quality_claim',
      'large_refund',
    ]);

    const cs = bearer(await apiKeyFor(h.db, ['customer-service']));
    const both = bearer(await apiKeyFor(h.db, ['customer-service', 'finance'], 'fin-wang'));
    const url = `/after-sales/${encodeURIComponent(caseId)}`;
    const decide = (headers: Record<string, string>, payload: object) =>
      api.inject({ method: 'POST', url: `${url}/decisions`, headers, payload });
    const refused = await decide(cs, { decision: 'agree' });
    expect(refused.statusCode, refused.body).toBe(403);
    expect(refused.body).toContain('finance');
    expect((await decide(cs, { decision: 'evidence' })).statusCode).toBe(400);
    const asked = await decide(cs, { decision: 'evidence', note: '请上传开线处照片' });
    expect(asked.statusCode, asked.body).toBe(200);
    await expect
      .poll(async () => (await timeline(caseId)).at(-1)?.stage, { timeout: PATIENCE_MS })
      .toBe('evidence_requested');
    const shown = await api.inject({ method: 'GET', url, headers: cs });
    expect(shown.json()).toMatchObject({
      case: { status: 'open', waitingFor: 'a decision' },
      state: {
        audit: {
          verdict: 'hold',
          holds: [{ reason: 'quality_claim' }, { reason: 'large_refund', clearedBy: 'finance' }],
        },
        decisions: [{ decision: 'evidence', note: '请上传开线处照片' }],
      },
    });
    const agreed = await decide(both, { decision: 'partial', amountFen: 12_000 });
    expect(agreed.statusCode, agreed.body).toBe(200);
    await expect.poll(() => statusOf(caseId), { timeout: PATIENCE_MS }).toBe('refunded');
    const steps = await timeline(caseId);
    expect(steps.map((s) => [s.stage, s.actor])).toEqual([
      ['opened', 'own store'],
      ['lines_held', 'system'],
      ['held_by_rule', 'rule:as-hold-quality'],
      ['evidence_requested', expect.any(String)],
      ['agreed', 'fin-wang'],
      ['refunded', 'system'],
    ]);
    await recordHistory(h.client, caseId, 'aftersale-rule-hold-evidence');
  });

  it('dry-runs a draft rule set over past cases, counting what it would agree, hold and leave to a person', async () => {
    const ops = bearer(await apiKeyFor(h.db, ['ops']));
    const cs = bearer(await apiKeyFor(h.db, ['customer-service']));
    const rules = (
      (await api.inject({ method: 'GET', url: '/after-sale-rules', headers: ops })).json() as {
        rules: Array<Record<string, unknown>>;
      }
    ).rules.map(({ version: _v, updatedBy: _u, updatedAt: _a, createdAt: _c, ...rule }) => ({
      ...rule,
      enabled: true,
    }));
    const dryRun = (headers: Record<string, string>, payload: object) =>
      api.inject({ method: 'POST', url: '/after-sale-rules/dry-run', headers, payload });
    expect((await dryRun(cs, { days: 7 })).statusCode).toBe(403);
    expect((await dryRun(ops, { days: 0 })).statusCode).toBe(400);

    const res = await dryRun(ops, { days: 7, rules, includeCases: true });
    expect(res.statusCode, res.body).toBe(200);
    const { summary, draft } = res.json() as {
      draft: boolean;
      summary: {
        evaluated: number;
        autoAgreed: number;
        held: number;
        byRule: Array<{ ruleId: string; count: number; sampleCaseIds: string[] }>;
        cases: Array<{ caseId: string; verdict: string; actual: string }>;
      };
    };
    expect(draft).toBe(true);
    expect(summary.evaluated).toBe(2);
    expect(summary.cases).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ caseId: agreedCase, verdict: 'agree', actual: 'refunded' }),
        expect.objectContaining({ caseId: heldCase, verdict: 'hold' }),
      ]),
    );
    // The second case of the same buyer does not reach the frequent-refunder threshold (3).
    expect(summary.byRule.find((r) => r.ruleId === 'as-hold-frequent-refunds')).toBeUndefined();

    const listed = await api.inject({
      method: 'POST',
      url: '/blacklist',
      headers: cs,
      payload: { kind: 'buyer', value: 'asr-buyer', reason: '恶意退款' },
    });
    expect(listed.statusCode, listed.body).toBe(201);
    const now = (await dryRun(ops, { days: 7 })).json() as { draft: boolean; summary: typeof summary };
    expect(now.draft).toBe(false);
    expect(now.summary).toMatchObject({ evaluated: 2, autoAgreed: 0, held: 2 });
    expect(now.summary.byRule.find((r) => r.ruleId === 'as-hold-blacklisted')).toMatchObject({ count: 2 });
  });
});
