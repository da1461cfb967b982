import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ReturnReceiptSchema } from '../../domain/after-sale-returns.js';
import { takeReturnReceipt } from '../../services/after-sale-returns.js';
import type { ApiDeps } from '../deps.js';
import { HttpProblem } from '../errors.js';
import { actorOf, keyOf, ROLES } from './stock.js';

const ReceiptAnswer = z.object({ caseId: z.string(), duplicate: z.boolean() });

/**
 * Returns receiving (docs/after-sales.md, "Return and refund"): the warehouse scans a return
 * parcel's tracking number or case id, counts each line and says what it found.
 */
export const returnReceiptRoutes: FastifyPluginAsyncZod<ApiDeps> = async (app, deps) => {
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
