import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRegistry, exposition, temporalMetricsUrl } from '../services/metrics/registry.js';

/** What a worker process says about itself at `GET /health`. */
export interface WorkerHealth {
  /** Polling both its queues and not shutting down: it can move orders on. */
  ok: boolean;
  [detail: string]: unknown;
}

/**
 * A worker process's HTTP side on WORKER_METRICS_PORT (workers have no API of their own):
 * `GET /metrics`, its own process figures (RSS, heap, event loop, GC) and the Temporal SDK
 * runtime's (task latencies, slots, sticky cache) in one Prometheus page; `GET /health`, 200 while
 * the worker polls for work and 503 otherwise, with its state as JSON either way (for a
 * supervisor's readiness check, and for a person asking why nothing moves).
 */
export async function serveWorkerMetrics(options: {
  port: number;
  host?: string;
  temporalMetricsPort?: number;
  health?: () => WorkerHealth | Promise<WorkerHealth>;
}): Promise<Server> {
  const registry = createRegistry('worker');
  const core = temporalMetricsUrl(options.temporalMetricsPort);
  const server = createServer((req, res) => {
    const path = req.url?.split('?')[0];
    if (req.method === 'GET' && path === '/health') {
      Promise.resolve(options.health?.() ?? { ok: true }).then(
        (health) =>
          res
            .writeHead(health.ok ? 200 : 503, { 'content-type': 'application/json' })
            .end(JSON.stringify(health)),
        (err: Error) =>
          res
            .writeHead(503, { 'content-type': 'application/json' })
            .end(JSON.stringify({ ok: false, error: err.message })),
      );
      return;
    }
    if (req.method !== 'GET' || path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('only GET /metrics and /health here\n');
      return;
    }
    exposition(registry, core).then(
      (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
      (err: Error) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`${err.message}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  return server;
}

/** Where a listening server can be reached (the port the kernel gave when 0 was asked for). */
export function serverUrl(server: Server, host = '127.0.0.1'): string {
  return `http://${host}:${(server.address() as AddressInfo).port}`;
}
