import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { RateLimiter } from '../kit/rate-limit.js';
import type { TranslationCallLog, TranslationFaults } from './baidu.js';
import { guessLanguage, lookUpPhrase } from './phrasebook.js';

/**
 * Tencent Cloud TMT TextTranslate (API 3.0) as the ERP's adapter meets it: `POST /` with a JSON
 * body and X-TC-* headers, the Authorization checked here with this file's own TC3-HMAC-SHA256
 * (the signed headers as the request names them, the body as received, the date of
 * X-TC-Timestamp); answers `{"Response": {TargetText, Source, Target, RequestId}}` or
 * `{"Response": {"Error": {Code, Message}, RequestId}}` with HTTP 200: AuthFailure.SecretIdNotFound,
 * AuthFailure.SignatureFailure, AuthFailure.SignatureExpire (more than five minutes off),
 * MissingParameter, RequestLimitExceeded (over the key's calls per second; TMT's default is 5),
 * UnsupportedOperation.UnSupportedTargetLanguage. Scripted faults answer an error code
 * (e.g. InternalError.BackendTimeout) or an HTTP status.
 */
export interface TencentTmtSimOptions {
  /** SecretId → SecretKey. */
  keys: Record<string, string>;
  qps?: number;
  faults: TranslationFaults;
  calls: TranslationCallLog;
  now?: () => number;
}

const TARGETS = new Set([
  'zh',
  'zh-TW',
  'en',
  'ja',
  'ko',
  'fr',
  'es',
  'it',
  'de',
  'tr',
  'ru',
  'pt',
  'vi',
  'id',
  'th',
  'ms',
]);
const MESSAGES: Record<string, string> = {
  'AuthFailure.SecretIdNotFound': 'The SecretId is not found, please ensure that your SecretId is correct.',
  'AuthFailure.SignatureFailure':
    'The provided credentials could not be validated. Please check your signature is correct.',
  'AuthFailure.SignatureExpire':
    'Signature expired. Timestamp and server time cannot differ by more than five minutes.',
  MissingParameter: 'The request is missing a required parameter.',
  RequestLimitExceeded:
    'Your current request times equals to `5` in a second, which exceeds the frequency limit `5` for a second. Please reduce the frequency of calls.',
  'UnsupportedOperation.UnSupportedTargetLanguage': 'Target language not supported.',
  'InternalError.BackendTimeout': 'Backend service timed out, please try again later.',
  'FailedOperation.NoFreeAmount': 'The free quota of this month is used up.',
};

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function hmacSha256(key: string | Buffer, text: string): Buffer {
  return createHmac('sha256', key).update(text, 'utf8').digest();
}

/** Parses `TC3-HMAC-SHA256 Credential=id/date/service/tc3_request, SignedHeaders=a;b, Signature=hex`. */
function parseAuthorization(value: string | undefined) {
  const m =
    /^TC3-HMAC-SHA256 Credential=([^/]+)\/(\d{4}-\d{2}-\d{2})\/([a-z0-9]+)\/tc3_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/.exec(
      value ?? '',
    );
  return m
    ? { secretId: m[1]!, date: m[2]!, service: m[3]!, signedHeaders: m[4]!.split(';'), signature: m[5]! }
    : undefined;
}

export const tencentTmtSimulator: FastifyPluginAsync<TencentTmtSimOptions> = async (app, options) => {
  const clock = options.now ?? Date.now;
  const limiter = new RateLimiter(options.qps ?? 5, 1_000, clock);
  // The signature covers the body byte for byte: keep it as sent.
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => done(null, body));

  const fail = (reply: FastifyReply, code: string, text: string) => {
    options.calls.record('tencent', text, false);
    return reply.send({
      Response: { Error: { Code: code, Message: MESSAGES[code] ?? code }, RequestId: randomUUID() },
    });
  };

  const verify = (request: FastifyRequest, body: string): string | undefined => {
    const auth = parseAuthorization(request.headers.authorization);
    if (!auth) return 'AuthFailure.SignatureFailure';
    const key = options.keys[auth.secretId];
    if (key === undefined) return 'AuthFailure.SecretIdNotFound';
    const timestamp = Number(request.headers['x-tc-timestamp']);
    if (!Number.isInteger(timestamp)) return 'MissingParameter';
    if (Math.abs(clock() / 1000 - timestamp) > 300) return 'AuthFailure.SignatureExpire';
    if (!auth.signedHeaders.includes('content-type') || !auth.signedHeaders.includes('host'))
      return 'AuthFailure.SignatureFailure';
    const canonicalHeaders = auth.signedHeaders
      .map(
        (name) =>
          `${name}:${String(request.headers[name] ?? '')
            .trim()
            .toLowerCase()}\n`,
      )
      .join('');
    const canonical = `POST\n/\n\n${canonicalHeaders}\n${auth.signedHeaders.join(';')}\n${sha256(body)}`;
    const day = new Date(timestamp * 1000).toISOString().slice(0, 10);
    if (day !== auth.date) return 'AuthFailure.SignatureFailure';
    const toSign = `TC3-HMAC-SHA256\n${timestamp}\n${auth.date}/${auth.service}/tc3_request\n${sha256(canonical)}`;
    const kDate = hmacSha256(`TC3${key}`, auth.date);
    const kSigning = hmacSha256(hmacSha256(kDate, auth.service), 'tc3_request');
    const expected = createHmac('sha256', kSigning).update(toSign, 'utf8').digest();
    const given = Buffer.from(auth.signature, 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected)
      ? undefined
      : 'AuthFailure.SignatureFailure';
  };

  app.post('/', async (request, reply) => {
    const body = typeof request.body === 'string' ? request.body : '';
    let fields: { SourceText?: unknown; Source?: unknown; Target?: unknown; ProjectId?: unknown } = {};
    try {
      fields = JSON.parse(body) as typeof fields;
    } catch {
      fields = {};
    }
    const text = typeof fields.SourceText === 'string' ? fields.SourceText : '';
    const refused = verify(request, body);
    if (refused) return fail(reply, refused, text);
    if (
      request.headers['x-tc-action'] !== 'TextTranslate' ||
      request.headers['x-tc-version'] !== '2018-03-21'
    )
      return fail(reply, 'InvalidAction', text);
    if (
      !text ||
      typeof fields.Source !== 'string' ||
      typeof fields.Target !== 'string' ||
      fields.ProjectId === undefined
    )
      return fail(reply, 'MissingParameter', text);
    const fault = options.faults.next();
    if (fault?.status) {
      options.calls.record('tencent', text, false);
      return reply.code(fault.status).type('text/html').send('<html><body>502 Bad Gateway</body></html>');
    }
    if (fault?.errorCode) return fail(reply, fault.errorCode, text);
    if (limiter.take(request.headers.authorization!.split('/')[0]!) > 0)
      return fail(reply, 'RequestLimitExceeded', text);
    if (!TARGETS.has(fields.Target))
      return fail(reply, 'UnsupportedOperation.UnSupportedTargetLanguage', text);
    const known = lookUpPhrase(text);
    options.calls.record('tencent', text, true);
    return reply.send({
      Response: {
        TargetText: known && fields.Target === 'zh' ? known.zh : text,
        Source: fields.Source === 'auto' ? (known?.language ?? guessLanguage(text)) : fields.Source,
        Target: fields.Target,
        RequestId: randomUUID(),
      },
    });
  });
};
