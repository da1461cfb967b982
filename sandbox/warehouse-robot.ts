/**
 * A simulated warehouse crew for demos and benchmarks: it works our WMS API the way handheld
 * scanners would — picks every line of each new wave, packs each parcel (weighing it from its
 * contents), and hands labelled parcels to the carrier. It only speaks HTTP to the API.
 */
export interface WarehouseRobotOptions {
  apiUrl: string;
  /** An API key with the warehouse role. */
  apiKey: string;
  intervalMs?: number;
  /** Hand labelled parcels over to the carrier (default true). */
  handover?: boolean;
  log?: (line: string) => void;
}

export interface WarehouseRobot {
  stop(): Promise<void>;
  stats(): { waves: number; parcelsPacked: number; handedOver: number; errors: number };
}

interface WaveSummary {
  waveId: string;
  status: string;
}

interface WaveDetail {
  pickList: { seq: number; qty: number; picked: number; short: number; damaged: number; cancelled: number }[];
  packTasks: { parcelId: string; status: string; estimatedWeightG: number }[];
}

export function startWarehouseRobot(options: WarehouseRobotOptions): WarehouseRobot {
  const headers = { authorization: `Bearer ${options.apiKey}`, 'content-type': 'application/json' };
  const stats = { waves: 0, parcelsPacked: 0, handedOver: 0, errors: 0 };
  const handedOver = new Set<string>();
  let stopped = false;

  async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${options.apiUrl}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} → ${res.status}: ${text.slice(0, 200)}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  async function workWave(waveId: string): Promise<void> {
    const wave = await call<WaveDetail>('GET', `/wms/waves/${encodeURIComponent(waveId)}`);
    for (const line of wave.pickList) {
      const open = line.qty - line.picked - line.short - line.damaged - line.cancelled;
      if (open > 0) {
        await call('POST', '/wms/pick-confirmations', {
          key: `robot:${waveId}:${line.seq}`,
          waveId,
          line: line.seq,
          outcome: 'picked',
          qty: open,
        });
      }
    }
    for (const task of wave.packTasks) {
      if (task.status !== 'ready') continue;
      await call('POST', '/wms/pack-confirmations', {
        key: `robot:pack:${task.parcelId}`,
        parcelId: task.parcelId,
        weightG: Math.max(100, task.estimatedWeightG + 80),
        lengthMm: 300,
        widthMm: 200,
        heightMm: 120,
      });
      stats.parcelsPacked += 1;
    }
  }

  async function handOverLabelled(): Promise<void> {
    const { shipments } = await call<{ shipments: { id: string; stage: string }[] }>(
      'GET',
      '/shipments?stage=labelled&limit=500',
    );
    for (const s of shipments) {
      if (handedOver.has(s.id)) continue;
      await call('POST', '/wms/handovers', { parcelId: s.id });
      handedOver.add(s.id);
      stats.handedOver += 1;
    }
  }

  const loop = (async () => {
    while (!stopped) {
      try {
        const { waves } = await call<{ waves: WaveSummary[] }>('GET', '/wms/waves?status=picking&limit=100');
        for (const wave of waves) {
          await workWave(wave.waveId);
          stats.waves += 1;
        }
        // Packing happens after picking settles; look once more at waves whose picking is done.
        const picked = await call<{ waves: WaveSummary[] }>('GET', '/wms/waves?status=picked&limit=100');
        for (const wave of picked.waves) await workWave(wave.waveId);
        if (options.handover !== false) await handOverLabelled();
      } catch (err) {
        stats.errors += 1;
        options.log?.(`warehouse robot: ${(err as Error).message}`);
      }
      await new Promise((r) => setTimeout(r, options.intervalMs ?? 500));
    }
  })();

  return {
    async stop() {
      stopped = true;
      await loop;
    },
    stats: () => ({ ...stats }),
  };
}
