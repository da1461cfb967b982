import type { FastifyInstance } from 'fastify';
import { extractText, getDocumentProxy } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import { listReplenishmentRequests, verifyLedger } from '../../db/queries/stock.js';
import { assignBin, createWave, loadWave, shipParcel } from '../../db/queries/wms.js';
import type { WmsEvent } from '../../domain/wms/adapter.js';
import { createHarness, type Harness } from '../support/harness.js';
import { uniqueId } from '../support/fixtures.js';
import { closeDb, openDb, seedSku, seedStock, seedWarehouse, stockRow } from '../stock/seed.js';
import { allocatedOrder, routesApp, waveOf } from './support.js';

let h: Harness;
let db: Db;
let api: FastifyInstance;
let warehouse: string;
const events: WmsEvent[] = [];
let failNotify = false;
const sku: Record<string, string> = {};

beforeAll(async () => {
  h = await createHarness();
  db = openDb(h.databaseUrl, 10);
  api = await routesApp(h, db, {
    onWmsEvent: (e) => {
      if (failNotify) throw new Error('temporal unavailable');
      events.push(e);
    },
  });
  warehouse = await seedWarehouse(db);
  // Bins across two zones; zone A's aisle 2 is walked back down (serpentine).
  const bins: Record<string, string | null> = {
    TEA: 'A-02-05-1',
    CUP: 'A-01-03-2',
    POT: 'B-01-01-1',
    TRAY: 'A-02-01-1',
    SPOON: null,
  };
  for (const [name, bin] of Object.entries(bins)) {
    sku[name] = await seedSku(db, { code: uniqueId(name), weightG: 500 });
    await seedStock(db, warehouse, sku[name]!, 100);
    if (bin) await assignBin(db, { warehouse, bin, sku: sku[name]! });
  }
});
afterAll(async () => {
  await api.close();
  await closeDb(db, h.databaseUrl);
  await h.teardown();
});

function post(url: string, payload: object) {
  return api.inject({ method: 'POST', url, payload });
}

