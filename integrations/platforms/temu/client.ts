import type { z } from 'zod';
import {
  AuthError,
  PlatformError,
  RateLimitedError,
  RequestRejectedError,
  TransientPlatformError,
} from '../errors.js';
import { DEFAULT_RETRY_AFTER_MS, httpCall } from '../http.js';
import { tryParseLosslessJson } from '../lossless-json.js';
import type { AdapterContext } from '../types.js';
import { signTemu } from './sign.js';
import { TemuEnvelopeSchema } from './wire.js';

const PLATFORM = 'temu';

/**
 * Gateway codes (the partner docs' "通用错误码"): 3000030–3000034 and 5000000 a missing, unknown,
 * unauthorised, mismatched or expired token; 3000001/3000040 the signature; 3000019–3000028 the
 * app key → AuthError. 4000004 the rate limit → limited. 4000000 SYSTEM_EXCEPTION and 2000000
 * BUSINESS_EXCEPTION → transient, as are the product APIs' 150010002 "System error, please try again
 * later" and 150010005 "Try again later". The rest → rejected.
 */
const AUTH = new Set([
  3000001, 3000019, 3000020, 3000021, 3000022, 3000025, 3000026, 3000027, 3000028, 3000030, 3000031, 3000032,
  3000033, 3000034, 3000040, 5000000,
]);
const LIMITED = new Set([4000004]);
const TRANSIENT = new Set([4000000, 2000000, 150010002, 150010005]);

export interface TemuClient {
  /** An API (`type`) through the router: its `result`, read with `schema`. */
  call<T>(type: string, params: Record<string, unknown>, schema: z.ZodType<T>): Promise<T>;
}

/**
 * Signed calls to Temu's open API (docs/platforms/temu.md): `POST {baseUrl}/openapi/router` with a
 * JSON body of the common parameters `type, app_key, timestamp (s), data_type=JSON, access_token`,
 * the API's own parameters and `sign` (sign.ts). The access token is the one the seller shares
 * from the Seller Center; Temu names no refresh call (a new token comes from the seller).
 */
export function createTemuClient(ctx: AdapterContext): TemuClient {
  const now = () => ctx.now?.() ?? new Date();
  const base = ctx.baseUrl.replace(/\/$/, '');
  const transport = {
    ...(ctx.fetch ? { fetch: ctx.fetch } : {}),
    ...(ctx.timeoutMs ? { timeoutMs: ctx.timeoutMs } : {}),
  };
  return {
    async call(type, params, schema) {
      const body: Record<string, unknown> = {
        ...params,
        type,
        app_key: ctx.credentials.appKey,
        timestamp: Math.floor(now().getTime() / 1000),
        data_type: 'JSON',
        access_token: ctx.credentials.accessToken ?? '',
      };
      body.sign = signTemu(ctx.credentials.appSecret, body);
      const result = await httpCall({
        platform: PLATFORM,
        url: `${base}/openapi/router`,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        ...transport,
      });
      const envelope = TemuEnvelopeSchema.safeParse(tryParseLosslessJson(result.text));
      if (!envelope.success) {
        throw new PlatformError(
          `temu ${type} answered HTTP ${result.status} with an unreadable body: ${result.text.slice(0, 200)}`,
          PLATFORM,
          'unexpected_response',
        );
      }
      if (!envelope.data.success) {
        const code = Number(envelope.data.errorCode);
        const message = `temu ${type} failed: ${envelope.data.errorCode} ${envelope.data.errorMsg}`;
        if (LIMITED.has(code)) throw new RateLimitedError(PLATFORM, DEFAULT_RETRY_AFTER_MS, String(code));
        if (AUTH.has(code)) throw new AuthError(message, PLATFORM, String(code));
        if (TRANSIENT.has(code)) throw new TransientPlatformError(message, PLATFORM, String(code));
        throw new RequestRejectedError(message, PLATFORM, String(envelope.data.errorCode ?? 'refused'));
      }
      const data = schema.safeParse(envelope.data.result);
      if (!data.success) {
        const issue = data.error.issues[0];
        throw new PlatformError(
          `temu ${type} returned data we cannot read: ${issue?.path.join('.')}: ${issue?.message}`,
          PLATFORM,
          'unexpected_response',
        );
      }
      return data.data;
    },
  };
}
