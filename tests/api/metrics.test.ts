import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderOwnPush } from '../../integrations/platforms/own/index.js';
import { apiKeyFor, bearer, registerOwnStore } from '../auth/support.js';
import { freePort } from '../support/free-port.js';
import { orderPush, uniqueId } from '../support/fixtures.js';
import { createHarness, type Harness } from '../support/harness.js';
import { PATIENCE_MS } from '../support/waits.js';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process.js';

let h: Harness;
let api: FastifyInstance;
let worker: WorkerProcess | undefined;

beforeAll(async () => {
  h = await createHarness();
  api = await h.api();
});
afterAll(async () => {
  if (worker && worker.exitCode === null) {
    const exited = new Promise((resolve) => worker!.once('exit', resolve));
    worker.kill('SIGTERM');
    await exited;
  }
  await h.teardown();
});

describe('GET /metrics on the API', () => {
  it('serves Prometheus text to ops: process figures, webhook acknowledgement times and the inbox backlog', async () => {
    expect((await api.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
    const shopId = uniqueId('own-metrics');
    await registerOwnStore(api, h.db, { shopId, secret: 'whsec_metrics' });
    const push = renderOwnPush('whsec_metrics', orderPush());
    expect(
      (await api.inject({ method: 'POST', url: `/webhooks/own/${shopId}`, ...push, payload: push.body }))
        .statusCode,
    ).toBe(202);

    const res = await api.inject({
      method: 'GET',
      url: '/metrics',
      headers: bearer(await apiKeyFor(h.db, ['ops'])),
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.body).toMatch(/^erp_process_resident_memory_bytes\{component="api"\} \d+/m);
    // The webhook's acknowledgement, counted under its route (how fast is the benchmark's business).
    const webhook = res.body
      .split('\n')
      .find(
        (line) =>
          line.startsWith('erp_http_request_duration_seconds_count{') &&
          line.includes('route="/webhooks/:platform/:shopId"') &&
          line.includes('status_code="202"'),
      );
    expect(webhook).toMatch(/ 1$/);
    expect(res.body).toMatch(/^erp_webhook_inbox_pending\{component="api"\} \d+$/m);
    expect(res.body).toMatch(/^erp_webhook_inbox_oldest_age_seconds\{component="api"\} [\d.]+$/m);
  });
});

describe('a worker process', () => {
  it('serves its own figures and the Temporal SDK runtime metrics at /metrics', async () => {
    // Two ports asked for one after the other can be the same one (the first was closed again).
    const metricsPort = await freePort();
    let corePort = await freePort();
    while (corePort === metricsPort) corePort = await freePort();
    worker = startWorkerProcess(h, {
      WORKER_METRICS_PORT: String(metricsPort),
      TEMPORAL_METRICS_PORT: String(corePort),
    });
    let page = '';
    await expect
      .poll(
        async () => {
          try {
            page = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
          } catch {
            return false;
          }
          // The SDK's series appear one by one once its worker polls: wait for the ones checked below.
          return (
            /^temporal_worker_task_slots_available\{/m.test(page) &&
            /^temporal_sticky_cache_size\{/m.test(page)
          );
        },
        { timeout: PATIENCE_MS, interval: 500 },
      )
      .toBe(true);
    expect(page).toMatch(/^erp_process_resident_memory_bytes\{component="worker"\} \d+/m);
    expect(page).toMatch(/^temporal_worker_task_slots_available\{/m);
    expect(page).toMatch(/^temporal_sticky_cache_size\{/m);

    // Its readiness on the same port: polling both queues, the database answering.
    const health = await fetch(`http://127.0.0.1:${metricsPort}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({
      ok: true,
      database: 'ok',
      runState: 'RUNNING',
      workflowPollerState: 'POLLING',
      activityPollerState: 'POLLING',
    });
    expect(await worker.health()).toMatch(/^200 \{"ok":true/);
  });
});
