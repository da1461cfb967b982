import { randomUUID } from 'node:crypto';
import {
  AuthError,
  RateLimitedError,
  RequestRejectedError,
  TransientPlatformError,
} from '../../platforms/errors.js';
import { DEFAULT_RETRY_AFTER_MS, httpCall } from '../../platforms/http.js';
import type { CarrierHttpOptions } from '../types.js';
import { endpoint } from '../endpoint.js';
import { sfMsgDigest } from './sign.js';

export interface SfCredentials {
  /** 顾客编码. */
  partnerId: string;
  /** 校验码. */
  checkword: string;
  /** 月结卡号 used when a request names none. */
  monthlyCard?: string;
}

export type SfOptions = CarrierHttpOptions & SfCredentials;

interface SfEnvelope {
  apiResultCode?: string;
  apiErrorMsg?: string;
  apiResultData?: string | null;
}

export interface SfInner<T> {
  success: boolean;
  errorCode?: string;
  errorMsg?: string | null;
  msgData?: T | null;
}

/**
 * One call to SF's `/std/service`. Gateway codes become our typed errors: A1005 (流量受控) rate
 * limited, A1009/A1099 (target service down / system error) transient, A1003/A1004/A1006 (IP,
 * permission, digest) auth; anything else rejects the request. The service's own answer is
 * returned whether it succeeded or not, for the caller to read.
 */
export async function sfCall<T>(
  options: SfOptions,
  serviceCode: string,
  message: unknown,
): Promise<SfInner<T>> {
  const msgData = JSON.stringify(message);
  const timestamp = String((options.now?.() ?? new Date()).getTime());
  const form = new URLSearchParams({
    partnerID: options.partnerId,
    requestID: randomUUID(),
    serviceCode,
    timestamp,
    msgDigest: sfMsgDigest(msgData, timestamp, options.checkword),
    msgData,
  });
  const result = await httpCall({
    platform: 'sf',
    url: endpoint(options.baseUrl, '/std/service'),
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8' },
    body: form.toString(),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
  });
  let envelope: SfEnvelope;
  try {
    envelope = JSON.parse(result.text) as SfEnvelope;
  } catch {
    throw new TransientPlatformError(`SF answered ${result.status} with a body that is not JSON`, 'sf');
  }
  const code = envelope.apiResultCode ?? '';
  const message_ = `SF ${serviceCode}: ${code} ${envelope.apiErrorMsg ?? ''}`.trim();
  if (code === 'A1005') throw new RateLimitedError('sf', DEFAULT_RETRY_AFTER_MS, code);
  if (code === 'A1009' || code === 'A1099') throw new TransientPlatformError(message_, 'sf', code);
  if (code === 'A1003' || code === 'A1004' || code === 'A1006') throw new AuthError(message_, 'sf', code);
  if (code !== 'A1000' || !envelope.apiResultData) throw new RequestRejectedError(message_, 'sf', code);
  return JSON.parse(envelope.apiResultData) as SfInner<T>;
}
