import { fmt } from './stats.js';

/** Histograms of the SDK's Prometheus page worth a line: where workflow tasks and local activities spent their time. */
const WANTED =
  /^temporal_(local_activity_execution_latency|local_activity_succeed_endtoend_latency|workflow_task_execution_latency|workflow_task_schedule_to_start_latency|activity_execution_latency|activity_schedule_to_start_latency)/;

interface Histogram {
  count: number;
  sum: number;
  buckets: Array<[number, number]>;
}

/**
 * Summarises the SDK's latency histograms by workflow or activity type: count, mean and the
 * bucket bounds holding p50 and p99 (the SDK's own buckets), plus counters of failed and timed-out
 * tasks. `page` is the text of the SDK's Prometheus endpoint.
 */
export function summariseSdkMetrics(page: string): string[] {
  const histograms = new Map<string, Histogram>();
  const counters: string[] = [];
  for (const line of page.split('\n')) {
    if (line.startsWith('#') || !line.trim()) continue;
    const m = /^(\w+?)(_bucket|_sum|_count)?\{([^}]*)\} ([\d.e+-]+|\+Inf|NaN)$/.exec(line);
    if (!m) continue;
    const [, name, part, labelText, raw] = m;
    const labels = Object.fromEntries(
      [...labelText!.matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1]!, l[2]!] as const),
    );
    const value = Number(raw);
    if (!part && /failed|timed_out|sticky_cache_size|forced_eviction/.test(name!) && value > 0) {
      const type = labels.workflow_type ?? labels.activity_type ?? '';
      counters.push(`  ${name}${type ? ` (${type})` : ''}: ${value}`);
      continue;
    }
    if (!part || !WANTED.test(name!)) continue;
    const key = `${name} ${labels.workflow_type ?? labels.activity_type ?? ''}`.trim();
    const h = histograms.get(key) ?? { count: 0, sum: 0, buckets: [] };
    if (part === '_count') h.count += value;
    else if (part === '_sum') h.sum += value;
    else h.buckets.push([labels.le === '+Inf' ? Infinity : Number(labels.le), value]);
    histograms.set(key, h);
  }
  const bound = (h: Histogram, p: number): string => {
    const sorted = [...h.buckets].sort((a, b) => a[0] - b[0]);
    const hit = sorted.find(([, c]) => c >= (p / 100) * h.count);
    return hit ? (hit[0] === Infinity ? '> max' : `≤ ${hit[0]}`) : '?';
  };
  const lines = [...histograms.entries()]
    .filter(([, h]) => h.count > 0)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(
      ([key, h]) =>
        `  ${key.replace(/^temporal_/, '')}: ${h.count} × mean ${fmt(h.sum / h.count, 0)}, p50 ${bound(h, 50)}, p99 ${bound(h, 99)}`,
    );
  return [...lines, ...counters];
}
