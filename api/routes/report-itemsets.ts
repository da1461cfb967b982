import type { FastifyRequest } from 'fastify';
import type { Selectable } from 'kysely';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../db/connect.js';
import { readItemsetRun } from '../../db/queries/reports/itemsets.js';
import type { BasketItemsetRunsTable } from '../../db/tables/reports.js';
import { itemsetBundles, itemsetRules } from '../../domain/reports/fpgrowth.js';
import { requestItemsetRun } from '../../services/reports/itemsets.js';
import { actorOf } from '../auth/plugin.js';
import { shopScope } from '../auth/shop-scope.js';
import type { ApiDeps } from '../deps.js';
import { HttpProblem } from '../errors.js';
import { ItemsetRunList, ItemsetRunRequested, ItemsetRunResponse } from '../responses/report-itemsets.js';
import { READERS, ReportFilterQuery, reportFilter } from './reports.js';

const ItemsetRunBody = ReportFilterQuery.extend({
  /** Fewest orders an itemset must be in: 1 would list every combination of every order. */
  minOrders: z.number().int().min(2).max(1_000_000).default(2),
  maxSize: z.number().int().min(2).max(6).default(4),
});

const ItemsetRunQuery = z.object({
  /** Smallest itemset listed (pairs are exact in GET /reports/basket). */
  minSize: z.coerce.number().int().min(1).max(6).default(3),
  minLift: z.coerce.number().min(0).default(1.5),
  minConfidence: z.coerce.number().min(0).max(1).default(0.1),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

type RunRow = Selectable<BasketItemsetRunsTable>;

function runView(run: RunRow) {
  return {
    runId: run.id,
    status: run.status,
    period: { from: run.params.from, to: run.params.to },
    shopIds: run.params.shopIds,
    platform: run.params.platform,
    minOrders: run.params.minOrders,
    maxSize: run.params.maxSize,
    baskets: run.baskets,
    itemsTotal: run.items_total,
    itemsMined: run.items_mined.length,
    error: run.error,
    requestedBy: run.requested_by,
    startedAt: run.started_at.toISOString(),
    finishedAt: run.finished_at?.toISOString() ?? null,
  };
}

/** A run over shops the caller may not see is, to them, no run at all (docs/access.md). */
function mayRead(request: FastifyRequest, shopIds: readonly string[] | null): boolean {
  const scope = shopScope(request);
  if (scope === null) return true;
  return shopIds !== null && shopIds.every((s) => scope.includes(s));
}

async function listRuns(db: Db, request: FastifyRequest) {
  const runs = await db
    .selectFrom('basket_itemset_runs')
    .selectAll()
    .orderBy('started_at', 'desc')
    .limit(200)
    .execute();
  return runs
    .filter((r) => mayRead(request, r.params.shopIds))
    .slice(0, 50)
    .map(runView);
}

/**
 * Itemsets of three SKUs and more (docs/reports.md): FP-growth as a resumable Temporal activity
 * over a period's baskets, asked for with POST and read, while it mines and after, with GET.
 */
export const reportItemsetRoutes: FastifyPluginAsyncZod<ApiDeps> = async (app, { db, temporal, config }) => {
  app.post(
    '/reports/basket/itemsets',
    {
      config: READERS,
      schema: {
        tags: ['reports'],
        summary:
          'Mine the itemsets of 3+ SKUs bought together in a period (FP-growth, runs in the background)',
        description:
          'Answers 202 with the run to read at GET /reports/basket/itemsets/{runId}. The same filter and thresholds asked again while a run mines them answer that run (created: false).',
        body: ItemsetRunBody,
        response: { 202: ItemsetRunRequested },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const filter = reportFilter(request, body, 'body');
      const requested = await requestItemsetRun(
        { db, client: temporal, config },
        {
          from: filter.period.from,
          to: filter.period.to,
          shopIds: filter.shopIds ? [...filter.shopIds] : null,
          platform: filter.platform ?? null,
          minOrders: body.minOrders,
          maxSize: body.maxSize,
        },
        actorOf(request).name,
      );
      return reply.code(202).send(requested);
    },
  );

  app.get(
    '/reports/basket/itemsets',
    {
      config: READERS,
      schema: {
        tags: ['reports'],
        summary: 'The latest itemset runs (50), newest first, with their progress',
        response: { 200: ItemsetRunList },
      },
    },
    async (request) => ({ runs: await listRuns(db, request) }),
  );

  app.get(
    '/reports/basket/itemsets/:runId',
    {
      config: READERS,
      schema: {
        tags: ['reports'],
        summary:
          'An itemset run: its progress, its itemsets with support, their rules and the bundles they suggest',
        params: z.object({ runId: z.string().min(1).max(100) }),
        querystring: ItemsetRunQuery,
        response: { 200: ItemsetRunResponse },
      },
    },
    async (request) => {
      const found = await readItemsetRun(db, request.params.runId);
      if (!found || !mayRead(request, found.run.params.shopIds)) {
        throw new HttpProblem(404, `no itemset run ${request.params.runId}`, [
          { field: 'params.runId', problem: 'no such run' },
        ]);
      }
      const q = request.query;
      const n = found.run.baskets ?? 0;
      const listed = found.itemsets
        .filter((s) => s.items.length >= q.minSize)
        .sort(
          (a, b) =>
            b.count - a.count ||
            b.items.length - a.items.length ||
            a.items.join().localeCompare(b.items.join()),
        );
      const rules = n > 0 ? itemsetRules(found.itemsets, n, Math.max(q.minSize, 2)) : [];
      return {
        run: runView(found.run),
        itemsets: listed.slice(0, q.limit).map((s) => ({
          skus: s.items,
          orders: s.count,
          support: n > 0 ? Math.round((s.count / n) * 10_000) / 10_000 : 0,
        })),
        rules: rules.slice(0, q.limit),
        bundles: itemsetBundles(rules, q).slice(0, q.limit),
      };
    },
  );
};
