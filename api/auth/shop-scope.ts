import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Db } from '../../db/connect.js';
import { HttpProblem } from '../errors.js';

/**
 * Users limited to shops (店铺权限, docs/access.md): a limited user's lists hold only their shops'
 * rows, and anything of another shop — an order, a shop, its stock sync — answers 404 as if it did
 * not exist (a 403 would confirm that it does). Admins are never limited.
 */

/** The shops the caller may see; null: every shop. */
export function shopScope(request: FastifyRequest): readonly string[] | null {
  const actor = request.actor;
  if (!actor || actor.shops === null || actor.roles.includes('admin')) return null;
  return actor.shops;
}

export function mayShop(scope: readonly string[] | null, shopId: string): boolean {
  return scope === null || scope.includes(shopId);
}

const noShop = (shopId: string, field: string) =>
  new HttpProblem(404, `no shop "${shopId}"`, [{ field, problem: 'no such shop' }]);

/**
 * The shop filter of a list: the shop asked for (404 when it is not the caller's), else the
 * caller's shops (undefined: no limit).
 */
export function scopedShops(
  request: FastifyRequest,
  asked: string | undefined,
  field = 'query.shopId',
): { shopId?: string; shopIds?: readonly string[] } {
  const scope = shopScope(request);
  if (asked !== undefined) {
    if (!mayShop(scope, asked)) throw noShop(asked, field);
    return { shopId: asked };
  }
  return scope === null ? {} : { shopIds: scope };
}

/**
 * Checks, before any handler runs, the shop of what a route names: an order (`/orders/:id…`), an
 * after-sales case (`/after-sales/:id…`), a shop (`/shops/:id…`, `/stock/sync/:shopId/…`) or a body's `shopId` (entering an order, stock
 * sync rules and listings). Lists filter by `scopedShops` in their handlers.
 */
/** Routes that name one thing of a shop by `:id`, the table holding its shop, and its name in a 404. */
const OWNED = [
  { route: '/orders/:id', table: 'orders', noun: 'order' },
  { route: '/after-sales/:id', table: 'after_sale_cases', noun: 'after-sales case' },
] as const;

export function installShopScope(app: FastifyInstance, deps: { db: Db }): void {
  app.addHook('preHandler', async (request) => {
    const scope = shopScope(request);
    if (scope === null) return;
    const url = request.routeOptions.url ?? '';
    const params = (request.params ?? {}) as Record<string, string | undefined>;
    // A route naming one order or case: its shop decides, and another shop's is as if it did not exist.
    for (const owned of OWNED) {
      if (!url.startsWith(owned.route) || !params.id) continue;
      const row = await deps.db
        .selectFrom(owned.table)
        .select('shop_id')
        .where('id', '=', params.id)
        .executeTakeFirst();
      if (!row || !scope.includes(row.shop_id))
        throw new HttpProblem(404, `no ${owned.noun} with id "${params.id}"`);
    }
    if (url.startsWith('/shops/:id') && params.id && !scope.includes(params.id))
      throw noShop(params.id, 'params.id');
    if (params.shopId && !scope.includes(params.shopId)) throw noShop(params.shopId, 'params.shopId');
    const body = request.body as { shopId?: unknown } | undefined;
    if (body && typeof body === 'object' && typeof body.shopId === 'string' && !scope.includes(body.shopId)) {
      throw noShop(body.shopId, 'body.shopId');
    }
  });
}
