import { describe, expect, it } from 'vitest';
import { eachLimited } from '../../ui/src/client/limited.js';

describe('eachLimited (bulk approval’s bounded parallelism)', () => {
  it('never runs more than the limit at once, a slow first task holds no other back, answers in order', async () => {
    let running = 0;
    let most = 0;
    const finished: number[] = [];
    let releaseFirst!: () => void;
    const first = new Promise<void>((resolve) => (releaseFirst = resolve));
    const out = eachLimited([0, 1, 2, 3, 4, 5, 6], 3, async (n) => {
      most = Math.max(most, ++running);
      if (n === 0) await first;
      else await Promise.resolve();
      running -= 1;
      finished.push(n);
      if (finished.length === 6) releaseFirst();
      return `#${n}`;
    });
    expect(await out).toEqual(['#0', '#1', '#2', '#3', '#4', '#5', '#6']);
    expect(most).toBe(3);
    expect(finished.at(-1)).toBe(0);
  });

  it('runs nothing for nothing, and one lane for a limit below one', async () => {
    expect(await eachLimited([], 4, async () => 1)).toEqual([]);
    expect(await eachLimited([1, 2], 0, async (x) => x * 2)).toEqual([2, 4]);
  });
});
