import {
  AuthError,
  type PlatformError,
  RateLimitedError,
  RequestRejectedError,
  TransientPlatformError,
} from '../errors.js';
import { DEFAULT_RETRY_AFTER_MS } from '../http.js';

export interface PddErrorBody {
  error_code?: string;
  error_msg?: string;
  sub_code?: string;
  sub_msg?: string;
}

/**
 * PDD `error_response.error_code`s. 10019 (access_token已过期) is community-confirmed; the others
 * are ❓ (PDD's published error table, not in API-FACTS): 20004 signature check failed, 20031/20032
 * no permission / token and client mismatch, 7003x call frequency limits, 50000/50001 system
 * errors, 10000 invalid parameters.
 */
export const PDD_TOKEN_EXPIRED = '10019';
export const PDD_SIGN_ERROR = '20004';
export const PDD_CALL_LIMITED = '70031';

const AUTH_CODES = new Set([PDD_TOKEN_EXPIRED, PDD_SIGN_ERROR, '10001', '20031', '20032']);
const LIMIT_CODES = new Set([PDD_CALL_LIMITED, '70032', '70033']);
const TRANSIENT_CODES = new Set(['50000', '50001', '50002']);

export function pddError(body: PddErrorBody): PlatformError {
  const code = body.error_code ?? '';
  const message = `pdd ${body.error_msg ?? 'error'} (error_code ${code}${body.sub_code ? `, ${body.sub_code}` : ''}${body.sub_msg ? `: ${body.sub_msg}` : ''})`;
  // PDD does not say how long to back off; its limits run over windows of seconds.
  if (LIMIT_CODES.has(code)) return new RateLimitedError('pdd', DEFAULT_RETRY_AFTER_MS, code);
  if (AUTH_CODES.has(code)) return new AuthError(message, 'pdd', code);
  if (TRANSIENT_CODES.has(code)) return new TransientPlatformError(message, 'pdd', code);
  return new RequestRejectedError(message, 'pdd', code);
}
