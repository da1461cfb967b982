import { topSign, type TopSignMethod } from '../../platforms/taobao/sign.js';
import {
  AuthError,
  RateLimitedError,
  RequestRejectedError,
  TransientPlatformError,
} from '../../platforms/errors.js';
import { DEFAULT_RETRY_AFTER_MS, httpCall } from '../../platforms/http.js';
import type { CarrierHttpOptions } from '../types.js';
import { endpoint } from '../endpoint.js';

export interface CainiaoCredentials {
  appKey: string;
  appSecret: string;
  /** The seller's TOP session (access token) that holds the waybill subscriptions. */
  session: string;
  signMethod?: TopSignMethod;
}

export type CainiaoOptions = CarrierHttpOptions & CainiaoCredentials;

interface TopErrorBody {
  code?: number | string;
  msg?: string;
  sub_code?: string;
  sub_msg?: string;
}

/** TOP wants `yyyy-MM-dd HH:mm:ss` in GMT+8 whatever the caller's zone. */
export function topTimestamp(date: Date): string {
  return new Date(date.getTime() + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * One TOP gateway call (API-FACTS §1.1) with `format=json&simplify=true`, returning the flat
 * response object. TOP error 7 / `*limit*` sub-codes are rate limits, 15 with an `isp.` sub-code is
 * the platform failing (transient), 25-29 are signature/session/app-key problems (auth), the rest
 * reject the request.
 */
export async function topCall<T>(
  options: CainiaoOptions,
  method: string,
  business: Record<string, string>,
): Promise<T> {
  const signMethod = options.signMethod ?? 'md5';
  const params: Record<string, string> = {
    method,
    app_key: options.appKey,
    session: options.session,
    timestamp: topTimestamp(options.now?.() ?? new Date()),
    format: 'json',
    v: '2.0',
    sign_method: signMethod,
    simplify: 'true',
    ...business,
  };
  params.sign = topSign(params, options.appSecret, signMethod);
  const result = await httpCall({
    platform: 'cainiao',
    url: endpoint(options.baseUrl, '/router/rest'),
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' },
    body: new URLSearchParams(params).toString(),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
  });
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(result.text) as Record<string, unknown>;
  } catch {
    throw new TransientPlatformError(`TOP answered ${result.status} with a body that is not JSON`, 'cainiao');
  }
  const error = body.error_response as TopErrorBody | undefined;
  if (error) throw topError(method, error);
  // Without simplify TOP wraps the body in `<method>_response`; accept either.
  const wrapped = body[`${method.replace(/\./g, '_')}_response`];
  return (wrapped ?? body) as T;
}

function topError(method: string, error: TopErrorBody): Error {
  const code = String(error.code ?? '');
  const sub = error.sub_code ?? '';
  const message = `${method}: ${code} ${error.msg ?? ''}${sub ? ` (${sub}${error.sub_msg ? `: ${error.sub_msg}` : ''})` : ''}`;
  if (code === '7' || /limit/i.test(sub))
    return new RateLimitedError('cainiao', DEFAULT_RETRY_AFTER_MS, code);
  if (sub.startsWith('isp.')) return new TransientPlatformError(message, 'cainiao', sub);
  if (['25', '26', '27', '28', '29'].includes(code)) return new AuthError(message, 'cainiao', code);
  return new RequestRejectedError(message, 'cainiao', sub || code);
}
