import { sql, type Kysely } from 'kysely';

/**
 * Paying buyers of long periods (docs/reports.md): a HyperLogLog sketch of the buyers who paid per
 * week (Monday first) and month × shop × platform, and over all shops (shop and platform ''), one
 * row per register (4,096 registers: the register a buyer hashes to and the highest rank seen
 * there). A period with a whole month in it merges its months' and weeks' registers with its days'
 * buyers (hashed alike) instead of counting every buyer day distinct. Kept by the statement that
 * appends the facts (a buyer's first payment of a day raises its registers); backfilled here.
 * Replaced by exact counts (0963, which drops the table); kept so migrations build the same schema.
 */

/**
 * A buyer's HyperLogLog register and rank as a lateral subquery over the row `alias` (platform,
 * buyer_id): a 64-bit hash of platform and buyer, its low 12 bits the register (4,096), the rank the
 * position of the first 1 in the next 52 bits (53 when none).
 */
function BUYER_REGISTER(alias: string) {
  const t = sql.raw(alias);
  const w = sql`((x.h >> 12) & 4503599627370495)`;
  return sql`(
    select (x.h & 4095)::smallint as register,
      (case when ${w} = 0 then 53 else 52 - floor(ln(${w}::float8) / ln(2::float8))::int end)::smallint as rank
    from (select hashtextextended(${t}.platform || ':' || ${t}.buyer_id, 0) as h) x)`;
}
/** The sketches a buyer day adds to: per shop and over all shops (''), by week and month. */
const BUYER_REGISTER_GRAINS = sql`(values ('week', false), ('month', false), ('week', true), ('month', true))`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table sales_buyer_registers (
      grain text not null check (grain in ('week', 'month')),
      starts date not null,
      shop_id text not null,
      platform text not null,
      register smallint not null,
      rank smallint not null,
      primary key (grain, starts, shop_id, platform, register) include (rank)
    )`.execute(db);
  await backfillBuyerRegisters(db);
}

/** Fills the registers from the buyer days. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function backfillBuyerRegisters(db: Kysely<any>): Promise<void> {
  await sql`
    insert into sales_buyer_registers (grain, starts, shop_id, platform, register, rank)
    select g.grain, date_trunc(g.grain, b.day::timestamp)::date, case when g.all_shops then '' else b.shop_id end,
      case when g.all_shops then '' else b.platform end, r.register, max(r.rank)
    from sales_buyer_days b cross join lateral ${BUYER_REGISTER('b')} as r
    cross join ${BUYER_REGISTER_GRAINS} as g(grain, all_shops)
    group by 1, 2, 3, 4, 5`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table sales_buyer_registers`.execute(db);
}
