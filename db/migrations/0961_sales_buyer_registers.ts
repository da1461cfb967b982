import { sql, type Kysely } from 'kysely';
import { BUYER_REGISTER, BUYER_REGISTER_GRAINS } from '../queries/buyer-registers.js';

/**
 * Paying buyers of long periods (docs/reports.md): a HyperLogLog sketch of the buyers who paid per
 * week (Monday first) and month × shop × platform, and over all shops (shop and platform ''), one
 * row per register (4,096 registers: the register a buyer hashes to and the highest rank seen
 * there). A period with a whole month in it merges its months' and weeks' registers with its days'
 * buyers (hashed alike) instead of counting every buyer day distinct. Kept by the statement that
 * appends the facts (a buyer's first payment of a day raises its registers); backfilled here.
 */
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

/** Fills the registers from the buyer days, of the days given or all (also used by the benchmark's generator). */
export async function backfillBuyerRegisters(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  db: Kysely<any>,
  days?: { from: string; to: string },
): Promise<void> {
  await sql`
    insert into sales_buyer_registers (grain, starts, shop_id, platform, register, rank)
    select g.grain, date_trunc(g.grain, b.day::timestamp)::date, case when g.all_shops then '' else b.shop_id end,
      case when g.all_shops then '' else b.platform end, r.register, max(r.rank)
    from sales_buyer_days b cross join lateral ${BUYER_REGISTER('b')} as r
    cross join ${BUYER_REGISTER_GRAINS} as g(grain, all_shops)
    ${days ? sql`where b.day between ${days.from}::date and ${days.to}::date` : sql``}
    group by 1, 2, 3, 4, 5`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table sales_buyer_registers`.execute(db);
}
