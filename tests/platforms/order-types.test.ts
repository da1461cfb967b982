import { describe, expect, it } from 'vitest';
import { liveRoomReason, liveRoomRuleSchema } from '../../domain/live-room.js';
import { normalizeDouyinOrder } from '../../integrations/platforms/douyin/index.js';
import { normalizePddOrder } from '../../integrations/platforms/pdd/normalize.js';
import { PddOrderSchema } from '../../integrations/platforms/pdd/wire.js';
import { normalizeTopTrade } from '../../integrations/platforms/taobao/normalize.js';
import { TopTradeSchema } from '../../integrations/platforms/taobao/wire.js';
import { generateOrders } from '../../sandbox/orders/generator.js';
import { renderDouyinOrder } from '../../sandbox/platforms/douyin/render.js';
import { DouyinSimCipher } from '../../sandbox/platforms/douyin/cipher.js';
import { PddCipher } from '../../sandbox/platforms/pdd/cipher.js';
import { renderPddOrder } from '../../sandbox/platforms/pdd/render.js';
import { renderTopTrade } from '../../sandbox/platforms/taobao/render.js';
import { parsePlatformJson } from '../../integrations/platforms/taobao/json.js';
import { DouyinOrderSchema, parseDouyinJson } from '../../integrations/platforms/douyin/wire.js';
import { stringify } from 'lossless-json';

// The order types each platform states, read from what its simulator serves.

const generated = (platform: 'pdd' | 'taobao', scenario: 'group_buy') =>
  generateOrders({
    seed: `types-${platform}`,
    platform,
    shopKey: 'S1',
    scenario,
    count: 5,
    start: new Date(),
  }).find((o) => o.paidAt && o.status === 'paid' && !o.refund)!;

describe('order types from platform fields', () => {
  it('PDD group_status: 拼团中 is forming, 已成团 formed, 团失败 failed and cancelled', () => {
    const cipher = new PddCipher('k');
    const order = generated('pdd', 'group_buy');
    const read = (groupStatus: 'forming' | 'formed' | 'failed') => {
      const wire = parsePlatformJson(stringify(renderPddOrder({ ...order, groupStatus }, cipher))!);
      return normalizePddOrder(PddOrderSchema.parse(wire), { shopId: 'shop-pdd' });
    };
    expect(read('forming')).toMatchObject({ type: 'group_buy', groupStatus: 'forming', status: 'paid' });
    expect(read('formed')).toMatchObject({ type: 'group_buy', groupStatus: 'formed', status: 'paid' });
    expect(read('failed')).toMatchObject({ type: 'group_buy', groupStatus: 'failed', status: 'cancelled' });
  });

  it('TOP PAID_FORBID_CONSIGN is paid with shipping forbidden until the status moves on', () => {
    const order = generated('taobao', 'group_buy');
    const read = (groupStatus: 'forming' | 'formed') => {
      const wire = parsePlatformJson(
        stringify(renderTopTrade({ ...order, groupStatus }, { oaidSecret: 'k' }))!,
      );
      return normalizeTopTrade(TopTradeSchema.parse(wire), { platform: 'taobao', shopId: 'shop-tb' });
    };
    expect(read('forming')).toMatchObject({ status: 'paid', groupStatus: 'forming' });
    expect(read('formed').groupStatus).toBeUndefined();
  });

  it('Douyin: an order bought in a live room (room_id) is a livestream order', () => {
    const [placed] = generateOrders({
      seed: 'types-douyin',
      platform: 'douyin',
      shopKey: 'S1',
      scenario: 'livestream_burst',
      count: 1,
      start: new Date(),
    });
    const live = { ...placed!, status: 'paid' as const, paidAt: new Date(), paidMinor: placed!.paidMinor };
    const read = (o: typeof live) =>
      normalizeDouyinOrder(
        DouyinOrderSchema.parse(
          parseDouyinJson(stringify(renderDouyinOrder(o, new DouyinSimCipher('k'), (c) => c))!),
        ),
        'dy',
      );
    expect(read(live).type).toBe('livestream');
    const { liveRoomId: _, ...elsewhere } = live;
    expect(read({ ...elsewhere, type: 'normal' }).type).toBe('normal');
  });
});

describe('live rooms by shop rule', () => {
  const order = {
    type: 'normal' as const,
    createdAt: '2026-12-04T12:30:00.000Z',
    lines: [{ skuCode: 'TEA-1' }],
  } as Parameters<typeof liveRoomReason>[0];

  it('a whole shop, or a session whose window (and SKUs) the order falls in', () => {
    expect(liveRoomReason(order, liveRoomRuleSchema().parse({ wholeShop: true }))).toMatch(
      /shop is a live room/,
    );
    const session = (skuCodes?: string[]) =>
      liveRoomRuleSchema().parse({
        sessions: [{ name: '双12专场', from: '2026-12-04T12:00:00Z', to: '2026-12-04T14:00:00Z', skuCodes }],
      });
    expect(liveRoomReason(order, session())).toMatch(/双12专场/);
    expect(liveRoomReason(order, session(['TEA-1']))).toMatch(/双12专场/);
    expect(liveRoomReason(order, session(['CUP-9']))).toBeNull();
    expect(liveRoomReason({ ...order, createdAt: '2026-12-04T15:00:00Z' }, session())).toBeNull();
    expect(liveRoomReason({ ...order, type: 'presale' }, session())).toBeNull();
    expect(liveRoomReason(order, null)).toBeNull();
  });
});
