import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignBin } from '../../db/queries/wms.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { createHarness, type Harness } from '../support/harness.js';
import { seedSku, seedStock, seedWarehouse } from '../stock/seed.js';
import { allocatedOrder, waveOf } from './support.js';

/** A short or damaged pick is an ops alert (`GET /alerts`) until a person has dealt with it. */
let h: Harness;
let api: FastifyInstance;
let ops: { authorization: string };
let crew: { authorization: string };

beforeAll(async () => {
  h = await createHarness();
  api = await h.api();
  ops = bearer(await apiKeyFor(h.db, ['ops']));
  crew = bearer(await apiKeyFor(h.db, ['warehouse']));
});
afterAll(() => h.teardown());

async function openPickAlerts() {
  const res = await api.inject({ method: 'GET', url: '/alerts?kind=pick_exception', headers: ops });
  expect(res.statusCode).toBe(200);
  return res.json().alerts as Array<{ message: string; occurrences: number; resolvedAt: string | null }>;
}

async function confirm(waveId: string, line: number, outcome: string, qty: number, note?: string) {
  const res = await api.inject({
    method: 'POST',
    url: '/wms/pick-confirmations',
    headers: crew,
    payload: { waveId, line, outcome, qty, ...(note ? { note } : {}) },
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().events as Array<{ type: string; exceptionId?: number }>;
}

async function resolve(id: number) {
  const res = await api.inject({
    method: 'POST',
    url: `/wms/exceptions/${id}/resolve`,
    headers: crew,
    payload: { resolution: 'bin recounted; two units were on the wrong shelf' },
  });
  expect(res.statusCode, res.body).toBe(200);
}

describe('pick exception alerts', () => {
  it('raises an alert for missing and damaged units and resolves it when the last exception is closed', async () => {
    const warehouse = await seedWarehouse(h.db);
    const tea = await seedSku(h.db);
    const cup = await seedSku(h.db);
    for (const sku of [tea, cup]) await seedStock(h.db, warehouse, sku, 10);
    await assignBin(h.db, { warehouse, bin: 'A-01-02-1', sku: tea });
    await assignBin(h.db, { warehouse, bin: 'A-02-01-1', sku: cup });
    const orders = await allocatedOrder(h.db, [
      { sku: tea, qty: 2 },
      { sku: cup, qty: 1 },
    ]);
    const wave = await waveOf(h.db, warehouse, orders);
    const teaLine = wave.pickList.find((l) => l.sku === tea)!.seq;
    const cupLine = wave.pickList.find((l) => l.sku === cup)!.seq;
    expect(await openPickAlerts()).toEqual([]);

    const short = await confirm(wave.waveId, teaLine, 'short_picked', 1);
    const first = short.find((e) => e.type === 'pick_exception')!.exceptionId!;
    let [alert] = await openPickAlerts();
    expect(alert!.message).toContain(
      `${warehouse} ${tea} ×1 missing at A-01-02-1 (order ${orders[0]!.orderId})`,
    );
    expect(alert!.message).toContain('1 open pick exception(s)');

    const damaged = await confirm(wave.waveId, cupLine, 'damaged', 1, 'box crushed');
    const second = damaged.find((e) => e.type === 'pick_exception')!.exceptionId!;
    [alert] = await openPickAlerts();
    expect(alert!.occurrences).toBe(2);
    expect(alert!.message).toContain('2 open pick exception(s), 2 unit(s) written off');
    expect(alert!.message).toContain(`${cup} ×1 damaged at A-02-01-1`);

    // One dealt with: the alert stays, now naming only what is left.
    await resolve(first);
    [alert] = await openPickAlerts();
    expect(alert!.message).toContain('1 open pick exception(s)');
    expect(alert!.message).not.toContain(`${tea} ×1`);

    await resolve(second);
    expect(await openPickAlerts()).toEqual([]);
    const history = await api.inject({
      method: 'GET',
      url: '/alerts?kind=pick_exception&includeResolved=true',
      headers: ops,
    });
    expect(history.json().alerts[0].resolvedAt).toEqual(expect.any(String));
  });
});
