import { randomBytes } from 'node:crypto';
import { endpoint } from '../../carriers/endpoint.js';
import { AuthError, RequestRejectedError, TransientPlatformError } from '../../platforms/errors.js';
import { httpCall, type HttpResult } from '../../platforms/http.js';
import type { RefundChannel, RefundOutcome, RefundRequest, RefundState } from '../types.js';
import {
  authorizationHeader,
  requestSignatureMessage,
  sha256WithRsa,
  wechatSignatureProblem,
} from './sign.js';

export interface WechatPayOptions {
  /** `https://api.mch.weixin.qq.com`, or the simulator's. */
  baseUrl: string;
  mchid: string;
  /** Serial number of the merchant API certificate our requests are signed with. */
  serialNo: string;
  /** The merchant API private key (PKCS#8 PEM). */
  privateKey: string;
  /** WeChat Pay's verification keys by `Wechatpay-Serial` (platform certificate serial or public-key id). */
  platformKeys: Record<string, string>;
  fetch?: typeof fetch;
  timeoutMs?: number;
  now?: () => Date;
}

/** The refund object (API-FACTS §14), as far as we read it. */
export interface WechatRefund {
  refund_id: string;
  out_refund_no: string;
  transaction_id?: string;
  out_trade_no?: string;
  status: 'SUCCESS' | 'CLOSED' | 'PROCESSING' | 'ABNORMAL';
  success_time?: string;
  amount: { refund: number; total: number; payer_refund?: number };
}

const STATES: Record<WechatRefund['status'], RefundState> = {
  SUCCESS: 'succeeded',
  PROCESSING: 'processing',
  ABNORMAL: 'abnormal',
  CLOSED: 'closed',
};

export function wechatRefundState(status: string): RefundState {
  return STATES[status as WechatRefund['status']] ?? 'processing';
}

/**
 * One signed v3 call. The answer's signature is checked (WECHATPAY2-SHA256-RSA2048 with the key
 * its `Wechatpay-Serial` names, five minutes of clock skew): a success we cannot verify is an
 * auth error. 401 is an auth error; other 4xx answers come back for the caller to read.
 */
export async function wechatCall(
  options: WechatPayOptions,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<HttpResult & { json: { code?: string; message?: string } & Record<string, unknown> }> {
  const text = body === undefined ? '' : JSON.stringify(body);
  const timestamp = Math.floor((options.now?.() ?? new Date()).getTime() / 1000);
  const nonce = randomBytes(16).toString('hex').toUpperCase();
  const signature = sha256WithRsa(
    requestSignatureMessage(method, path, timestamp, nonce, text),
    options.privateKey,
  );
  const result = await httpCall({
    platform: 'wechatpay',
    url: endpoint(options.baseUrl, path),
    method,
    headers: {
      accept: 'application/json',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      authorization: authorizationHeader({
        mchid: options.mchid,
        serialNo: options.serialNo,
        nonce,
        timestamp,
        signature,
      }),
    },
    ...(body === undefined ? {} : { body: text }),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
  });
  const signed = {
    timestamp: result.headers.get('wechatpay-timestamp') ?? undefined,
    nonce: result.headers.get('wechatpay-nonce') ?? undefined,
    signature: result.headers.get('wechatpay-signature') ?? undefined,
    serial: result.headers.get('wechatpay-serial') ?? undefined,
  };
  const problem = wechatSignatureProblem(signed, result.text, options.platformKeys, timestamp);
  if (problem && (result.status < 300 || signed.signature)) {
    throw new AuthError(
      `WeChat Pay ${method} ${path}: answer not trusted (${problem})`,
      'wechatpay',
      'bad-sign',
    );
  }
  let json: Record<string, unknown>;
  try {
    json = result.text ? (JSON.parse(result.text) as Record<string, unknown>) : {};
  } catch {
    throw new TransientPlatformError(
      `WeChat Pay answered ${result.status} with a body that is not JSON`,
      'wechatpay',
    );
  }
  const code = typeof json.code === 'string' ? json.code : String(result.status);
  if (result.status === 401)
    throw new AuthError(`WeChat Pay ${path}: ${code} ${String(json.message ?? '')}`, 'wechatpay', code);
  if (code === 'SYSTEM_ERROR' || code === 'FREQUENCY_LIMITED') {
    throw new TransientPlatformError(`WeChat Pay ${path}: ${code}`, 'wechatpay', code);
  }
  return { ...result, json };
}

function outcomeOf(refund: WechatRefund): RefundOutcome {
  return {
    channel: 'wechatpay',
    refundNo: refund.out_refund_no,
    state: wechatRefundState(refund.status),
    refundedFen: refund.amount.refund,
    channelRefundId: refund.refund_id,
  };
}

export function createWechatPayChannel(options: WechatPayOptions): RefundChannel {
  return {
    name: 'wechatpay',
    async query(ref) {
      const answer = await wechatCall(
        options,
        'GET',
        `/v3/refund/domestic/refunds/${encodeURIComponent(ref.refundNo)}`,
      );
      if (answer.status === 404)
        return { channel: 'wechatpay', refundNo: ref.refundNo, state: 'not_found', refundedFen: 0 };
      if (answer.status >= 300) {
        throw new RequestRejectedError(
          `WeChat Pay refund query: ${answer.json.code} ${answer.json.message}`,
          'wechatpay',
          answer.json.code,
        );
      }
      return outcomeOf(answer.json as unknown as WechatRefund);
    },
    async refund(request: RefundRequest) {
      const answer = await wechatCall(options, 'POST', '/v3/refund/domestic/refunds', {
        out_trade_no: request.outTradeNo,
        out_refund_no: request.refundNo,
        ...(request.reason ? { reason: request.reason } : {}),
        ...(request.notifyUrl ? { notify_url: request.notifyUrl } : {}),
        amount: { refund: request.amountFen, total: request.totalFen, currency: 'CNY' },
      });
      if (answer.status >= 300) {
        // NOT_ENOUGH (balance), INVALID_REQUEST (amount above what is left), RESOURCE_NOT_EXISTS (trade), PARAM_ERROR.
        return {
          channel: 'wechatpay',
          refundNo: request.refundNo,
          state: 'failed',
          refundedFen: 0,
          code: answer.json.code ?? String(answer.status),
          detail: answer.json.message ?? '',
        };
      }
      return outcomeOf(answer.json as unknown as WechatRefund);
    },
  };
}
