import type { FastifyInstance } from 'fastify';
import { createRng } from '../orders/prng.js';

/**
 * Bad weather for every simulator at once (the fault run, docs/chaos.md): a share of calls answer
 * 5xx, calls inside a 429 burst are refused with Retry-After, and a share are slow. Unlike a
 * FaultPlan (the next N calls of one operation), this is random and ongoing, like a platform on a
 * bad day; the ERP has to retry, back off and still lose nothing.
 */
export interface ChaosSettings {
  /** Share of calls answered 500 or 503 (0–1). */
  errorRate: number;
  /** A 429 burst starts every this many ms (0 = none)… */
  burstEveryMs: number;
  /** …and refuses every call for this long, with Retry-After: 1. */
  burstMs: number;
  /** Share of calls held back before they are served (0–1)… */
  slowRate: number;
  /** …by this long. */
  slowMs: number;
}

export const CALM: ChaosSettings = { errorRate: 0, burstEveryMs: 0, burstMs: 0, slowRate: 0, slowMs: 0 };

export interface ChaosControl {
  /** Turns weather on (merged over the current settings) or off (undefined). */
  set(settings: Partial<ChaosSettings> | undefined): void;
  readonly settings: ChaosSettings;
  /** What it did so far. */
  readonly counts: { errors: number; throttled: number; slowed: number; served: number };
}

export function installChaos(
  server: FastifyInstance,
  options: { seed?: string; now?: () => number } = {},
): ChaosControl {
  const rng = createRng(`chaos|${options.seed ?? 'sandbox'}`);
  const now = options.now ?? Date.now;
  let settings: ChaosSettings = { ...CALM };
  let since = now();
  const counts = { errors: 0, throttled: 0, slowed: 0, served: 0 };

  server.addHook('onRequest', async (_request, reply) => {
    const s = settings;
    if (s.burstEveryMs > 0 && (now() - since) % s.burstEveryMs < s.burstMs) {
      counts.throttled += 1;
      return reply.code(429).header('retry-after', '1').send({ error: 'rate limited (sandbox chaos)' });
    }
    if (s.errorRate > 0 && rng.next() < s.errorRate) {
      counts.errors += 1;
      const status = rng.next() < 0.5 ? 500 : 503;
      return reply.code(status).send({ error: 'server error (sandbox chaos)' });
    }
    if (s.slowRate > 0 && rng.next() < s.slowRate) {
      counts.slowed += 1;
      await new Promise((resolve) => setTimeout(resolve, s.slowMs));
    }
    counts.served += 1;
    return undefined;
  });

  return {
    set(next) {
      settings = next ? { ...settings, ...next } : { ...CALM };
      since = now();
    },
    get settings() {
      return settings;
    },
    counts,
  };
}
