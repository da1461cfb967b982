import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listReturnParcels, RETURN_STAGES } from '../../db/queries/returns.js';
import { ReturnReceiptSchema } from '../../domain/after-sale-returns.js';
import { ShopIdSchema } from '../../domain/ids.js';
import { takeReturnReceipt } from '../../services/after-sale-returns.js';
import { scopedShops } from '../auth/shop-scope.js';
import type { ApiDeps } from '../deps.js';
import { HttpProblem } from '../errors.js';
import { actorOf, keyOf, ROLES } from './stock.js';

const ReceiptAnswer = z.object({ caseId: z.string(), duplicate: z.boolean() });

const ReturnParcelSchema = z.object({
  caseId: z.string(),
  orderId: z.string(),
  shopId: z.string(),
  kind: z.string(),
  caseStatus: z.string(),
  status: z.string(),
  carrierCode: z.string().nullable(),
  trackingNo: z.string().nullable(),
  /** Who issued the return waybill: the buyer, or we through `sf` / `cainiao`. */
  source: z.string().nullable(),
  /** Where tracking last saw the parcel (pending, accepted, in_transit, delivered, …). */
  trackingStatus: z.string().nullable(),
  warehouse: z.string().nullable(),
  createdAt: z.date(),
  receivedAt: z.date().nullable(),
  lines: z.array(z.object({ lineId: z.string(), sku: z.string(), title: z.string(), quantity: z.number() })),
  inspected: z.array(
    z.object({
      lineId: z.string(),
      sku: z.string(),
      expected: z.number(),
      restocked: z.number(),
      writtenOff: z.number(),
      held: z.number(),
      notes: z.string().nullable(),
    }),
  ),
});

/**
 * Returns receiving (docs/after-sales.md, "Return and refund"): the warehouse scans a return
 * parcel's tracking number or case id, counts each line and says what it found.
 */
export const returnReceiptRoutes: FastifyPluginAsyncZod<ApiDeps> = async (app, deps) => {
  app.get(
    '/wms/returns',
    {
      config: { roles: ROLES.read },
      schema: {
        tags: ['wms'],
        summary:
          'Return parcels, newest first: the one a scan names (return tracking number or case id), or by status; each with the lines to count and what inspection found',
        querystring: z.object({
          scan: z.string().trim().min(1, 'must not be empty').max(300).optional(),
          /** expected: awaiting or in transit; received: received or inspected. */
          stage: z.enum(['expected', 'received']).optional(),
          shopId: ShopIdSchema.optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
        }),
        response: { 200: z.object({ returns: z.array(ReturnParcelSchema) }) },
      },
    },
    async (request) => {
      const { scan, stage, limit } = request.query;
      const { shopId, shopIds } = scopedShops(request, request.query.shopId);
      const statuses = stage ? RETURN_STAGES[stage] : undefined;
      const returns = await listReturnParcels(deps.db, {
        limit,
        ...(scan !== undefined ? { scan } : {}),
        ...(statuses ? { statuses } : {}),
        ...(shopId ? { shopIds: [shopId] } : shopIds ? { shopIds } : {}),
      });
      return { returns };
    },
  );

  app.post(
    '/wms/returns/receipts',
    {
      config: { roles: ROLES.warehouse },
      schema: {
        tags: ['wms'],
        summary:
          'Receive a return parcel: scan, count and inspect each line (resaleable, damaged, wrong item)',
        body: ReturnReceiptSchema,
        response: { 202: ReceiptAnswer },
      },
    },
    async (request, reply) => {
      const taken = await takeReturnReceipt(
        { db: deps.db, client: deps.temporal },
        {
          receipt: request.body,
          key: keyOf(request, undefined, 'return-receipt'),
          actor: actorOf(request),
        },
      );
      switch (taken.outcome) {
        case 'not_found':
          throw new HttpProblem(404, `no return parcel or case matches "${request.body.scan}"`);
        case 'not_awaited':
          throw new HttpProblem(409, `case ${taken.caseId} takes no return receipt now: ${taken.why}`);
        case 'unknown_warehouse':
          throw new HttpProblem(422, `body.warehouse: unknown warehouse "${request.body.warehouse}"`, [
            { field: 'body.warehouse', problem: `unknown warehouse "${request.body.warehouse}"` },
          ]);
        case 'unknown_lines':
          throw new HttpProblem(
            422,
            `body.lines: case ${taken.caseId} has no line ${taken.lineIds.join(', ')}`,
            [
              {
                field: 'body.lines',
                problem: `names lines the case does not cover: ${taken.lineIds.join(', ')}`,
              },
            ],
          );
        default:
          return reply.code(202).send({ caseId: taken.caseId, duplicate: taken.outcome === 'duplicate' });
      }
    },
  );
};
