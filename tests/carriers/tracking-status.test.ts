import { describe, expect, it } from 'vitest';
import {
  chinaTimeToIso,
  detectTrackingException,
  KDNIAO_STATE,
  KUAIDI100_STATE,
  statusFromText,
  type TrackingEvent,
} from '../../domain/carriers/tracking.js';

const at = (iso: string) => new Date(iso);
const event = (time: string, status: TrackingEvent['status'], description = ''): TrackingEvent => ({
  at: time,
  status,
  description,
});

describe('tracking status mapping', () => {
  it('maps every Kuaidi100 state', () => {
    expect(KUAIDI100_STATE).toEqual({
      '0': 'in_transit',
      '1': 'accepted',
      '2': 'exception',
      '3': 'delivered',
      '4': 'returned',
      '5': 'out_for_delivery',
      '6': 'returning',
      '7': 'in_transit',
      '10': 'in_transit',
      '11': 'in_transit',
      '12': 'in_transit',
      '13': 'exception',
      '14': 'rejected',
    });
    expect(KDNIAO_STATE['4']).toBe('exception');
  });

  it.each([
    ['【杭州市】中通快递 杭州西湖营业部 已揽收', 'accepted'],
    ['快件已从 杭州转运中心 发出', 'in_transit'],
    ['派件员 王师傅 正在为您派件', 'out_for_delivery'],
    ['快件已签收，签收人：本人签收', 'delivered'],
    ['已放入快递柜，请凭取件码取件', 'delivered'],
    ['收件人拒收，快件将退回寄件人', 'rejected'],
    ['快件已退回，正在返回寄件人', 'returning'],
    ['退回件已签收，签收人：寄件人', 'returned'],
    ['派送不成功，收件人电话无人接听', 'exception'],
  ] as const)('reads "%s" as %s', (text, status) => {
    expect(statusFromText(text)).toBe(status);
  });

  it('turns China time into ISO with its offset', () => {
    expect(chinaTimeToIso('2026-03-01 10:15:02')).toBe('2026-03-01T10:15:02+08:00');
  });
});

describe('detectTrackingException', () => {
  const now = at('2026-03-05T12:00:00+08:00');
  const opts = { noScanHours: 48 };

  it('is quiet for a delivered parcel however old', () => {
    const events = [
      event('2026-03-01T10:00:00+08:00', 'accepted'),
      event('2026-03-02T10:00:00+08:00', 'delivered'),
    ];
    expect(detectTrackingException(events, now, opts)).toBeUndefined();
  });

  it('counts from shipping when a parcel never had a scan', () => {
    expect(
      detectTrackingException([], now, { noScanHours: 24, shippedAt: at('2026-03-04T11:00:00+08:00') }),
    ).toMatchObject({
      kind: 'no_scan',
      message: 'no scan at all 25 h after shipping',
    });
    expect(
      detectTrackingException([], now, { noScanHours: 24, shippedAt: at('2026-03-05T11:00:00+08:00') }),
    ).toBeUndefined();
  });

  it('reports a parcel coming back, then back, in that order of severity', () => {
    const coming = [
      event('2026-03-04T10:00:00+08:00', 'out_for_delivery'),
      event('2026-03-05T10:00:00+08:00', 'returning', '快件已退回'),
    ];
    expect(detectTrackingException(coming, now, opts)).toMatchObject({
      kind: 'returning',
      since: '2026-03-05T10:00:00+08:00',
    });
    const back = [...coming, event('2026-03-05T11:00:00+08:00', 'returned', '退回件已签收')];
    expect(detectTrackingException(back, now, opts)?.kind).toBe('returned');
  });

  it('recognises an address problem in a problem parcel', () => {
    const events = [event('2026-03-05T10:00:00+08:00', 'exception', '收件人地址不详，无法派送')];
    expect(detectTrackingException(events, now, opts)).toMatchObject({
      kind: 'address_problem',
      message: 'address problem: 收件人地址不详，无法派送',
    });
  });
});
