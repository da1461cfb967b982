import { randomInt, randomUUID } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import type { FaultPlan, RateLimiter } from '../kit/rate-limit.js';
import { acceptForms, formBody, replyFault } from './form.js';
import { chinaTime, type CarrierNetwork, type NetworkPlace, type ScanKind } from './network.js';
import { areaCode } from './places.js';
import { sendJsonPush, type PushLog } from './push-log.js';
import { sfDigestMatches } from './verify.js';
import type { WaybillRefusalKind, WaybillRefusals } from './refusals.js';
import type { ServiceAreas } from './service-areas.js';

export interface SfSimulatorOptions {
  network: CarrierNetwork;
  /** 顾客编码 (partnerID) → 校验码 (checkword). */
  partners: Record<string, string>;
  faults?: FaultPlan;
  /** Per partner: over the limit answers A1005 流量受控. */
  rateLimiter?: RateLimiter;
  /**
   * The route-push URL set for a partner in the 丰桥 console (read at each scan, so it can be set
   * later); without one, or without `pushLog`, nothing is pushed.
   */
  pushUrl?: (partnerId: string) => string | undefined;
  pushLog?: PushLog;
  fetch?: typeof fetch;
  /** Wait before pushing unacknowledged routes again (SF tries three times). */
  pushRetryDelayMs?: number;
  /** Scripted refusals of SF orders (key `SF`, or `*`). */
  refusals?: WaybillRefusals;
  /** Where SF does not deliver (key `SF`): screening answers 不可收派, orders are refused 超区. */
  serviceAreas?: ServiceAreas;
}

/**
 * How 丰桥 refuses an order for each scripted reason. A1004 (no permission) is the documented
 * envelope code (API-FACTS §9); the business error codes and texts are ❓ — SF does not publish
 * them in the sources we have.
 */
const REFUSALS: Record<WaybillRefusalKind, { envelope?: string; code: string; message: string }> = {
  no_balance: { code: '8119', message: '月结账户余额不足，请充值后再下单' },
  authorisation_expired: { envelope: 'A1004', code: '', message: '无对应服务权限：授权已过期' },
  address_not_served: { code: '8096', message: '收方地址不在顺丰服务范围内（超区）' },
  account_not_configured: { code: '8114', message: '月结卡号未绑定该顾客编码' },
};

interface SfOrder {
  orderId: string;
  waybillNo: string;
  originCode: string;
  destCode: string;
  cancelled: boolean;
  /** Placed as a return order (退货下单). */
  reverse: boolean;
  response: Record<string, unknown>;
}

/** How SF reports each scan (opCode ❓UNVERIFIED, see domain/carriers/tracking.ts SF_OP_CODE). */
const OP_CODES: Record<ScanKind, string> = {
  collected: '50',
  departed: '30',
  arrived: '31',
  delivering: '44',
  signed: '80',
  problem: '70',
  returning: '99',
  returned_signed: '80',
  rejected: '70',
};

