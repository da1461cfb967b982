import { ApplicationFailure } from '@temporalio/activity';
import { AuthError, RequestRejectedError } from '../../integrations/platforms/errors.js';

/**
 * Runs a call to a platform or payment channel; refusals and bad credentials, which retrying will
 * not cure, become non-retryable failures (the case hands them to a person).
 */
export async function failFastOnRefusal<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof AuthError || err instanceof RequestRejectedError) {
      throw ApplicationFailure.create({ type: err.name, message: err.message, nonRetryable: true });
    }
    throw err;
  }
}
