import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadActiveRoutingRules } from '../../db/queries/routing-rules.js';
import { defaultRoutingRules } from '../../domain/routing/defaults.js';
import { routeOrder } from '../../domain/routing/route.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { subject } from '../audit/support.js';
import { createHarness, type Harness } from '../support/harness.js';

const route = (s: ReturnType<typeof subject>) => routeOrder(defaultRoutingRules, s);

describe('default routing', () => {
  it('sends livestream orders to the livestream group, first in line', () => {
    expect(route(subject({ type: 'livestream' }))).toMatchObject({ group: 'livestream', priority: 100 });
  });

  it('sends cold-chain goods to the cold-chain group, presale to presale, the rest to standard', () => {
    expect(route(subject({}, { skuFlags: { 'TEE-RED-M': ['cold_chain'] } }))).toMatchObject({
      group: 'cold_chain',
      priority: 80,
    });
    expect(route(subject({ type: 'presale' }))).toMatchObject({ group: 'presale', priority: 30 });
    expect(route(subject({ type: 'group_buy' }))).toMatchObject({
      group: 'standard',
      priority: 50,
      reason: 'no routing rule matched',
    });
  });

  it('keeps cold-chain goods in the cold chain when they were sold in a livestream, still first in line', () => {
    const decision = route(subject({ type: 'livestream' }, { skuFlags: { 'TEE-RED-M': ['cold_chain'] } }));
    expect(decision).toMatchObject({
      group: 'cold_chain',
      priority: 100,
      matchedRules: ['cold-chain', 'livestream'],
    });
    expect(decision.reason).toContain('group cold_chain');
    expect(decision.reason).toContain('priority 100: 直播订单优先');
  });
});

describe('configured routing rules', () => {
  it('lets a rule set priority without a group, and skips malformed and disabled rules', () => {
    const rules = [
      {
        id: 'vip-shop',
        name: 'VIP shop',
        order: 1,
        when: { type: 'shop', in: ['shop-hz-1'] },
        action: { priority: 90 },
      },
      {
        id: 'off',
        name: 'off',
        order: 2,
        enabled: false,
        when: { type: 'platform', in: ['taobao'] },
        action: { group: 'x' },
      },
      { id: 'broken', name: 'broken', when: { type: 'platform', in: ['taobao'] }, action: {} },
      ...defaultRoutingRules,
    ];
    const decision = routeOrder(rules, subject({ type: 'presale' }));
    expect(decision).toMatchObject({ group: 'presale', priority: 90 });
    expect(decision.trace.find((t) => t.ruleId === 'broken')).toMatchObject({ outcome: 'malformed' });
    expect(decision.trace.find((t) => t.ruleId === 'off')).toMatchObject({ outcome: 'disabled' });
  });
});

describe('routing rules API', () => {
  let h: Harness;
  let api: FastifyInstance;
  let admin: Record<string, string>;

  beforeAll(async () => {
    h = await createHarness();
    api = await h.api();
    admin = bearer(await apiKeyFor(h.db, ['admin'], 'routing-admin'));
  });
  afterAll(() => h.teardown());

  it('seeds the defaults, accepts a new rule from an admin and serves it to the router', async () => {
    const list = await api.inject({ method: 'GET', url: '/routing-rules', headers: admin });
    expect(list.json().rules.map((r: { id: string }) => r.id)).toEqual([
      'cold-chain',
      'livestream',
      'presale',
    ]);

    const created = await api.inject({
      method: 'POST',
      url: '/routing-rules',
      headers: admin,
      payload: {
        id: 'group-buy',
        name: '拼团订单',
        order: 40,
        when: { type: 'order_type', in: ['group_buy'] },
        action: { group: 'group_buy', priority: 60 },
      },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ updatedBy: 'routing-admin', version: 1 });

    const rules = await loadActiveRoutingRules(h.db);
    expect(routeOrder(rules, subject({ type: 'group_buy' }))).toMatchObject({
      group: 'group_buy',
      priority: 60,
    });

    const dryRun = await api.inject({
      method: 'POST',
      url: '/routing-rules/dry-run',
      headers: admin,
      payload: { days: 3 },
    });
    expect(dryRun.statusCode).toBe(200);
    expect(dryRun.json()).toMatchObject({ draft: false, summary: { evaluated: 0, byGroup: [] } });
  });

  it('names the field of an invalid routing rule', async () => {
    const res = await api.inject({
      method: 'POST',
      url: '/routing-rules',
      headers: admin,
      payload: {
        id: 'x',
        name: 'x',
        when: { type: 'order_type', in: ['flash_sale'] },
        action: { priority: 500 },
      },
    });
    expect(res.statusCode).toBe(400);
    const fields = (res.json().issues as { field: string }[]).map((i) => i.field);
    expect(fields).toEqual(expect.arrayContaining(['body.when.in.0', 'body.action.priority']));
  });
});
