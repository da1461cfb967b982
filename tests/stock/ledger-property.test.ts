import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import {
  adjustStock,
  moveReservation,
  receiveStock,
  releaseStock,
  reserveStock,
  returnRestock,
  verifyLedger,
} from '../../db/queries/stock.js';
import { StockError } from '../../domain/stock/errors.js';
import { createHarness, type Harness } from '../support/harness.js';
import { closeDb, openDb, seedSku, seedWarehouse } from './seed.js';

let h: Harness;
let db: Db;
const warehouses: string[] = [];
const skus: string[] = [];

beforeAll(async () => {
  h = await createHarness();
  db = openDb(h.databaseUrl, 10);
  for (let i = 0; i < 2; i++) warehouses.push(await seedWarehouse(db));
  for (let i = 0; i < 3; i++) skus.push(await seedSku(db));
});
afterAll(async () => {
  await closeDb(db, h.databaseUrl);
  await h.teardown();
});

const where = fc.record({ w: fc.nat(1), s: fc.nat(2) });
const order = fc.nat(5);
const op = fc.oneof(
  fc.record({ kind: fc.constant('receive' as const), at: where, qty: fc.integer({ min: 1, max: 20 }) }),
  fc.record({
    kind: fc.constant('adjust' as const),
    at: where,
    delta: fc.integer({ min: -15, max: 15 }).filter((d) => d !== 0),
  }),
  fc.record({
    kind: fc.constant('reserve' as const),
    at: where,
    qty: fc.integer({ min: 1, max: 10 }),
    order,
  }),
  fc.record({ kind: fc.constant('release' as const), order }),
  fc.record({ kind: fc.constant('pick' as const), at: where, qty: fc.integer({ min: 1, max: 5 }), order }),
  fc.record({ kind: fc.constant('ship' as const), at: where, qty: fc.integer({ min: 1, max: 5 }), order }),
  fc.record({
    kind: fc.constant('write_off' as const),
    at: where,
    qty: fc.integer({ min: 1, max: 3 }),
    order,
  }),
  fc.record({ kind: fc.constant('restock' as const), at: where, qty: fc.integer({ min: 1, max: 5 }) }),
);

let run = 0;

describe('the ledger', () => {
  it('always sums to the stock, whatever sequence of movements happens', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 25 }), async (ops) => {
        run += 1;
        for (const [i, o] of ops.entries()) {
          const key = `prop-${run}-${i}`;
          const w = 'at' in o ? warehouses[o.at.w]! : '';
          const s = 'at' in o ? skus[o.at.s]! : '';
          const orderId = 'order' in o ? `prop-${run}-order-${o.order}` : '';
          try {
            switch (o.kind) {
              case 'receive':
                await receiveStock(db, {
                  key,
                  warehouse: w,
                  kind: 'purchase',
                  lines: [{ sku: s, qty: o.qty }],
                  actor: 'p',
                });
                break;
              case 'adjust':
                await adjustStock(db, {
                  key,
                  warehouse: w,
                  lines: [{ sku: s, delta: o.delta }],
                  reason: 'count',
                  actor: 'p',
                });
                break;
              case 'reserve':
                await reserveStock(db, {
                  key,
                  orderId,
                  allocationId: `${orderId}:a`,
                  parts: [{ warehouse: w, lines: [{ sku: s, qty: o.qty }] }],
                  actor: 'p',
                });
                break;
              case 'release':
                await releaseStock(db, { key, orderId, reason: 'cancel', actor: 'p' });
                break;
              case 'pick':
              case 'ship':
              case 'write_off':
                await db.transaction().execute((trx) =>
                  moveReservation(trx, o.kind, {
                    key,
                    allocationId: `${orderId}:a`,
                    warehouse: w,
                    sku: s,
                    qty: o.qty,
                    actor: 'p',
                  }),
                );
                break;
              case 'restock':
                await returnRestock(db, {
                  key,
                  warehouse: w,
                  lines: [{ sku: s, qty: o.qty }],
                  reason: 'return',
                  actor: 'p',
                });
                break;
            }
          } catch (err) {
            // Refused operations (not enough stock, nothing to pick) must leave no trace.
            if (!(err instanceof StockError)) throw err;
          }
          const { mismatches } = await verifyLedger(db);
          expect(mismatches).toEqual([]);
        }
        const negative = await db
          .selectFrom('stock')
          .selectAll()
          .where((eb) => eb.or([eb('reserved', '<', 0), eb('reserved', '>', eb.ref('on_hand'))]))
          .execute();
        expect(negative).toEqual([]);
      }),
      { numRuns: 25 },
    );
  });
});
