import { z } from 'zod';
import type { Rate } from './profile.js';
import { priceFor } from './quote.js';
import { PROVINCES } from '../regions/division.js';
import { findProvince, normalizeCityName } from './regions.js';

/**
 * A waybill account's rate table (运费模板): what the account's branch charges by destination
 * province — first weight and its price, then each additional unit and its price — as the seller's
 * contract with the branch says. One row per province; a `*` row prices every province without its
 * own row. A province the table does not price (and no `*` row) is a parcel the account has no
 * price for: selection does not fall back to the registry's list prices for it.
 *
 * What a branch's quote may add, each optional per row: the origin province the row is for (a
 * shop-wide account shipping from warehouses in several provinces; blank: any origin), a city of
 * the destination province priced apart from the rest of it (深圳 apart from 广东), and a surcharge
 * per parcel (偏远附加费) on top of the row's price. The most specific row wins: city before
 * province before `*`, and at each of these a row naming the parcel's origin before one naming none.
 */

const MAX_BANDS = 20;

const grams = z.number().int('must be whole grams').positive('must be positive').max(100_000);
const fen = z.number().int('must be whole fen').min(0, 'must not be negative').max(1_000_000);

export const RateTableRowInputSchema = z
  .object({
    /** A province as written (浙江省, 浙江, 33) or `*` for every province without a row. */
    province: z.string().trim().min(1, 'must not be empty').max(20),
    /** A city of that province priced apart from the rest of it (深圳, 深圳市). */
    city: z.string().trim().min(1, 'must not be empty').max(20).optional(),
    /** The province the parcel leaves from (the warehouse's) this row is for; absent: any. */
    origin: z.string().trim().min(1, 'must not be empty').max(20).optional(),
    /** Absent when `bands` give the first weights. */
    firstWeightG: grams.optional(),
    firstFen: fen.optional(),
    /** Weight bands, upper bounds ascending: a parcel up to `upToG` pays `fen`. */
    bands: z
      .array(z.object({ upToG: grams, fen }).strict())
      .min(1, 'needs at least one band')
      .max(MAX_BANDS)
      .optional(),
    /** Beyond the last band (or the first weight): each started unit and its price. */
    additionalUnitG: grams,
    additionalFen: fen,
    /** Added per parcel on top of the row's price (偏远附加费). */
    surchargeFen: fen.optional(),
  })
  .strict();

export const MAX_RATE_TABLE_ROWS = 500;

export const RateTableInputSchema = z
  .object({
    rows: z.array(RateTableRowInputSchema).min(1, 'needs at least one row').max(MAX_RATE_TABLE_ROWS),
  })
  .strict()
  .superRefine((input, ctx) => {
    const seen = new Map<string, number>();
    input.rows.forEach((row, i) => {
      if (row.bands) {
        const out = row.bands.findIndex((b, j) => j > 0 && b.upToG <= row.bands![j - 1]!.upToG);
        if (out > 0)
          ctx.addIssue({
            code: 'custom',
            path: ['rows', i, 'bands', out, 'upToG'],
            message: `bands must rise: ${row.bands[out]!.upToG} g is not above ${row.bands[out - 1]!.upToG} g`,
          });
      } else
        for (const key of ['firstWeightG', 'firstFen'] as const)
          if (row[key] === undefined)
            ctx.addIssue({ code: 'custom', path: ['rows', i, key], message: 'is required without bands' });
      const code = row.province === '*' ? '*' : findProvince(row.province)?.code;
      if (!code) {
        ctx.addIssue({
          code: 'custom',
          path: ['rows', i, 'province'],
          message: `${row.province} is not a province of mainland China (or * for every other)`,
        });
        return;
      }
      const origin = row.origin === undefined ? '' : findProvince(row.origin)?.code;
      if (origin === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['rows', i, 'origin'],
          message: `${row.origin} is not a province of mainland China`,
        });
        return;
      }
      let city = '';
      if (row.city !== undefined) {
        const found = code === '*' ? undefined : cityOf(code, row.city);
        if (!found) {
          ctx.addIssue({
            code: 'custom',
            path: ['rows', i, 'city'],
            message:
              code === '*'
                ? `a city needs its province (the row's province is *)`
                : `${row.city} is not a city of ${findProvince(row.province)!.name}`,
          });
          return;
        }
        city = found;
      }
      const key = `${origin}|${code}|${city}`;
      const before = seen.get(key);
      if (before !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['rows', i, city ? 'city' : 'province'],
          message: `${city || row.province}${origin ? ` from ${row.origin}` : ''} is priced twice (rows ${before} and ${i})`,
        });
      }
      seen.set(key, i);
    });
  });

