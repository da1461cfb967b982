import { z } from 'zod';
import { PlatformError, RequestRejectedError, TransientPlatformError } from '../errors.js';
import { httpCall } from '../http.js';
import type { AdapterContext } from '../types.js';
import { gatewayUrl } from '../taobao/client.js';
import { formatGmt8 } from '../taobao/gmt8.js';
import { isRecord, parsePlatformJson } from '../taobao/json.js';
import { jdError } from './errors.js';
import { jdSign } from './sign.js';
import { JdApiResultSchema } from './wire.js';

export const JD_GATEWAY_PATH = '/routerjson';

const ErrorBodySchema = z.object({
  code: z.union([z.string(), z.number()]).transform(String).optional(),
  zh_desc: z.string().optional(),
  en_desc: z.string().optional(),
});

/**
 * One JOS `routerjson` call: business parameters as the `360buy_param_json` string, timestamp in
 * JD's documented `yyyy-MM-dd HH:mm:ss.SSS+0800`, signature, form POST. Answers are unwrapped from
 * their `…_responce` envelope (sic, JD's spelling) and business failures inside it
 * (`success: false` with a Chinese error) become RequestRejectedError.
 *
 * JD token refresh is not documented in any source we have (API-FACTS §3.1 ❓), so an invalid token
 * surfaces as AuthError for a human to re-authorize.
 */
export class JdClient {
  constructor(private readonly ctx: AdapterContext) {}

  async call(method: string, business: Record<string, unknown>): Promise<Record<string, unknown>> {
    const params: Record<string, string> = {
      method,
      app_key: this.ctx.credentials.appKey,
      access_token: this.ctx.credentials.accessToken ?? '',
      timestamp: formatGmt8(this.ctx.now?.() ?? new Date(), { millis: true, zone: true }),
      v: '2.0',
      '360buy_param_json': JSON.stringify(business),
    };
    params['sign'] = jdSign(params, this.ctx.credentials.appSecret);
    const result = await httpCall({
      platform: 'jd',
      url: gatewayUrl(this.ctx.baseUrl, JD_GATEWAY_PATH),
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' },
      body: new URLSearchParams(params).toString(),
      ...(this.ctx.fetch ? { fetch: this.ctx.fetch } : {}),
      ...(this.ctx.timeoutMs ? { timeoutMs: this.ctx.timeoutMs } : {}),
    });
    let body: unknown;
    try {
      body = parsePlatformJson(result.text);
    } catch {
      throw new TransientPlatformError(`jd answered ${result.status} with a body that is not JSON`, 'jd');
    }
    if (!isRecord(body)) throw new PlatformError('jd: unexpected response shape', 'jd');
    if (isRecord(body['error_response'])) throw jdError(ErrorBodySchema.parse(body['error_response']));
    const envelope = body[`${method.replace(/\./g, '_')}_responce`];
    if (!isRecord(envelope)) throw new PlatformError(`jd: ${method} answered without its envelope`, 'jd');
    return envelope;
  }
}

/** Throws when a JOS result object reports failure in its own `success`/`apiResult` fields. */
export function assertJdSuccess(method: string, result: unknown): void {
  const parsed = JdApiResultSchema.safeParse(result);
  if (!parsed.success) return;
  const { success, chineseErrCode, englishErrCode } = parsed.data;
  if (success === false || success === 'false') {
    throw new RequestRejectedError(
      `jd ${method}: ${chineseErrCode || englishErrCode || 'failed'}`,
      'jd',
      englishErrCode,
    );
  }
}
