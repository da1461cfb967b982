import { describe, expect, it } from 'vitest';
import { parsePmcFrame } from '../../integrations/platforms/pdd/webhook.js';
import { generateOrders } from '../../sandbox/orders/generator.js';
import { pmcTopicFor, renderPmcFrame } from '../../sandbox/platforms/pdd/pmc.js';

describe('PMC frames', () => {
  const [order] = generateOrders({
    seed: 'pmc',
    platform: 'pdd',
    shopKey: '171504183',
    scenario: 'refunds',
    count: 1,
    start: new Date('2026-03-01T02:00:00Z'),
  });

  it('turns a trade frame into order_changed and answers it with an Ack of the same id', () => {
    const frame = renderPmcFrame(order!, 'pdd_trade_TradeConfirmed', {
      id: '9223372036854770001',
      mallId: '171504183',
      now: new Date('2026-03-01T02:05:00Z'),
    });
    const result = parsePmcFrame(frame, new Date('2026-03-01T02:05:01Z'));
    expect(result).toMatchObject({
      commandType: 'Common',
      mallId: '171504183',
      topic: 'pdd_trade_TradeConfirmed',
      events: [{ kind: 'order_changed', platformOrderId: order!.id }],
    });
    expect(JSON.parse(result.ack!.replace(/"id":(\d+)/, '"id":"$1"'))).toEqual({
      id: '9223372036854770001',
      commandType: 'Ack',
      time: Date.parse('2026-03-01T02:05:01Z'),
      sendTime: Date.parse('2026-03-01T02:05:00Z'),
      type: 'pdd_trade_TradeConfirmed',
      mallID: 171504183,
    });
  });

  it('turns the documented refund content into refund_changed', () => {
    const frame =
      '{"id":1,"commandType":"Common","time":1625637425016,"sendTime":1625637425016,"message":{"type":"pdd_refund_RefundCreated","mallID":171504183,' +
      '"content":"{\\"mall_id\\":171504183,\\"refund_fee\\":1990,\\"bill_type\\":1,\\"modified\\":1625637425016,\\"refund_id\\":7381745730,\\"operation\\":1000,\\"tid\\":\\"210707-339507978993455\\"}"}}';
    expect(parsePmcFrame(frame).events).toEqual([
      { kind: 'refund_changed', platformOrderId: '210707-339507978993455', platformRefundId: '7381745730' },
    ]);
  });

  it('passes heartbeats without events or acks and raises Fail frames', () => {
    expect(parsePmcFrame('{"commandType":"HeartBeat","time":1}')).toEqual({
      commandType: 'HeartBeat',
      events: [],
    });
    expect(() => parsePmcFrame('{"commandType":"Fail","message":{"content":"auth failed"}}')).toThrow(
      /auth failed/,
    );
  });

  it('picks topics from what changed', () => {
    expect(pmcTopicFor(undefined, { ...order!, refund: undefined, status: 'paid' })).toBe(
      'pdd_trade_TradeConfirmed',
    );
    expect(pmcTopicFor({ status: 'paid' }, { ...order!, refund: undefined, status: 'shipped' })).toBe(
      'pdd_trade_TradeSellerShip',
    );
  });
});
