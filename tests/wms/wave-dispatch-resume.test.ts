import { WorkflowNotFoundError } from '@temporalio/client';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFulfilmentActivities } from '../../activities/fulfilment.js';
import { addWaveCandidate, loadWaveContents } from '../../db/queries/waves.js';
import { DEFAULT_MERGE_POLICY } from '../../domain/parcels/types.js';
import { buildExternalServices } from '../../worker/services.js';
import type { WaveEntry } from '../../workflows/messages.js';
import { uniqueId } from '../support/fixtures.js';
import { createHarness, type Harness } from '../support/harness.js';

// A 5,000-parcel wave's dispatch can outlast one activity attempt on a busy server. The attempt
// heartbeats how far it got, and the retry carries on from there instead of starting again.

let h: Harness;
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

function entry(warehouse: string, n: number): WaveEntry {
  const orderId = uniqueId(`order-${n}`);
  const receiver = {
    name: `买家${n}`,
    phone: `1380000${String(n).padStart(4, '0')}`,
    country: 'CN',
    province: '浙江省',
    city: '杭州市',
    district: '西湖区',
    detail: `文三路${n}号`,
    protected: false,
  };
  return {
    ready: {
      orderId,
      allocationId: `${orderId}:alloc:1.1`,
      platform: 'own',
      shopId: 'shop-1',
      buyerId: uniqueId('buyer'),
      receiver,
      type: 'normal',
      refundStatus: 'none',
      held: false,
      locked: false,
      urgent: false,
      readyAt: new Date().toISOString(),
      warehouse,
      lines: [
        {
          lineId: '1',
          sku: 'SKU-1',
          qty: 1,
          weightG: 300,
          lengthMm: 200,
          widthMm: 150,
          heightMm: 50,
          flags: [],
        },
      ],
    },
    ref: {
      orderId,
      platform: 'own',
      shopId: 'shop-1',
      platformOrderId: orderId,
      type: 'normal',
      receiver,
      orderLineIds: ['1'],
    },
  };
}

async function started(workflowId: string): Promise<boolean> {
  try {
    await h.client.workflow.getHandle(workflowId).describe();
    return true;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw err;
  }
}

describe('dispatching a wave', () => {
  it('a retried dispatch carries on from the last attempt’s heartbeat and reports its own progress', async () => {
    const warehouse = uniqueId('WH');
    const waveId = `${warehouse}-1`;
    const entries = [entry(warehouse, 1), entry(warehouse, 2), entry(warehouse, 3)];
    const candidates = [];
    for (const e of entries) candidates.push(await addWaveCandidate(h.db, warehouse, e));
    const formed = await activities.formWave({
      waveId,
      warehouse,
      candidates,
      carrierLimits: { maxWeightG: 30_000 },
      merge: DEFAULT_MERGE_POLICY,
    });
    expect(formed).toEqual({ parcels: 3, orders: 3 });
    const parcelIds = (await loadWaveContents(h.db, waveId)).parcels.map((p) => p.id);

    // The earlier attempt had started two of the shipments and told every order when it timed out.
    const env = new MockActivityEnvironment({ heartbeatDetails: { shipments: 2, orders: 3 } });
    const beats: unknown[] = [];
    env.on('heartbeat', (d: unknown) => beats.push(structuredClone(d)));
    const done = await env.run(activities.dispatchWave, { waveId, warehouse });

    expect(done).toEqual({ shipments: 3, orders: 3 });
    const startedNow = await Promise.all(parcelIds.map((id) => started(`shipment:${id}`)));
    expect(startedNow.filter(Boolean)).toHaveLength(1);
    expect(beats.at(-1)).toEqual({ shipments: 3, orders: 3 });
  });
});