class SfBusinessError extends Error {
  constructor(
    readonly errorCode: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * SF Express 丰桥 `/std/service` (API-FACTS §9): form POST with partnerID, requestID,
 * serviceCode, timestamp, msgDigest, msgData. The envelope's `apiResultCode` reports gateway
 * problems (A1000 ok, A1001 missing parameter, A1004 no permission, A1005 rate limited, A1006
 * bad digest ⚠️ SF doc mirrors); `apiResultData` is a JSON string with the service's answer.
 * Business error codes inside it (1010, 8024, 8037, 8252) are ❓ — SF does not publish them in
 * the sources we have — and the adapter only relies on `success`.
 *
 * Route push (RoutePushService, json method, integrations/carriers/README.md): every scan of a
 * waybill ordered here is posted as `{"Body":{"WaybillRoute":[…]}}` to the partner's push URL —
 * unsigned, as SF's is — and pushed again while the answer is not `return_code` 0000.
 */
export const sfSimulator: FastifyPluginAsync<SfSimulatorOptions> = async (app, options) => {
  acceptForms(app);
  const orders = new Map<string, SfOrder>();
  /** waybillNo → who ordered it through 丰桥, for the route push. */
  const orderedBy = new Map<string, { partner: string; orderId: string }>();
  // 15-digit route node ids, like SF's (`158918741444476`).
  let routeId = 158_000_000_000_000 + randomInt(0, 2 ** 40);

  // RoutePushService: each new scan of a waybill ordered through 丰桥 goes to the partner's push
  // URL as JSON, until acknowledged with return_code 0000 (three tries).
  const stop = options.network.onScan((parcel, scan) => {
    const order = orderedBy.get(parcel.trackingNumber);
    const url = order ? options.pushUrl?.(order.partner) : undefined;
    if (!order || !url || !options.pushLog) return;
    const route = {
      id: String(routeId++),
      mailno: parcel.trackingNumber,
      orderid: order.orderId,
      acceptTime: chinaTime(scan.at),
      acceptAddress: scan.city,
      remark: scan.context,
      opCode: OP_CODES[scan.kind],
      reasonCode: '',
      reasonName: '',
    };
    void sendJsonPush(
      options.pushLog,
      {
        service: 'sf',
        url,
        trackingNumber: parcel.trackingNumber,
        body: JSON.stringify({ Body: { WaybillRoute: [route] } }),
      },
      (reply) => /"return_code"\s*:\s*"0000"/.test(reply),
      {
        ...(options.fetch ? { fetch: options.fetch } : {}),
        ...(options.pushRetryDelayMs !== undefined ? { retryDelayMs: options.pushRetryDelayMs } : {}),
      },
    );
  });
  app.addHook('onClose', async () => stop());

  const envelope = (code: string, message: string, data?: unknown) => ({
    apiErrorMsg: message,
    apiResponseID: randomUUID().replace(/-/g, '').toUpperCase(),
    apiResultCode: code,
    apiResultData: data === undefined ? null : JSON.stringify(data),
  });

  app.post('/std/service', async (request, reply) => {
    const form = formBody(request.body);
    const { partnerID, requestID, serviceCode, timestamp, msgDigest, msgData } = form;
    if (!partnerID || !requestID || !serviceCode || !timestamp || !msgDigest || !msgData) {
      return envelope('A1001', '必传参数不可为空');
    }
    if (replyFault(reply, options.faults, serviceCode)) return reply;
    const checkword = options.partners[partnerID];
    if (checkword === undefined) return envelope('A1004', '无对应服务权限');
    if (!sfDigestMatches(msgDigest, msgData, timestamp, checkword)) return envelope('A1006', '数字签名无效');
    if (options.rateLimiter && options.rateLimiter.take(partnerID) > 0) return envelope('A1005', '流量受控');

    let body: Record<string, unknown>;
    try {
      body = JSON.parse(msgData) as Record<string, unknown>;
    } catch {
      return envelope('A1000', '', failure('1000', 'msgData 不是合法的JSON'));
    }
    try {
      switch (serviceCode) {
        // 退货下单 (SF's official SDK service list) is taken as an order whose sender is the buyer
        // and whose receiver is the seller's return address, answered like an order ❓.
        case 'EXP_RECE_CREATE_ORDER':
        case 'EXP_RECE_CREATE_REVERSE_ORDER': {
          const refusal = options.refusals?.for('SF');
          if (refusal) {
            const r = REFUSALS[refusal];
            if (r.envelope) return envelope(r.envelope, r.message);
            throw new SfBusinessError(r.code, r.message);
          }
          const reverse = serviceCode === 'EXP_RECE_CREATE_REVERSE_ORDER';
          return envelope('A1000', '', success(createOrder(partnerID, body, reverse)));
        }
        case 'EXP_RECE_FILTER_ORDER_BSP':
          return envelope('A1000', '', success(filterOrder(body)));
        case 'EXP_RECE_UPDATE_ORDER':
          return envelope('A1000', '', success(updateOrder(partnerID, body)));
        case 'EXP_RECE_SEARCH_ROUTES':
          return envelope('A1000', '', success(searchRoutes(body)));
        default:
          return envelope('A1004', `无对应服务权限: ${serviceCode}`);
      }
    } catch (err) {
      if (err instanceof SfBusinessError) return envelope('A1000', '', failure(err.errorCode, err.message));
      throw err;
    }
  });

  function createOrder(partner: string, body: Record<string, unknown>, reverse = false) {
    const orderId = text(body.orderId);
    if (!orderId) throw new SfBusinessError('1010', 'orderId 不能为空');
    // A return order is the seller's, billed to its monthly card whoever hands the parcel over.
    if (reverse && !text(body.monthlyCard)) throw new SfBusinessError('6126', '月结卡号不合法');
    const key = `${reverse ? 'reverse' : 'order'}/${partner}/${orderId}`;
    // SF documents that a repeated orderId returns the first order's waybill.
    const existing = orders.get(key);
    if (existing) return existing.response;

    const contacts = Array.isArray(body.contactInfoList)
      ? (body.contactInfoList as Array<Record<string, unknown>>)
      : [];
    const sender = contacts.find((c) => Number(c.contactType) === 1);
    const receiver = contacts.find((c) => Number(c.contactType) === 2);
    if (!sender || !receiver) throw new SfBusinessError('1010', '寄件人和收件人信息不能为空');
    for (const [who, c] of [
      ['寄件', sender],
      ['收件', receiver],
    ] as const) {
      if (!text(c.address) || !text(c.province)) throw new SfBusinessError('1010', `${who}地址不能为空`);
      if (!text(c.contact) || !(text(c.mobile) || text(c.tel)))
        throw new SfBusinessError('1010', `${who}人联系方式不能为空`);
    }
    const origin = place(sender);
    const destination = place(receiver);
    if (options.serviceAreas && !options.serviceAreas.serves('SF', destination)) {
      const r = REFUSALS.address_not_served;
      throw new SfBusinessError(r.code, r.message);
    }
    const weightKg = Number(body.totalWeight);
    const parcel = options.network.register({
      carrier: 'SF',
      origin,
      destination,
      receiverPhone: text(receiver.mobile) || text(receiver.tel),
      ...(Number.isFinite(weightKg) ? { weightG: Math.round(weightKg * 1000) } : {}),
    });
    const originCode = areaCode(origin.province, origin.city);
    const destCode = areaCode(destination.province, destination.city);
    const waybillNo = parcel.trackingNumber;
    const response = {
      orderId,
      originCode,
      destCode,
      filterResult: 2,
      remark: '',
      waybillNoInfoList: [{ waybillType: 1, waybillNo }],
      routeLabelInfo: [
        {
          code: '1000',
          message: 'SUCCESS',
          routeLabelData: {
            waybillNo,
            sourceTransferCode: `${originCode}W`,
            sourceCityCode: originCode,
            destRouteLabel: `${destCode}WE-${originCode}A`,
            destTeamCode: '002',
            destCityCode: destCode,
            proCode: 'T4',
            twoDimensionCode: `MMM={'k1':'${destCode}WE','k2':'${originCode}W','k3':'002','k4':'T4','k5':'${waybillNo}','k6':'','k7':'${orderId}'}`,
          },
        },
      ],
    };
    const order: SfOrder = { orderId, waybillNo, originCode, destCode, cancelled: false, reverse, response };
    orders.set(key, order);
    orderedBy.set(waybillNo, { partner, orderId });
    return response;
  }

  /**
   * 订单筛选: 2 可收派, or 3 不可收派 with remark 1 (收方超范围) where the receiver's area is out
   * of SF's network. The codes' meanings are ❓ (API-FACTS §9); this is how the adapter reads them.
   */
  function filterOrder(body: Record<string, unknown>) {
    const contacts = Array.isArray(body.contactInfos)
      ? (body.contactInfos as Array<Record<string, unknown>>)
      : [];
    const receiver = contacts.find((c) => Number(c.contactType) === 2);
    if (!receiver || !text(receiver.province)) throw new SfBusinessError('1010', '收件人地址不能为空');
    const destination = place(receiver);
    const sender = contacts.find((c) => Number(c.contactType) === 1);
    const served = !options.serviceAreas || options.serviceAreas.serves('SF', destination);
    return {
      orderId: text(body.orderId),
      filterResult: served ? 2 : 3,
      originCode: sender && text(sender.province) ? areaCode(text(sender.province), text(sender.city)) : '',
      destCode: served ? areaCode(destination.province, destination.city) : '',
      remark: served ? '' : '1',
    };
  }

  function updateOrder(partner: string, body: Record<string, unknown>) {
    const orderId = text(body.orderId);
    const order = orders.get(`order/${partner}/${orderId}`);
    if (!order) throw new SfBusinessError('8024', '未下单');
    if (Number(body.dealType) !== 2) {
      return { orderId, waybillNoInfoList: [{ waybillType: 1, waybillNo: order.waybillNo }], resStatus: 1 };
    }
    if (order.cancelled) throw new SfBusinessError('8037', '已消单');
    const outcome = options.network.cancel(order.waybillNo);
    if (outcome === 'collected') throw new SfBusinessError('8252', '订单已揽收，不能取消');
    order.cancelled = true;
    return { orderId, waybillNoInfoList: [{ waybillType: 1, waybillNo: order.waybillNo }], resStatus: 2 };
  }

  function searchRoutes(body: Record<string, unknown>) {
    const numbers = Array.isArray(body.trackingNumber) ? body.trackingNumber.map(String) : [];
    const byOrderId = String(body.trackingType ?? '1') === '2';
    const routeResps = numbers.map((number) => {
      const waybillNo = byOrderId
        ? [...orders.values()].find((o) => o.orderId === number)?.waybillNo
        : number;
      const parcel = waybillNo ? options.network.get(waybillNo) : undefined;
      return {
        mailNo: waybillNo ?? number,
        routes: (parcel?.scans ?? []).map((scan) => ({
          acceptTime: chinaTime(scan.at),
          acceptAddress: scan.city,
          remark: scan.context,
          opCode: OP_CODES[scan.kind],
        })),
      };
    });
    return { routeResps };
  }
};

function success(msgData: unknown) {
  return { success: true, errorCode: 'S0000', errorMsg: null, msgData };
}

function failure(errorCode: string, errorMsg: string) {
  return { success: false, errorCode, errorMsg, msgData: null };
}

function text(value: unknown): string {
  return typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';
}

function place(contact: Record<string, unknown>): NetworkPlace {
  return {
    province: text(contact.province),
    city: text(contact.city),
    ...(text(contact.county) ? { district: text(contact.county) } : {}),
  };
}
