import { createRng } from './orders/prng.js';

/**
 * A simulated warehouse crew for demos and benchmarks: it works our WMS API the way handheld
 * scanners would — picks every line of each new wave, packs each parcel (weighing it from its
 * contents), hands labelled parcels to the carrier and, when asked to, receives supplier deliveries
 * for stock that runs low or that waiting orders need. It only speaks HTTP to the API.
 *
 * Now and then (`mishaps`) a picker finds a unit missing from its bin or broken: the robot reports
 * it as the WMS expects, and the order is re-allocated like any real short pick.
 */
export interface WarehouseRobotOptions {
  apiUrl: string;
  /** An API key with the warehouse role. */
  apiKey: string;
  intervalMs?: number;
  /** Hand labelled parcels over to the carrier (default true). */
  handover?: boolean;
  /** Share of pick lines where one unit is missing or damaged (default 0). */
  mishaps?: number;
  /**
   * Receive stock: a delivery of `qty` for each SKU whose available stock in a warehouse falls to
   * `below`, and whatever open replenishment requests still lack. Off by default.
   */
  restock?: { below: number; qty: number; everyMs?: number };
  seed?: string;
  /**
   * How long an item may keep failing for passing reasons (5xx, a dropped connection: the API or
   * its worker restarting) before the crew leaves it to a person (default 10 minutes). A refusal
   * (4xx) is left to a person at once.
   */
  transientPatienceMs?: number;
  log?: (line: string) => void;
}

export interface WarehouseRobotStats {
  waves: number;
  parcelsPacked: number;
  handedOver: number;
  mishaps: number;
  receipts: number;
  errors: number;
}

export interface WarehouseRobot {
  stop(): Promise<void>;
  stats(): WarehouseRobotStats;
}

interface WaveSummary {
  waveId: string;
  status: string;
}

interface WaveDetail {
  pickList: { seq: number; qty: number; picked: number; short: number; damaged: number; cancelled: number }[];
  packTasks: { parcelId: string; status: string; estimatedWeightG: number }[];
}

/** A call the API refused for good (4xx): retrying the same item will not help. */
class Refused extends Error {}

const TRANSIENT_PATIENCE_MS = 10 * 60_000;

