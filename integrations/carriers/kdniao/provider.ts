import type { CarrierCode } from '../../../domain/carriers/codes.js';
import { sameSecret } from '../constant-time.js';
import { carrierByExternalCode, carrierProfile } from '../../../domain/carriers/registry.js';
import {
  chinaTimeToIso,
  KDNIAO_STATE,
  statusFromText,
  type TrackingEvent,
  type TrackingSnapshot,
} from '../../../domain/carriers/tracking.js';
import {
  AuthError,
  RequestRejectedError,
  TransientPlatformError,
  WebhookSignatureError,
} from '../../platforms/errors.js';
import { httpCall } from '../../platforms/http.js';
import type {
  CarrierHttpOptions,
  TrackingProvider,
  TrackingPush,
  TrackingQuery,
  TrackingSubscription,
} from '../types.js';
import { endpoint } from '../endpoint.js';
import { kdniaoDataSign } from './sign.js';

export interface KdniaoOptions extends CarrierHttpOptions {
  eBusinessId: string;
  appKey: string;
  /** 1008 物流跟踪 (default) or 8008 in the newer plans. */
  subscribeRequestType?: '1008' | '8008';
}

interface KdnTrace {
  EBusinessID?: string;
  ShipperCode?: string;
  LogisticCode?: string;
  Success?: boolean;
  State?: string;
  Reason?: string | null;
  Traces?: Array<{ AcceptTime: string; AcceptStation: string; Remark?: string | null; Location?: string }>;
}

/**
 * KDNiao (API-FACTS §12). KDNiao's State is coarse (no out-for-delivery, no returns) and its
 * meanings are unverified, so each trace's status is read from its text, with State as the
 * fallback (KDNIAO_STATE in domain/carriers/tracking.ts). Pushes go to the URL configured in
 * KDNiao's console; the subscription's callbackUrl is not sent.
 */
export function createKdniaoProvider(options: KdniaoOptions): TrackingProvider {
  const shipperCode = (carrier: CarrierCode) => carrierProfile(carrier).codes.kdniao;
  const call = async (requestType: string, data: Record<string, string>): Promise<KdnTrace> => {
    const requestData = JSON.stringify(data);
    const result = await httpCall({
      platform: 'kdniao',
      url: endpoint(options.baseUrl, '/Ebusiness/EbusinessOrderHandle.aspx'),
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8' },
      body: new URLSearchParams({
        RequestData: requestData,
        EBusinessID: options.eBusinessId,
        RequestType: requestType,
        DataSign: kdniaoDataSign(requestData, options.appKey),
        DataType: '2',
      }).toString(),
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    });
    let body: KdnTrace;
    try {
      body = JSON.parse(result.text) as KdnTrace;
    } catch {
      throw new TransientPlatformError(
        `KDNiao answered ${result.status} with a body that is not JSON`,
        'kdniao',
      );
    }
    if (body.Success === false) {
      const reason = body.Reason ?? 'no reason given';
      if (/签名|用户ID|EBusinessID/.test(reason))
        throw new AuthError(`KDNiao ${requestType}: ${reason}`, 'kdniao');
      throw new RequestRejectedError(`KDNiao ${requestType}: ${reason}`, 'kdniao');
    }
    return body;
  };
  const requestFor = (query: TrackingQuery): Record<string, string> => {
    const code = shipperCode(query.carrier);
    if (!code) throw new RequestRejectedError(`KDNiao has no code for ${query.carrier}`, 'kdniao');
    return {
      OrderCode: '',
      ShipperCode: code,
      LogisticCode: query.trackingNumber,
      // SF shows routes only with the last four digits of a phone on the waybill.
      ...(query.phone ? { CustomerName: query.phone.slice(-4) } : {}),
    };
  };

  return {
    name: 'kdniao',
    supports: (carrier) => shipperCode(carrier) !== undefined,

    async query(query: TrackingQuery): Promise<TrackingSnapshot> {
      const body = await call('1002', requestFor(query));
      return snapshot(body, query.carrier, query.trackingNumber);
    },

    async subscribe(subscription: TrackingSubscription): Promise<void> {
      await call(options.subscribeRequestType ?? '1008', requestFor(subscription));
    },

    parsePush(rawBody: string): TrackingPush {
      const form = new URLSearchParams(rawBody);
      const requestData = form.get('RequestData');
      const dataSign = form.get('DataSign');
      if (!requestData || !dataSign || !sameSecret(dataSign, kdniaoDataSign(requestData, options.appKey))) {
        throw new WebhookSignatureError('KDNiao push DataSign does not match');
      }
      let push: { Data?: KdnTrace[] };
      try {
        push = JSON.parse(requestData) as typeof push;
      } catch {
        throw new WebhookSignatureError('KDNiao push RequestData is not JSON');
      }
      const snapshots = (push.Data ?? []).flatMap((item) => {
        const carrier = carrierByExternalCode('kdniao', item.ShipperCode ?? '');
        return carrier && item.LogisticCode ? [snapshot(item, carrier, item.LogisticCode)] : [];
      });
      return { snapshots, reply: replyBody(options.eBusinessId, true, '', options.now?.() ?? new Date()) };
    },

    pushRejectionReply: (reason: string) =>
      replyBody(options.eBusinessId, false, reason, options.now?.() ?? new Date()),
  };
}

function replyBody(eBusinessId: string, success: boolean, reason: string, now: Date): string {
  const updateTime = new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
  return JSON.stringify({
    EBusinessID: eBusinessId,
    UpdateTime: updateTime,
    Success: success,
    Reason: reason,
  });
}

function snapshot(body: KdnTrace, carrier: CarrierCode, trackingNumber: string): TrackingSnapshot {
  const events: TrackingEvent[] = (body.Traces ?? []).map((t) => ({
    at: chinaTimeToIso(t.AcceptTime),
    status: statusFromText(t.AcceptStation),
    description: t.AcceptStation,
    ...(t.Location ? { location: t.Location } : {}),
  }));
  events.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const coarse = KDNIAO_STATE[body.State ?? ''] ?? 'pending';
  const last = events.at(-1);
  return {
    carrier,
    trackingNumber: body.LogisticCode || trackingNumber,
    status: last ? statusFromText(last.description, coarse) : coarse,
    events,
    source: 'kdniao',
  };
}
