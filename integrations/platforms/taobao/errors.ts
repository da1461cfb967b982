import {
  AuthError,
  type PlatformError,
  RateLimitedError,
  RequestRejectedError,
  TransientPlatformError,
} from '../errors.js';
import { DEFAULT_RETRY_AFTER_MS } from '../http.js';

export interface TopErrorBody {
  code?: string;
  msg?: string;
  sub_code?: string;
  sub_msg?: string;
  request_id?: string;
}

/**
 * TOP error codes (`error_response.code`). Community-confirmed: 7 App Call Limited with
 * sub_msg "This ban will last for N more seconds". The rest follow TOP's published platform
 * error table (❓ per API-FACTS §1.1): 10 service unavailable, 11–13 insufficient permissions,
 * 24/25 signature, 26/27 session missing/invalid, 28/29 app key, 30/31 timestamp, 40/41
 * arguments; `isp.*` sub codes are the platform's own faults, `isv.*` ours.
 */
export const TOP_CALL_LIMITED = '7';
export const TOP_INVALID_SESSION = '27';

export function isExpiredSession(body: TopErrorBody): boolean {
  return body.code === TOP_INVALID_SESSION || /session-?(expired|key)/i.test(body.sub_code ?? '');
}

export function topError(platform: string, body: TopErrorBody): PlatformError {
  const code = body.code ?? '';
  const message = `${platform} ${body.msg ?? 'error'} (code ${code}${body.sub_code ? `, ${body.sub_code}` : ''}${body.sub_msg ? `: ${body.sub_msg}` : ''})`;
  if (code === TOP_CALL_LIMITED) {
    const seconds = /last for (\d+) more seconds/i.exec(body.sub_msg ?? '')?.[1];
    return new RateLimitedError(platform, seconds ? Number(seconds) * 1000 : DEFAULT_RETRY_AFTER_MS, code);
  }
  if (['11', '12', '13', '24', '25', '26', '27', '28', '29'].includes(code)) {
    return new AuthError(message, platform, code);
  }
  if (code === '10' || (body.sub_code ?? '').startsWith('isp.')) {
    return new TransientPlatformError(message, platform, code);
  }
  return new RequestRejectedError(message, platform, body.sub_code || code);
}
