import type { FastifyPluginAsync } from 'fastify';
import type { FaultPlan } from '../kit/rate-limit.js';
import { acceptForms, formBody, replyFault } from './form.js';
import { chinaTime, type CarrierNetwork, type ScanKind, type SimParcel } from './network.js';
import { sendFormPush, type PushLog } from './push-log.js';
import { kuaidi100ExpectedPushSign, kuaidi100ExpectedQuerySign, sameText } from './verify.js';
import { carrierForCode } from './codes.js';

export interface Kuaidi100SimulatorOptions {
  network: CarrierNetwork;
  /** Enterprise accounts: customer → key (the key also authorises subscriptions). */
  accounts: Record<string, string>;
  pushLog: PushLog;
  faults?: FaultPlan;
  /** Used to post pushes; defaults to global fetch. */
  fetch?: typeof fetch;
}

interface Subscription {
  company: string;
  number: string;
  key: string;
  callbackUrl: string;
  salt?: string;
  /** Kuaidi100 stops pushing once a parcel is signed for (status `shutdown`). */
  closed: boolean;
}

/** Kuaidi100 `state` and per-event `status` word for each kind of scan (API-FACTS §11). */
const STATE: Record<ScanKind, [state: string, word: string]> = {
  collected: ['1', '揽收'],
  departed: ['0', '在途'],
  arrived: ['0', '在途'],
  delivering: ['5', '派件'],
  signed: ['3', '签收'],
  problem: ['2', '疑难'],
  returning: ['6', '退回'],
  returned_signed: ['4', '退签'],
  rejected: ['14', '拒签'],
};

const fail = (returnCode: string, message: string) => ({ result: false, returnCode, message });

/**
 * Kuaidi100 (API-FACTS §11): real-time query `POST /poll/query.do` (sign = UPPER(MD5(param + key +
 * customer))) and subscription `POST /poll` (schema=json; the callbackurl and salt are stored and
 * every later scan is pushed there as a signed form: param + UPPER(MD5(param + salt))). Failure
 * return codes (400, 500, 501 重复订阅, 503 签名失败, 600, 700, 701) follow Kuaidi100's published
 * list as mirrored by community SDKs (⚠️); SF numbers need the phone, as Kuaidi100 says.
 */
export const kuaidi100Simulator: FastifyPluginAsync<Kuaidi100SimulatorOptions> = async (app, options) => {
  acceptForms(app);
  const subscriptions = new Map<string, Subscription>();
  const keys = new Set(Object.values(options.accounts));

  const stop = options.network.onScan((parcel) => {
    for (const sub of subscriptions.values()) {
      if (sub.closed || sub.number !== parcel.trackingNumber) continue;
      if (carrierForCode('kuaidi100', sub.company) !== parcel.carrier) continue;
      const signed = parcel.scans.at(-1)?.kind === 'signed';
      if (signed) sub.closed = true;
      const param = JSON.stringify({
        status: signed ? 'shutdown' : 'polling',
        billstatus: signed ? 'check' : 'got',
        message: '',
        autoCheck: '0',
        comOld: '',
        comNew: '',
        lastResult: trackingBody(parcel, sub.company),
      });
      const fields: Record<string, string> = { param };
      if (sub.salt) fields.sign = kuaidi100ExpectedPushSign(param, sub.salt);
      void sendFormPush(
        options.pushLog,
        { service: 'kuaidi100', url: sub.callbackUrl, trackingNumber: parcel.trackingNumber, fields },
        (reply) => /"result"\s*:\s*true/.test(reply),
        options.fetch,
      );
    }
  });
  app.addHook('onClose', async () => stop());

  app.post('/poll/query.do', async (request, reply) => {
    const { customer, sign, param } = formBody(request.body);
    if (!customer || !sign || !param) return fail('400', '提交的数据不完整，或者贵公司没授权');
    if (replyFault(reply, options.faults, 'query')) return reply;
    const key = options.accounts[customer];
    if (key === undefined || !sameText(kuaidi100ExpectedQuerySign(param, key, customer), sign)) {
      return fail('503', '验证签名失败');
    }
    let query: Record<string, unknown>;
    try {
      query = JSON.parse(param) as Record<string, unknown>;
    } catch {
      return fail('400', 'param 不是合法的JSON');
    }
    const com = String(query.com ?? '');
    const num = String(query.num ?? '');
    const carrier = carrierForCode('kuaidi100', com);
    if (!carrier) return fail('400', '找不到对应公司');
    if (carrier === 'SF' && !String(query.phone ?? '').trim())
      return fail('400', '顺丰单号需要提供收寄件人的手机号');
    const parcel = options.network.get(num);
    if (!parcel || parcel.carrier !== carrier || parcel.scans.length === 0)
      return fail('500', '查询无结果，请隔段时间再查');
    const body = trackingBody(parcel, com);
    if (String(query.order ?? 'desc') === 'asc') body.data.reverse();
    return body;
  });

  app.post('/poll', async (request, reply) => {
    const { schema, param } = formBody(request.body);
    if (schema !== 'json' || !param)
      return fail(
        '700',
        '订阅方的订阅数据存在错误（如不支持的快递公司、单号为空、单号超长等）或错误的回调地址',
      );
    if (replyFault(reply, options.faults, 'subscribe')) return reply;
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(param) as Record<string, unknown>;
    } catch {
      return fail('700', '订阅方的订阅数据存在错误');
    }
    const key = String(body.key ?? '');
    if (!keys.has(key)) return fail('600', '您不是合法的订阅者（即授权Key出错）');
    const company = String(body.company ?? '');
    const number = String(body.number ?? '');
    const parameters = (body.parameters ?? {}) as Record<string, unknown>;
    const callbackUrl = String(parameters.callbackurl ?? '');
    if (!number || !/^https?:\/\//.test(callbackUrl))
      return fail('700', '订阅方的订阅数据存在错误（单号为空或错误的回调地址）');
    if (!carrierForCode('kuaidi100', company)) return fail('701', '拒绝订阅的快递公司');
    const id = `${key}|${company}|${number}`;
    if (subscriptions.has(id)) return fail('501', '重复订阅');
    const salt = String(parameters.salt ?? '');
    subscriptions.set(id, { company, number, key, callbackUrl, ...(salt ? { salt } : {}), closed: false });
    return { result: true, returnCode: '200', message: '提交成功' };
  });
};

function trackingBody(parcel: SimParcel, com: string) {
  const last = parcel.scans.at(-1);
  const [state] = last ? STATE[last.kind] : ['0'];
  return {
    message: 'ok',
    nu: parcel.trackingNumber,
    ischeck: last?.kind === 'signed' ? '1' : '0',
    condition: 'F00',
    com,
    status: '200',
    state,
    data: [...parcel.scans].reverse().map((scan) => ({
      time: chinaTime(scan.at),
      ftime: chinaTime(scan.at),
      context: scan.context,
      location: scan.city,
      areaName: scan.city,
      status: STATE[scan.kind][1],
    })),
  };
}
