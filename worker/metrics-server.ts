import { createServer, type Server } from 'node:http';
import { createRegistry, exposition, temporalMetricsUrl } from '../services/metrics/registry.js';

/**
 * A worker process's `GET /metrics`: its own process figures (RSS, heap, event loop, GC) and the
 * Temporal SDK runtime's (task latencies, slots, sticky cache) in one Prometheus page. Workers have
 * no API of their own, so this is a bare HTTP server on WORKER_METRICS_PORT.
 */
export async function serveWorkerMetrics(options: {
  port: number;
  host?: string;
  temporalMetricsPort?: number;
}): Promise<Server> {
  const registry = createRegistry('worker');
  const core = temporalMetricsUrl(options.temporalMetricsPort);
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('only GET /metrics here\n');
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
