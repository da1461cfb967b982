import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startWarehouseRobot, type WarehouseRobot } from '../../sandbox/warehouse-robot.js';

/**
 * A scripted WMS API (one wave of one line and one parcel) that answers 503 for a while, as the
 * real API does while the worker behind its Updates is restarting, or refuses an item for good.
 */
function scriptedWms(options: { unavailableFor: number; refusePick?: boolean }) {
  let calls = 0;
  const picks: unknown[] = [];
  const server = http.createServer((req, res) => {
    calls += 1;
    const answer = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const url = new URL(req.url ?? '/', 'http://wms');
    if (url.pathname === '/wms/waves') {
      return answer(200, {
        waves: url.searchParams.get('status') === 'picking' ? [{ waveId: 'W1', status: 'picking' }] : [],
      });
    }
    // The wave's parcel has its shipment; none is labelled yet (nothing to hand over).
    if (url.pathname === '/shipments') {
      const labelled = url.searchParams.get('stage') === 'labelled';
      return answer(200, { shipments: labelled ? [] : [{ id: 'P1', stage: 'waybill_issued' }] });
    }
    if (calls <= options.unavailableFor) return answer(503, { error: 'workflow unavailable, retry' });
    if (url.pathname === '/wms/waves/W1') {
      return answer(200, {
        pickList: [{ seq: 1, qty: 2, picked: picks.length ? 2 : 0, short: 0, damaged: 0, cancelled: 0 }],
        packTasks: [{ parcelId: 'P1', status: 'picking', estimatedWeightG: 500 }],
      });
    }
    if (url.pathname === '/wms/pick-confirmations' && req.method === 'POST') {
      if (options.refusePick) return answer(409, { error: 'line 1 is not open' });
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        picks.push(JSON.parse(body));
        answer(200, { ok: true });
      });
      return;
    }
    answer(404, { error: 'not found' });
  });
  return {
    picks,
    calls: () => calls,
    listen: () =>
      new Promise<string>((resolve) =>
        server.listen(0, '127.0.0.1', () =>
          resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
        ),
      ),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let robot: WarehouseRobot | undefined;
let wms: ReturnType<typeof scriptedWms> | undefined;
afterEach(async () => {
  await robot?.stop();
  await wms?.close();
});

describe('the warehouse robot, while the API is restarting', () => {
  it('keeps trying a wave through a run of 503s and picks it once the API answers', async () => {
    wms = scriptedWms({ unavailableFor: 30 });
    const lines: string[] = [];
    robot = startWarehouseRobot({
      apiUrl: await wms.listen(),
      apiKey: 'k',
      intervalMs: 10,
      log: (l) => lines.push(l),
    });
    await expect.poll(() => wms?.picks.length).toBe(1);
    expect(wms.picks[0]).toMatchObject({ waveId: 'W1', line: 1, outcome: 'picked', qty: 2 });
    expect(lines.some((l) => l.includes('left for a person'))).toBe(false);
  });

  it('leaves a line the API refused to a person, and does not ask again', async () => {
    wms = scriptedWms({ unavailableFor: 0, refusePick: true });
    const lines: string[] = [];
    robot = startWarehouseRobot({
      apiUrl: await wms.listen(),
      apiKey: 'k',
      intervalMs: 10,
      log: (l) => lines.push(l),
    });
    await expect
      .poll(() => lines.some((l) => l.includes('pick-confirmations') && l.includes('left for a person')))
      .toBe(true);
    const refusals = () => lines.filter((l) => l.includes('pick-confirmations')).length;
    // Many rounds later (the wave is read again each round) the refused line was not sent again.
    const calls = wms.calls();
    await expect.poll(() => wms?.calls()).toBeGreaterThan(calls + 40);
    expect(refusals()).toBe(1);
  });

  it('gives an item that keeps failing past its patience to a person', async () => {
    wms = scriptedWms({ unavailableFor: Number.MAX_SAFE_INTEGER });
    const lines: string[] = [];
    robot = startWarehouseRobot({
      apiUrl: await wms.listen(),
      apiKey: 'k',
      intervalMs: 10,
      transientPatienceMs: 300,
      log: (l) => lines.push(l),
    });
    await expect
      .poll(() => lines.some((l) => l.includes('/wms/waves/W1') && l.includes('left for a person')))
      .toBe(true);
  });
});
