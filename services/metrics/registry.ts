import { collectDefaultMetrics, Registry } from 'prom-client';

/**
 * One Prometheus registry per component (API, worker): the process's own figures (RSS, heap, event
 * loop lag, GC) under `erp_process_*` / `erp_nodejs_*`, labelled with the component, plus whatever
 * the component registers. The Temporal SDK's runtime metrics are served by the SDK itself on
 * TEMPORAL_METRICS_PORT and appended to the same page (`exposition`).
 */
export function createRegistry(component: 'api' | 'worker' | 'dev'): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ component });
  collectDefaultMetrics({ register: registry, prefix: 'erp_' });
  return registry;
}

const CORE_TIMEOUT_MS = 2_000;

/**
 * The registry's text, then the Temporal SDK's (task latencies, slots, sticky cache) when this
 * process runs a worker whose runtime exports them. A scrape never fails for the SDK's part: its
 * absence is said in a comment.
 */
export async function exposition(registry: Registry, temporalMetricsUrl?: string): Promise<string> {
  const own = await registry.metrics();
  if (!temporalMetricsUrl) return own;
  try {
    const res = await fetch(temporalMetricsUrl, { signal: AbortSignal.timeout(CORE_TIMEOUT_MS) });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    return `${own}\n${await res.text()}`;
  } catch (err) {
    return `${own}\n# Temporal SDK metrics unavailable from ${temporalMetricsUrl}: ${(err as Error).message}\n`;
  }
}

/** Where the SDK's runtime serves its metrics in this process, if it does. */
export function temporalMetricsUrl(port: number | undefined): string | undefined {
  return port ? `http://127.0.0.1:${port}/metrics` : undefined;
}
