import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addWaveCandidate,
  claimWave,
  loadWaveContents,
  withdrawWaveCandidates,
} from '../../db/queries/waves.js';
import { formParcels } from '../../domain/parcels/form.js';
import { DEFAULT_MERGE_POLICY, type ReadyOrder } from '../../domain/parcels/types.js';
import { uniqueId } from '../support/fixtures.js';
import { dataKeyring } from '../../db/crypto/data-keys.js';
import { createHarness, type Harness } from '../support/harness.js';
import { waveEntry } from './support.js';

// A wave's orders wait as candidate rows; forming a wave claims them once. These are the rules that
// keep an order in exactly one wave however activities retry and orders come and go.

let h: Harness;
const ring = () => dataKeyring(h.config);
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.teardown());

const ready = waveEntry;

const form = (waveId: string) => (orders: ReadyOrder[]) =>
  formParcels(orders, {
    carrierLimits: { maxWeightG: 30_000 },
    policy: DEFAULT_MERGE_POLICY,
    idPrefix: waveId,
  });

describe('wave candidates', () => {
  it('a wave claims its candidates once: a retry returns the same parcels, another wave gets none of them', async () => {
    const warehouse = uniqueId('WH');
    const entries = [ready(warehouse), ready(warehouse), ready(warehouse)];
    const keys = [];
    for (const e of entries) keys.push(await addWaveCandidate(h.db, ring(), warehouse, e));
    // A retried join writes nothing new.
    await addWaveCandidate(h.db, ring(), warehouse, entries[0]!);

    const first = await claimWave(h.db, ring(), {
      waveId: `${warehouse}-1`,
      warehouse,
      candidates: keys,
      form: form(`${warehouse}-1`),
    });
    expect(first.entries.map((e) => e.ready.orderId).sort()).toEqual(
      entries.map((e) => e.ready.orderId).sort(),
    );
    expect(first.parcels).toHaveLength(3);
    const retried = await claimWave(h.db, ring(), {
      waveId: `${warehouse}-1`,
      warehouse,
      candidates: keys,
      form: form(`${warehouse}-1`),
    });
    expect(retried.parcels.map((p) => p.id)).toEqual(first.parcels.map((p) => p.id));

    const other = await claimWave(h.db, ring(), {
      waveId: `${warehouse}-2`,
      warehouse,
      candidates: keys,
      form: form(`${warehouse}-2`),
    });
    expect(other).toEqual({ parcels: [], entries: [] });
    expect((await loadWaveContents(h.db, ring(), `${warehouse}-1`)).parcels).toHaveLength(3);
  });

  it('a join run again at a later workflow time while the first still waits is the same join', async () => {
    // A workflow task that ran the join (a local activity) but did not complete runs it again with
    // a later readyAt: the order must still be in the wave once.
    const warehouse = uniqueId('WH');
    const first = ready(warehouse);
    const rerun = ready(warehouse, {
      orderId: first.ready.orderId,
      allocationId: first.ready.allocationId,
      readyAt: new Date(Date.parse(first.ready.readyAt) + 9_000).toISOString(),
    });
    const key = await addWaveCandidate(h.db, ring(), warehouse, first);
    expect(await addWaveCandidate(h.db, ring(), warehouse, rerun)).toEqual(key);
    const waiting = await h.db
      .selectFrom('wave_candidates')
      .select('join_key')
      .where('warehouse_code', '=', warehouse)
      .execute();
    expect(waiting).toEqual([{ join_key: key.joinKey }]);
    const wave = await claimWave(h.db, ring(), {
      waveId: `${warehouse}-1`,
      warehouse,
      candidates: [key, key],
      form: form(`${warehouse}-1`),
    });
    expect(wave.entries.map((e) => e.ready.orderId)).toEqual([first.ready.orderId]);
    expect(wave.parcels).toHaveLength(1);
  });

  it('a numbered join run again after a wave took it is the same join: the order is in one wave', async () => {
    // The worker ran the join and died before its workflow task completed; a wave formed with the
    // order meanwhile. The retried task runs the join again, later, with the same numbered key.
    const warehouse = uniqueId('WH');
    const first = ready(warehouse);
    const joinKey = `${first.ready.allocationId}|run-1.1`;
    const key = await addWaveCandidate(h.db, ring(), warehouse, first, joinKey);
    expect(key).toMatchObject({ joinKey, waiting: true, readyAt: first.ready.readyAt });
    const wave = await claimWave(h.db, ring(), {
      waveId: `${warehouse}-1`,
      warehouse,
      candidates: [key],
      form: form(`${warehouse}-1`),
    });
    expect(wave.parcels).toHaveLength(1);

    const rerun = ready(warehouse, {
      orderId: first.ready.orderId,
      allocationId: first.ready.allocationId,
      readyAt: new Date(Date.parse(first.ready.readyAt) + 9_000).toISOString(),
    });
    const again = await addWaveCandidate(h.db, ring(), warehouse, rerun, joinKey);
    expect(again).toEqual({ ...key, waiting: false });
    const next = await claimWave(h.db, ring(), {
      waveId: `${warehouse}-2`,
      warehouse,
      candidates: [again],
      form: form(`${warehouse}-2`),
    });
    expect(next).toEqual({ parcels: [], entries: [] });
    const rows = await h.db
      .selectFrom('wave_candidates')
      .select(['join_key', 'wave_id'])
      .where('warehouse_code', '=', warehouse)
      .execute();
    expect(rows).toEqual([{ join_key: joinKey, wave_id: `${warehouse}-1` }]);

    // Two runs of one join at once (the timed-out task still running beside its retry): one row.
    const other = ready(warehouse);
    const otherKey = `${other.ready.allocationId}|run-1.1`;
    const both = await Promise.all([
      addWaveCandidate(h.db, ring(), warehouse, other, otherKey),
      addWaveCandidate(h.db, ring(), warehouse, other, otherKey),
    ]);
    expect(both[0]).toEqual(both[1]);
    const otherRows = await h.db
      .selectFrom('wave_candidates')
      .select('join_key')
      .where('order_id', '=', other.ready.orderId)
      .execute();
    expect(otherRows).toEqual([{ join_key: otherKey }]);
  });

  it('a withdrawn order is not taken; the same order joining again later is a new candidate', async () => {
    const warehouse = uniqueId('WH');
    const stays = ready(warehouse);
    const leaves = ready(warehouse);
    const keys = [
      await addWaveCandidate(h.db, ring(), warehouse, stays),
      await addWaveCandidate(h.db, ring(), warehouse, leaves),
    ];
    expect(await withdrawWaveCandidates(h.db, warehouse, leaves.ready.orderId)).toBe(1);
    const wave = await claimWave(h.db, ring(), {
      waveId: `${warehouse}-1`,
      warehouse,
      candidates: keys,
      form: form(`${warehouse}-1`),
    });
    expect(wave.entries.map((e) => e.ready.orderId)).toEqual([stays.ready.orderId]);

    // Its parcel was taken apart: the order rejoins with the same allocation, later.
    const again = ready(warehouse, {
      orderId: stays.ready.orderId,
      allocationId: stays.ready.allocationId,
      readyAt: new Date(Date.now() + 1_000).toISOString(),
    });
    const key = await addWaveCandidate(h.db, ring(), warehouse, again);
    const next = await claimWave(h.db, ring(), {
      waveId: `${warehouse}-2`,
      warehouse,
      candidates: [key],
      form: form(`${warehouse}-2`),
    });
    expect(next.entries.map((e) => e.ready.orderId)).toEqual([stays.ready.orderId]);
    // A withdrawal never reaches into a wave that already formed.
    expect(await withdrawWaveCandidates(h.db, warehouse, stays.ready.orderId)).toBe(0);
  });
});
