import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import { receiveStock, releaseStock, reserveStock, verifyLedger } from '../../db/queries/stock.js';
import { reportPacked, reportPicked, reportShortage } from '../../db/queries/wms-external.js';
import {
  cancelPackTask,
  confirmPack,
  confirmPick,
  createWave,
  recordWave,
  shipParcel,
} from '../../db/queries/wms.js';
import type { Parcel } from '../../domain/parcels/types.js';
import { PICK_OUTCOMES } from '../../domain/wms/adapter.js';
import { StockError } from '../../domain/stock/errors.js';
import { createHarness, type Harness } from '../support/harness.js';
import { closeDb, openDb, seedSku, seedStock, seedWarehouse } from './seed.js';

/**
 * Stock always equals the sum of its ledger along both WMS paths: the built-in one (pick lines
 * confirmed on handhelds) and an external one (a WMS reporting per parcel: picked, packed, short),
 * mixed with shipping, cancelling, releasing and receiving in any order.
 */
let h: Harness;
let db: Db;
const skus: string[] = [];

beforeAll(async () => {
  h = await createHarness();
  db = openDb(h.databaseUrl, 10);
  for (let i = 0; i < 2; i++) skus.push(await seedSku(db));
});
afterAll(async () => {
  await closeDb(db, h.databaseUrl);
  await h.teardown();
});

const orderSpec = fc.array(fc.record({ sku: fc.nat(1), qty: fc.integer({ min: 1, max: 3 }) }), {
  minLength: 1,
  maxLength: 2,
});
const parcel = fc.nat(3);
const op = fc.oneof(
  fc.record({
    kind: fc.constant('pick_line' as const),
    line: fc.nat(3),
    outcome: fc.constantFrom(...PICK_OUTCOMES),
    qty: fc.integer({ min: 1, max: 4 }),
  }),
  fc.record({ kind: fc.constant('pack' as const), parcel }),
  fc.record({ kind: fc.constant('ship' as const), parcel }),
  fc.record({ kind: fc.constant('cancel' as const), parcel }),
  fc.record({ kind: fc.constant('release' as const), parcel }),
  fc.record({ kind: fc.constant('wms_picked' as const), parcel }),
  fc.record({
    kind: fc.constant('wms_short' as const),
    parcel,
    sku: fc.nat(1),
    qty: fc.integer({ min: 1, max: 3 }),
  }),
  fc.record({ kind: fc.constant('receive' as const), sku: fc.nat(1), qty: fc.integer({ min: 1, max: 5 }) }),
);

let run = 0;

