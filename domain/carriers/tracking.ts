import { z } from 'zod';
import { builtOnce } from '../lazy/built-once.js';
import { CarrierCodeSchema } from './codes.js';

/** Where a parcel is, in one vocabulary across Kuaidi100, KDNiao and carriers' own route APIs. */
export const TRACKING_STATUSES = [
  /** Waybill issued, no scan yet. */
  'pending',
  /** Picked up (揽收). */
  'accepted',
  'in_transit',
  /** With the courier for delivery (派件). */
  'out_for_delivery',
  /** Signed for (签收). */
  'delivered',
  /** Problem parcel (疑难/问题件): address problem, damage, loss, customs trouble. */
  'exception',
  /** On its way back to the sender (退回). */
  'returning',
  /** Back with the sender and signed for (退签). */
  'returned',
  /** The receiver refused it (拒签). */
  'rejected',
] as const;
export const trackingStatusSchema = builtOnce(() => z.enum(TRACKING_STATUSES));
export type TrackingStatus = z.infer<ReturnType<typeof trackingStatusSchema>>;

export const trackingEventSchema = builtOnce(() =>
  z.object({
    /** ISO 8601 with offset; carriers report China time (+08:00). */
    at: z.string(),
    status: trackingStatusSchema(),
    /** The carrier's own words (context / AcceptStation). */
    description: z.string(),
    location: z.string().optional(),
  }),
);
export type TrackingEvent = z.infer<ReturnType<typeof trackingEventSchema>>;

export const trackingSnapshotSchema = builtOnce(() =>
  z.object({
    carrier: CarrierCodeSchema,
    trackingNumber: z.string(),
    status: trackingStatusSchema(),
    /** Oldest first. */
    events: z.array(trackingEventSchema()),
    source: z.enum(['kuaidi100', 'kdniao', 'sf']),
  }),
);
export type TrackingSnapshot = z.infer<ReturnType<typeof trackingSnapshotSchema>>;

/**
 * Kuaidi100 `state` (API-FACTS §11, official demo): the parcel's overall state.
 * | state | meaning | ours |
 * |---|---|---|
 * | 0 | 在途 in transit | in_transit |
 * | 1 | 揽收 picked up | accepted |
 * | 2 | 疑难 problem parcel | exception |
 * | 3 | 签收 signed | delivered |
 * | 4 | 退签 returned and signed by sender | returned |
 * | 5 | 派件 out for delivery | out_for_delivery |
 * | 6 | 退回 returning to sender | returning |
 * | 7 | 转投 forwarded to another courier | in_transit |
 * | 10/11/12 | 待清关/清关中/已清关 customs | in_transit |
 * | 13 | 清关异常 customs problem | exception |
 * | 14 | 拒签 refused by receiver | rejected |
 */
export const KUAIDI100_STATE: Readonly<Record<string, TrackingStatus>> = {
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
};

/** Kuaidi100 per-event `status` words (resultv2=1): the same table by name. */
export const KUAIDI100_EVENT_STATUS: Readonly<Record<string, TrackingStatus>> = {
  在途: 'in_transit',
  揽收: 'accepted',
  疑难: 'exception',
  签收: 'delivered',
  退签: 'returned',
  派件: 'out_for_delivery',
  退回: 'returning',
  转投: 'in_transit',
  待清关: 'in_transit',
  清关中: 'in_transit',
  已清关: 'in_transit',
  清关异常: 'exception',
  拒签: 'rejected',
};

/**
 * KDNiao `State` (API-FACTS §12, ❓UNVERIFIED: community sources only). It is coarse — no
 * out-for-delivery or return states — so events are refined from their text.
 * | State | meaning | ours |
 * |---|---|---|
 * | 0 | 暂无轨迹 no trace yet | pending |
 * | 1 | 已揽收 picked up | accepted |
 * | 2 | 在途中 in transit | in_transit |
 * | 3 | 签收 signed | delivered |
 * | 4 | 问题件 problem parcel | exception |
 */
export const KDNIAO_STATE: Readonly<Record<string, TrackingStatus>> = {
  '0': 'pending',
  '1': 'accepted',
  '2': 'in_transit',
  '3': 'delivered',
  '4': 'exception',
};

/**
 * SF route `opCode` (❓UNVERIFIED: API-FACTS §9 does not list them; values as widely seen in
 * SF route pushes). Unknown codes fall back to reading the remark.
 * | opCode | meaning | ours |
 * |---|---|---|
 * | 50, 54 | 顺丰已收取快件 picked up (54 seen with that remark in community route data) | accepted |
 * | 30, 31, 36 | 发出 / 到达 / 中转 | in_transit |
 * | 44 | 派送中 | out_for_delivery |
 * | 80, 8000 | 已签收 | delivered |
 * | 70 | 派送不成功 | exception |
 * | 99 | 退回 | returning |
 */
export const SF_OP_CODE: Readonly<Record<string, TrackingStatus>> = {
  '50': 'accepted',
  '54': 'accepted',
  '30': 'in_transit',
  '31': 'in_transit',
  '36': 'in_transit',
  '44': 'out_for_delivery',
  '80': 'delivered',
  '8000': 'delivered',
  '70': 'exception',
  '99': 'returning',
};

