import Fastify, { type FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import type { Db } from '../../db/connect.js';
import { upsertCarrierAccount } from '../../db/queries/carriers.js';
import { createWarehouse, receiveStock } from '../../db/queries/stock.js';
import { assignBin } from '../../db/queries/wms.js';
import {
  carrierSandboxEnv,
  createCarrierSandbox,
  type CarrierSandbox,
} from '../../sandbox/carriers/index.js';
import { installChaos, type ChaosControl } from '../../sandbox/kit/chaos.js';
import type { Client } from '@temporalio/client';
import { TEST_SKU, uniqueId } from './fixtures.js';
import { stateQuery, waveStateQuery } from '../../workflows/messages.js';
import { PATIENCE_MS, waitForState } from './waits.js';

export interface CarrierSandboxServer {
  sandbox: CarrierSandbox;
  url: string;
  /** Config entries that point the carrier adapters at this sandbox. */
  env: Record<string, string>;
  /** Bad weather on every carrier simulator (calm until set). */
  chaos: ChaosControl;
  close(): Promise<void>;
}

/** The simulated SF, Cainiao, Kuaidi100 and KDNiao services on one local port. */
export async function startCarrierSandbox(): Promise<CarrierSandboxServer> {
  const sandbox = createCarrierSandbox();
  const app: FastifyInstance = Fastify();
  const chaos = installChaos(app, { seed: 'carriers' });
  await sandbox.register(app);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const { accounts } = sandbox;
  return {
    sandbox,
    url,
    env: {
      ...carrierSandboxEnv(url, accounts),
    },
    chaos,
    close: () => app.close(),
  };
}

export const SENDER = {
  name: '杭州仓发货组',
  phone: '0571-88886666',
  address: { province: '浙江省', city: '杭州市', district: '余杭区', detail: '仓前街道仓储路1号' },
};

/** A warehouse in Hangzhou covering the given provinces, stocked with `stock` units per SKU. */
export async function setupWarehouse(
  db: Db,
  options: {
    stock?: Record<string, number>;
    capabilities?: string[];
    provinces?: string[];
    code?: string;
  } = {},
): Promise<string> {
  const code = options.code ?? uniqueId('WH');
  await createWarehouse(db, {
    code,
    name: `杭州仓 ${code}`,
    province: '浙江省',
    coverage: (options.provinces ?? ['浙江省', '江苏省', '上海市']).map((province, i) => ({
      province,
      priority: i + 1,
    })),
    capabilities: options.capabilities ?? [],
  });
  const stock = options.stock ?? { [TEST_SKU.code]: 100 };
  let bin = 1;
  for (const sku of Object.keys(stock))
    await assignBin(db, { warehouse: code, bin: `A-01-${String(bin++).padStart(2, '0')}-1`, sku });
  const lines = Object.entries(stock)
    .filter(([, qty]) => qty > 0)
    .map(([sku, qty]) => ({ sku, qty }));
  if (lines.length)
    await receiveStock(db, {
      key: uniqueId('receipt'),
      warehouse: code,
      kind: 'purchase',
      lines,
      actor: 'test',
    });
  return code;
}

/** The shop ships ZTO (through Cainiao) and SF (direct) from the Hangzhou sender. */
export async function setupCarrierAccounts(
  db: Db,
  shopId: string,
  carriers: Array<'ZTO' | 'SF' | 'YTO'> = ['ZTO', 'SF'],
) {
  for (const carrier of carriers) {
    await upsertCarrierAccount(db, shopId, {
      carrier,
      enabled: true,
      waybillChannel: carrier === 'SF' ? 'sf' : 'cainiao',
      ...(carrier === 'SF' ? { monthlyAccount: '7551234567' } : {}),
      sender: SENDER,
    });
  }
}

type Inject = FastifyInstance['inject'];

/**
 * Once the order waits in its warehouse's wave, asks for the wave now (POST /wms/waves/flush), as a
 * warehouse lead would: for tests whose window is long on purpose, so nothing is cut before they say.
 * Where the window is short (WAVE_WINDOW_SECONDS '1'), the wave may form by itself before the first
 * look; an order already holding its parcels at the warehouse is then what was asked for.
 */
export async function formWaveNow(
  client: Client,
  api: { inject: Inject },
  wh: Record<string, string>,
  warehouse: string,
  /** The order, or orders that must all be in the one wave. */
  orderId: string | readonly string[],
  /** Only a place the order took after this moment counts (it left the wave and came back). */
  readyAfter?: Date,
): Promise<void> {
  const ids = typeof orderId === 'string' ? [orderId] : orderId;
  const waiting = async () => {
    try {
      const state = await client.workflow.getHandle(`wave:${warehouse}`).query(waveStateQuery);
      return ids.every((id) =>
        state.pending.some(
          (p) => p.orderId === id && (!readyAfter || Date.parse(p.readyAt) > readyAfter.getTime()),
        ),
      );
    } catch {
      return false; // not started yet, or busy: asked again
    }
  };
  const waved = async () => {
    if (readyAfter) return false; // a parcel formed before it left the wave does not count
    try {
      const states = await Promise.all(ids.map((id) => client.workflow.getHandle(id).query(stateQuery)));
      return states.every((s) => s.parcels.some((p) => p.warehouse === warehouse));
    } catch {
      return false; // busy: asked again
    }
  };
  let place: 'pending' | 'waved' | undefined;
  await expect
    .poll(
      async () => {
        place = (await waiting()) ? 'pending' : (await waved()) ? 'waved' : undefined;
        return place !== undefined;
      },
      { timeout: PATIENCE_MS },
    )
    .toBe(true);
  if (place === 'waved') return;
  const answer = await api.inject({
    method: 'POST',
    url: '/wms/waves/flush',
    headers: wh,
    payload: { warehouse },
  });
  if (answer.statusCode === 409 && answer.json().code === 'NOTHING_WAITING_FOR_WAVE') {
    // A short window closed the wave itself between the look and the ask: the order is in a wave
    // already, which is what was asked for.
    expect(await waiting()).toBe(false);
    return;
  }
  expect(answer.statusCode, answer.body).toBe(202);
}

/** Does the warehouse's work for a wave: pick every line, pack every parcel, hand each to the carrier. */
export async function workWave(
  api: { inject: Inject },
  auth: Record<string, string>,
  waveId: string,
  options: { handover?: boolean; short?: { line: number; qty: number } } = {},
) {
  const list = await api.inject({
    method: 'GET',
    url: `/wms/waves/${encodeURIComponent(waveId)}/pick-list`,
    headers: auth,
  });
  expect(list.statusCode).toBe(200);
  for (const line of list.json().lines as Array<{ seq: number; qty: number }>) {
    const short = options.short?.line === line.seq ? options.short.qty : 0;
    if (line.qty - short > 0) {
      const res = await api.inject({
        method: 'POST',
        url: '/wms/pick-confirmations',
        headers: auth,
        payload: { waveId, line: line.seq, outcome: 'picked', qty: line.qty - short },
      });
      expect(res.statusCode, res.body).toBeLessThan(300);
    }
    if (short > 0) {
      const res = await api.inject({
        method: 'POST',
        url: '/wms/pick-confirmations',
        headers: auth,
        payload: { waveId, line: line.seq, outcome: 'short_picked', qty: short },
      });
      expect(res.statusCode, res.body).toBeLessThan(300);
    }
  }
}

export async function packParcel(
  api: { inject: Inject },
  auth: Record<string, string>,
  parcelId: string,
  weightG = 800,
) {
  const res = await api.inject({
    method: 'POST',
    url: '/wms/pack-confirmations',
    headers: auth,
    payload: { parcelId, weightG, lengthMm: 300, widthMm: 200, heightMm: 100 },
  });
  expect(res.statusCode, res.body).toBeLessThan(300);
}

export async function handOver(api: { inject: Inject }, auth: Record<string, string>, parcelId: string) {
  const res = await api.inject({
    method: 'POST',
    url: '/wms/handovers',
    headers: auth,
    payload: { parcelId },
  });
  expect(res.statusCode, res.body).toBe(202);
}

/** Shipment rows are written by each parcel's own workflow, a moment after the order learns of them. */
export async function waitForShipments(db: Db, parcelIds: string[]): Promise<void> {
  await expect
    .poll(
      async () =>
        (await db.selectFrom('shipments').select('id').where('id', 'in', parcelIds).execute()).length,
    )
    .toBe(parcelIds.length);
}

/** The order's (only) parcel worked through its wave, packed and labelled; its waybill number. */
export async function labelledParcel(
  h: { db: Db; client: Client },
  api: { inject: Inject },
  wh: Record<string, string>,
  orderId: string,
  timeout?: number,
): Promise<{ parcelId: string; waybill: string }> {
  const state = await waitForState(h.client, orderId, (s) => s.parcels.length === 1, timeout);
  const parcelId = state.parcels[0]!.parcelId;
  await waitForShipments(h.db, [parcelId]);
  const { wave_id } = await h.db
    .selectFrom('shipments')
    .select('wave_id')
    .where('id', '=', parcelId)
    .executeTakeFirstOrThrow();
  await workWave(api, wh, wave_id);
  await packParcel(api, wh, parcelId);
  const labelled = await waitForState(
    h.client,
    orderId,
    (s) => s.parcels[0]?.trackingNumber != null,
    timeout,
  );
  return { parcelId, waybill: labelled.parcels[0]!.trackingNumber! };
}

/** A shipment's timeline, oldest first: the stage (or event) of each entry. */
export async function shipmentStages(db: Db, parcelId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('shipment_events')
    .select('stage')
    .where('shipment_id', '=', parcelId)
    .orderBy('seq')
    .execute();
  return rows.map((r) => r.stage);
}
