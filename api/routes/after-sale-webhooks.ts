import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { findShop } from '../../db/queries/shops.js';
import { AfterSalePushSchema } from '../../domain/after-sales.js';
import { ShopIdSchema } from '../../domain/ids.js';
import { ALIPAY_NOTIFY_ACK, parseAlipayNotify } from '../../integrations/payments/alipay/notify.js';
import {
  parseWechatRefundNotify,
  WECHATPAY_NOTIFY_ACK,
} from '../../integrations/payments/wechatpay/notify.js';
import { WebhookSignatureError } from '../../integrations/platforms/errors.js';
import { verifyOwnPush } from '../../integrations/platforms/own/index.js';
import { startOwnStoreCase, takeRefundNotice } from '../../services/after-sales.js';
import { credentialsCipher } from '../../services/capture/credentials.js';
import { alipaySettings, wechatPaySettings } from '../../services/payments.js';
import type { ApiDeps } from '../deps.js';
import { HttpProblem, invalid, zodIssues } from '../errors.js';

/**
 * After-sales pushes and payment-channel notifications (docs/after-sales.md):
 * - `POST /webhooks/own/:shopId/after-sales`: an own store's case in our format, signed like its
 *   order pushes (`X-Erp-Hmac-Sha256`), schema at `GET /schemas/after-sale-push.json`;
 * - `POST /webhooks/payments/alipay` and `/webhooks/payments/wechatpay`: refund notifications,
 *   verified with the channel's key before anything is read, acknowledged the channel's way.
 */
export const afterSaleWebhookRoutes: FastifyPluginAsyncZod<ApiDeps> = async (
  app,
  { db, temporal, config },
) => {
  const deps = { db, client: temporal, config };

  app.post(
    '/webhooks/own/:shopId/after-sales',
    {
      config: { public: true },
      schema: {
        tags: ['webhooks'],
        summary: 'Receive an after-sales case from an own store (our format, signed X-Erp-Hmac-Sha256)',
        params: z.object({ shopId: ShopIdSchema }),
      },
    },
    async (request, reply) => {
      const { shopId } = request.params;
      const shop = await findShop(db, shopId);
      if (!shop || shop.platform !== 'own') throw new HttpProblem(404, `no own shop with id "${shopId}"`);
      const secret = shop.credentials_encrypted
        ? credentialsCipher(config).decrypt(shopId, shop.credentials_encrypted).webhookSecret
        : undefined;
      const header = request.headers['x-erp-hmac-sha256'];
      if (
        !secret ||
        !verifyOwnPush(secret, request.rawBody ?? Buffer.alloc(0), Array.isArray(header) ? header[0] : header)
      ) {
        throw new HttpProblem(
          401,
          'X-Erp-Hmac-Sha256 is missing or does not match the body',
          [],
          'BAD_SIGNATURE',
        );
      }
      const parsed = AfterSalePushSchema.safeParse(request.body);
      if (!parsed.success) throw invalid(zodIssues(parsed.error, 'body'));
      const started = await startOwnStoreCase(deps, shopId, parsed.data);
      if (started.outcome === 'unknown_order') {
        throw new HttpProblem(422, `body.platformOrderId: no order ${started.orderId} here`, [
          { field: 'body.platformOrderId', problem: 'is not an order of this shop' },
        ]);
      }
      if (started.outcome === 'unknown_lines') {
        throw new HttpProblem(422, `body.lines: the order has no line ${started.lineIds.join(', ')}`, [
          {
            field: 'body.lines',
            problem: `names lines the order does not have: ${started.lineIds.join(', ')}`,
          },
        ]);
      }
      if (started.outcome === 'unknown_skus') {
        throw new HttpProblem(
          422,
          `body.lines: no SKU ${started.lines.map((l) => l.sku).join(', ')} in the catalogue`,
          started.lines.map((l) => ({
            field: `body.lines.${l.index}.exchangeSku`,
            problem: `is not a SKU here: ${l.sku}`,
          })),
        );
      }
      return reply
        .code(202)
        .send({ accepted: true, caseId: started.caseId, duplicate: started.outcome === 'duplicate' });
    },
  );

  app.get(
    '/schemas/after-sale-push.json',
    { schema: { tags: ['webhooks'], summary: 'JSON Schema of the after-sales case an own store pushes' } },
    async () => z.toJSONSchema(AfterSalePushSchema, { io: 'input' }),
  );

  app.post(
    '/webhooks/payments/alipay',
    {
      config: { public: true },
      schema: {
        tags: ['webhooks'],
        summary: 'Alipay asynchronous notification (RSA2-verified); answers "success"',
      },
    },
    async (request, reply) => {
      const settings = alipaySettings(config);
      if (!settings) throw new HttpProblem(404, 'Alipay is not configured');
      let notice;
      try {
        notice = parseAlipayNotify(
          (request.rawBody ?? Buffer.alloc(0)).toString('utf8'),
          settings.alipayPublicKey,
          settings.appId,
        );
      } catch (err) {
        if (err instanceof WebhookSignatureError)
          throw new HttpProblem(401, err.message, [], 'BAD_SIGNATURE');
        throw err;
      }
      if (notice) await takeRefundNotice(deps, notice);
      return reply.type('text/plain').send(ALIPAY_NOTIFY_ACK);
    },
  );

  app.post(
    '/webhooks/payments/wechatpay',
    {
      config: { public: true },
      schema: {
        tags: ['webhooks'],
        summary: 'WeChat Pay REFUND.* notification (signature verified, AEAD_AES_256_GCM resource)',
      },
    },
    async (request, reply) => {
      const settings = wechatPaySettings(config);
      if (!settings) throw new HttpProblem(404, 'WeChat Pay is not configured');
      const header = (name: string) => {
        const value = request.headers[name];
        return Array.isArray(value) ? value[0] : value;
      };
      let notice;
      try {
        notice = parseWechatRefundNotify(
          {
            timestamp: header('wechatpay-timestamp'),
            nonce: header('wechatpay-nonce'),
            signature: header('wechatpay-signature'),
            serial: header('wechatpay-serial'),
          },
          (request.rawBody ?? Buffer.alloc(0)).toString('utf8'),
          { platformKeys: settings.platformKeys, apiV3Key: settings.apiV3Key, mchid: settings.mchid },
          Math.floor(Date.now() / 1000),
        );
      } catch (err) {
        if (err instanceof WebhookSignatureError) {
          return reply.code(401).send({ code: 'FAIL', message: err.message });
        }
        throw err;
      }
      if (notice) await takeRefundNotice(deps, notice);
      return reply.send(WECHATPAY_NOTIFY_ACK);
    },
  );
};