/** Keyword reading of an event's text, for sources without per-event codes. Order matters. */
const TEXT_RULES: Array<[RegExp, TrackingStatus]> = [
  [/拒收|拒签/, 'rejected'],
  [/退回.*(签收|妥投)|退签|已退回寄件人/, 'returned'],
  [/退回|退件|返回寄件/, 'returning'],
  [/问题件|疑难|异常|无法派送|派送不成功|投递失败|地址不详|地址错误|遗失|丢失|破损|滞留/, 'exception'],
  [/已签收|签收人|妥投|已代收|快递柜|驿站.*取件/, 'delivered'],
  [/派件|派送|投递员|正在为您派|安排投递/, 'out_for_delivery'],
  [/揽收|揽件|收取快件|已收件|已揽/, 'accepted'],
];

export function statusFromText(text: string, fallback: TrackingStatus = 'in_transit'): TrackingStatus {
  for (const [pattern, status] of TEXT_RULES) if (pattern.test(text)) return status;
  return fallback;
}

/** `yyyy-MM-dd HH:mm:ss` in China time (every Chinese carrier API) → ISO with +08:00. */
export function chinaTimeToIso(value: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?/.exec(value.trim());
  if (!m) throw new RangeError(`not a China time: ${JSON.stringify(value)}`);
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6] ?? '00'}+08:00`;
}

/** The parcel's status is its latest event's, or pending with none. */
export function latestStatus(events: readonly TrackingEvent[]): TrackingStatus {
  let latest: TrackingEvent | undefined;
  for (const e of events) if (!latest || Date.parse(e.at) >= Date.parse(latest.at)) latest = e;
  return latest?.status ?? 'pending';
}

export type TrackingExceptionKind =
  'no_scan' | 'returning' | 'returned' | 'rejected' | 'address_problem' | 'problem_parcel';

export interface TrackingException {
  kind: TrackingExceptionKind;
  /** When the condition started (the event, or the last scan for no_scan). */
  since: string;
  message: string;
}

const ADDRESS_PROBLEM =
  /地址(不详|错误|有误|不全|不存在|不准确)|查无此人|联系不上收件人|电话(无人接听|错误|空号)/;

/**
 * Whether a parcel needs someone to act: refused, on its way back or returned, a problem
 * (address problems told apart, since customer service fixes those with the buyer), or no new
 * scan for `noScanHours` (counted from the last scan, or from `shippedAt` when it never had one).
 * Delivered parcels have no exception.
 */
export function detectTrackingException(
  events: readonly TrackingEvent[],
  now: Date,
  options: { noScanHours: number; shippedAt?: Date },
): TrackingException | undefined {
  const sorted = [...events].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const last = sorted.at(-1);
  if (last?.status === 'delivered') return undefined;

  const latestOf = (status: TrackingStatus) => sorted.findLast((e) => e.status === status);
  const rejected = latestOf('rejected');
  if (rejected)
    return {
      kind: 'rejected',
      since: rejected.at,
      message: `receiver refused the parcel: ${rejected.description}`,
    };
  const returned = latestOf('returned');
  if (returned)
    return { kind: 'returned', since: returned.at, message: `returned to sender: ${returned.description}` };
  const returning = latestOf('returning');
  if (returning)
    return { kind: 'returning', since: returning.at, message: `on its way back: ${returning.description}` };
  if (last?.status === 'exception') {
    const address = ADDRESS_PROBLEM.test(last.description);
    return {
      kind: address ? 'address_problem' : 'problem_parcel',
      since: last.at,
      message: `${address ? 'address problem' : 'problem parcel'}: ${last.description}`,
    };
  }

  const lastScan = last ? new Date(last.at) : options.shippedAt;
  if (!lastScan) return undefined;
  const hours = (now.getTime() - lastScan.getTime()) / 3_600_000;
  if (hours >= options.noScanHours) {
    return {
      kind: 'no_scan',
      since: lastScan.toISOString(),
      message: last
        ? `no scan for ${Math.floor(hours)} h since "${last.description}"`
        : `no scan at all ${Math.floor(hours)} h after shipping`,
    };
  }
  return undefined;
}

/** Words carriers use for a parcel they lost (遗失 / 丢失 in a problem scan). */
const LOST_WORDS = /遗失|丢失|丢件|lost/i;

/** The carrier's latest scan, when it is a problem scan saying the parcel was lost. */
export function carrierReportsLost(events: readonly TrackingEvent[]): TrackingEvent | undefined {
  let last: TrackingEvent | undefined;
  for (const e of events) if (!last || Date.parse(e.at) >= Date.parse(last.at)) last = e;
  return last?.status === 'exception' && LOST_WORDS.test(last.description) ? last : undefined;
}

export interface LostParcel {
  /** `carrier`: the carrier's own scan says so; `silence`: no scan for the lost threshold. */
  declaredBy: 'carrier' | 'silence';
  since: string;
  message: string;
}

/**
 * Whether a shipped parcel is lost: the carrier's latest scan is a problem scan that says it lost
 * the parcel, or there has been no scan since `lastActivityMs` for `lostAfterSeconds`. Delivered
 * parcels are never lost.
 */
export function lostParcel(
  events: readonly TrackingEvent[],
  nowMs: number,
  options: { lastActivityMs: number; lostAfterSeconds: number },
): LostParcel | undefined {
  const sorted = [...events].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const last = sorted.at(-1);
  if (last?.status === 'delivered') return undefined;
  const reported = carrierReportsLost(sorted);
  if (reported)
    return {
      declaredBy: 'carrier',
      since: reported.at,
      message: `the carrier reports it lost: ${reported.description}`,
    };
  if (nowMs >= options.lastActivityMs + options.lostAfterSeconds * 1000) {
    const since = new Date(options.lastActivityMs).toISOString();
    return {
      declaredBy: 'silence',
      since,
      message: `no scan since ${since}, longer than the ${options.lostAfterSeconds} s that make a parcel lost`,
    };
  }
  return undefined;
}
