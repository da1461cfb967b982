import { sql } from 'kysely';

/**
 * A buyer's HyperLogLog register and rank (migration 0961) as a lateral subquery over the row
 * `alias` (platform, buyer_id): a 64-bit hash of platform and buyer, its low 12 bits the register
 * (4,096), the rank the position of the first 1 in the next 52 bits (53 when none).
 */
export function BUYER_REGISTER(alias: string) {
  const t = sql.raw(alias);
  const w = sql`((x.h >> 12) & 4503599627370495)`;
  return sql`(
    select (x.h & 4095)::smallint as register,
      (case when ${w} = 0 then 53 else 52 - floor(ln(${w}::float8) / ln(2::float8))::int end)::smallint as rank
    from (select hashtextextended(${t}.platform || ':' || ${t}.buyer_id, 0) as h) x)`;
}
/** The sketches a buyer day adds to: per shop and over all shops (''), by week and month. */
export const BUYER_REGISTER_GRAINS = sql`(values ('week', false), ('month', false), ('week', true), ('month', true))`;
