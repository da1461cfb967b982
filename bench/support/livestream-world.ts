import Fastify from 'fastify';
import { upsertCarrierAccount } from '../../db/queries/carriers.js';
import { carrierSandboxEnv, createCarrierSandbox } from '../../sandbox/carriers/index.js';
import { benchApiKey, createBenchSku, createOwnStore, setupBenchWarehouse } from './fixtures.js';
import { startBenchStack, type BenchStack, type TemporalShape } from './stack.js';
import { onTeardown } from './teardown.js';

export interface LivestreamWorld {
  stack: BenchStack;
  /** The seller's own store that pushes the livestream's orders. */
  store: { shopId: string; secret: string };
  /** An API key of the warehouse crew (the simulated crew works the WMS API with it). */
  crewKey: string;
  stop(): Promise<void>;
}

/**
 * A livestream seller's world: its own stack (Temporal dev server, database, API), the carrier
 * simulator for waybills, one SKU in one warehouse stocked with `stock` units, the store and its
 * ZTO account through Cainiao. Workers and the crew are the caller's. `temporal` picks the shape
 * of Temporal (startBenchStack).
 */
export async function startLivestreamWorld(
  stock: number,
  options: { temporal?: TemporalShape } = {},
): Promise<LivestreamWorld> {
  const carriers = createCarrierSandbox();
  const carrierServer = Fastify();
  await carriers.register(carrierServer);
  await carrierServer.listen({ port: 0, host: '127.0.0.1' });
  const stopCarriers = onTeardown('the carrier simulator', () => carrierServer.close());
  const carrierUrl = `http://127.0.0.1:${(carrierServer.server.address() as { port: number }).port}`;
  const { accounts } = carriers;
  const stack = await startBenchStack(
    {
      WAVE_WINDOW_SECONDS: '5',
      WAVE_SIZE_CAP: '200',
      TRACKING_POLL_SECONDS: '3600',
      // Carriers are chosen only when something can follow their parcels; polls are an hour apart.
      ...carrierSandboxEnv(carrierUrl, accounts),
    },
    options,
  ).catch(async (err: unknown) => {
    await stopCarriers();
    throw err;
  });
  const stop = async () => {
    await stack.stop();
    await stopCarriers();
  };
  try {
    const { db } = stack;
    await createBenchSku(db);
    await setupBenchWarehouse(db, 'BENCH-WH', { 'BENCH-SKU': stock });
    const ops = await benchApiKey(db, ['ops']);
    const crewKey = await benchApiKey(db, ['warehouse']);
    const store = await createOwnStore(stack.apiUrl, ops, 'live-store');
    await upsertCarrierAccount(db, store.shopId, {
      carrier: 'ZTO',
      enabled: true,
      waybillChannel: 'cainiao',
      sender: {
        name: '直播仓',
        phone: '0571-88886666',
        address: { province: '浙江省', city: '杭州市', district: '余杭区', detail: '仓储路1号' },
      },
    });
    return { stack, store, crewKey, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
