import { createHash, createHmac } from 'node:crypto';
import { TranslationError, type RemarkTranslator, type TranslatedText } from './types.js';

/**
 * Tencent Cloud Machine Translation (TMT) TextTranslate, API 3.0: `POST {baseUrl}/` with a JSON
 * body `{SourceText, Source: "auto", Target, ProjectId}`, headers X-TC-Action: TextTranslate,
 * X-TC-Version: 2018-03-21, X-TC-Region, X-TC-Timestamp, and an Authorization signed with
 * TC3-HMAC-SHA256 (canonical request → string to sign → key derived from the SecretKey by date,
 * service and "tc3_request"). The answer is `{"Response": {TargetText, Source, Target, RequestId}}`
 * or `{"Response": {"Error": {Code, Message}, RequestId}}`, both with HTTP 200. Sources:
 * https://cloud.tencent.com/document/api/551/15619 (TextTranslate) and
 * https://cloud.tencent.com/document/api/213/30654 (signature v3); docs/remarks.md.
 */
export interface TencentTmtOptions {
  /** e.g. https://tmt.tencentcloudapi.com (the sandbox's `…/translation/tencent` in development). */
  baseUrl: string;
  secretId: string;
  secretKey: string;
  region?: string;
  projectId?: number;
  timeoutMs?: number;
  fetch?: typeof fetch;
  now?: () => Date;
}

const SERVICE = 'tmt';
const ACTION = 'TextTranslate';
const VERSION = '2018-03-21';
const CONTENT_TYPE = 'application/json; charset=utf-8';

const sha256Hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const hmac = (key: Buffer | string, text: string) => createHmac('sha256', key).update(text, 'utf8').digest();

/** The Authorization header for a POST of `payload` to `host` at `timestamp` (seconds). */
export function tc3Authorization(input: {
  secretId: string;
  secretKey: string;
  service: string;
  host: string;
  payload: string;
  timestamp: number;
  /** Lower-case action name, signed as the x-tc-action header; omitted: content-type and host only. */
  action?: string;
}): { authorization: string; canonicalRequest: string; stringToSign: string } {
  const date = new Date(input.timestamp * 1000).toISOString().slice(0, 10);
  const headers = [`content-type:${CONTENT_TYPE}`, `host:${input.host}`];
  if (input.action) headers.push(`x-tc-action:${input.action.toLowerCase()}`);
  const signedHeaders = headers.map((h) => h.slice(0, h.indexOf(':'))).join(';');
  const canonicalRequest = [
    'POST',
    '/',
    '',
    `${headers.join('\n')}\n`,
    signedHeaders,
    sha256Hex(input.payload),
  ].join('\n');
  const scope = `${date}/${input.service}/tc3_request`;
  const stringToSign = ['TC3-HMAC-SHA256', String(input.timestamp), scope, sha256Hex(canonicalRequest)].join(
    '\n',
  );
  const signing = hmac(hmac(hmac(`TC3${input.secretKey}`, date), input.service), 'tc3_request');
  const signature = createHmac('sha256', signing).update(stringToSign, 'utf8').digest('hex');
  return {
    authorization: `TC3-HMAC-SHA256 Credential=${input.secretId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
    canonicalRequest,
    stringToSign,
  };
}

/** What Tencent's error codes mean for us (prefixes match their sub-codes). */
function kindOf(code: string): TranslationError['kind'] {
  if (
    code.startsWith('AuthFailure') ||
    code === 'FailedOperation.UserNotRegistered' ||
    code === 'FailedOperation.ServiceIsolate' ||
    code === 'UnauthorizedOperation'
  )
    return 'auth';
  if (
    code.startsWith('RequestLimitExceeded') ||
    code.startsWith('LimitExceeded') ||
    code === 'FailedOperation.NoFreeAmount'
  )
    return 'rate_limited';
  if (
    code.startsWith('InternalError') ||
    code === 'ResourceUnavailable' ||
    code.startsWith('FailedOperation.')
  )
    return 'unavailable';
  return 'rejected';
}

export function createTencentTranslator(options: TencentTmtOptions): RemarkTranslator {
  const doFetch = options.fetch ?? fetch;
  const url = new URL(options.baseUrl);
  const endpoint = `${options.baseUrl.replace(/\/$/, '')}/`;
  return {
    provider: 'tencent',
    async translate(text: string, target: string): Promise<TranslatedText> {
      const payload = JSON.stringify({
        SourceText: text,
        Source: 'auto',
        Target: target,
        ProjectId: options.projectId ?? 0,
      });
      const timestamp = Math.floor((options.now?.() ?? new Date()).getTime() / 1000);
      const { authorization } = tc3Authorization({
        secretId: options.secretId,
        secretKey: options.secretKey,
        service: SERVICE,
        host: url.host,
        payload,
        timestamp,
        action: ACTION,
      });
      let response: Response;
      try {
        response = await doFetch(endpoint, {
          method: 'POST',
          headers: {
            authorization,
            'content-type': CONTENT_TYPE,
            'x-tc-action': ACTION,
            'x-tc-version': VERSION,
            'x-tc-region': options.region ?? 'ap-guangzhou',
            'x-tc-timestamp': String(timestamp),
          },
          body: payload,
          signal: AbortSignal.timeout(options.timeoutMs ?? 5_000),
        });
      } catch (err) {
        throw new TranslationError(
          'unavailable',
          'tencent',
          `Tencent TMT unreachable: ${(err as Error).message}`,
        );
      }
      if (response.status >= 500 || response.status === 429) {
        throw new TranslationError(
          response.status === 429 ? 'rate_limited' : 'unavailable',
          'tencent',
          `Tencent TMT answered HTTP ${response.status}`,
        );
      }
      let json: {
        Response?: { TargetText?: string; Source?: string; Error?: { Code?: string; Message?: string } };
      };
      try {
        json = (await response.json()) as typeof json;
      } catch {
        throw new TranslationError(
          'unavailable',
          'tencent',
          `Tencent TMT answered HTTP ${response.status} without JSON`,
        );
      }
      const error = json.Response?.Error;
      if (error) {
        const code = error.Code ?? 'UnknownError';
        throw new TranslationError(
          kindOf(code),
          'tencent',
          `Tencent TMT error ${code}: ${error.Message ?? 'no message'}`,
          code,
        );
      }
      const translated = json.Response?.TargetText;
      if (!response.ok || typeof translated !== 'string') {
        throw new TranslationError(
          'unavailable',
          'tencent',
          `Tencent TMT answered HTTP ${response.status} without a translation`,
        );
      }
      return { text: translated, sourceLanguage: json.Response?.Source || 'und' };
    },
  };
}
