import { createHash } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import { dataKeyring } from '../../db/crypto/data-keys.js';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z, ZodError } from 'zod';
import { credentialsCipher } from '../../services/capture/credentials.js';
import { createIntakeService, type IntakeOutcome } from '../../services/capture/intake-service.js';
import { refundStatusOf } from '../../services/capture/refunds.js';
import { startWebhookForwarder, type ForwarderMetrics } from '../../services/capture/webhook-forwarder.js';
import { DOUYIN_PUSH_ACK } from '../../integrations/platforms/douyin/index.js';
import { KUAISHOU_PUSH_ACK } from '../../integrations/platforms/kuaishou/index.js';
import { TEMU_PUSH_ACK } from '../../integrations/platforms/temu/index.js';
import { WECHAT_PUSH_ACK, wechatUrlCheckAnswer } from '../../integrations/platforms/wechat-shop/index.js';
import { YOUZAN_PUSH_ACK } from '../../integrations/platforms/youzan/index.js';
import { WebhookSignatureError } from '../../integrations/platforms/errors.js';
import { FulfilmentCallbackSchema } from '../../integrations/platforms/own/index.js';
import {
  PUSH_CHANNEL,
  SIGNATURE_HEADER,
  webhookDeliveryId,
  webhookParserFor,
} from '../../integrations/platforms/registry.js';
import type { WebhookEvent, WebhookRequest, WebhookSecrets } from '../../integrations/platforms/types.js';
import { findShop, pruneDeliveries, rememberDelivery } from '../../db/queries/shops.js';
import { pruneInbox, writeInboxEvent } from '../../db/queries/webhook-inbox.js';
import { sealReceiversIn } from '../../db/crypto/receivers.js';
import { ShopIdSchema } from '../../domain/ids.js';
import { OrderPushSchema, type NormalizedOrder } from '../../domain/order.js';
import { isPlatform, PLATFORMS, type Platform } from '../../domain/platforms.js';
import type { FetchRequest } from '../../workflows/messages.js';
import { HttpProblem, invalid, zodIssues } from '../errors.js';
import type { ApiDeps } from '../deps.js';

const WebhookParams = z.object({ platform: z.string().max(32), shopId: ShopIdSchema });

/** Delivery ids are kept well past the platforms' redelivery windows (Shopify: 48 hours). */
const DELIVERY_MEMORY_MS = 7 * 86_400_000;
const PRUNE_EVERY_MS = 3_600_000;

interface Handled {
  /** Whole orders handed to their workflows. */
  orders: IntakeOutcome[];
  /** Order ids handed to the shop's sync to fetch. */
  fetches: number;
  ignored: number;
  duplicate: boolean;
}

/**
 * `POST /webhooks/:platform/:shopId`: each platform's own push format, verified over the raw
 * bytes with the shop's secrets before anything is read, validated, written to the webhook inbox
 * (with its delivery id, in one transaction) and answered — without waiting on Temporal, so the
 * answer takes milliseconds and a Temporal outage loses nothing. The inbox's forwarder then hands
 * pushes that carry the whole order (Shopify, WooCommerce, own store) to the order's workflow and
 * pushes that only name an order (Douyin, Shopee, Woo deletions, refunds) to the shop's sync
 * workflow, which fetches the order, so a platform outage or a status change that arrives before
 * its order loses nothing either. Repeats are harmless (one inbox row per event id, workflow ids,
 * newest snapshot wins) and known delivery ids are answered at once.
 */
