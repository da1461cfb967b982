import { describe, expect, it } from 'vitest';
import { humanAction } from '../../ui/src/client/human-action.js';

// The web UI sends one Idempotency-Key per click and the same one on every retry of that click.

describe('web UI human actions', () => {
  it('retries a busy (503) or lost answer with the same key, and a new click gets a new key', async () => {
    const sent: string[] = [];
    let n = 0;
    const keys = ['key-1', 'key-2'];
    const options = { newKey: () => keys.shift()!, wait: async () => {} };
    const answer = await humanAction(async (headers) => {
      sent.push(headers['idempotency-key']);
      n += 1;
      if (n === 1) throw Object.assign(new Error('busy'), { status: 503 });
      if (n === 2) throw new TypeError('fetch failed');
      return 'approved';
    }, options);
    expect(answer).toBe('approved');
    expect(sent).toEqual(['key-1', 'key-1', 'key-1']);

    await humanAction(async (headers) => sent.push(headers['idempotency-key']), options);
    expect(sent.at(-1)).toBe('key-2');
  });

  it('does not repeat a refused action (409, 422)', async () => {
    let calls = 0;
    const refused = humanAction(
      async () => {
        calls += 1;
        throw Object.assign(new Error('not held'), { status: 409 });
      },
      { wait: async () => {} },
    );
    await expect(refused).rejects.toThrow('not held');
    expect(calls).toBe(1);
  });
});
