export { largestMinorWithin, toFen } from '../../domain/fx.js';

/** A recorded rate: CNY per one unit of `currency`, in effect from `validFrom`. */
export interface ExchangeRate {
  currency: string;
  /** Exact decimal text, e.g. "7.1234". */
  rate: string;
  validFrom: string;
}

/** The rate in effect for `currency` at `at`: the latest whose validFrom is not after it. */
export function rateAt(
  rates: readonly ExchangeRate[],
  currency: string,
  at: string,
): ExchangeRate | undefined {
  const when = Date.parse(at);
  let best: ExchangeRate | undefined;
  for (const rate of rates) {
    if (rate.currency !== currency) continue;
    const from = Date.parse(rate.validFrom);
    if (from > when) continue;
    if (!best || from > Date.parse(best.validFrom)) best = rate;
  }
  return best;
}
