import { afterEach, describe, expect, it } from 'vitest';
import type { SimParcel } from '../../sandbox/carriers/index.js';
import { startSandbox, type Sandbox } from '../../sandbox/stack.js';

let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.stop();
  sandbox = undefined;
});

const quiet = { ordersPerMinute: 0, burstEveryMinutes: 0 };
const parcel = (s: Sandbox): SimParcel =>
  s.carriers.network.register({
    carrier: 'ZTO',
    origin: { province: '浙江省', city: '杭州市', district: '余杭区' },
    destination: { province: '北京市', city: '北京市', district: '朝阳区' },
  });

describe('parcels in the sandbox stack', () => {
  it('at a demo pace, a parcel goes from collection to signature one scan per step', async () => {
    sandbox = await startSandbox({ stream: { ...quiet, parcelScanSeconds: 0.2 } });
    const placed = Date.now();
    const p = parcel(sandbox);
    await expect.poll(() => p.scans.at(-1)?.kind).toBe('signed');
    expect(p.scans.map((s) => s.kind)).toEqual(['collected', 'departed', 'arrived', 'delivering', 'signed']);
    // Stamped from the wall clock on, a minute apart as the network keeps them: never in the past.
    expect(p.scans[0]!.at.getTime()).toBeGreaterThanOrEqual(placed - 1000);
    for (let i = 1; i < p.scans.length; i++) {
      expect(p.scans[i]!.at.getTime() - p.scans[i - 1]!.at.getTime()).toBeGreaterThanOrEqual(60_000);
    }
  });

  it('sends some parcels astray after collection', async () => {
    sandbox = await startSandbox({ stream: { ...quiet, parcelScanSeconds: 0.1, parcelExceptionRate: 1 } });
    const p = parcel(sandbox);
    await expect.poll(() => p.scans.length > 0 && p.plan.length === 0).toBe(true);
    expect(p.scenario).not.toBe('normal');
    expect(p.scans.some((s) => s.kind === 'signed')).toBe(false);
  });

  it('without a pace, parcels keep the network clock: nothing moves for hours', async () => {
    sandbox = await startSandbox({ stream: quiet });
    const p = parcel(sandbox);
    await new Promise((r) => setTimeout(r, 300));
    expect(p.scans).toEqual([]);
  });
});
