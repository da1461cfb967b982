/**
 * Business failures of stock operations. They are final for the request that caused them (a retry
 * gives the same answer), so the API maps them to 4xx and activities to non-retryable failures.
 */
export type StockErrorCode =
  | 'unknown_warehouse'
  | 'unknown_sku'
  | 'inactive_warehouse'
  | 'insufficient_stock'
  | 'not_found'
  | 'conflict'
  | 'invalid';

export class StockError extends Error {
  constructor(
    readonly code: StockErrorCode,
    message: string,
    /** The request field the failure is about, e.g. `lines.2.sku`. */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'StockError';
  }
}

export function isStockError(err: unknown): err is StockError {
  return err instanceof StockError;
}
