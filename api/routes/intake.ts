import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { dataKeyring } from '../../db/crypto/data-keys.js';
import { z } from 'zod';
import { createIntakeService } from '../../services/capture/intake-service.js';
import { listExchangeRates, recordExchangeRate } from '../../db/queries/fx.js';
import { findShop } from '../../db/queries/shops.js';
import { ShopIdSchema, orderWorkflowId } from '../../domain/ids.js';
import { orderOrigin } from '../../services/order-start.js';
import { CurrencySchema } from '../../domain/money.js';
import { OrderPushSchema } from '../../domain/order.js';
import { PLATFORMS, PlatformSchema } from '../../domain/platforms.js';
import { actorOf } from '../auth/plugin.js';
import { HttpProblem, parseOrThrow } from '../errors.js';
import type { ApiDeps } from '../deps.js';

const IntakeBody = z.object({
  platform: z.enum(PLATFORMS, { message: `must be one of ${PLATFORMS.join(', ')}` }),
  shopId: ShopIdSchema,
  order: OrderPushSchema,
});

const IntakeAccepted = z.object({
  accepted: z.literal(true),
  orderId: z.string(),
  /**
   * `accepted`: the order workflow has it. `revived`: the ERP's own payment timer had ended the
   * order and it now starts again from payment. `closed`: the order already finished; a payment
   * for an order that ended without shipping raises a `paid_after_close` alert.
   */
  outcome: z.enum(['accepted', 'closed', 'revived']),
});

const RateBody = z
  .object({
    currency: CurrencySchema.refine((c) => c !== 'CNY', 'must not be CNY: rates are to CNY'),
    /** CNY per one unit of `currency`, as an exact decimal string. */
    rate: z
      .string()
      .regex(/^\d{1,14}(\.\d{1,10})?$/, 'must be a decimal string such as "7.1234" (up to 10 decimals)')
      .refine((r) => Number(r) > 0, 'must be greater than 0'),
    /** When the rate takes effect; orders paid (or placed) from then on use it. Default: now. */
    validFrom: z.iso
      .datetime({ offset: true, message: 'must be an ISO 8601 date-time with offset' })
      .optional(),
    source: z.string().trim().min(1).max(100).default('manual'),
  })
  .strict();

/**
 * Orders entered by hand (手工单) or relayed by a seller's own integration, in our normalized
 * format, and the exchange rates cross-border intake converts with. Manual orders take the same
 * intake as pushed and polled ones (currency, country codes, remark instructions), so a repeat is
 * as harmless here; a currency without a rate is refused (422) rather than guessed.
 */
export const intakeRoutes: FastifyPluginAsyncZod<ApiDeps> = async (app, { db, temporal, config }) => {
  const intake = createIntakeService({
    db,
    client: temporal,
    taskQueue: config.TASK_QUEUE_ORDERS,
    ring: dataKeyring(config),
  });

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
          '`order:{platform}:{shopId}:{platformOrderId}`; repeats are harmless. An order its platform ' +
          'sent (polled, pushed) is refused with 409: only a reviewer edits it. The caller is the ' +
          "actor of the order's `captured` event. Foreign currencies " +
          'are converted to CNY at the recorded rate; with no rate the order is refused (422).',
        response: { 202: IntakeAccepted },
      },
    },
    async (request, reply) => {
      const body = parseOrThrow(IntakeBody, request.body, 'body');
      const shop = await findShop(db, body.shopId);
      if (!shop || shop.platform !== body.platform) {
        throw new HttpProblem(404, `no ${body.platform} shop with id "${body.shopId}"`);
      }
      const actor = actorOf(request).name;
      const workflowId = orderWorkflowId(body.platform, body.shopId, body.order.platformOrderId);
      // A platform's order is the platform's: only a reviewer's audited edit changes it here.
      const origin = await orderOrigin(temporal, workflowId);
      if (origin.exists && origin.enteredBy === null) {
        throw new HttpProblem(
          409,
          `order ${workflowId} came from the platform and cannot be replaced by hand; a reviewer edits it with POST /orders/:id/review`,
          [{ field: 'body.order.platformOrderId', problem: 'is an order the platform sent' }],
        );
      }
      const result = await intake.take(
        { ...body.order, platform: PlatformSchema.parse(shop.platform), shopId: body.shopId },
        { onMissingRate: 'refuse', enteredBy: actor },
      );
      if (result.outcome === 'refused' || result.outcome === 'parked') {
        throw new HttpProblem(422, result.message, [
          { field: 'body.order.currency', problem: result.message },
        ]);
      }
      return reply.code(202).send({ accepted: true, orderId: result.workflowId, outcome: result.outcome });
    },
  );

  app.get(
    '/exchange-rates',
    {
      config: { roles: ['finance', 'ops'] },
      schema: {
        tags: ['orders'],
        summary: 'Recorded exchange rates to CNY, newest first per currency',
        querystring: z.object({ currency: CurrencySchema.optional() }),
      },
    },
    async (request) => ({ rates: await listExchangeRates(db, request.query) }),
  );

  app.post(
    '/exchange-rates',
    {
      config: { roles: ['finance'] },
      schema: {
        tags: ['orders'],
        summary: 'Record a rate to CNY; orders parked for want of it are taken in',
        body: RateBody,
      },
    },
    async (request, reply) => {
      const body = request.body;
      const rate = await recordExchangeRate(db, {
        currency: body.currency,
        rate: body.rate,
        validFrom: body.validFrom ?? new Date().toISOString(),
        source: body.source,
        createdBy: actorOf(request).name,
      });
      const released = await intake.releaseParked({ currency: body.currency });
      return reply.code(201).send({ rate, released });
    },
  );
};
