import { endpoint } from '../../carriers/endpoint.js';
import { AuthError, RequestRejectedError, TransientPlatformError } from '../../platforms/errors.js';
import { httpCall } from '../../platforms/http.js';
import {
  fenToYuan,
  yuanToFen,
  type RefundChannel,
  type RefundOutcome,
  type RefundRequest,
} from '../types.js';
import { responseNodeText, rsa2Verify, signAlipayRequest } from './sign.js';

export interface AlipayOptions {
  /** `https://openapi.alipay.com` (the gateway is `{baseUrl}/gateway.do`), or the simulator's. */
  baseUrl: string;
  appId: string;
  /** The app private key (PKCS#8 PEM) our requests are signed with. */
  appPrivateKey: string;
  /** Alipay's public key (PEM) its answers and notifications are verified with. */
  alipayPublicKey: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
  now?: () => Date;
}

interface AlipayAnswer {
  code?: string;
  msg?: string;
  sub_code?: string;
  sub_msg?: string;
  [field: string]: unknown;
}

/** `yyyy-MM-dd HH:mm:ss` in China time, as the gateway expects. */
export function alipayTimestamp(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * One call to the gateway: common parameters, RSA2 signature, and the answer's signature checked
 * over the exact bytes of its `<method>_response` node. Gateway faults (20000, ACQ.SYSTEM_ERROR)
 * are transient; bad signature or app id are auth errors; business refusals (40004) are returned
 * for the caller to read.
 */
export async function alipayCall(
  options: AlipayOptions,
  method: string,
  biz: Record<string, unknown>,
  extra: { notifyUrl?: string } = {},
): Promise<AlipayAnswer> {
  const params: Record<string, string> = {
    app_id: options.appId,
    method,
    format: 'JSON',
    charset: 'utf-8',
    sign_type: 'RSA2',
    timestamp: alipayTimestamp(options.now?.() ?? new Date()),
    version: '1.0',
    biz_content: JSON.stringify(biz),
    ...(extra.notifyUrl ? { notify_url: extra.notifyUrl } : {}),
  };
  params.sign = signAlipayRequest(params, options.appPrivateKey);
  const result = await httpCall({
    platform: 'alipay',
    url: endpoint(options.baseUrl, '/gateway.do'),
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' },
    body: new URLSearchParams(params).toString(),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
  });
  const node = responseNodeText(result.text, method);
  if (!node) {
    throw new TransientPlatformError(
      `Alipay ${method} answered ${result.status} without a response node`,
      'alipay',
    );
  }
  const answer = JSON.parse(node) as AlipayAnswer;
  const sign = (JSON.parse(result.text) as { sign?: string }).sign;
  if (sign ? !rsa2Verify(node, sign, options.alipayPublicKey) : answer.code === '10000') {
    // A success we cannot verify is not believed; an unsigned error changes nothing anyway.
    throw new AuthError(`Alipay ${method}: the answer's signature does not verify`, 'alipay', 'bad-sign');
  }
  const code = answer.code ?? '';
  const words =
    `Alipay ${method}: ${code} ${answer.sub_code ?? ''} ${answer.sub_msg ?? answer.msg ?? ''}`.trim();
  if (code === '20000' || answer.sub_code === 'ACQ.SYSTEM_ERROR') {
    throw new TransientPlatformError(words, 'alipay', answer.sub_code ?? code);
  }
  if (code === '20001' || ['isv.invalid-signature', 'isv.invalid-app-id'].includes(answer.sub_code ?? '')) {
    throw new AuthError(words, 'alipay', answer.sub_code ?? code);
  }
  if (code !== '10000' && code !== '40004')
    throw new RequestRejectedError(words, 'alipay', answer.sub_code ?? code);
  return answer;
}

/** Refund codes after which the refund will never happen under this number. */
const NOT_FOUND_CODES = new Set(['ACQ.TRADE_NOT_EXIST']);

export function createAlipayChannel(options: AlipayOptions): RefundChannel {
  const query = async (ref: { outTradeNo: string; refundNo: string }): Promise<RefundOutcome> => {
    const answer = await alipayCall(options, 'alipay.trade.fastpay.refund.query', {
      out_trade_no: ref.outTradeNo,
      out_request_no: ref.refundNo,
      query_options: ['gmt_refund_pay'],
    });
    const base = { channel: 'alipay' as const, refundNo: ref.refundNo };
    if (answer.code !== '10000') {
      if (NOT_FOUND_CODES.has(answer.sub_code ?? '')) return { ...base, state: 'not_found', refundedFen: 0 };
      return {
        ...base,
        state: 'failed',
        refundedFen: 0,
        code: answer.sub_code ?? '',
        detail: answer.sub_msg ?? '',
      };
    }
    const amount = typeof answer.refund_amount === 'string' ? answer.refund_amount : '';
    // REFUND_SUCCESS, or (for the synchronous refund API) any answer carrying the refund's data.
    const found =
      answer.refund_status === 'REFUND_SUCCESS' || (amount !== '' && answer.refund_status === undefined);
    if (!found) return { ...base, state: 'not_found', refundedFen: 0 };
    return {
      ...base,
      state: 'succeeded',
      refundedFen: yuanToFen(amount),
      ...(typeof answer.trade_no === 'string' ? { channelRefundId: answer.trade_no } : {}),
    };
  };

  return {
    name: 'alipay',
    query,
    async refund(request: RefundRequest): Promise<RefundOutcome> {
      const answer = await alipayCall(
        options,
        'alipay.trade.refund',
        {
          out_trade_no: request.outTradeNo,
          refund_amount: fenToYuan(request.amountFen),
          out_request_no: request.refundNo,
          ...(request.reason ? { refund_reason: request.reason } : {}),
        },
        request.notifyUrl ? { notifyUrl: request.notifyUrl } : {},
      );
      if (answer.code !== '10000') {
        return {
          channel: 'alipay',
          refundNo: request.refundNo,
          state: 'failed',
          refundedFen: 0,
          code: answer.sub_code ?? answer.code ?? '',
          detail: answer.sub_msg ?? answer.msg ?? '',
        };
      }
      if (answer.fund_change === 'Y') {
        return {
          channel: 'alipay',
          refundNo: request.refundNo,
          state: 'succeeded',
          refundedFen: request.amountFen,
          ...(typeof answer.trade_no === 'string' ? { channelRefundId: answer.trade_no } : {}),
        };
      }
      // 10000 without money moving: a repeat of a refund already made, or not made at all. Ask.
      const known = await query(request);
      return known.state === 'not_found' ? { ...known, state: 'processing' } : known;
    },
  };
}