export const webhookRoutes: FastifyPluginAsyncZod<ApiDeps & { forwarderMetrics?: ForwarderMetrics }> = async (
  app,
  { db, temporal, config, forwarderMetrics },
) => {
  const ring = dataKeyring(config);
  const intake = createIntakeService({ db, client: temporal, taskQueue: config.TASK_QUEUE_ORDERS, ring });
  const forwarder = startWebhookForwarder({
    db,
    client: temporal,
    intake,
    taskQueue: config.TASK_QUEUE_ORDERS,
    ring,
    log: app.log,
    concurrency: config.WEBHOOK_FORWARD_CONCURRENCY,
    ...(forwarderMetrics ? { metrics: forwarderMetrics } : {}),
  });
  app.addHook('onClose', () => forwarder.stop());
  let prunedAt = 0;
  // Kuaishou posts its pushes as a bare Base64 ciphertext: kept raw for the parser, on webhooks only.
  app.addContentTypeParser('text/plain', { parseAs: 'buffer' }, (request, body, done) => {
    request.rawBody = body as Buffer;
    done(null, (body as Buffer).toString('utf8'));
  });

  app.get(
    '/webhooks/wechat_shop/:shopId',
    {
      config: { public: true },
      schema: {
        tags: ['webhooks'],
        summary: 'Answer WeChat’s check of a Channels shop’s push URL (消息推送 settings)',
        description:
          'WeChat sends signature, timestamp and nonce (msg_signature in safe mode) with echostr; the ' +
          'answer is echostr (decrypted in safe mode) when the signature is the shop’s push Token’s, ' +
          'else 401.',
        params: z.object({ shopId: ShopIdSchema }),
        querystring: z.object({
          signature: z.string().max(100).optional(),
          msg_signature: z.string().max(100).optional(),
          timestamp: z.string().max(20).optional(),
          nonce: z.string().max(100).optional(),
          echostr: z.string().max(2000).optional(),
          encrypt_type: z.string().max(10).optional(),
        }),
      },
    },
    async (request, reply) => {
      const { shopId } = request.params;
      const shop = await findShop(db, shopId);
      if (!shop || shop.platform !== 'wechat_shop')
        throw new HttpProblem(404, `no wechat_shop shop with id "${shopId}"`);
      const answer = wechatUrlCheckAnswer(secretsOf(shopId, shop.credentials_encrypted), request.query);
      if (answer === undefined) {
        throw new HttpProblem(
          401,
          'the URL check’s signature is not the shop’s push Token’s',
          [],
          'BAD_SIGNATURE',
        );
      }
      return reply.code(200).type('text/plain').send(answer);
    },
  );

  app.post(
    '/webhooks/:platform/:shopId',
    {
      config: { public: true },
      schema: {
        tags: ['webhooks'],
        summary: 'Receive a platform push (order created/changed, refund) in the platform’s own format',
        description:
          'Verified with the platform’s signature over the raw body (Shopify X-Shopify-Hmac-Sha256, ' +
          'WooCommerce X-WC-Webhook-Signature, Douyin event-sign, Shopee, Lazada, TikTok Shop and AliExpress Authorization, ' +
          'Xiaohongshu sign, WeChat Channels shop signature / msg_signature in the query, ' +
          'eBay X-EBAY-SIGNATURE (ECDSA under eBay’s public key), Walmart the subscription’s Basic ' +
          'credentials, Mercado Libre the secret in the registered callback URL, Youzan Event-Sign, ' +
          'Kuaishou by encryption, own stores ' +
          'X-Erp-Hmac-Sha256 — see docs/own-store-push.md). Taobao/Tmall, PDD, JD, Amazon, Weidian, 1688, Temu and Dewu have no ' +
          'HTTP push: their shops are polled.',
        params: WebhookParams,
      },
    },
    async (request, reply) => {
      const { platform, shopId } = request.params;
      if (!isPlatform(platform)) {
        throw new HttpProblem(404, `unknown platform "${platform}"; expected one of ${PLATFORMS.join(', ')}`);
      }
      const parser = webhookParserFor(platform);
      if (!parser) {
        throw new HttpProblem(
          404,
          `${platform} has no HTTP push: its order changes arrive by ${PUSH_CHANNEL[platform] ?? 'polling'}`,
        );
      }
      const shop = await findShop(db, shopId);
      if (!shop || shop.platform !== platform)
        throw new HttpProblem(404, `no ${platform} shop with id "${shopId}"`);

      const webhook: WebhookRequest = {
        headers: Object.fromEntries(
          Object.entries(request.headers).map(([k, v]) => [
            k.toLowerCase(),
            Array.isArray(v) ? v.join(',') : v,
          ]),
        ),
        rawBody: request.rawBody ?? Buffer.alloc(0),
        url: `${(config.API_PUBLIC_URL ?? `${request.protocol}://${request.host}`).replace(/\/$/, '')}${request.url}`,
      };
      const secrets = secretsOf(shopId, shop.credentials_encrypted);
      // An empty key would let anyone sign: a shop without its secret accepts no pushes.
      if (!secrets.webhookSecret && !secrets.appSecret) {
        throw new HttpProblem(
          401,
          `shop "${shopId}" has no webhook secret configured: set its credentials with PATCH /shops/${shopId}`,
          [],
          'BAD_SIGNATURE',
        );
      }
      const events = parse(platform, webhook, secrets, {
        shopId,
        platformShopId: shop.platform_shop_id || shopId,
      });

      const deliveryId = webhookDeliveryId(platform, webhook);
      if (Date.now() - prunedAt > PRUNE_EVERY_MS) {
        prunedAt = Date.now();
        const before = new Date(prunedAt - DELIVERY_MEMORY_MS);
        Promise.all([pruneDeliveries(db, before), pruneInbox(db, before)]).catch((err: Error) =>
          request.log.warn({ err }, 'pruning old webhook delivery ids failed'),
        );
      }
      const work = await prepare(platform, events);
      // Verified and valid: written to the inbox with its delivery id in one transaction, answered,
      // and handed to Temporal by the forwarder — the answer never waits on Temporal.
      const eventId = `${platform}:${shopId}:${deliveryId ?? `sha256:${createHash('sha256').update(webhook.rawBody).digest('base64url')}`}`;
      const fresh = await db.transaction().execute(async (trx) => {
        if (deliveryId && !(await rememberDelivery(trx, { shopId, platform, deliveryId }))) return false;
        if (work.submit.length || work.fetches.length) {
          await writeInboxEvent(trx, {
            eventId,
            shopId,
            platform,
            payload: {
              orders: work.submit.map((o) => sealReceiversIn(ring, o) as unknown as Record<string, unknown>),
              fetches: work.fetches as unknown as Record<string, unknown>[],
            },
          });
        }
        return true;
      });
      if (fresh) forwarder.nudge();
      // A redelivery is answered as the first delivery was, without doing the work again.
      return answer(reply, platform, { ...work.handled, duplicate: !fresh });
    },
  );

  app.get(
    '/schemas/order-push.json',
    { schema: { tags: ['webhooks'], summary: 'JSON Schema of the normalized order push body' } },
    async () => z.toJSONSchema(OrderPushSchema, { io: 'input' }),
  );

  app.get(
    '/schemas/fulfilment-callback.json',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'JSON Schema of the fulfilment callback the ERP posts to an own store',
      },
    },
    async () => z.toJSONSchema(FulfilmentCallbackSchema, { io: 'output' }),
  );

  function secretsOf(shopId: string, encrypted: string | null): WebhookSecrets {
    if (!encrypted) return { appKey: '', appSecret: '' };
    const stored = credentialsCipher(config).decrypt(shopId, encrypted);
    return {
      appKey: stored.appKey,
      appSecret: stored.appSecret,
      ...(stored.webhookSecret ? { webhookSecret: stored.webhookSecret } : {}),
    };
  }

  function parse(
    platform: Platform,
    webhook: WebhookRequest,
    secrets: WebhookSecrets,
    shop: { shopId: string; platformShopId: string },
  ): WebhookEvent[] {
    try {
      return webhookParserFor(platform)!.parse(webhook, secrets, shop);
    } catch (err) {
      if (err instanceof WebhookSignatureError) {
        const header = SIGNATURE_HEADER[platform];
        // Pushes authenticated by encryption (Kuaishou) carry no signature header: the body is refused.
        if (!header) {
          throw new HttpProblem(401, err.message, [{ field: 'body', problem: err.message }], 'BAD_SIGNATURE');
        }
        const given = webhook.headers[header.toLowerCase()];
        throw new HttpProblem(
          401,
          given
            ? `the ${header} header does not match the body (${err.message})`
            : `the ${header} header is missing: ${platform} pushes must be signed`,
          [
            {
              field: `headers.${header.toLowerCase()}`,
              problem: given ? 'does not match the body' : 'is missing',
            },
          ],
          'BAD_SIGNATURE',
        );
      }
      if (err instanceof ZodError) throw invalid(zodIssues(err, 'body'));
      if (err instanceof SyntaxError) {
        throw new HttpProblem(400, `invalid request: body: is not valid JSON (${err.message})`, [
          { field: 'body', problem: 'is not valid JSON' },
        ]);
      }
      throw err;
    }
  }

  /**
   * What a push asks for, decided from the database alone: orders converted (or parked, or for our
   * own format refused with 422), the answer's outcome per order, and the order ids to fetch.
   */
  async function prepare(
    platform: Platform,
    events: WebhookEvent[],
  ): Promise<{ handled: Handled; submit: NormalizedOrder[]; fetches: FetchRequest[] }> {
    const handled: Handled = { orders: [], fetches: 0, ignored: 0, duplicate: false };
    const submit: NormalizedOrder[] = [];
    const fetches: FetchRequest[] = [];
    for (const event of events) {
      switch (event.kind) {
        case 'order': {
          // Our own format's senders can be told about a missing rate; platforms cannot.
          const prepared = await intake.prepare(event.order, {
            onMissingRate: platform === 'own' ? 'refuse' : 'park',
          });
          if (!prepared.ok) {
            const { outcome } = prepared;
            if (outcome.outcome === 'refused') {
              throw new HttpProblem(422, outcome.message, [
                { field: 'body.currency', problem: outcome.message },
              ]);
            }
            handled.orders.push(outcome);
            break;
          }
          submit.push(prepared.order);
          handled.orders.push(await intake.expectedOutcome(prepared.order));
          break;
        }
        case 'order_changed':
          fetches.push({ platformOrderId: event.platformOrderId });
          break;
        case 'refund_changed': {
          const caseId = event.platformRefundId ?? event.refund?.platformRefundId;
          fetches.push({
            platformOrderId: event.platformOrderId,
            ...(caseId ? { caseIds: [caseId] } : {}),
            ...(event.refund
              ? {
                  refund: {
                    status: refundStatusOf(event.refund.status),
                    modifiedAt: event.refund.modifiedAt,
                    ...(event.refund.lineIds ? { lineIds: event.refund.lineIds } : {}),
                  },
                }
              : {}),
          });
          break;
        }
        case 'ignored':
          handled.ignored += 1;
          break;
      }
    }
    handled.fetches = fetches.length;
    return { handled, submit, fetches };
  }
};

