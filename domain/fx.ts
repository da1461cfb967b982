/**
 * Exact conversion between a currency's minor unit and CNY fen at a recorded decimal rate (CNY per
 * one unit): integer arithmetic, no floating point, so a converted amount is the same everywhere.
 */
import { currencyExponent } from './money.js';

const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

/** A decimal string as an exact fraction numerator / 10^scale. */
function parseDecimal(text: string): { numerator: bigint; scale: number } {
  const match = DECIMAL.exec(text.trim());
  if (!match) throw new RangeError(`not a decimal rate: ${JSON.stringify(text)}`);
  const [, whole, frac = ''] = match as unknown as [string, string, string | undefined];
  return { numerator: BigInt(whole + frac), scale: frac.length };
}

/**
 * An amount in `currency`'s minor unit as CNY fen at `rate`, exactly: integer arithmetic on the
 * decimal rate, rounded half up once. USD 25.98 (2598 cents) at 7.1234 → 18506.5932 → 18507 fen.
 */
export function toFen(amountMinor: number, currency: string, rate: string): number {
  if (!Number.isSafeInteger(amountMinor) || amountMinor < 0) {
    throw new RangeError(`not a minor-unit amount: ${amountMinor}`);
  }
  const { numerator, scale } = parseDecimal(rate);
  // fen = minor × 10^(2 − exponent) × numerator / 10^scale
  const shift = 2 - currencyExponent(currency);
  let top = BigInt(amountMinor) * numerator;
  let bottom = 10n ** BigInt(scale);
  if (shift >= 0) top *= 10n ** BigInt(shift);
  else bottom *= 10n ** BigInt(-shift);
  const quotient = top / bottom;
  const fen = (top % bottom) * 2n >= bottom ? quotient + 1n : quotient;
  const result = Number(fen);
  if (!Number.isSafeInteger(result)) throw new RangeError(`converted amount out of range: ${fen}`);
  return result;
}

/**
 * The largest amount in `currency`'s minor unit that is worth at most `limitFen` CNY fen at `rate`
 * (as `toFen` converts it): an amount above it is worth more than the limit. A CNY limit in an
 * order's own currency, e.g. ¥500.00 (50000 fen) at SGD 5.3 → S$94.34 (9434 cents, converted 500.00).
 */
export function largestMinorWithin(limitFen: number, currency: string, rate: string): number {
  const { numerator, scale } = parseDecimal(rate);
  if (numerator === 0n) throw new RangeError(`not a usable rate: ${JSON.stringify(rate)}`);
  const shift = 2 - currencyExponent(currency);
  // minor ≈ limit × 10^scale / (numerator × 10^shift); `toFen` rounds, so settle it exactly.
  let top = BigInt(limitFen) * 10n ** BigInt(scale);
  let bottom = numerator;
  if (shift >= 0) bottom *= 10n ** BigInt(shift);
  else top *= 10n ** BigInt(-shift);
  let minor = Number(top / bottom);
  while (minor > 0 && toFen(minor, currency, rate) > limitFen) minor--;
  while (toFen(minor + 1, currency, rate) <= limitFen) minor++;
  return minor;
}
