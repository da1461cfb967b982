import { z } from 'zod';
import type { Rate } from './profile.js';
import { priceFor } from './quote.js';
import { findProvince } from './regions.js';

/**
 * A waybill account's rate table (运费模板): what the account's branch charges by destination
 * province — first weight and its price, then each additional unit and its price — as the seller's
 * contract with the branch says. One row per province; a `*` row prices every province without its
 * own row. A province the table does not price (and no `*` row) is a parcel the account has no
 * price for: selection does not fall back to the registry's list prices for it.
 */

const grams = z.number().int('must be whole grams').positive('must be positive').max(100_000);
const fen = z.number().int('must be whole fen').min(0, 'must not be negative').max(1_000_000);

export const RateTableRowInputSchema = z
  .object({
    /** A province as written (浙江省, 浙江, 33) or `*` for every province without a row. */
    province: z.string().trim().min(1, 'must not be empty').max(20),
    firstWeightG: grams,
    firstFen: fen,
    additionalUnitG: grams,
    additionalFen: fen,
  })
  .strict();

export const MAX_RATE_TABLE_ROWS = 40;

export const RateTableInputSchema = z
  .object({
    rows: z.array(RateTableRowInputSchema).min(1, 'needs at least one row').max(MAX_RATE_TABLE_ROWS),
  })
  .strict()
  .superRefine((input, ctx) => {
    const seen = new Map<string, number>();
    input.rows.forEach((row, i) => {
      const code = row.province === '*' ? '*' : findProvince(row.province)?.code;
      if (!code) {
        ctx.addIssue({
          code: 'custom',
          path: ['rows', i, 'province'],
          message: `${row.province} is not a province of mainland China (or * for every other)`,
        });
        return;
      }
      const before = seen.get(code);
      if (before !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['rows', i, 'province'],
          message: `${row.province} is priced twice (rows ${before} and ${i})`,
        });
      }
      seen.set(code, i);
    });
  });
export type RateTableInput = z.input<typeof RateTableInputSchema>;

/** A stored row: the province resolved to its code (`*`: every other province). */
export interface RateTableRow extends Rate {
  provinceCode: string;
  province: string;
}

/** The stored rows of a validated input, provinces resolved and named as officially written. */
export function rateTableRows(input: z.infer<typeof RateTableInputSchema>): RateTableRow[] {
  return input.rows.map((row) => {
    const province = row.province === '*' ? undefined : findProvince(row.province);
    return {
      provinceCode: province?.code ?? '*',
      province: province?.name ?? '*',
      firstWeightG: row.firstWeightG,
      firstFen: row.firstFen,
      additionalUnitG: row.additionalUnitG,
      additionalFen: row.additionalFen,
    };
  });
}

/** The table's rate for a destination province: its own row, else the `*` row, else none. */
export function tableRate(rows: readonly RateTableRow[], destinationProvince: string): Rate | undefined {
  const code = findProvince(destinationProvince)?.code;
  return (
    (code ? rows.find((r) => r.provinceCode === code) : undefined) ?? rows.find((r) => r.provinceCode === '*')
  );
}

/** What one account charges for `chargeableG` to the province, or undefined when its table has no row. */
export function tableCostFen(
  rows: readonly RateTableRow[],
  destinationProvince: string,
  chargeableG: number,
): number | undefined {
  const rate = tableRate(rows, destinationProvince);
  return rate ? priceFor(rate, chargeableG) : undefined;
}

/** How a table row reads in a reason: `首重1kg ¥5.00，续重每1kg ¥1.00`. */
export function rateText(rate: Rate): string {
  const kg = (g: number) => `${Number((g / 1000).toFixed(3))}kg`;
  const yuan = (f: number) => `¥${(f / 100).toFixed(2)}`;
  return `首重${kg(rate.firstWeightG)} ${yuan(rate.firstFen)}，续重每${kg(rate.additionalUnitG)} ${yuan(rate.additionalFen)}`;
}