/** Each platform's expected reply: Douyin its ack body, Shopee an empty 2xx, others JSON. */
function answer(reply: FastifyReply, platform: Platform, handled: Handled) {
  switch (platform) {
    case 'douyin':
      return reply.code(200).send(DOUYIN_PUSH_ACK);
    case 'kuaishou':
      return reply.code(200).send(KUAISHOU_PUSH_ACK);
    // Temu retries until answered 200 within 500 ms; its guide's sample answers `{"result": {}}`.
    case 'temu':
      return reply.code(200).send(TEMU_PUSH_ACK);
    case 'shopee':
      return reply.code(200).send();
    // Youzan sends a push again until it is answered `{code: 0, msg: success}` (UNCONFIRMED, §4.4).
    case 'youzan':
      return reply.code(200).send(YOUZAN_PUSH_ACK);
    // WeChat takes the plain text `success` as the acknowledgement.
    case 'wechat_shop':
      return reply.code(200).type('text/plain').send(WECHAT_PUSH_ACK);
    // Lazada, TikTok Shop, Xiaohongshu, Mercado Libre and AliExpress retry a push until it gets a
    // 200 (UNCONFIRMED, §8.4, §7.4, §2.4, §13, §9): the same body as others, with 200.
    case 'lazada':
    case 'tiktok':
    case 'xiaohongshu':
    case 'mercadolibre':
    case 'aliexpress':
      return reply.code(200).send({ accepted: true, fetches: handled.fetches, ignored: handled.ignored });
    case 'own': {
      const [first] = handled.orders;
      return reply.code(202).send({
        accepted: true,
        ...(first ? { orderId: first.workflowId, outcome: first.outcome } : {}),
        ...(handled.duplicate ? { duplicate: true } : {}),
      });
    }
    default:
      return reply.code(202).send({
        accepted: true,
        orders: handled.orders.map((o) => ({ orderId: o.workflowId, outcome: o.outcome })),
        fetches: handled.fetches,
        ignored: handled.ignored,
        ...(handled.duplicate ? { duplicate: true } : {}),
      });
  }
}
