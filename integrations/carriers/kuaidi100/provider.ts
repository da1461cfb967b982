import type { CarrierCode } from '../../../domain/carriers/codes.js';
import { sameSecret } from '../constant-time.js';
import { carrierByExternalCode, carrierProfile } from '../../../domain/carriers/registry.js';
import {
  chinaTimeToIso,
  KUAIDI100_EVENT_STATUS,
  KUAIDI100_STATE,
  latestStatus,
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
import { kuaidi100PushSign, kuaidi100QuerySign } from './sign.js';

export interface Kuaidi100Options extends CarrierHttpOptions {
  customer: string;
  key: string;
  /** Salt sent with every subscription; pushes are verified with it. */
  salt: string;
}

interface K100Result {
  result?: boolean;
  returnCode?: string;
  message?: string;
  nu?: string;
  com?: string;
  state?: string;
  ischeck?: string;
  data?: Array<{
    time?: string;
    ftime?: string;
    context?: string;
    location?: string;
    areaName?: string;
    status?: string;
  }>;
}

const OK_REPLY = JSON.stringify({ result: true, returnCode: '200', message: '成功' });

/**
 * Kuaidi100 (API-FACTS §11): real-time query, subscriptions pushed to our webhook, and push
 * verification. Statuses map through KUAIDI100_STATE / KUAIDI100_EVENT_STATUS
 * (domain/carriers/tracking.ts).
 */
export function createKuaidi100Provider(options: Kuaidi100Options): TrackingProvider {
  const com = (carrier: CarrierCode) => carrierProfile(carrier).codes.kuaidi100;
  const post = async (path: string, fields: Record<string, string>): Promise<K100Result> => {
    const result = await httpCall({
      platform: 'kuaidi100',
      url: endpoint(options.baseUrl, path),
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8' },
      body: new URLSearchParams(fields).toString(),
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    });
    try {
      return JSON.parse(result.text) as K100Result;
    } catch {
      throw new TransientPlatformError(
        `Kuaidi100 answered ${result.status} with a body that is not JSON`,
        'kuaidi100',
      );
    }
  };

  return {
    name: 'kuaidi100',
    supports: (carrier) => com(carrier) !== undefined,

    async query(query: TrackingQuery): Promise<TrackingSnapshot> {
      const code = requireCode(com(query.carrier), query.carrier);
      const param = JSON.stringify({
        com: code,
        num: query.trackingNumber,
        phone: query.phone ?? '',
        from: '',
        to: '',
        resultv2: '1',
        show: '0',
        order: 'desc',
      });
      const body = await post('/poll/query.do', {
        customer: options.customer,
        sign: kuaidi100QuerySign(param, options.key, options.customer),
        param,
      });
      if (body.result === false) {
        // "查询无结果，请隔段时间再查": the carrier has not scanned the parcel yet.
        if (body.returnCode === '500') {
          return {
            carrier: query.carrier,
            trackingNumber: query.trackingNumber,
            status: 'pending',
            events: [],
            source: 'kuaidi100',
          };
        }
        throw failure('query', body);
      }
      return snapshot(body, query.carrier, query.trackingNumber);
    },

    async subscribe(subscription: TrackingSubscription): Promise<void> {
      const code = requireCode(com(subscription.carrier), subscription.carrier);
      const param = JSON.stringify({
        company: code,
        number: subscription.trackingNumber,
        from: '',
        to: '',
        key: options.key,
        parameters: {
          callbackurl: subscription.callbackUrl,
          salt: options.salt,
          resultv2: '1',
          autoCom: '0',
          interCom: '0',
          ...(subscription.phone ? { phone: subscription.phone } : {}),
        },
      });
      const body = await post('/poll', { schema: 'json', param });
      // 501 重复订阅: already subscribed, which is what we wanted.
      if (body.result === true || body.returnCode === '501') return;
      throw failure('subscribe', body);
    },

    parsePush(rawBody: string): TrackingPush {
      const form = new URLSearchParams(rawBody);
      const param = form.get('param');
      const sign = form.get('sign');
      if (!param) throw new WebhookSignatureError('Kuaidi100 push without param');
      if (!sign || !sameSecret(sign.toUpperCase(), kuaidi100PushSign(param, options.salt))) {
        throw new WebhookSignatureError('Kuaidi100 push signature does not match');
      }
      let push: { status?: string; autoCheck?: string; comNew?: string; lastResult?: K100Result };
      try {
        push = JSON.parse(param) as typeof push;
      } catch {
        throw new WebhookSignatureError('Kuaidi100 push param is not JSON');
      }
      const last = push.lastResult ?? {};
      // Kuaidi100 may correct the carrier it tracks with (autoCheck=1, comNew).
      const comNow = push.autoCheck === '1' && push.comNew ? push.comNew : (last.com ?? '');
      const carrier = carrierByExternalCode('kuaidi100', comNow);
      if (!carrier)
        throw new RequestRejectedError(`Kuaidi100 pushed an unknown carrier "${comNow}"`, 'kuaidi100');
      return {
        snapshots: [snapshot(last, carrier, last.nu ?? '')],
        reply: OK_REPLY,
        // abort: "3天查询无记录" / "60天无变化" — Kuaidi100 stopped; subscribe again later.
        ...(push.status === 'abort' ? { resubscribe: true } : {}),
      };
    },

    pushRejectionReply: (reason: string) =>
      JSON.stringify({ result: false, returnCode: '500', message: reason }),
  };
}

function requireCode(code: string | undefined, carrier: CarrierCode): string {
  if (!code) throw new RequestRejectedError(`Kuaidi100 has no code for ${carrier}`, 'kuaidi100');
  return code;
}

function failure(operation: string, body: K100Result): Error {
  const message = `Kuaidi100 ${operation}: ${body.returnCode ?? ''} ${body.message ?? ''}`.trim();
  if (body.returnCode === '503' || body.returnCode === '600' || body.returnCode === '601') {
    return new AuthError(message, 'kuaidi100', body.returnCode);
  }
  if (body.returnCode === '502') return new TransientPlatformError(message, 'kuaidi100', body.returnCode);
  return new RequestRejectedError(message, 'kuaidi100', body.returnCode);
}

function snapshot(body: K100Result, carrier: CarrierCode, trackingNumber: string): TrackingSnapshot {
  const events: TrackingEvent[] = (body.data ?? []).map((d) => {
    const description = d.context ?? '';
    const location = d.areaName || d.location;
    return {
      at: chinaTimeToIso(d.ftime || d.time || ''),
      status: (d.status && KUAIDI100_EVENT_STATUS[d.status]) || statusFromText(description),
      description,
      ...(location ? { location } : {}),
    };
  });
  events.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  return {
    carrier,
    trackingNumber: body.nu || trackingNumber,
    status: (body.state && KUAIDI100_STATE[body.state]) || latestStatus(events),
    events,
    source: 'kuaidi100',
  };
}