/** The official name of a city of the province (`33`, `杭州` → 杭州市), or undefined. */
function cityOf(provinceCode: string, city: string): string | undefined {
  const province = PROVINCES.find((p) => p.code.slice(0, 2) === provinceCode);
  const want = normalizeCityName(city);
  return province?.cities.find((c) => normalizeCityName(c.name) === want)?.name;
}

export type RateTableInput = z.input<typeof RateTableInputSchema>;

/** A stored row: the province resolved to its code (`*`: every other province). */
export interface RateTableRow extends Rate {
  provinceCode: string;
  province: string;
  /** The city of the province this row prices apart (official name), if any. */
  city?: string;
  /** The origin province this row is for, if any. */
  originProvinceCode?: string;
  originProvince?: string;
  /** Added per parcel (偏远附加费). */
  surchargeFen?: number;
}

/** The stored rows of a validated input, provinces resolved and named as officially written. */
export function rateTableRows(input: z.infer<typeof RateTableInputSchema>): RateTableRow[] {
  return input.rows.map((row) => {
    const province = row.province === '*' ? undefined : findProvince(row.province);
    const origin = row.origin === undefined ? undefined : findProvince(row.origin);
    const city = province && row.city !== undefined ? cityOf(province.code, row.city) : undefined;
    return {
      provinceCode: province?.code ?? '*',
      province: province?.name ?? '*',
      ...(city ? { city } : {}),
      ...(origin ? { originProvinceCode: origin.code, originProvince: origin.name } : {}),
      firstWeightG: row.bands ? row.bands[0]!.upToG : row.firstWeightG!,
      firstFen: row.bands ? row.bands[0]!.fen : row.firstFen!,
      additionalUnitG: row.additionalUnitG,
      additionalFen: row.additionalFen,
      ...(row.bands ? { bands: row.bands.map((b) => ({ upToG: b.upToG, fen: b.fen })) } : {}),
      ...(row.surchargeFen ? { surchargeFen: row.surchargeFen } : {}),
    };
  });
}

/** Where a parcel goes and, when known, the province it leaves from. */
export interface RateRoute {
  province: string;
  city?: string | undefined;
  origin?: string | undefined;
}

/**
 * The table's row for a parcel: the destination city's row, else its province's, else `*`; at each
 * step a row for the parcel's origin province before one for any origin. Rows for another origin
 * never apply.
 */
export function tableRate(rows: readonly RateTableRow[], route: RateRoute): RateTableRow | undefined {
  const code = findProvince(route.province)?.code;
  const origin = route.origin ? findProvince(route.origin)?.code : undefined;
  const city = route.city ? normalizeCityName(route.city) : undefined;
  const applies = rows.filter((r) => r.originProvinceCode === undefined || r.originProvinceCode === origin);
  const score = (r: RateTableRow) => {
    const place =
      r.provinceCode === '*'
        ? 0
        : r.provinceCode !== code
          ? -1
          : r.city === undefined
            ? 1
            : city !== undefined && normalizeCityName(r.city) === city
              ? 2
              : -1;
    return place < 0 ? -1 : place * 2 + Number(r.originProvinceCode !== undefined);
  };
  let best: RateTableRow | undefined;
  for (const row of applies) if (score(row) >= 0 && (!best || score(row) > score(best))) best = row;
  return best;
}

/** What one account charges for `chargeableG` on the route (surcharge included), or undefined when no row applies. */
export function tableCostFen(
  rows: readonly RateTableRow[],
  route: RateRoute,
  chargeableG: number,
): number | undefined {
  const rate = tableRate(rows, route);
  return rate ? priceFor(rate, chargeableG) + (rate.surchargeFen ?? 0) : undefined;
}

/** How a table row reads in a reason: `首重1kg ¥5.00，续重每1kg ¥1.00` (`，偏远附加费 ¥3.00`). */
export function rateText(rate: Rate & { surchargeFen?: number }): string {
  const kg = (g: number) => `${Number((g / 1000).toFixed(3))}kg`;
  const yuan = (f: number) => `¥${(f / 100).toFixed(2)}`;
  const surcharge = rate.surchargeFen ? `，偏远附加费 ${yuan(rate.surchargeFen)}` : '';
  if (rate.bands?.length) {
    const bands = rate.bands.map(
      (b, i) =>
        `${i === 0 ? '0' : kg(rate.bands![i - 1]!.upToG).replace('kg', '')}–${kg(b.upToG)} ${yuan(b.fen)}`,
    );
    return `${bands.join('，')}，续重每${kg(rate.additionalUnitG)} ${yuan(rate.additionalFen)}${surcharge}`;
  }
  return `首重${kg(rate.firstWeightG)} ${yuan(rate.firstFen)}，续重每${kg(rate.additionalUnitG)} ${yuan(rate.additionalFen)}${surcharge}`;
}
