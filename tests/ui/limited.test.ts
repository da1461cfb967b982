import { describe, expect, it } from 'vitest';
import { limiter } from '../../ui/src/client/limited.js';

describe('limiter (bulk approval’s shared lanes)', () => {
  it('never runs more than the limit at once, a slow task holds only its own lane, turns in order', async () => {
    const lane = limiter(3);
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const finished: number[] = [];
    let releaseFirst!: () => void;
    const first = new Promise<void>((resolve) => (releaseFirst = resolve));
    const out = Promise.all(
      [0, 1, 2, 3, 4, 5, 6].map((n) =>
        lane(async () => {
          started.push(n);
          most = Math.max(most, ++running);
          if (n === 0) await first;
          else await Promise.resolve();
          running -= 1;
          finished.push(n);
          if (finished.length === 6) releaseFirst();
          return `#${n}`;
        }),
      ),
    );
    expect(await out).toEqual(['#0', '#1', '#2', '#3', '#4', '#5', '#6']);
    expect(most).toBe(3);
    expect(started).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(finished.at(-1)).toBe(0);
  });

  it('passes a failure to its caller and frees the lane; a limit below one is one lane', async () => {
    const lane = limiter(0);
    await expect(lane(async () => Promise.reject(new Error('lost')))).rejects.toThrow('lost');
    expect(await Promise.all([lane(async () => 1), lane(async () => 2)])).toEqual([1, 2]);
  });
});
