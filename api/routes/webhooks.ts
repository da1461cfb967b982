import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ShopIdSchema } from '../../domain/ids.js';
import { OrderPushSchema } from '../../domain/order.js';
import { isPlatform, PLATFORMS } from '../../domain/platforms.js';
import { findShop } from '../../db/queries/shops.js';
import { submitOrderSnapshot } from '../../workflows/order-start.js';
import { HttpProblem, parseOrThrow } from '../errors.js';
import type { ApiDeps } from '../server.js';

const WebhookParams = z.object({ platform: z.string().max(32), shopId: ShopIdSchema });

const WebhookAccepted = z.object({
  accepted: z.literal(true),
  orderId: z.string(),
  /** `accepted`: the order workflow has it. `closed`: the order already finished; nothing changed. */
  outcome: z.enum(['accepted', 'closed']),
});

export const webhookRoutes: FastifyPluginAsyncZod<ApiDeps> = async (app, { db, temporal, config }) => {
  app.post(
    '/webhooks/:platform/:shopId',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'Receive an order pushed by a sales channel',
        description:
          'Body: the normalized order (JSON Schema at GET /schemas/order-push.json). The order workflow ' +
          '`order:{platform}:{shopId}:{platformOrderId}` is started or handed the snapshot; repeats are harmless.',
        params: WebhookParams,
        response: { 202: WebhookAccepted },
      },
    },
    async (request, reply) => {
      const { platform, shopId } = request.params;
      if (!isPlatform(platform)) {
        throw new HttpProblem(404, `unknown platform "${platform}"; expected one of ${PLATFORMS.join(', ')}`);
      }
      const shop = await findShop(db, shopId);
      if (!shop || shop.platform !== platform) {
        throw new HttpProblem(404, `no ${platform} shop with id "${shopId}"`);
      }
      const push = parseOrThrow(OrderPushSchema, request.body, 'body');
      const result = await submitOrderSnapshot(temporal, config.TASK_QUEUE_ORDERS, {
        ...push,
        platform,
        shopId,
      });
      return reply.code(202).send({ accepted: true, orderId: result.workflowId, outcome: result.outcome });
    },
  );

  app.get(
    '/schemas/order-push.json',
    { schema: { tags: ['webhooks'], summary: 'JSON Schema of the normalized order push body' } },
    async () => z.toJSONSchema(OrderPushSchema, { io: 'input' }),
  );
};
