import { NativeConnection } from '@temporalio/worker';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { measureEngineCeiling } from '../../bench/support/ceiling.js';
import { ENCRYPTED_ENCODING } from '../../services/temporal/payload-codec.js';
import { createHarness, type Harness } from '../support/harness.js';

/**
 * The benchmarks' engine ceiling runs on the deployment's own client, which seals every payload.
 * Its worker once had no codec: every workflow task failed ("Unknown encoding: binary/encrypted")
 * and a benchmark that had carried its burst to the last waybill then waited for ever.
 */
let h: Harness;
let connection: NativeConnection;

beforeAll(async () => {
  h = await createHarness();
  connection = await NativeConnection.connect({ address: h.config.TEMPORAL_ADDRESS });
});

afterAll(async () => {
  await connection?.close();
  await h?.teardown();
});

it('runs the empty workflows of the engine ceiling with payloads sealed by the deployment codec', async () => {
  const runId = `ceiling-${Date.now().toString(36)}`;
  const ms = await measureEngineCeiling({
    client: h.client,
    connection,
    count: 3,
    concurrency: 3,
    activities: { remote: 1, local: 1 },
    runId,
  });
  expect(ms).toBeGreaterThan(0);

  const history = await h.client.workflow.getHandle(`noop-${runId}-0`).fetchHistory();
  const input = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
  expect(Buffer.from(input?.metadata?.encoding ?? []).toString()).toBe(ENCRYPTED_ENCODING);
  expect(history.events?.some((e) => e.workflowTaskFailedEventAttributes)).toBe(false);
  expect(history.events?.at(-1)?.workflowExecutionCompletedEventAttributes).toBeTruthy();
});
