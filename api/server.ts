import fastifySensible from '@fastify/sensible';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Logger } from '../config/logger.js';
import { installAuth } from './auth/plugin.js';
import { installShopScope } from './auth/shop-scope.js';
import type { ApiDeps } from './deps.js';
import { createCarrierServices, type CarrierServices } from '../integrations/carriers/services.js';
import { HttpProblem, installErrorHandler } from './errors.js';
import { refuseNulCharacters } from './nul-characters.js';
import { createFulfilmentEventHandlers } from '../services/fulfilment-events.js';
import { afterSaleRuleRoutes } from './routes/after-sale-rules.js';
import { afterSaleRoutes } from './routes/after-sales.js';
import { afterSaleWebhookRoutes } from './routes/after-sale-webhooks.js';
import { alertRoutes } from './routes/alerts.js';
import { auditRuleRoutes } from './routes/audit-rules.js';
import { authRoutes } from './routes/auth.js';
import { healthRoutes } from './routes/health.js';
import { installApiMetrics, metricsRoutes } from './metrics.js';
import { intakeRoutes } from './routes/intake.js';
import { catalogRoutes } from './routes/catalog.js';
import { codecRoutes, installCodecCors } from './routes/codec.js';
import { orderRoutes } from './routes/orders.js';
import { reportItemsetRoutes } from './routes/report-itemsets.js';
import { reportRoutes } from './routes/reports.js';
import { reviewRoutes } from './routes/reviews.js';
import { shipmentRoutes } from './routes/shipments.js';
import { routingRuleRoutes } from './routes/routing-rules.js';
import { shopRoutes } from './routes/shops.js';
import { stockRoutes } from './routes/stock.js';
import { stockSyncRoutes } from './routes/stock-sync.js';
import { webhookRoutes } from './routes/webhooks.js';
import { returnReceiptRoutes } from './routes/return-receipts.js';
import { wmsRoutes } from './routes/wms.js';
import { waybillAccountRoutes } from './routes/waybill-accounts.js';
import { translationAccountRoutes } from './routes/translation-accounts.js';
import { serveUi } from './ui-static.js';

export interface BuildServerOptions extends ApiDeps {
  logger?: Logger | false;
  /** Carrier services, for verifying tracking pushes (`createCarrierServices(config)` by default). */
  carriers?: CarrierServices;
  /**
   * Where the Temporal SDK of a worker in this process serves its metrics, appended to /metrics
   * (the dev stack's in-process worker); a standalone API runs no worker.
   */
  temporalMetricsUrl?: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The exact bytes received: platform signatures are computed over these, not over re-serialized JSON. */
    rawBody?: Buffer;
  }
}

/** Builds the API without listening, so tests can `inject` and entry points can `listen`. */
export async function buildServer(options: BuildServerOptions): Promise<FastifyInstance> {
  const { logger, carriers, temporalMetricsUrl, ...deps } = options;
  const fulfilmentEvents = createFulfilmentEventHandlers(deps);
  const app = Fastify({
    ...(logger ? { loggerInstance: logger as FastifyBaseLogger } : { logger: false }),
    bodyLimit: deps.config.API_BODY_LIMIT,
    requestIdHeader: 'x-request-id',
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandler(app);
  refuseNulCharacters(app);
  const metrics = installApiMetrics(app, deps.db, temporalMetricsUrl ? 'dev' : 'api');
  installBodyParsers(app);
  installCodecCors(app, deps.config);
  // Before any route: every route's access declaration is checked (and recorded) as it registers.
  installAuth(app, deps);
  installShopScope(app, deps);

  await app.register(fastifySensible);
  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'Order ERP API',
        description:
          'Order capture webhooks, order queries and human decisions for the order-management ERP.',
        version: '0.1.0',
      },
      tags: [
        { name: 'webhooks', description: 'Orders pushed by sales channels' },
        { name: 'orders', description: 'Orders and their timelines' },
        { name: 'review', description: 'Held orders and reviewers’ decisions' },
        { name: 'customer service', description: 'Locks, flags and memos' },
        { name: 'shipments', description: 'Parcels, labels, handover and tracking' },
        { name: 'shops', description: 'Shops, their credentials and order sync' },
        { name: 'ops', description: 'Operations' },
      ],
    },
    transform: jsonSchemaTransform,
    // Named schemas (the recursive rule condition) become components the paths refer to.
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });

  await app.register(healthRoutes, deps);
  await app.register(metricsRoutes, {
    ...deps,
    metrics,
    ...(temporalMetricsUrl ? { temporalMetricsUrl } : {}),
  });
  await app.register(webhookRoutes, { ...deps, forwarderMetrics: metrics.forwarder });
  await app.register(afterSaleWebhookRoutes, deps);
  await app.register(afterSaleRoutes, deps);
  await app.register(afterSaleRuleRoutes, deps);
  await app.register(orderRoutes, deps);
  await app.register(intakeRoutes, deps);
  await app.register(shopRoutes, deps);
  await app.register(alertRoutes, deps);
  await app.register(reviewRoutes, deps);
  await app.register(reportRoutes, deps);
  await app.register(reportItemsetRoutes, deps);
  await app.register(catalogRoutes, deps);
  await app.register(stockRoutes, { ...deps, onStockEvent: fulfilmentEvents.onStockEvent });
  await app.register(stockSyncRoutes, deps);
  await app.register(wmsRoutes, { ...deps, onWmsEvent: fulfilmentEvents.onWmsEvent });
  const carrierServices = carriers ?? createCarrierServices(deps.config);
  await app.register(shipmentRoutes, { ...deps, carriers: carrierServices });
  await app.register(waybillAccountRoutes, {
    ...deps,
    ...(carrierServices.accounts ? { accountServices: carrierServices.accounts } : {}),
  });
  await app.register(translationAccountRoutes, deps);
  await app.register(returnReceiptRoutes, deps);
  await app.register(authRoutes, deps);
  await app.register(auditRuleRoutes, deps);
  await app.register(routingRuleRoutes, deps);
  await app.register(codecRoutes, deps);
  await serveUi(app, { dir: deps.config.UI_DIST_DIR });
  return app;
}

function installBodyParsers(app: FastifyInstance): void {
  // WooCommerce pings and tracking services (Kuaidi100, KDNiao) post forms: kept raw for signatures.
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'buffer' },
    (request, body, done) => {
      request.rawBody = body as Buffer;
      done(null, Object.fromEntries(new URLSearchParams((body as Buffer).toString('utf8'))));
    },
  );
  // Webhooks and the API speak JSON; other media types get a clear 415 instead of a confusing 400.
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    const raw = body as Buffer;
    request.rawBody = raw;
    if (raw.length === 0) return done(null, undefined);
    try {
      done(null, JSON.parse(raw.toString('utf8')));
    } catch (err) {
      done(
        new HttpProblem(400, `invalid request: body: is not valid JSON (${(err as Error).message})`, [
          { field: 'body', problem: 'is not valid JSON' },
        ]),
        undefined,
      );
    }
  });
}