export function startWarehouseRobot(options: WarehouseRobotOptions): WarehouseRobot {
  const headers = { authorization: `Bearer ${options.apiKey}`, 'content-type': 'application/json' };
  const stats: WarehouseRobotStats = {
    waves: 0,
    parcelsPacked: 0,
    handedOver: 0,
    mishaps: 0,
    receipts: 0,
    errors: 0,
  };
  const rng = createRng(`warehouse-robot|${options.seed ?? 'demo'}`);
  const wavesSeen = new Set<string>();
  const handedOver = new Set<string>();
  /** When each failing item first failed; items refused for good are in `leftForPerson`. */
  const failingSince = new Map<string, number>();
  const leftForPerson = new Set<string>();
  const patienceMs = options.transientPatienceMs ?? TRANSIENT_PATIENCE_MS;
  let lastRestock = 0;
  let stopped = false;
  let wake: (() => void) | undefined;

  async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${options.apiUrl}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (!res.ok) {
      const message = `${method} ${path} → ${res.status}: ${text.slice(0, 200)}`;
      throw res.status >= 400 && res.status < 500 ? new Refused(message) : new Error(message);
    }
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /**
   * Runs one item's work; a failing item is tried again on later rounds. A crew keeps trying
   * through a restart of the system (the fault run kills the worker while Updates wait on it);
   * it gives up on an item the API refused, or one that kept failing past its patience.
   */
  async function attempt(item: string, work: () => Promise<void>): Promise<void> {
    if (leftForPerson.has(item)) return;
    try {
      await work();
      failingSince.delete(item);
    } catch (err) {
      stats.errors += 1;
      const since = failingSince.get(item) ?? Date.now();
      failingSince.set(item, since);
      const giveUp = err instanceof Refused || Date.now() - since >= patienceMs;
      if (giveUp) leftForPerson.add(item);
      options.log?.(`warehouse robot: ${(err as Error).message}${giveUp ? ' (left for a person)' : ''}`);
    }
  }

  async function workWave(waveId: string): Promise<void> {
    const wave = await call<WaveDetail>('GET', `/wms/waves/${encodeURIComponent(waveId)}`);
    // Like a crew with handhelds, it starts as soon as the pick list shows: a confirmation for a
    // parcel whose shipment the wave's dispatch has not started yet is recorded and read by the
    // shipment when it starts (docs/benchmarks.md).
    if (!wavesSeen.has(waveId)) {
      wavesSeen.add(waveId);
      stats.waves += 1;
    }
    for (const line of wave.pickList) {
      const open = line.qty - line.picked - line.short - line.damaged - line.cancelled;
      if (open <= 0) continue;
      await attempt(`pick:${waveId}:${line.seq}`, async () => {
        const mishap =
          options.mishaps && rng.chance(options.mishaps)
            ? rng.pick(['short_picked', 'damaged'] as const)
            : undefined;
        if (mishap) {
          await call('POST', '/wms/pick-confirmations', {
            key: `robot:${waveId}:${line.seq}:${mishap}`,
            waveId,
            line: line.seq,
            outcome: mishap,
            qty: 1,
            note: mishap === 'damaged' ? '外包装破损' : '库位无货',
          });
          stats.mishaps += 1;
        }
        const rest = mishap ? open - 1 : open;
        if (rest > 0) {
          await call('POST', '/wms/pick-confirmations', {
            key: `robot:${waveId}:${line.seq}`,
            waveId,
            line: line.seq,
            outcome: 'picked',
            qty: rest,
          });
        }
      });
    }
    // Tasks become ready once their picks settle: read the wave again to pack them.
    const settled = await call<WaveDetail>('GET', `/wms/waves/${encodeURIComponent(waveId)}`);
    for (const task of settled.packTasks) {
      if (task.status !== 'ready') continue;
      await attempt(`pack:${task.parcelId}`, async () => {
        await call('POST', '/wms/pack-confirmations', {
          key: `robot:pack:${task.parcelId}`,
          parcelId: task.parcelId,
          weightG: Math.max(100, task.estimatedWeightG + 80),
          lengthMm: 300,
          widthMm: 200,
          heightMm: 120,
        });
        stats.parcelsPacked += 1;
      });
    }
  }

  async function handOverLabelled(): Promise<void> {
    const { shipments } = await call<{ shipments: { id: string; stage: string }[] }>(
      'GET',
      '/shipments?stage=labelled&limit=500',
    );
    for (const s of shipments) {
      if (handedOver.has(s.id)) continue;
      await attempt(`handover:${s.id}`, async () => {
        await call('POST', '/wms/handovers', { parcelId: s.id });
        handedOver.add(s.id);
        stats.handedOver += 1;
      });
    }
  }

  async function receive(warehouse: string, sku: string, qty: number, key: string, reference: string) {
    await attempt(`receipt:${key}`, async () => {
      const result = await call<{ replayed: boolean }>('POST', '/stock/receipts', {
        key,
        warehouse,
        kind: 'purchase',
        reference,
        lines: [{ sku, qty }],
      });
      if (!result.replayed) stats.receipts += 1;
    });
  }

  async function restock(rule: NonNullable<WarehouseRobotOptions['restock']>): Promise<void> {
    const { requests } = await call<{
      requests: { id: number; warehouse: string; sku: string; qtyShort: number; qtyReceived: number }[];
    }>('GET', '/replenishment-requests?status=open&limit=500');
    for (const r of requests) {
      const qty = Math.max(rule.qty, r.qtyShort - r.qtyReceived);
      await receive(
        r.warehouse,
        r.sku,
        qty,
        `robot:replenish:${r.id}:${r.qtyReceived}`,
        `replenishment #${r.id}`,
      );
    }
    const { stock } = await call<{
      stock: { warehouse: string; sku: string; available: number; updatedAt: string }[];
    }>('GET', `/stock?maxAvailable=${rule.below}&limit=500`);
    for (const row of stock) {
      // The row's last change names the decision: asking again after a lost answer is a replay.
      await receive(
        row.warehouse,
        row.sku,
        rule.qty,
        `robot:restock:${row.warehouse}:${row.sku}:${row.updatedAt}`,
        'restock',
      );
    }
  }

  const loop = (async () => {
    while (!stopped) {
      try {
        for (const status of ['picking', 'picked'] as const) {
          const { waves } = await call<{ waves: WaveSummary[] }>(
            'GET',
            `/wms/waves?status=${status}&limit=100`,
          );
          for (const wave of waves) {
            if (stopped) break;
            await attempt(`wave:${wave.waveId}`, () => workWave(wave.waveId));
          }
        }
        if (options.handover !== false && !stopped) await handOverLabelled();
        const rule = options.restock;
        if (rule && !stopped && Date.now() - lastRestock >= (rule.everyMs ?? 5_000)) {
          lastRestock = Date.now();
          await restock(rule);
        }
      } catch (err) {
        stats.errors += 1;
        options.log?.(`warehouse robot: ${(err as Error).message}`);
      }
      if (stopped) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, options.intervalMs ?? 500);
      });
    }
  })();

  return {
    async stop() {
      stopped = true;
      wake?.();
      await loop;
    },
    stats: () => ({ ...stats }),
  };
}
