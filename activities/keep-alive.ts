import { Context } from '@temporalio/activity';

const HEARTBEAT_EVERY_MS = 5_000;

/**
 * Runs `work` heartbeating every few seconds, so that a worker that dies during it is noticed
 * within the activity's heartbeat timeout (and another attempt runs) instead of at its
 * start-to-close timeout, which stays generous for a slow but living attempt. Outside an activity
 * (a test calling the function itself) it only runs `work`.
 */
export async function keepAlive<T>(work: () => Promise<T>): Promise<T> {
  let context: Context;
  try {
    context = Context.current();
  } catch {
    return work();
  }
  const timer = setInterval(() => context.heartbeat(), HEARTBEAT_EVERY_MS);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}
