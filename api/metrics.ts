import type { FastifyInstance } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { inboxBacklog } from '../db/queries/webhook-inbox.js';
import type { Db } from '../db/connect.js';
import { createRegistry, exposition } from '../services/metrics/registry.js';
import type { ForwarderMetrics } from '../services/capture/webhook-forwarder.js';
import type { ApiDeps } from './deps.js';

export interface ApiMetrics {
  registry: Registry;
  forwarder: ForwarderMetrics;
}

/** Request latencies in seconds: webhook acknowledgements are meant to sit in the first buckets. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The API's figures: every request's duration by route and status (a webhook's is its
 * acknowledgement time), the webhook inbox's backlog (read at scrape time) and its forwarding.
 */
export function installApiMetrics(
  app: FastifyInstance,
  db: Db,
  component: 'api' | 'dev' = 'api',
): ApiMetrics {
  const registry = createRegistry(component);
  const requests = new Histogram({
    name: 'erp_http_request_duration_seconds',
    help: 'API request duration by route and status code',
    labelNames: ['method', 'route', 'status_code'],
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  app.addHook('onResponse', async (request, reply) => {
    requests.observe(
      {
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status_code: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
  });
  const oldest = new Gauge({
    name: 'erp_webhook_inbox_oldest_age_seconds',
    help: 'Age of the oldest webhook event not yet handed to Temporal (0 when none)',
    registers: [],
  });
  // Read once per scrape, for both gauges (registered in this order, so both are current).
  registry.registerMetric(
    new Gauge({
      name: 'erp_webhook_inbox_pending',
      help: 'Webhook events written to the inbox and not yet handed to Temporal',
      registers: [],
      async collect() {
        const backlog = await inboxBacklog(db);
        this.set(backlog.pending);
        oldest.set(backlog.oldestAt ? (Date.now() - backlog.oldestAt.getTime()) / 1000 : 0);
      },
    }),
  );
  registry.registerMetric(oldest);
  const forwarded = new Counter({
    name: 'erp_webhook_events_forwarded_total',
    help: 'Webhook inbox events handed to Temporal',
    registers: [registry],
  });
  const failed = new Counter({
    name: 'erp_webhook_forward_failures_total',
    help: 'Attempts to hand a webhook inbox event to Temporal that failed (kept and tried again)',
    registers: [registry],
  });
  return {
    registry,
    forwarder: { forwarded: (n) => forwarded.inc(n), failed: (n) => failed.inc(n) },
  };
}

/** `GET /metrics`: Prometheus text for ops' scraper (a bearer key with the ops role). */
export const metricsRoutes: FastifyPluginAsyncZod<
  ApiDeps & { metrics: ApiMetrics; temporalMetricsUrl?: string }
> = async (app, { metrics, temporalMetricsUrl }) => {
  app.get(
    '/metrics',
    {
      config: { roles: ['ops'] },
      schema: {
        tags: ['ops'],
        summary: 'Prometheus metrics of this API process (and of its in-process worker, if any)',
        description:
          'Prometheus text format: request durations by route (webhook acknowledgements), the webhook ' +
          'inbox backlog and forwarding, the process (RSS, heap, event loop) and, where this process ' +
          'runs a worker, the Temporal SDK runtime metrics. Workers serve the same on WORKER_METRICS_PORT.',
      },
    },
    async (_request, reply) => {
      const text = await exposition(metrics.registry, temporalMetricsUrl);
      return reply.type(metrics.registry.contentType).send(text);
    },
  );
};
