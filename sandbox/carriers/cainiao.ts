import { randomBytes, randomUUID } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import type { FaultPlan, RateLimiter } from '../kit/rate-limit.js';
import { acceptForms, formBody, replyFault } from './form.js';
import type { CarrierNetwork, NetworkPlace } from './network.js';
import { areaCode } from './places.js';
import { sameText, topExpectedSign } from './verify.js';
import { carrierForCode } from './codes.js';
import type { WaybillRefusalKind, WaybillRefusals } from './refusals.js';
import { CainiaoBranches } from './cainiao-branches.js';
import type { ServiceAreas } from './service-areas.js';

export interface CainiaoSimulatorOptions {
  network: CarrierNetwork;
  /** TOP apps: app_key → app secret. */
  apps: Record<string, string>;
  /** Seller sessions (access tokens) authorised for waybill calls. */
  sessions: readonly string[];
  faults?: FaultPlan;
  /** Per app: over the limit answers TOP's code 7 App Call Limited. */
  rateLimiter?: RateLimiter;
  now?: () => Date;
  /** Scripted refusals of waybill requests, per carrier. */
  refusals?: WaybillRefusals;
  /** The branches each session subscribed and their waybill balances (unmetered when absent). */
  branches?: CainiaoBranches;
  /** Where each carrier does not deliver: `cainiao.waybill.address.reachable.query` answers from it. */
  serviceAreas?: ServiceAreas;
}

interface IssuedWaybill {
  cpCode: string;
  waybillCode: string;
  module: Record<string, unknown>;
  session: string;
  branchCode: string | null;
}

/** TOP accepts timestamps within 10 minutes of its clock (API-FACTS §1.1). */
const TIMESTAMP_TOLERANCE_MS = 10 * 60_000;

/**
 * How Cainiao refuses a waybill for each scripted reason. TOP error 27 is the documented "Invalid
 * session" (API-FACTS §1.1); the waybill sub_codes and messages are ❓ (not in the sources we
 * have), written after the messages sellers report from their shipping tools.
 */
const REFUSALS: Record<WaybillRefusalKind, [number, string, string, string]> = {
  no_balance: [
    15,
    'Remote service error',
    'isv.WAYBILL_BALANCE_NOT_ENOUGH',
    '电子面单余额不足，请联系网点充值',
  ],
  authorisation_expired: [27, 'Invalid session', 'session-expired', '授权已过期，请卖家重新授权'],
  address_not_served: [
    15,
    'Remote service error',
    'isv.ADDRESS_NOT_REACHABLE',
    '收件地址不在该快递公司服务范围内（超区）',
  ],
  account_not_configured: [
    15,
    'Remote service error',
    'isv.WAYBILL_SUBSCRIPTION_NOT_EXIST',
    '未订购该快递公司的电子面单服务',
  ],
};

class TopError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly subCode?: string,
    readonly subMsg?: string,
  ) {
    super(message);
  }
}

/**
 * Cainiao electronic waybill through the TOP gateway (`/router/rest`, API-FACTS §10):
 * `cainiao.waybill.ii.get` and `cainiao.waybill.ii.cancel`, TOP-signed. A repeated request for
 * the same package (cp_code + object/package id + trade orders) returns the waybill issued the
 * first time. Receivers given as `oaid` + `tid` get encrypted print data, printable only by
 * Cainiao's print component. Error codes 7/25/27/29/40/41 follow the commonly documented TOP
 * list (❓ API-FACTS §1.1); sub_codes for waybill errors are ❓.
 */
