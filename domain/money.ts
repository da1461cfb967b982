import { z } from 'zod';
import { currencySchema, fenSchema } from './lazy/money.js';

/** Money is always an integer number of the currency's minor unit (fen for CNY). */
export const FenSchema = fenSchema();

export const CurrencySchema = currencySchema();

/**
 * Converts a decimal money string in major units ("178.00", "25.9") to minor units without
 * floating-point error. Platforms send yuan as strings or floats; we never multiply floats by 100.
 */
export function decimalToMinor(value: string | number, fractionDigits = 2): number {
  const text = typeof value === 'number' ? value.toFixed(fractionDigits + 2) : value.trim();
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) throw new RangeError(`not a decimal amount: ${JSON.stringify(value)}`);
  const [, sign, whole, frac = ''] = match as unknown as [string, string, string, string | undefined];
  const padded = (frac + '0'.repeat(fractionDigits + 1)).slice(0, fractionDigits + 1);
  let minor = BigInt(whole) * 10n ** BigInt(fractionDigits) + BigInt(padded.slice(0, fractionDigits) || '0');
  // Round half up on the first dropped digit.
  if (Number(padded[fractionDigits]) >= 5) minor += 1n;
  const result = Number(minor);
  if (!Number.isSafeInteger(result)) throw new RangeError(`amount out of range: ${text}`);
  return sign === '-' ? -result : result;
}

/**
 * A decimal amount as platforms send it ("178.00", "25.9" or a JSON number), checked at the
 * border so that converting it later cannot throw: a push with `"total_tax": "n/a"` is a 400
 * naming the field, not a failure inside the handler.
 */
export const DecimalAmountSchema = z
  .union([z.string(), z.number()])
  .transform(String)
  .refine(isDecimalAmount, 'must be a decimal amount such as "178.00"');

function isDecimalAmount(value: string): boolean {
  try {
    decimalToMinor(value);
    return true;
  } catch {
    return false;
  }
}

export function formatMinor(minor: number, fractionDigits = 2): string {
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  const unit = 10 ** fractionDigits;
  const whole = Math.floor(abs / unit);
  const frac = String(abs % unit).padStart(fractionDigits, '0');
  return fractionDigits === 0 ? `${sign}${whole}` : `${sign}${whole}.${frac}`;
}

/**
 * Currencies platforms send without a minor unit. ISO 4217 gives IDR two decimals, but no
 * marketplace uses them; VND's hào went out of use decades ago. Every other currency has two.
 */
const ZERO_DECIMAL_CURRENCIES: ReadonlySet<string> = new Set(['JPY', 'VND', 'KRW', 'IDR']);

/** How many decimal digits the currency's minor unit has (0 or 2). */
export function currencyExponent(currency: string): number {
  return ZERO_DECIMAL_CURRENCIES.has(currency.toUpperCase()) ? 0 : 2;
}

/** A major-unit amount (string or float from a platform) in the currency's own minor unit. */
export function amountToMinor(value: string | number, currency: string): number {
  return decimalToMinor(value, currencyExponent(currency));
}
