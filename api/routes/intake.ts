import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { findShop } from '../../db/queries/shops.js';
import { ShopIdSchema } from '../../domain/ids.js';
import { OrderPushSchema } from '../../domain/order.js';
import { PLATFORMS, PlatformSchema } from '../../domain/platforms.js';
import { submitOrderSnapshot } from '../../workflows/order-start.js';
import { HttpProblem, parseOrThrow } from '../errors.js';
import type { ApiDeps } from '../server.js';

const IntakeBody = z.object({
  platform: z.enum(PLATFORMS, { message: `must be one of ${PLATFORMS.join(', ')}` }),
  shopId: ShopIdSchema,
  order: OrderPushSchema,
});

const IntakeAccepted = z.object({
  accepted: z.literal(true),
  orderId: z.string(),
  /** `accepted`: the order workflow has it. `closed`: the order already finished; nothing changed. */
  outcome: z.enum(['accepted', 'closed']),
});

/**
 * Orders entered by hand (手工单) or relayed by a seller's own integration, in our normalized
 * format. They take the same path as pushed and polled orders, so a repeat is as harmless here.
 */
export const intakeRoutes: FastifyPluginAsyncZod<ApiDeps> = async (app, { db, temporal, config }) => {
  app.post(
    '/orders',
    {
      config: { roles: ['ops', 'customer-service'] },
      schema: {
        tags: ['orders'],
        summary: 'Enter an order by hand or relay one from an integration',
        description:
          'Body: `{platform, shopId, order}` where `order` is the normalized order (JSON Schema at ' +
          'GET /schemas/order-push.json). Starts or updates the workflow ' +
          '`order:{platform}:{shopId}:{platformOrderId}`; repeats are harmless.',
        response: { 202: IntakeAccepted },
      },
    },
    async (request, reply) => {
      const body = parseOrThrow(IntakeBody, request.body, 'body');
      const shop = await findShop(db, body.shopId);
      if (!shop || shop.platform !== body.platform) {
        throw new HttpProblem(404, `no ${body.platform} shop with id "${body.shopId}"`);
      }
      const platform = PlatformSchema.parse(shop.platform);
      const result = await submitOrderSnapshot(temporal, config.TASK_QUEUE_ORDERS, {
        ...body.order,
        platform,
        shopId: body.shopId,
      });
      return reply.code(202).send({ accepted: true, orderId: result.workflowId, outcome: result.outcome });
    },
  );
};