describe('waves', () => {
  it('picks in walking order, then packs and ships, with stock following every step', async () => {
    const one = await allocatedOrder(db, [
      { sku: sku.TEA!, qty: 2 },
      { sku: sku.POT!, qty: 1 },
      { sku: sku.SPOON!, qty: 1 },
    ]);
    const two = await allocatedOrder(
      db,
      [
        { sku: sku.CUP!, qty: 3 },
        { sku: sku.TRAY!, qty: 1 },
        { sku: sku.TEA!, qty: 1 },
      ],
      { buyerId: 'buyer-2' },
    );
    const wave = await waveOf(db, warehouse, [...one, ...two]);
    expect(wave.created).toBe(true);
    expect(wave.packTasks).toHaveLength(2);

    const route = wave.pickList.map((l) => [l.seq, l.bin, l.sku, l.qty]);
    expect(route).toEqual([
      [1, 'A-01-03-2', sku.CUP, 3],
      [2, 'A-02-05-1', sku.TEA, 3],
      [3, 'A-02-01-1', sku.TRAY, 1],
      [4, 'B-01-01-1', sku.POT, 1],
      [5, null, sku.SPOON, 1],
    ]);
    // A retried createWave activity finds the wave it made.
    const again = await createWave(db, { waveId: wave.waveId, warehouse, parcels: wave.parcels });
    expect(again.created).toBe(false);
    expect(again.pickList).toEqual(wave.pickList);

    const res = await api.inject({ method: 'GET', url: `/wms/waves/${wave.waveId}/pick-list` });
    expect(res.statusCode).toBe(200);
    expect(res.json().lines.map((l: { bin: string | null }) => l.bin)).toEqual(route.map((r) => r[1]));

    events.length = 0;
    for (const line of wave.pickList) {
      const picked = await post('/wms/pick-confirmations', {
        key: `${wave.waveId}-${line.seq}`,
        waveId: wave.waveId,
        line: line.seq,
        outcome: 'picked',
        qty: line.qty,
      });
      expect(picked.statusCode).toBe(200);
    }
    expect(events.map((e) => e.type).sort()).toEqual(['parcel_picked', 'parcel_picked', 'wave_picked']);
    expect(await stockRow(db, warehouse, sku.TEA!)).toEqual({ on_hand: 100, reserved: 3 });

    for (const task of wave.packTasks) {
      const packed = await post('/wms/pack-confirmations', {
        key: `${task.parcelId}-pack`,
        parcelId: task.parcelId,
        weightG: 2300,
        lengthMm: 300,
        widthMm: 200,
        heightMm: 150,
      });
      expect(packed.statusCode).toBe(200);
      expect(packed.json().events[0]).toMatchObject({
        type: 'parcel_packed',
        parcelId: task.parcelId,
        weightG: 2300,
      });
      await shipParcel(db, {
        key: `${task.parcelId}-ship`,
        parcelId: task.parcelId,
        actor: 'test',
        waybill: 'SF123',
      });
    }
    expect(await stockRow(db, warehouse, sku.TEA!)).toEqual({ on_hand: 97, reserved: 0 });
    expect((await loadWave(db, wave.waveId))!.status).toBe('done');
    expect((await verifyLedger(db)).mismatches).toEqual([]);
  });

  it('a short pick writes the missing units off, raises an exception and a replenishment request', async () => {
    const urgent = await allocatedOrder(db, [{ sku: sku.CUP!, qty: 2 }], { urgent: true, buyerId: 'fan-1' });
    const normal = await allocatedOrder(db, [{ sku: sku.CUP!, qty: 2 }], { buyerId: 'buyer-3' });
    const wave = await waveOf(db, warehouse, [...normal, ...urgent]);
    const before = (await stockRow(db, warehouse, sku.CUP!))!;
    events.length = 0;

    const short = await post('/wms/pick-confirmations', {
      key: uniqueId('k'),
      waveId: wave.waveId,
      line: 1,
      outcome: 'short_picked',
      qty: 1,
      note: 'bin empty',
    });
    expect(short.statusCode).toBe(200);
    // The shortage hits the normal order; the urgent (livestream) order keeps its units.
    const exception = short.json().events.find((e: WmsEvent) => e.type === 'pick_exception');
    expect(exception).toMatchObject({
      kind: 'short_picked',
      orderId: normal[0]!.orderId,
      qty: 1,
      sku: sku.CUP,
    });
    const [request] = await listReplenishmentRequests(db, { sku: sku.CUP!, status: 'open', limit: 5 });
    expect(request).toMatchObject({ id: exception.replenishmentRequestId, qty_short: 1 });
    expect(request!.order_ids).toContain(normal[0]!.orderId);
    expect(await stockRow(db, warehouse, sku.CUP!)).toEqual({
      on_hand: before.on_hand - 1,
      reserved: before.reserved - 1,
    });

    const rest = await post('/wms/pick-confirmations', {
      key: uniqueId('k'),
      waveId: wave.waveId,
      line: 1,
      outcome: 'picked',
      qty: 3,
    });
    const types = rest.json().events.map((e: WmsEvent) => e.type);
    expect(types.sort()).toEqual(['parcel_picked', 'parcel_short', 'wave_picked']);
    const shortParcel = rest.json().events.find((e: WmsEvent) => e.type === 'parcel_short');
    expect(shortParcel.missing).toEqual([
      { orderId: normal[0]!.orderId, allocationId: normal[0]!.allocationId, sku: sku.CUP, qty: 1 },
    ]);

    const pack = await post('/wms/pack-confirmations', {
      parcelId: shortParcel.parcelId,
      weightG: 1000,
      lengthMm: 100,
      widthMm: 100,
      heightMm: 100,
    });
    expect(pack.statusCode).toBe(409);
    expect(pack.json().message).toMatch(/missing units/);

    const open = await api.inject({
      method: 'GET',
      url: `/wms/exceptions?status=open&orderId=${normal[0]!.orderId}`,
    });
    expect(open.json().exceptions).toHaveLength(1);
    expect((await verifyLedger(db)).mismatches).toEqual([]);
  });

  it('damaged units are recorded the same way, with the reason on the ledger', async () => {
    const order = await allocatedOrder(db, [{ sku: sku.POT!, qty: 2 }], { buyerId: 'buyer-4' });
    const wave = await waveOf(db, warehouse, order);
    const res = await post('/wms/pick-confirmations', {
      key: uniqueId('k'),
      waveId: wave.waveId,
      line: 1,
      outcome: 'damaged',
      qty: 1,
      note: 'cracked lid',
    });
    expect(res.json().events[0]).toMatchObject({ type: 'pick_exception', kind: 'damaged', qty: 1 });
    const ledger = await api.inject({ method: 'GET', url: `/stock/ledger?sku=${sku.POT}&kind=adjust` });
    expect(ledger.json().movements[0]).toMatchObject({
      onHandDelta: -1,
      reservedDelta: -1,
      reason: 'damaged at pick from bin B-01-01-1: cracked lid',
    });
  });

  it('a repeated confirmation is recorded once and returns the same events', async () => {
    const order = await allocatedOrder(db, [{ sku: sku.TRAY!, qty: 1 }], { buyerId: 'buyer-5' });
    const wave = await waveOf(db, warehouse, order);
    const body = { key: uniqueId('k'), waveId: wave.waveId, line: 1, outcome: 'picked', qty: 1 };
    const first = await post('/wms/pick-confirmations', body);
    const second = await post('/wms/pick-confirmations', body);
    expect(first.json().replayed).toBe(false);
    expect(second.json()).toEqual({ ...first.json(), replayed: true });
    expect((await loadWave(db, wave.waveId))!.pickList[0]!.picked).toBe(1);
  });

  it('when notifying the order fails the caller is told to resend, and the resend delivers', async () => {
    const order = await allocatedOrder(db, [{ sku: sku.TRAY!, qty: 1 }], { buyerId: 'buyer-6' });
    const wave = await waveOf(db, warehouse, order);
    const body = { key: uniqueId('k'), waveId: wave.waveId, line: 1, outcome: 'picked', qty: 1 };
    failNotify = true;
    const failed = await post('/wms/pick-confirmations', body);
    failNotify = false;
    expect(failed.statusCode).toBe(503);
    events.length = 0;
    const resent = await post('/wms/pick-confirmations', body);
    expect(resent.statusCode).toBe(200);
    expect(events.map((e) => e.type).sort()).toEqual(['parcel_picked', 'wave_picked']);
  });

  it('rejects confirmations that do not fit the pick list, naming the field', async () => {
    const order = await allocatedOrder(db, [{ sku: sku.TEA!, qty: 1 }], { buyerId: 'buyer-7' });
    const wave = await waveOf(db, warehouse, order);
    const tooMany = await post('/wms/pick-confirmations', {
      waveId: wave.waveId,
      line: 1,
      outcome: 'picked',
      qty: 2,
    });
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json().issues).toEqual([
      { field: 'body.qty', problem: expect.stringMatching(/1 unit\(s\) left/) },
    ]);
    const noLine = await post('/wms/pick-confirmations', {
      waveId: wave.waveId,
      line: 9,
      outcome: 'picked',
      qty: 1,
    });
    expect(noLine.statusCode).toBe(404);
    const badOutcome = await post('/wms/pick-confirmations', {
      waveId: wave.waveId,
      line: 1,
      outcome: 'lost',
      qty: 1,
    });
    expect(badOutcome.statusCode).toBe(400);
    expect(badOutcome.json().issues[0].field).toBe('body.outcome');
    const notPicked = await post('/wms/pack-confirmations', {
      parcelId: wave.packTasks[0]!.parcelId,
      weightG: 100,
      lengthMm: 10,
      widthMm: 10,
      heightMm: 10,
    });
    expect(notPicked.statusCode).toBe(409);
    expect(notPicked.json().message).toMatch(/still has units to pick/);
  });

  it('prints the pick list as a PDF in walking order with Chinese names', async () => {
    const order = await allocatedOrder(
      db,
      [
        { sku: sku.POT!, qty: 1 },
        { sku: sku.CUP!, qty: 2 },
      ],
      { buyerId: 'buyer-8' },
    );
    const wave = await waveOf(db, warehouse, order);
    const res = await api.inject({ method: 'GET', url: `/wms/waves/${wave.waveId}/pick-list.pdf` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const pdf = await getDocumentProxy(new Uint8Array(res.rawPayload));
    const { text } = await extractText(pdf, { mergePages: true });
    expect(text).toContain('拣货单');
    expect(text).toContain(`测试商品 ${sku.CUP}`);
    expect(text.indexOf('A-01-03-2')).toBeLessThan(text.indexOf('B-01-01-1'));
  });
});
