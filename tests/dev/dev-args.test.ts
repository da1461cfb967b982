import { describe, expect, it } from 'vitest';
import { parseDevArgs } from '../../scripts/stack/dev-args.js';

describe('npm run dev arguments', () => {
  it('runs the dev server shape by default and the cluster shape with --cluster', () => {
    expect(parseDevArgs([])).toEqual({ cluster: false, workers: 1 });
    expect(parseDevArgs(['--cluster'])).toEqual({ cluster: true, workers: 1 });
    expect(parseDevArgs(['--cluster', '--workers', '3'])).toEqual({ cluster: true, workers: 3 });
    expect(parseDevArgs(['--workers=2', '--cluster'])).toEqual({ cluster: true, workers: 2 });
  });

  it('refuses what it would otherwise ignore, saying how to call it', () => {
    expect(() => parseDevArgs(['--workers', '2'])).toThrow(/--workers needs --cluster.*usage: npm run dev/);
    expect(() => parseDevArgs(['--cluster', '--workers', '0'])).toThrow(/from 1 to 16, not 0/);
    expect(() => parseDevArgs(['--cluster', '--workers'])).toThrow(/not nothing/);
    expect(() => parseDevArgs(['--clustr'])).toThrow(/unknown argument --clustr/);
  });
});
