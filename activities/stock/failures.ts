import { ApplicationFailure } from '@temporalio/common';
import { isStockError } from '../../domain/stock/errors.js';

/**
 * Stock and WMS business failures give the same answer on every retry, so they fail the activity
 * at once with a typed, non-retryable failure the workflow can branch on. Anything else (a dropped
 * connection, a deadlock) is thrown as it is and retried.
 */
export async function asActivity<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (isStockError(err)) {
      throw ApplicationFailure.create({
        type: `Stock.${err.code}`,
        message: err.message,
        nonRetryable: true,
        details: [{ code: err.code, field: err.field ?? null }],
      });
    }
    throw err;
  }
}