describe('the ledger under both WMS paths', () => {
  it('sums to the stock after every built-in confirmation and every external WMS report', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(orderSpec, { minLength: 4, maxLength: 4 }),
        fc.array(op, { minLength: 1, maxLength: 30 }),
        async (orders, ops) => {
          run += 1;
          const warehouse = await seedWarehouse(db);
          for (const sku of skus) await seedStock(db, warehouse, sku, 30);
          // Orders 0–1 go to the built-in WMS's wave, 2–3 to an external WMS's.
          const parcels: Parcel[] = [];
          for (const [i, lines] of orders.entries()) {
            const orderId = `ledger-${run}-o${i}`;
            const allocationId = `${orderId}:a`;
            const merged = new Map<string, number>();
            for (const l of lines) merged.set(skus[l.sku]!, (merged.get(skus[l.sku]!) ?? 0) + l.qty);
            await reserveStock(db, {
              key: `${orderId}:reserve`,
              orderId,
              allocationId,
              parts: [{ warehouse, lines: [...merged].map(([sku, qty]) => ({ sku, qty })) }],
              actor: 'p',
            });
            parcels.push({
              id: `ledger-${run}-P-${i}`,
              warehouse,
              handling: 'normal',
              urgent: false,
              mergeKey: orderId,
              orderIds: [orderId],
              contents: [...merged].map(([sku, qty], n) => ({
                orderId,
                allocationId,
                lineId: String(n + 1),
                sku,
                qty,
              })),
              weightG: 500,
              volumeCm3: 1000,
              overLimit: false,
              reason: 'one order',
            });
          }
          const builtIn = await createWave(db, {
            waveId: `ledger-${run}-B`,
            warehouse,
            parcels: parcels.slice(0, 2),
          });
          await recordWave(db, { waveId: `ledger-${run}-X`, warehouse, parcels: parcels.slice(2) }, 'qimen');

          for (const [i, o] of ops.entries()) {
            const key = `ledger-${run}-${i}`;
            const p = 'parcel' in o ? parcels[o.parcel]! : undefined;
            const external = 'parcel' in o && o.parcel >= 2;
            try {
              switch (o.kind) {
                case 'pick_line': {
                  const line = builtIn.pickList[o.line % builtIn.pickList.length]!;
                  await confirmPick(db, {
                    key,
                    waveId: builtIn.waveId,
                    line: line.seq,
                    outcome: o.outcome,
                    qty: o.qty,
                    actor: 'p',
                  });
                  break;
                }
                case 'pack':
                  if (external)
                    await reportPacked(db, {
                      key,
                      parcelId: p!.id,
                      status: 'PACKAGE',
                      weightG: 600,
                      lengthMm: 300,
                      widthMm: 200,
                      heightMm: 100,
                      actor: 'wms',
                    });
                  else
                    await confirmPack(db, {
                      key,
                      parcelId: p!.id,
                      weightG: 600,
                      lengthMm: 300,
                      widthMm: 200,
                      heightMm: 100,
                      actor: 'p',
                    });
                  break;
                case 'ship':
                  await shipParcel(db, { key, parcelId: p!.id, actor: 'p', waybill: `W${i}` });
                  break;
                case 'cancel':
                  await cancelPackTask(db, { key, parcelId: p!.id, reason: 'cancelled', actor: 'p' });
                  break;
                case 'release':
                  await releaseStock(db, { key, orderId: p!.orderIds[0]!, reason: 'cancelled', actor: 'p' });
                  break;
                case 'wms_picked':
                  await reportPicked(db, { key, parcelId: p!.id, status: 'PICK', actor: 'wms' });
                  break;
                case 'wms_short':
                  await reportShortage(db, {
                    key,
                    parcelId: p!.id,
                    lines: [{ sku: skus[o.sku]!, qty: o.qty, reason: '实物报缺' }],
                    actor: 'wms',
                    wms: 'qimen',
                  });
                  break;
                case 'receive':
                  await receiveStock(db, {
                    key,
                    warehouse,
                    kind: 'purchase',
                    lines: [{ sku: skus[o.sku]!, qty: o.qty }],
                    actor: 'p',
                  });
                  break;
              }
            } catch (err) {
              // Refused steps (a parcel not yet packed, more units than the line holds) leave no trace.
              if (!(err instanceof StockError)) throw err;
            }
            expect((await verifyLedger(db)).mismatches).toEqual([]);
          }
          const broken = await db
            .selectFrom('stock')
            .selectAll()
            .where((eb) => eb.or([eb('reserved', '<', 0), eb('reserved', '>', eb.ref('on_hand'))]))
            .execute();
          expect(broken).toEqual([]);
        },
      ),
      {
        numRuns: 20,
        // Always among the runs: each path taken to the end once.
        examples: [
          [
            [[{ sku: 0, qty: 2 }], [{ sku: 0, qty: 2 }], [{ sku: 0, qty: 2 }], [{ sku: 0, qty: 2 }]],
            [
              { kind: 'wms_picked', parcel: 2 },
              { kind: 'wms_short', parcel: 3, sku: 0, qty: 1 },
              { kind: 'pack', parcel: 2 },
              { kind: 'ship', parcel: 2 },
              { kind: 'pick_line', line: 0, outcome: 'picked', qty: 4 },
              { kind: 'pack', parcel: 0 },
              { kind: 'ship', parcel: 0 },
            ],
          ],
        ],
      },
    );
    // Both paths really moved stock: external reports picked and wrote off units, parcels shipped.
    const kinds = await db
      .selectFrom('stock_ledger')
      .select(['kind', 'reference'])
      .where('reference', 'like', 'parcel ledger-%')
      .execute();
    const external = kinds.filter((k) => /-P-[23]$/.test(k.reference ?? ''));
    expect(external.some((k) => k.kind === 'pick')).toBe(true);
    expect(external.some((k) => k.kind === 'adjust')).toBe(true);
    expect(kinds.some((k) => k.kind === 'ship')).toBe(true);
  });
});
