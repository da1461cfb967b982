import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { scopedShops } from '../auth/shop-scope.js';
import { z } from 'zod';
import { findShop } from '../../db/queries/shops.js';
import { listSyncState, saveListing, saveRule } from '../../db/queries/stock-sync.js';
import { isPlatform } from '../../domain/platforms.js';
import { hasStockApi } from '../../integrations/platforms/stock-registry.js';
import { startStockSync } from '../../services/stock-sync/control.js';
import type { ApiDeps } from '../deps.js';
import { HttpProblem } from '../errors.js';
import { StockListingView, StockSyncResponse } from '../responses/stock-sync.js';

const READ = ['reviewer', 'customer-service', 'warehouse', 'ops', 'admin'] as const;
const MASTER_DATA = ['ops', 'admin'] as const;

const id = z.string().trim().min(1).max(100);
const ListingBody = z.object({
  shopId: id,
  sku: id,
  itemId: id.optional(),
  skuId: id,
  extra: z.record(z.string(), z.string().max(100)).optional(),
});
const RuleBody = z.object({
  shopId: id,
  /** Omitted: the shop's default for every SKU. */
  sku: id.optional(),
  warehouses: z.array(id).max(100).nullable().optional(),
  share: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('ratio'), percent: z.number().int().min(0).max(100) }),
    z.object({ kind: z.literal('fixed'), qty: z.number().int().min(0).max(10_000_000) }),
  ]),
  safetyStock: z.number().int().min(0).max(10_000_000).default(0),
});

type ListingRow = Awaited<ReturnType<typeof listSyncState>>[number];
function listingView(row: ListingRow): z.infer<typeof StockListingView> {
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return {
    shopId: row.shop_id,
    listingKey: row.listing_key,
    sku: row.sku_code,
    itemId: row.item_id,
    skuId: row.sku_id,
    extra: row.extra,
    status: row.status as 'pending' | 'synced' | 'refused',
    computedQty: row.computed_qty,
    lastSentQty: row.last_sent_qty,
    lastSentAt: iso(row.last_sent_at),
    platformQty: row.platform_qty,
    platformReadAt: iso(row.platform_read_at),
    refusal: row.refusal,
    refusedAt: iso(row.refused_at),
    calls: row.calls,
    pending: BigInt(row.dirty_seq) > BigInt(row.synced_seq) && row.status !== 'refused',
  };
}

/**
 * Stock sync (docs/stock-sync.md): what each shop lists and what was last sent to its platform,
 * the shops' share rules, and a reconciliation on demand. Saving a listing or a rule starts the
 * shop's stock sync (or wakes it), so the new quantity goes out at once.
 */
export const stockSyncRoutes: FastifyPluginAsyncZod<ApiDeps> = async (app, { db, temporal, config }) => {
  const wake = (shopId: string, kind: 'wake' | 'reconcile' = 'wake') =>
    startStockSync(temporal, config.TASK_QUEUE_ORDERS, shopId, config, { kind });

  async function stockShop(shopId: string, field: string) {
    const shop = await findShop(db, shopId);
    if (!shop)
      throw new HttpProblem(422, `${field}: no shop "${shopId}"`, [{ field, problem: 'no such shop' }]);
    if (!isPlatform(shop.platform) || !hasStockApi(shop.platform)) {
      const problem = `${shop.platform} shops take no stock uploads yet (see docs/stock-sync.md)`;
      throw new HttpProblem(422, `${field}: ${problem}`, [{ field, problem }]);
    }
    return shop;
  }

  app.get(
    '/stock/sync',
    {
      config: { roles: READ },
      schema: {
        tags: ['stock'],
        summary: 'Per shop and listing: the quantity last sent, when, and what the platform showed',
        querystring: z.object({
          shopId: id.optional(),
          sku: id.optional(),
          status: z.enum(['pending', 'synced', 'refused']).optional(),
          limit: z.coerce.number().int().min(1).max(500).default(100),
          offset: z.coerce.number().int().min(0).default(0),
        }),
        response: { 200: StockSyncResponse },
      },
    },
    async (request) => {
      const q = request.query;
      const rows = await listSyncState(db, {
        limit: q.limit,
        offset: q.offset,
        ...scopedShops(request, q.shopId),
        ...(q.sku ? { sku: q.sku } : {}),
        ...(q.status ? { status: q.status } : {}),
      });
      return { listings: rows.map(listingView) };
    },
  );

  app.put(
    '/stock/listings',
    {
      config: { roles: MASTER_DATA },
      schema: {
        tags: ['stock'],
        summary: 'Lists an internal SKU (or bundle) on a shop; saving again clears a refusal',
        body: ListingBody,
        response: { 200: StockListingView },
      },
    },
    async (request) => {
      const body = request.body;
      await stockShop(body.shopId, 'shopId');
      const sku = await db.selectFrom('skus').select('code').where('code', '=', body.sku).executeTakeFirst();
      if (!sku)
        throw new HttpProblem(422, `sku: no SKU "${body.sku}"`, [{ field: 'sku', problem: 'no such SKU' }]);
      const row = await saveListing(db, {
        shopId: body.shopId,
        skuCode: body.sku,
        skuId: body.skuId,
        ...(body.itemId ? { itemId: body.itemId } : {}),
        ...(body.extra ? { extra: body.extra } : {}),
      });
      await wake(body.shopId);
      return listingView(row);
    },
  );

  app.put(
    '/stock/sync/rules',
    {
      config: { roles: MASTER_DATA },
      schema: {
        tags: ['stock'],
        summary: "Sets a shop's share of the stock (ratio or fixed), safety stock and warehouses",
        body: RuleBody,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const body = request.body;
      await stockShop(body.shopId, 'shopId');
      await saveRule(db, {
        shopId: body.shopId,
        share: body.share,
        safetyStock: body.safetyStock,
        ...(body.sku ? { skuCode: body.sku } : {}),
        ...(body.warehouses !== undefined ? { warehouses: body.warehouses } : {}),
      });
      await wake(body.shopId);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/stock/sync/:shopId/reconcile',
    {
      config: { roles: MASTER_DATA },
      schema: {
        tags: ['stock'],
        summary: 'Reads every listing of the shop back from its platform now and corrects drift',
        params: z.object({ shopId: id }),
        response: { 202: z.object({ workflowId: z.string() }) },
      },
    },
    async (request, reply) => {
      await stockShop(request.params.shopId, 'shopId');
      const workflowId = await wake(request.params.shopId, 'reconcile');
      return reply.code(202).send({ workflowId });
    },
  );
};
