/**
 * The data keys of every test (not secret: test data only). Fixed rather than random, so the
 * histories recorded by one run (encrypted with them) replay in every later run.
 */
export const TEST_DATA_KEYS = {
  DATA_KEYS: `test1:${Buffer.alloc(32, 7).toString('base64')}`,
  DATA_LOOKUP_KEY: Buffer.alloc(32, 9).toString('base64'),
} as const;
