import { sql, type Kysely } from 'kysely';

/**
 * Sales facts and their daily rollup (docs/reports.md).
 *
 * `sales_facts` is append-only: one row per thing that happened to an order's money or goods, written
 * in the transaction that writes the timeline event it comes from (placed, paid, refunded,
 * cancelled, shipped, delivered). `fact_key` makes a retried write a no-op. Money is CNY fen (orders
 * are converted at intake; the rate it used is kept), the day is the China calendar day.
 *
 * `sales_daily` is the rollup by day × shop × platform × SKU (sku_code '' holds the order-level
 * figures: orders, postage and adjustments), incremented by the same statement that appends facts.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table sales_facts (
      id bigserial primary key,
      fact_key text not null unique,
      kind text not null check (kind in ('placed', 'paid', 'refund', 'cancelled', 'shipped', 'delivered')),
      order_id text not null,
      line_id text,
      platform text not null,
      shop_id text not null,
      buyer_id text not null,
      sku_code text not null default '',
      quantity integer not null default 0,
      amount_fen bigint not null default 0,
      currency text not null default 'CNY',
      fx_rate numeric,
      source text not null,
      at timestamptz not null,
      day date not null,
      recorded_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index sales_facts_order on sales_facts (order_id, kind)`.execute(db);
  // Paying buyers and baskets read the paid facts of a period without touching the rest.
  await sql`create index sales_facts_paid_orders on sales_facts (day, shop_id, platform, buyer_id)
    where kind = 'paid' and sku_code = ''`.execute(db);
  await sql`create index sales_facts_paid_lines on sales_facts (day, shop_id, order_id, sku_code)
    where kind = 'paid' and sku_code <> ''`.execute(db);
  await sql`
    create function sales_facts_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'sales_facts is append-only: a correction is a new fact';
    end $$`.execute(db);
  await sql`
    create trigger sales_facts_append_only before update or delete on sales_facts
    for each row execute function sales_facts_append_only()`.execute(db);

  await sql`
    create table sales_daily (
      day date not null,
      shop_id text not null,
      platform text not null,
      sku_code text not null,
      placed_orders integer not null default 0,
      gmv_fen bigint not null default 0,
      paid_orders integer not null default 0,
      paid_fen bigint not null default 0,
      units integer not null default 0,
      refund_fen bigint not null default 0,
      refunded_units integer not null default 0,
      cancelled_orders integer not null default 0,
      shipped_orders integer not null default 0,
      delivered_orders integer not null default 0,
      primary key (day, shop_id, platform, sku_code)
    )`.execute(db);

  // Visitors per shop and day, uploaded (CSV) or read from a platform that offers them.
  await sql`
    create table shop_traffic_daily (
      shop_id text not null,
      day date not null,
      visitors integer not null check (visitors >= 0),
      page_views integer check (page_views >= 0),
      source text not null,
      updated_at timestamptz not null default now(),
      primary key (shop_id, day)
    )`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table shop_traffic_daily`.execute(db);
  await sql`drop table sales_daily`.execute(db);
  await sql`drop table sales_facts`.execute(db);
  await sql`drop function sales_facts_append_only`.execute(db);
}
