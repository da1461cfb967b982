import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdapter, hasPullApi, webhookParserFor } from '../../integrations/platforms/registry.js';
import type { WebhookEvent } from '../../integrations/platforms/types.js';
import { isPlatform, type Platform } from '../../domain/platforms.js';
import { startSandbox, type Sandbox } from '../../sandbox/stack.js';
import { DEMO_CARRIER_ACCOUNTS } from '../../scripts/stack/demo-carriers.js';

describe('the sandbox stack', () => {
  let sandbox: Sandbox;
  let receiver: FastifyInstance;
  const received: Array<{ platform: Platform; events: WebhookEvent[] }> = [];
  const rejected: string[] = [];

  beforeAll(async () => {
    // A stand-in for the ERP's webhook endpoint that verifies each push with the real parsers.
    receiver = Fastify();
    receiver.removeAllContentTypeParsers();
    receiver.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
    receiver.post<{ Params: { platform: string; shopId: string } }>(
      '/webhooks/:platform/:shopId',
      async (request, reply) => {
        const { platform, shopId } = request.params;
        if (!isPlatform(platform)) return reply.code(404).send();
        const shop = sandbox.shops.find((s) => s.id === shopId)!;
        try {
          const events = webhookParserFor(platform)!.parse(
            {
              headers: request.headers as Record<string, string>,
              rawBody: request.body as Buffer,
              url: `${base}${request.url}`,
            },
            shop.credentials,
            { shopId, platformShopId: shop.platformShopId },
          );
          received.push({ platform, events });
          return reply.code(200).send();
        } catch (err) {
          rejected.push(`${platform}: ${(err as Error).message}`);
          return reply.code(401).send();
        }
      },
    );
    await receiver.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(receiver.server.address() as { port: number }).port}`;
    sandbox = await startSandbox({
      webhookBaseUrl: base,
      stream: {
        ordersPerMinute: 600,
        burstEveryMinutes: 0,
        timeScale: 10_000,
        tickMs: 100,
        seed: 'stack-test',
      },
    });
  });
  afterAll(async () => {
    await sandbox.stop();
    await receiver.close();
  });

  it('serves every platform through its real adapter, with the printed demo credentials', async () => {
    for (const platform of [
      'taobao',
      'tmall',
      'pdd',
      'jd',
      'douyin',
      'shopee',
      'amazon',
      'shopify',
      'woocommerce',
      'kuaishou',
      'lazada',
      'tiktok',
      'xiaohongshu',
      'wechat_shop',
      'ebay',
      'walmart',
      'mercadolibre',
      'youzan',
      'aliexpress',
      'weidian',
      'alibaba_1688',
      'temu',
      'dewu',
      'vip',
    ] as const) {
      sandbox.placeOrders(platform, { count: 3, scenario: 'group_buy' });
    }
    const now = Date.now();
    for (const shop of sandbox.shops.filter((s) => hasPullApi(s.platform))) {
      const adapter = createAdapter({ ...shop, shopId: shop.id });
      // Amazon lists only up to two minutes ago: its orders were placed "now", so look at them directly.
      if (shop.platform === 'amazon') {
        const [order] = sandbox.platforms.amazon.store.listModified(
          shop.platformShopId,
          new Date(0),
          new Date(now + 1),
        );
        expect((await adapter.getOrder(order!.id)).platformOrderId).toBe(order!.id);
        continue;
      }
      const to = now + 60_000;
      const from = to - Math.min(3_600_000, adapter.limits.maxWindowSeconds * 1000);
      const page = await adapter.listOrders({ from: new Date(from), to: new Date(to) });
      expect(page.orders.length, shop.platform).toBeGreaterThan(0);
      expect(page.orders.every((o) => o.platform === shop.platform && o.shopId === shop.id)).toBe(true);
    }
  });

  it('streams orders that move through their lifecycle, and pushes each change signed', async () => {
    await expect
      .poll(() => sandbox.platforms.douyin.store.count() + sandbox.platforms.shopee.store.count(), {})
      .toBeGreaterThan(10);
    // Every platform that pushes over HTTP (Douyin, Shopee, Shopify, WooCommerce, Kuaishou, Lazada, TikTok Shop, Xiaohongshu, WeChat Channels shop, own store).
    const pushing = new Set(sandbox.shops.map((s) => s.platform).filter((p) => webhookParserFor(p)));
    await expect.poll(() => new Set(received.map((r) => r.platform))).toEqual(pushing);
    const kinds = new Set(received.flatMap((r) => r.events.map((e) => e.kind)));
    expect(kinds).toContain('order');
    expect(kinds).toContain('order_changed');
    expect(rejected).toEqual([]);
    // Plans play forward: orders placed unpaid have been paid since (paidAt after placement; an order
    // paid at placement has paidAt = createdAt), others cancelled. Which of them exist depends on how
    // many stream ticks have run, which depends on the machine — a just-placed order is unpaid only
    // until the next tick — so this waits for them. The stream's seed makes both come: its first
    // tick places a taobao order paid at the next, its 7th one that the buyer abandons (cancelled 30
    // simulated minutes, under two ticks, later).
    const taobao = () =>
      sandbox.platforms.taobao.store.listModified('示例旗舰店', new Date(0), new Date(Date.now() + 1));
    await expect
      .poll(() => {
        const orders = taobao();
        return {
          paidAfterPlacement: orders.some(
            (o) => o.status === 'paid' && o.paidAt !== undefined && o.paidAt > o.createdAt,
          ),
          cancelled: orders.some((o) => o.status === 'cancelled'),
        };
      })
      .toEqual({ paidAfterPlacement: true, cancelled: true });
    expect(new Set(taobao().map((o) => o.status)).size).toBeGreaterThan(1);
  });

  it('the own store names the trade a paid order was paid under, and the payment sandbox has it open', async () => {
    const paidOwn = () =>
      received
        .filter((r) => r.platform === 'own')
        .flatMap((r) => r.events)
        .flatMap((e) => (e.kind === 'order' ? [e.order] : []))
        .filter((o) => o.payment !== undefined);
    await expect.poll(() => paidOwn().length).toBeGreaterThan(0);
    for (const order of paidOwn()) {
      const { channel, outTradeNo } = order.payment!;
      expect(['alipay', 'wechatpay']).toContain(channel);
      expect(sandbox.payments[channel].book.trade(outTradeNo), `${channel} ${outTradeNo}`).toMatchObject({
        outTradeNo,
        totalFen: order.amounts.paidFen,
      });
    }
  });

  it("lets the demo's VIP vendor confirm a parcel of every carrier the demo ships with", async () => {
    const shop = sandbox.shops.find((s) => s.platform === 'vip')!;
    const adapter = createAdapter({ ...shop, shopId: shop.id });
    const { store } = sandbox.platforms.vip;
    const carriers = [...new Set(DEMO_CARRIER_ACCOUNTS.map((a) => a.carrier))];
    const placed = sandbox.placeOrders('vip', {
      count: carriers.length,
      scenario: 'group_buy',
      seed: 'vip-carriers',
    });
    for (const [i, carrier] of carriers.entries()) {
      // Paid, whatever the order's plan would do next.
      const order = { ...placed[i]!, status: 'paid' as const, paidAt: new Date(), plan: [] };
      store.upsert(order);
      await adapter.confirmShipment({
        platformOrderId: order.id,
        carrier,
        trackingNumber: `${carrier}7000000${i}`,
        shippedAt: new Date(),
      });
      expect(store.get(order.shopKey, order.id)?.status, carrier).toBe('shipped');
    }
  });

  it('mounts the carrier simulators under /carriers', async () => {
    const paths = {
      sf: '/std/service',
      cainiao: '/router/rest',
      kuaidi100: '/poll/query.do',
      kdniao: '/Ebusiness/EbusinessOrderHandle.aspx',
    };
    for (const [name, base] of Object.entries(sandbox.carriers.baseUrls)) {
      const url = `${base}${paths[name as keyof typeof paths]}`;
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: '',
      });
      // Each answers in its own error format for a request without credentials, not 404.
      expect(res.status, url).not.toBe(404);
    }
  });
});
