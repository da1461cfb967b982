import { continueAsNew, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { TmcChannelActivities, TmcRunResult } from '../activities/capture/channels/tmc-activities.js';
import {
  messageChannelStateQuery,
  type MessageChannelInput,
  type MessageChannelState,
  type MessageChannelTotals,
} from './messages.js';

/**
 * One workflow per TOP app (`tmc:{appKey}`) that keeps its TMC channel consumed: it runs one long
 * consuming activity at a time (heartbeating, so a dead worker's run moves to another worker within
 * the heartbeat timeout), adds up what each run did, and continues as new every few runs. The
 * workflow id makes it the app's only consumer however many workers run. It ends when no shop uses
 * the app any more or channels are switched off; the worker's channel supervisor starts it again
 * when that changes.
 */

export interface MessageChannelOutcome {
  appKey: string;
  stopped: 'no_shops' | 'disabled';
  totals: MessageChannelTotals;
}

const RUNS_PER_WORKFLOW = 12;

export async function messageChannelWorkflow(input: MessageChannelInput): Promise<MessageChannelOutcome> {
  const state: MessageChannelState = {
    channel: 'tmc',
    appKey: input.appKey,
    totals: input.totals ?? {
      runs: 0,
      consumes: 0,
      received: 0,
      handedOver: 0,
      confirmed: 0,
      unrouted: 0,
      ignored: 0,
    },
    failures: input.failures ?? 0,
    lastError: null,
    lastRunEndedAt: null,
  };
  setHandler(messageChannelStateQuery, () => state);

  const { runTmcChannel } = proxyActivities<TmcChannelActivities>({
    startToCloseTimeout: `${input.runSeconds + 120} seconds`,
    heartbeatTimeout: '30 seconds',
    // A run fails only when the database or the worker does; keep trying, never give up the channel.
    retry: { initialInterval: '1 second', maximumInterval: '60 seconds', backoffCoefficient: 2 },
  });

  for (let run = 0; run < RUNS_PER_WORKFLOW; run++) {
    const result: TmcRunResult = await runTmcChannel({
      appKey: input.appKey,
      runSeconds: input.runSeconds,
      failures: state.failures,
    });
    const totals = state.totals;
    totals.runs += 1;
    totals.consumes += result.consumes;
    totals.received += result.received;
    totals.handedOver += result.handedOver;
    totals.confirmed += result.confirmed;
    totals.unrouted += result.unrouted;
    totals.ignored += result.ignored;
    state.failures = result.failures;
    state.lastError = result.lastError ?? (result.failures === 0 ? null : state.lastError);
    state.lastRunEndedAt = new Date().toISOString();
    if (result.stopped) return { appKey: input.appKey, stopped: result.stopped, totals };
    if (workflowInfo().continueAsNewSuggested) break;
  }
  return await continueAsNew<typeof messageChannelWorkflow>({
    appKey: input.appKey,
    runSeconds: input.runSeconds,
    totals: state.totals,
    failures: state.failures,
  });
}
