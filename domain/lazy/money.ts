import { z } from 'zod';
import { builtOnce } from './built-once.js';

/** Money is always an integer number of the currency's minor unit (fen for CNY). */
export const fenSchema = builtOnce(() =>
  z
    .number()
    .int('must be an integer amount in fen')
    .min(0, 'must not be negative')
    .max(Number.MAX_SAFE_INTEGER),
);

export const currencySchema = builtOnce(() =>
  z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as CNY or USD'),
);