export const cainiaoSimulator: FastifyPluginAsync<CainiaoSimulatorOptions> = async (app, options) => {
  acceptForms(app);
  const now = options.now ?? (() => new Date());
  const issued = new Map<string, IssuedWaybill>();
  const byCode = new Map<string, IssuedWaybill & { cancelled: boolean }>();
  const branches = options.branches ?? new CainiaoBranches();

  app.post('/router/rest', async (request, reply) => {
    const params = { ...(request.query as Record<string, string>), ...formBody(request.body) };
    const method = params.method ?? '';
    const wrap = (body: Record<string, unknown>) =>
      params.simplify === 'true' ? body : { [`${method.replace(/\./g, '_')}_response`]: body };
    try {
      if (replyFault(reply, options.faults, method)) return reply;
      authenticate(params);
      if (options.rateLimiter && options.rateLimiter.take(params.app_key ?? '') > 0) {
        throw new TopError(7, 'App Call Limited', 'accesscontrol.limited-by-api-access-count');
      }
      switch (method) {
        case 'cainiao.waybill.ii.get':
          return wrap(getWaybills(params));
        case 'cainiao.waybill.ii.cancel':
          return wrap(cancelWaybill(params));
        case 'cainiao.waybill.ii.search':
          return wrap(searchSubscriptions(params));
        case 'cainiao.waybill.address.reachable.query':
          return wrap(reachable(params));
        default:
          throw new TopError(22, 'Invalid method', 'isv.invalid-method');
      }
    } catch (err) {
      if (!(err instanceof TopError)) throw err;
      return {
        error_response: {
          code: err.code,
          msg: err.message,
          ...(err.subCode ? { sub_code: err.subCode } : {}),
          ...(err.subMsg ? { sub_msg: err.subMsg } : {}),
          request_id: randomUUID().replace(/-/g, '').slice(0, 13),
        },
      };
    }
  });

  function authenticate(params: Record<string, string>): void {
    for (const name of ['method', 'app_key', 'timestamp', 'sign', 'sign_method', 'v']) {
      if (!params[name])
        throw new TopError(40, 'Missing required arguments', `isv.missing-parameter:${name}`);
    }
    const secret = options.apps[params.app_key!];
    if (secret === undefined) throw new TopError(29, 'Invalid app Key', 'isv.appkey-not-exists');
    const expected = topExpectedSign(params, secret, params.sign_method!);
    if (!expected) throw new TopError(41, 'Invalid arguments', 'isv.invalid-parameter:sign_method');
    if (!sameText(expected, params.sign!.toUpperCase())) throw new TopError(25, 'Invalid signature');
    const at = Date.parse(params.timestamp!.replace(' ', 'T') + '+08:00');
    if (!Number.isFinite(at) || Math.abs(at - now().getTime()) > TIMESTAMP_TOLERANCE_MS) {
      throw new TopError(41, 'Invalid arguments', 'isv.invalid-parameter:timestamp', '时间戳超出允许范围');
    }
    if (!params.session || !options.sessions.includes(params.session)) {
      throw new TopError(27, 'Invalid session', 'invalid-sessionkey');
    }
  }

  function getWaybills(params: Record<string, string>) {
    const raw = params.param_waybill_cloud_print_apply_new_request;
    if (!raw)
      throw new TopError(
        40,
        'Missing required arguments',
        'isv.missing-parameter:param_waybill_cloud_print_apply_new_request',
      );
    let req: Record<string, unknown>;
    try {
      req = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      throw new TopError(
        41,
        'Invalid arguments',
        'isv.invalid-parameter',
        'param_waybill_cloud_print_apply_new_request 不是合法的JSON',
      );
    }
    const cpCode = String(req.cp_code ?? '');
    const carrier = carrierForCode('cainiao', cpCode);
    if (!carrier)
      throw new TopError(15, 'Remote service error', 'isv.CP_CODE_NOT_SUPPORT', `不支持的物流公司 ${cpCode}`);
    const refusal = options.refusals?.for(carrier);
    if (refusal) throw new TopError(...REFUSALS[refusal]);
    const sender = (req.sender ?? {}) as Record<string, unknown>;
    const senderAddress = (sender.address ?? {}) as Record<string, unknown>;
    if (!senderAddress.province || !senderAddress.detail) {
      throw new TopError(15, 'Remote service error', 'isv.SENDER_ADDRESS_ERROR', '发件人地址不完整');
    }
    // 上门揽收 (`call_door_pick_up`, API-FACTS §10): the courier calls at the sender's, so the
    // sender must be reachable.
    const doorPickUp = req.call_door_pick_up === true || String(req.call_door_pick_up ?? '') === 'true';
    if (doorPickUp && (!sender.name || !(sender.mobile || sender.phone))) {
      throw new TopError(15, 'Remote service error', 'isv.SENDER_INFO_ERROR', '上门揽收需要发件人姓名和电话');
    }
    const dtos = Array.isArray(req.trade_order_info_dtos)
      ? (req.trade_order_info_dtos as Array<Record<string, unknown>>)
      : [];
    if (dtos.length === 0 || dtos.length > 10) {
      throw new TopError(
        41,
        'Invalid arguments',
        'isv.invalid-parameter:trade_order_info_dtos',
        '一次取号1~10个',
      );
    }
    const branchCode = req.shipping_branch_code ? String(req.shipping_branch_code) : undefined;
    const modules = dtos.map((dto) =>
      issue(
        params.session!,
        cpCode,
        carrier,
        senderAddress,
        dto,
        String(req.need_encrypt ?? '') === 'true',
        branchCode,
      ),
    );
    return { modules, request_id: randomUUID().replace(/-/g, '').slice(0, 13) };
  }

  function issue(
    session: string,
    cpCode: string,
    carrier: string,
    senderAddress: Record<string, unknown>,
    dto: Record<string, unknown>,
    needEncrypt: boolean,
    branchCode: string | undefined,
  ) {
    const objectId = String(dto.object_id ?? '');
    const orderInfo = (dto.order_info ?? {}) as Record<string, unknown>;
    const tradeOrders = Array.isArray(orderInfo.trade_order_list)
      ? orderInfo.trade_order_list.map(String)
      : [];
    const packageInfo = (dto.package_info ?? {}) as Record<string, unknown>;
    const recipient = (dto.recipient ?? {}) as Record<string, unknown>;
    const recipientAddress = (recipient.address ?? {}) as Record<string, unknown>;
    if (!objectId || tradeOrders.length === 0) {
      throw new TopError(
        41,
        'Invalid arguments',
        'isv.invalid-parameter:object_id',
        'object_id 和 trade_order_list 必填',
      );
    }
    const protectedReceiver = Boolean(recipient.oaid);
    if (protectedReceiver && !recipient.tid) {
      throw new TopError(15, 'Remote service error', 'isv.OAID_TID_REQUIRED', '使用oaid时必须传入tid');
    }
    if (
      !protectedReceiver &&
      (!recipient.name || !(recipient.mobile || recipient.phone) || !recipientAddress.detail)
    ) {
      throw new TopError(15, 'Remote service error', 'isv.RECIPIENT_INFO_ERROR', '收件人信息不完整');
    }
    const key = [session, cpCode, String(packageInfo.id ?? objectId), tradeOrders.join(',')].join('|');
    const existing = issued.get(key);
    if (existing) return { ...existing.module, object_id: objectId };
    // The branch pays one waybill from its balance; none left (or none subscribed) is a refusal.
    const drawn = branches.draw(session, cpCode, branchCode);
    if (!drawn.ok) throw new TopError(...REFUSALS[drawn.kind]);

    const origin = toPlace(senderAddress);
    const destination = toPlace(recipientAddress);
    const parcel = options.network.register({
      carrier,
      origin,
      destination,
      ...(recipient.mobile ? { receiverPhone: String(recipient.mobile) } : {}),
      ...(packageInfo.weight !== undefined ? { weightG: Number(packageInfo.weight) } : {}),
    });
    const originCode = areaCode(origin.province, origin.city);
    const destCode = areaCode(destination.province, destination.city);
    const sortation = `${destCode}-${String((parcel.trackingNumber.charCodeAt(parcel.trackingNumber.length - 1) % 9) + 1).padStart(2, '0')} ${destination.district ? 'A' : 'B'}${(parcel.trackingNumber.length % 8) + 1}`;
    const templateURL = String(dto.template_url ?? 'http://cloudprint.cainiao.com/template/standard/101');
    const data = {
      cpCode,
      waybillCode: parcel.trackingNumber,
      routingInfo: {
        origin: { code: originCode, name: origin.city },
        consolidation: { code: destCode, name: `${destination.city || destination.province}集包地` },
        sortation: { name: sortation },
      },
      sender: { address: senderAddress },
      recipient: protectedReceiver ? { address: recipientAddress } : recipient,
    };
    const printData =
      protectedReceiver || needEncrypt
        ? {
            encryptedData: randomBytes(96).toString('base64'),
            signature: randomBytes(24).toString('hex'),
            templateURL,
            ver: 'waybill_print_secret_version_1',
          }
        : { data, signature: randomBytes(24).toString('hex'), templateURL };
    const module = {
      object_id: objectId,
      waybill_code: parcel.trackingNumber,
      cp_code: cpCode,
      print_data: JSON.stringify(printData),
    };
    const record = {
      cpCode,
      waybillCode: parcel.trackingNumber,
      module,
      session,
      branchCode: drawn.branch?.code ?? null,
    };
    issued.set(key, record);
    byCode.set(`${cpCode}|${parcel.trackingNumber}`, { ...record, cancelled: false });
    return module;
  }

  function cancelWaybill(params: Record<string, string>) {
    const record = byCode.get(`${params.cp_code ?? ''}|${params.waybill_code ?? ''}`);
    if (!record) throw new TopError(15, 'Remote service error', 'isv.WAYBILL_NOT_EXIST', '面单号不存在');
    if (record.cancelled) return { cancel_result: true };
    const outcome = options.network.cancel(record.waybillCode);
    if (outcome === 'collected') {
      throw new TopError(15, 'Remote service error', 'isv.WAYBILL_CANNOT_CANCEL', '面单已揽收，不能取消');
    }
    record.cancelled = true;
    if (record.branchCode) branches.giveBack(record.session, record.cpCode, record.branchCode);
    return { cancel_result: true };
  }

  /**
   * 地址可达查询: whether the carrier delivers to the address, from the carrier's service areas.
   * A cp_code Cainiao does not know is answered as a failed request (`success` false).
   */
  function reachable(params: Record<string, string>) {
    let dto: Record<string, unknown>;
    try {
      dto = JSON.parse(params.reachable_recommend_request_dto ?? '') as Record<string, unknown>;
    } catch {
      throw new TopError(
        40,
        'Missing required arguments',
        'isv.missing-parameter:reachable_recommend_request_dto',
      );
    }
    const cpCode = String(dto.cp_code ?? '');
    const address = (dto.address ?? {}) as Record<string, unknown>;
    const carrier = carrierForCode('cainiao', cpCode);
    const province = String(address.province_name ?? '');
    const city = String(address.city_name ?? '');
    const requestId = randomUUID().replace(/-/g, '').slice(0, 13);
    if (!carrier || !province) {
      return {
        result: {
          success: false,
          error_info_list: [
            carrier
              ? { error_code: 'ADDRESS_ILLEGAL', error_message: '地址省份不能为空' }
              : { error_code: 'CP_CODE_NOT_SUPPORT', error_message: `不支持的物流公司 ${cpCode}` },
          ],
        },
        request_id: requestId,
      };
    }
    const served = !options.serviceAreas || options.serviceAreas.serves(carrier, { province, city });
    return {
      result: {
        success: true,
        module: served
          ? { reachable: true, reachable_cps: [{ cp_code: cpCode, cp_name: carrier }] }
          : {
              reachable: false,
              interrupt_type: 'OUT_OF_RANGE',
              interrupt_reason: `${province}${city} 不在该快递公司派送范围`,
              reachable_cps: [],
            },
      },
      request_id: requestId,
    };
  }

  /** The session's subscriptions: carriers, their branches and the waybills left at each. */
  function searchSubscriptions(params: Record<string, string>) {
    const subscriptions = branches.subscriptions(params.session!, params.cp_code || undefined);
    return {
      waybill_apply_subscription_cols: subscriptions.map((sub) => ({
        cp_code: sub.cpCode,
        cp_type: sub.cpCode === 'SF' || sub.cpCode === 'EMS' || sub.cpCode === 'JD' ? 1 : 2,
        branch_account_cols: sub.branches.map((b) => ({
          branch_code: b.code,
          branch_name: b.name,
          quantity: b.quantity,
          allocated_quantity: b.allocated,
          cancel_quantity: b.cancelled,
          print_quantity: b.allocated,
        })),
      })),
      request_id: randomUUID().replace(/-/g, '').slice(0, 13),
    };
  }
};

function toPlace(address: Record<string, unknown>): NetworkPlace {
  return {
    province: String(address.province ?? ''),
    city: String(address.city ?? ''),
    ...(address.district ? { district: String(address.district) } : {}),
  };
}
