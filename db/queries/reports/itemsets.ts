import { sql } from 'kysely';
import type { Itemset } from '../../../domain/reports/fpgrowth.js';
import type { Db } from '../../connect.js';
import type { ItemsetRunParams } from '../../tables/reports.js';
import { MAX_BASKET_SKUS } from './basket.js';
import { salesWhere } from './sales.js';

export type { ItemsetRunParams };

/** The same filter and thresholds always give the same key (shops sorted). */
export function itemsetParamsKey(p: ItemsetRunParams): string {
  return JSON.stringify([
    p.from,
    p.to,
    p.shopIds ? [...p.shopIds].sort() : null,
    p.platform,
    p.minOrders,
    p.maxSize,
  ]);
}

/**
 * Opens a run, or returns the one already running for the same filter and thresholds (a second
 * request while the first mines is the same question).
 */
export async function openItemsetRun(
  db: Db,
  input: { id: string; params: ItemsetRunParams; requestedBy: string },
): Promise<{ id: string; created: boolean }> {
  const paramsKey = itemsetParamsKey(input.params);
  const inserted = await sql<{ id: string }>`
    insert into basket_itemset_runs (id, params_key, params, status, requested_by)
    values (${input.id}, ${paramsKey}, ${JSON.stringify(input.params)}, 'running', ${input.requestedBy})
    on conflict (params_key) where status = 'running' do nothing
    returning id`.execute(db);
  if (inserted.rows[0]) return { id: inserted.rows[0].id, created: true };
  const running = await db
    .selectFrom('basket_itemset_runs')
    .select('id')
    .where('params_key', '=', paramsKey)
    .where('status', '=', 'running')
    .executeTakeFirst();
  // The running one finished between the two statements: open a fresh run.
  return running ? { id: running.id, created: false } : openItemsetRun(db, input);
}

/** Each paid order's distinct SKUs in the period (wholesale ones left out, as the pair counts do). */
export async function periodBaskets(db: Db, p: ItemsetRunParams): Promise<string[][]> {
  const filter = {
    period: { from: p.from, to: p.to },
    shopIds: p.shopIds ?? undefined,
    platform: p.platform ?? undefined,
  };
  const rows = await sql<{ skus: string[] }>`
    select array_agg(distinct s.sku_code order by s.sku_code) as skus from sales_facts s
    where s.kind = 'paid' and s.sku_code <> '' and ${salesWhere(filter, 's')}
    group by s.order_id
    having count(distinct s.sku_code) <= ${MAX_BASKET_SKUS}`.execute(db);
  return rows.rows.map((r) => r.skus);
}

export async function itemsetRunToMine(db: Db, runId: string) {
  return db
    .selectFrom('basket_itemset_runs')
    .select(['id', 'status', 'params', 'items_mined'])
    .where('id', '=', runId)
    .executeTakeFirst();
}

export async function recordItemsetTotals(db: Db, runId: string, baskets: number, itemsTotal: number) {
  await db
    .updateTable('basket_itemset_runs')
    .set({ baskets, items_total: itemsTotal })
    .where('id', '=', runId)
    .execute();
}

/**
 * One header item mined: its itemsets and the item marked done, together. A retry that mined the
 * item again writes nothing new.
 */
export async function recordItemMined(db: Db, runId: string, item: string, itemsets: readonly Itemset[]) {
  await db.transaction().execute(async (tx) => {
    if (itemsets.length > 0) {
      await tx
        .insertInto('basket_itemsets')
        .values(itemsets.map((s) => ({ run_id: runId, items: s.items, orders: s.count })))
        .onConflict((oc) => oc.columns(['run_id', 'items']).doNothing())
        .execute();
    }
    await sql`
      update basket_itemset_runs set items_mined = array_append(items_mined, ${item})
      where id = ${runId} and not (${item} = any(items_mined))`.execute(tx);
  });
}

export async function finishItemsetRun(db: Db, runId: string, outcome: { error?: string } = {}) {
  await db
    .updateTable('basket_itemset_runs')
    .set({ status: outcome.error ? 'failed' : 'done', error: outcome.error ?? null, finished_at: new Date() })
    .where('id', '=', runId)
    .where('status', '=', 'running')
    .execute();
}

export async function readItemsetRun(db: Db, runId: string) {
  const run = await db
    .selectFrom('basket_itemset_runs')
    .selectAll()
    .where('id', '=', runId)
    .executeTakeFirst();
  if (!run) return undefined;
  const itemsets = await db
    .selectFrom('basket_itemsets')
    .select(['items', 'orders'])
    .where('run_id', '=', runId)
    .execute();
  return { run, itemsets: itemsets.map((s) => ({ items: s.items, count: s.orders })) };
}
