import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFulfilmentActivities } from '../../activities/fulfilment.js';
import { addWaveCandidate, loadWaveContents } from '../../db/queries/waves.js';
import { DEFAULT_MERGE_POLICY } from '../../domain/parcels/types.js';
import { buildExternalServices } from '../../worker/services.js';
import { uniqueId } from '../support/fixtures.js';
import { dataKeyring } from '../../db/crypto/data-keys.js';
import { createHarness, type Harness } from '../support/harness.js';
import { started, waveEntry } from './support.js';

// A 5,000-parcel wave's dispatch can outlast one activity attempt on a busy server. The attempt
// heartbeats how far it got, and the retry carries on from there instead of starting again.

let h: Harness;
const ring = () => dataKeyring(h.config);
let activities: ReturnType<typeof createFulfilmentActivities>;
beforeAll(async () => {
  h = await createHarness();
  activities = createFulfilmentActivities({
    db: h.db,
    client: h.client,
    config: h.config,
    platforms: buildExternalServices(h.db, h.config).platforms,
  });
});
afterAll(() => h.teardown());

describe('dispatching a wave', () => {
  it('a retried dispatch carries on from the last attempt’s heartbeat and reports its own progress', async () => {
    const warehouse = uniqueId('WH');
    const waveId = `${warehouse}-1`;
    const entries = [waveEntry(warehouse), waveEntry(warehouse), waveEntry(warehouse)];
    const candidates = [];
    for (const e of entries) candidates.push(await addWaveCandidate(h.db, ring(), warehouse, e));
    const formed = await activities.formWave({
      waveId,
      warehouse,
      candidates,
      carrierLimits: { maxWeightG: 30_000 },
      merge: DEFAULT_MERGE_POLICY,
    });
    expect(formed).toEqual({ parcels: 3, orders: 3 });
    const parcelIds = (await loadWaveContents(h.db, ring(), waveId)).parcels.map((p) => p.id);

    // The earlier attempt had started two of the shipments and told every order when it timed out.
    const env = new MockActivityEnvironment({ heartbeatDetails: { shipments: 2, orders: 3 } });
    const beats: unknown[] = [];
    env.on('heartbeat', (d: unknown) => beats.push(structuredClone(d)));
    const done = await env.run(activities.dispatchWave, { waveId, warehouse });

    expect(done).toEqual({ shipments: 3, orders: 3 });
    const startedNow = await Promise.all(parcelIds.map((id) => started(h, `shipment:${id}`)));
    expect(startedNow.filter(Boolean)).toHaveLength(1);
    expect(beats.at(-1)).toEqual({ shipments: 3, orders: 3 });
  });
});
