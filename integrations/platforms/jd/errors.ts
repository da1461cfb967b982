import {
  AuthError,
  type PlatformError,
  RateLimitedError,
  RequestRejectedError,
  TransientPlatformError,
} from '../errors.js';
import { DEFAULT_RETRY_AFTER_MS } from '../http.js';

export interface JdErrorBody {
  code?: string;
  zh_desc?: string;
  en_desc?: string;
}

/**
 * JOS `error_response.code`s: 12 无效签名 and 19 无效access_token are community-confirmed; 15 is an
 * unknown method. JD's flow-control code is not in any source we have (❓): the simulator and this
 * mapping agree on 67, and HTTP 429 is honoured as well. 1 (service unavailable) is transient.
 */
export const JD_INVALID_SIGNATURE = '12';
export const JD_INVALID_TOKEN = '19';
export const JD_CALL_LIMITED = '67';

export function jdError(body: JdErrorBody): PlatformError {
  const code = body.code ?? '';
  const message = `jd ${body.zh_desc ?? body.en_desc ?? 'error'} (code ${code})`;
  if (code === JD_CALL_LIMITED) return new RateLimitedError('jd', DEFAULT_RETRY_AFTER_MS, code);
  if (code === JD_INVALID_SIGNATURE || code === JD_INVALID_TOKEN) return new AuthError(message, 'jd', code);
  if (code === '1') return new TransientPlatformError(message, 'jd', code);
  return new RequestRejectedError(message, 'jd', code);
}
