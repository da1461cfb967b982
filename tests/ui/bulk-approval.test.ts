import { describe, expect, it } from 'vitest';
import {
  AGAIN_WAIT_SECONDS,
  approveAll,
  bulkState,
  FIRST_WAIT_SECONDS,
  MAX_PAUSE_SECONDS,
  pauseMs,
  type BulkAttempt,
  type BulkState,
} from '../../ui/src/client/bulk-approval.js';
import { retryPauseMs } from '../../ui/src/client/human-action.js';

/**
 * 批量通过 on a busy system: 50 orders while the worker does not answer. Every order gets its own
 * answer, none is called failed while its approval is still on its way, each is asked again only
 * with its own key, and no more than four requests are out at once.
 */
describe('bulk approval while the worker is busy', () => {
  it('answers every order — approved, left the queue, refused with why — and asks again only for the undecided', async () => {
    const orders = Array.from({ length: 50 }, (_, i) => `order-${i}`);
    const left = new Set(['order-7', 'order-31']); // decided by someone else meanwhile
    const refused = 'order-12'; // the API says no (422)
    let inFlight = 0;
    let most = 0;
    const keysOf = new Map<string, Set<string>>();
    const waits: number[] = [];
    const seen: Record<string, BulkState[]> = {};
    const sends: string[] = [];

    const states = await approveAll(orders, {
      newKey: (() => {
        let n = 0;
        return () => `key-${(n += 1)}`;
      })(),
      random: () => 0.5,
      sleep: async (ms) => void waits.push(ms),
      send: async (order, key, waitSeconds): Promise<BulkAttempt> => {
        most = Math.max(most, (inFlight += 1));
        await Promise.resolve();
        inFlight -= 1;
        // The worker catches up once every order was sent once.
        const workerBack = sends.length >= orders.length;
        sends.push(order);
        keysOf.set(order, (keysOf.get(order) ?? new Set()).add(key));
        expect(waitSeconds).toBe(sends.length <= orders.length ? FIRST_WAIT_SECONDS : AGAIN_WAIT_SECONDS);
        if (order === refused)
          return { status: 422, body: { statusCode: 422, code: 'InvalidDecision', message: 'no' } };
        if (!workerBack) {
          if (order === 'order-3') throw new TypeError('fetch failed'); // lost on the way
          if (order === 'order-4') return { status: 503, retryAfterSeconds: 5 };
          return { status: 202, body: { pending: true, accepted: false }, retryAfterSeconds: 5 };
        }
        if (left.has(order)) return { status: 409, body: { statusCode: 409, code: 'OrderNotHeld' } };
        return { status: 200, body: { state: {} } };
      },
      report: (index, state) => (seen[orders[index]!] ??= []).push(state),
    });

    expect(most).toBeLessThanOrEqual(4);
    expect(most).toBeGreaterThan(1);
    for (const [i, order] of orders.entries()) {
      const expected = order === refused ? 'refused' : left.has(order) ? 'left' : 'ok';
      expect(states[i], order).toBe(expected);
      // Never shown as anything but "still processing" before its real answer.
      expect(
        seen[order]!.slice(0, -1).every((s) => s === 'pending'),
        order,
      ).toBe(true);
      expect(keysOf.get(order)!.size, order).toBe(1);
    }
    // The refused order was asked once; each undecided one twice (first, then again after the pause).
    expect(sends.filter((o) => o === refused)).toHaveLength(1);
    expect(sends).toHaveLength(orders.length * 2 - 1);
    // One pause per undecided order: the API's Retry-After (5 s, or 5 s when the request was lost),
    // spread by the random factor (0.75 at 0.5).
    expect(waits).toEqual(Array.from({ length: orders.length - 1 }, () => 3750));
  });

  it('stops asking once the page is gone, and backs off while nothing is decided', async () => {
    let asks = 0;
    let gone = false;
    const waits: number[] = [];
    const states = await approveAll(['a'], {
      random: () => 1,
      sleep: async (ms) => {
        waits.push(ms);
        if (waits.length === 4) gone = true;
      },
      send: async () => {
        asks += 1;
        return { status: 202, body: { pending: true, accepted: true }, retryAfterSeconds: 5 };
      },
      report: () => {},
      stopped: () => gone,
    });
    expect(states).toEqual(['pending']);
    expect(asks).toBe(4);
    expect(waits).toEqual([5000, 7500, 11250, 15000]);
  });

  it('decides the other orders while one order’s first request hangs (a slow connection)', async () => {
    const orders = ['slow', 'b', 'c', 'd', 'e', 'f', 'g'];
    const asked = new Map<string, number>();
    const decided = new Set<string>();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const states = await approveAll(orders, {
      random: () => 0,
      sleep: async () => {},
      send: async (order): Promise<BulkAttempt> => {
        asked.set(order, (asked.get(order) ?? 0) + 1);
        if (order === 'slow') {
          await gate;
          return { status: 200, body: { state: {} } };
        }
        // Not decided within the first wait on a busy system; decided when asked again.
        if (asked.get(order) === 1) return { status: 202, body: { pending: true, accepted: true } };
        return { status: 200, body: { state: {} } };
      },
      report: (index, state) => {
        if (state === 'ok' && orders[index] !== 'slow') decided.add(orders[index]!);
        if (decided.size === orders.length - 1) release();
      },
    });
    expect(states).toEqual(orders.map(() => 'ok'));
    expect(asked.get('slow')).toBe(1);
    for (const order of orders.slice(1)) expect(asked.get(order), order).toBe(2);
  });

  it('reads answers as a reviewer would', () => {
    expect(bulkState({ status: 200 })).toBe('ok');
    for (const status of [0, 202, 502, 503, 504]) expect(bulkState({ status })).toBe('pending');
    expect(bulkState({ status: 409 })).toBe('left');
    for (const status of [400, 403, 404, 422]) expect(bulkState({ status })).toBe('refused');
    expect(pauseMs(120, 0, () => 1)).toBe(10_000); // a long Retry-After is capped
    expect(pauseMs(null, 20, () => 1)).toBe(MAX_PAUSE_SECONDS * 1000);
    expect(pauseMs(null, 0, () => 0)).toBe(2500);
  });

  it('spreads a single action’s retries and follows the API’s Retry-After', () => {
    expect(retryPauseMs({ status: 503, retryAfterSeconds: 5 }, 0, () => 0)).toBe(2500);
    expect(retryPauseMs({ status: 503, retryAfterSeconds: 40 }, 0, () => 1)).toBe(10_000);
    expect(retryPauseMs(new TypeError('fetch failed'), 2, () => 1)).toBe(3000);
  });
});
