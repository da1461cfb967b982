import type { PlatformCaseStatus, PlatformWriteResult } from './after-sales-types.js';
import { RequestRejectedError } from './errors.js';
import type { RefundCaseStatus } from './types.js';

/**
 * Runs an after-sales write; the platform turning it down (a stale version, a status that moved
 * on, a business failure) is a `rejected` result for a person, not an error to retry.
 */
export async function rejectedWrite(run: () => Promise<PlatformWriteResult>): Promise<PlatformWriteResult> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof RequestRejectedError) {
      return { outcome: 'rejected', code: err.code ?? 'rejected', message: err.message };
    }
    throw err;
  }
}

/** A refund case's state as the poll reads it (`listRefunds`) → where the after-sales case stands. */
export function caseStatusOf(status: RefundCaseStatus): PlatformCaseStatus {
  if (status === 'requested') return 'open';
  if (status === 'returning') return 'waiting_buyer';
  return status;
}
