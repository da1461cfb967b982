import type { FastifyPluginAsync } from 'fastify';
import type { FaultPlan } from '../kit/rate-limit.js';
import { acceptForms, formBody, replyFault } from './form.js';
import { chinaTime, type CarrierNetwork, type ScanKind, type SimParcel } from './network.js';
import { sendFormPush, type PushLog } from './push-log.js';
import { kdniaoExpectedSign, sameText } from './verify.js';
import { carrierForCode } from './codes.js';

export interface KdniaoAccount {
  appKey: string;
  /** Where KDNiao pushes subscribed parcels: set once in KDNiao's console, not per request. */
  pushUrl?: string;
}

export interface KdniaoSimulatorOptions {
  network: CarrierNetwork;
  /** EBusinessID → account. */
  accounts: Record<string, KdniaoAccount>;
  pushLog: PushLog;
  faults?: FaultPlan;
  fetch?: typeof fetch;
  now?: () => Date;
}

/** KDNiao `State` per scan (❓UNVERIFIED meanings, API-FACTS §12: 0 none, 1 揽收, 2 在途, 3 签收, 4 问题件). */
const STATE: Record<ScanKind, string> = {
  collected: '1',
  departed: '2',
  arrived: '2',
  delivering: '2',
  signed: '3',
  returned_signed: '3',
  problem: '4',
  rejected: '4',
  returning: '4',
};

/**
 * KDNiao `/Ebusiness/EbusinessOrderHandle.aspx` (API-FACTS §12): form POST of RequestData (JSON),
 * EBusinessID, RequestType, DataSign = Base64(lower-hex MD5(RequestData + AppKey)), DataType=2.
 * 1002 real-time query; 1008 / 8008 subscription, after which every scan is pushed to the
 * account's push URL as RequestType 101 with the same DataSign. Response and push field sets
 * follow community code (⚠️/❓); error texts are the simulator's own.
 */
export const kdniaoSimulator: FastifyPluginAsync<KdniaoSimulatorOptions> = async (app, options) => {
  acceptForms(app);
  const now = options.now ?? (() => new Date());
  /** `${EBusinessID}|${ShipperCode}|${LogisticCode}` */
  const subscriptions = new Set<string>();

  const stop = options.network.onScan((parcel) => {
    for (const id of subscriptions) {
      const [eBusinessId = '', shipperCode = '', logisticCode = ''] = id.split('|');
      if (logisticCode !== parcel.trackingNumber) continue;
      const account = options.accounts[eBusinessId];
      if (!account?.pushUrl) continue;
      const requestData = JSON.stringify({
        PushTime: chinaTime(now()),
        EBusinessID: eBusinessId,
        Count: '1',
        Data: [{ EBusinessID: eBusinessId, ...trace(parcel, shipperCode) }],
      });
      void sendFormPush(
        options.pushLog,
        {
          service: 'kdniao',
          url: account.pushUrl,
          trackingNumber: parcel.trackingNumber,
          fields: {
            RequestData: requestData,
            DataSign: kdniaoExpectedSign(requestData, account.appKey),
            RequestType: '101',
          },
        },
        (reply) => /"Success"\s*:\s*true/.test(reply),
        options.fetch,
      );
    }
  });
  app.addHook('onClose', async () => stop());

  app.post('/Ebusiness/EbusinessOrderHandle.aspx', async (request, reply) => {
    const { RequestData, EBusinessID, RequestType, DataSign } = formBody(request.body);
    const answer = (body: Record<string, unknown>) => ({ EBusinessID: EBusinessID ?? '', ...body });
    if (!RequestData || !EBusinessID || !RequestType || !DataSign) {
      return answer({
        Success: false,
        Reason: '参数不完整：RequestData、EBusinessID、RequestType、DataSign 必填',
      });
    }
    if (replyFault(reply, options.faults, RequestType)) return reply;
    const account = options.accounts[EBusinessID];
    if (!account) return answer({ Success: false, Reason: '用户ID不存在' });
    if (!sameText(kdniaoExpectedSign(RequestData, account.appKey), DataSign)) {
      return answer({ Success: false, Reason: '数据签名验证失败' });
    }
    let data: Record<string, unknown>;
    try {
      data = JSON.parse(RequestData) as Record<string, unknown>;
    } catch {
      return answer({ Success: false, Reason: 'RequestData 不是合法的JSON' });
    }
    const shipperCode = String(data.ShipperCode ?? '');
    const logisticCode = String(data.LogisticCode ?? '');
    const carrier = carrierForCode('kdniao', shipperCode);
    if (!carrier || !logisticCode) return answer({ Success: false, Reason: '快递公司编码或单号错误' });

    switch (RequestType) {
      case '1002': {
        if (carrier === 'SF' && !String(data.CustomerName ?? '').trim()) {
          return answer({
            Success: false,
            ShipperCode: shipperCode,
            LogisticCode: logisticCode,
            Reason: '顺丰单号需要 CustomerName（手机号后四位）',
          });
        }
        const parcel = options.network.get(logisticCode);
        if (!parcel || parcel.carrier !== carrier) {
          return answer({
            Success: true,
            ShipperCode: shipperCode,
            LogisticCode: logisticCode,
            State: '0',
            Reason: '暂无轨迹信息',
            Traces: [],
          });
        }
        return answer(trace(parcel, shipperCode));
      }
      case '1008':
      case '8008':
        subscriptions.add(`${EBusinessID}|${shipperCode}|${logisticCode}`);
        return answer({ UpdateTime: chinaTime(now()), Success: true, Reason: '' });
      default:
        return answer({ Success: false, Reason: `不支持的指令 ${RequestType}` });
    }
  });
};

function trace(parcel: SimParcel, shipperCode: string) {
  const last = parcel.scans.at(-1);
  return {
    ShipperCode: shipperCode,
    LogisticCode: parcel.trackingNumber,
    Success: true,
    State: last ? STATE[last.kind] : '0',
    Reason: last ? null : '暂无轨迹信息',
    Traces: parcel.scans.map((scan) => ({
      AcceptTime: chinaTime(scan.at),
      AcceptStation: scan.context,
      Remark: null,
    })),
  };
}
