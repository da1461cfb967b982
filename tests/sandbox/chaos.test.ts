import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/stack.js';

describe('sandbox chaos: every simulator on a bad day', () => {
  let sandbox: Sandbox;
  // Any simulator route: Shopify's order list, which answers 401 without a token when calm.
  const url = () => `${sandbox.platforms.shopify.baseUrl}/admin/api/2025-01/orders.json`;
  const statuses = async (n: number) => {
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push((await fetch(url())).status);
    return out;
  };

  beforeAll(async () => {
    sandbox = await startSandbox({ chaos: { errorRate: 1 } });
  });
  afterAll(() => sandbox.stop());

  it('answers 5xx to every call at an error rate of 1, from the start', async () => {
    expect((await statuses(5)).every((s) => s === 500 || s === 503)).toBe(true);
    expect(sandbox.chaos.counts.errors).toBe(5);
  });

  it('answers about the configured share of calls with a 5xx', async () => {
    sandbox.chaos.set(undefined);
    sandbox.chaos.set({ errorRate: 0.2 });
    const got = await statuses(200);
    const failed = got.filter((s) => s >= 500).length;
    expect(failed).toBeGreaterThan(20);
    expect(failed).toBeLessThan(60);
    expect(got.filter((s) => s < 500).every((s) => s === 401)).toBe(true);
  });

  it('refuses every call inside a 429 burst with Retry-After, then serves again', async () => {
    sandbox.chaos.set(undefined);
    sandbox.chaos.set({ burstEveryMs: 60_000, burstMs: 30_000 });
    const res = await fetch(url());
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('1');
    sandbox.chaos.set(undefined);
    expect((await fetch(url())).status).toBe(401);
  });

  it('holds slow calls back by the configured time', async () => {
    sandbox.chaos.set({ slowRate: 1, slowMs: 400 });
    const started = Date.now();
    expect((await fetch(url())).status).toBe(401);
    expect(Date.now() - started).toBeGreaterThanOrEqual(390);
    sandbox.chaos.set(undefined);
  });
});
