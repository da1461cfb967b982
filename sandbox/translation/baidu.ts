import { createHash } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { RateLimiter } from '../kit/rate-limit.js';
import { guessLanguage, lookUpPhrase } from './phrasebook.js';

/**
 * Baidu Translate's general text API (`/api/trans/vip/translate`) as the ERP's adapter meets it:
 * GET or form POST with q, from, to, appid, salt, sign; the sign checked here with this file's own
 * md5(appid + q + salt + key) over the decoded text; answers `{from, to, trans_result: [{src, dst}]}`
 * or `{error_code, error_msg}` with HTTP 200, as Baidu does: 54000 a field missing, 52003 an app id
 * it does not know, 54001 a wrong sign, 54003 more calls per second than the app's plan allows,
 * 58001 a target it cannot translate into. Scripted faults answer 52001/52002 or an HTTP status.
 */
export interface BaiduTranslateSimOptions {
  /** App id → secret key (the console's 开发者信息). */
  apps: Record<string, string>;
  /** Calls per second each app id may make (Baidu's standard plan allows 1; the demo allows more). */
  qps?: number;
  faults: TranslationFaults;
  calls: TranslationCallLog;
  now?: () => number;
}

/** Scripted failures for tests: the next calls answer an error code or an HTTP status. */
export class TranslationFaults {
  private readonly queue: Array<{ errorCode?: string; status?: number }> = [];
  /** Down for good (every call answers HTTP 503) until `clear`. */
  down = false;

  failWithCode(errorCode: string, times = 1): void {
    for (let i = 0; i < times; i++) this.queue.push({ errorCode });
  }

  failWithStatus(status: number, times = 1): void {
    for (let i = 0; i < times; i++) this.queue.push({ status });
  }

  next(): { errorCode?: string; status?: number } | undefined {
    if (this.down) return { status: 503 };
    return this.queue.shift();
  }

  clear(): void {
    this.queue.length = 0;
    this.down = false;
  }
}

/** Every call the simulators answered, so tests can count them. */
export class TranslationCallLog {
  readonly calls: Array<{ provider: string; text: string; ok: boolean }> = [];

  record(provider: string, text: string, ok: boolean): void {
    this.calls.push({ provider, text, ok });
  }

  count(provider?: string, text?: string): number {
    return this.calls.filter((c) => (!provider || c.provider === provider) && (!text || c.text === text))
      .length;
  }
}

const MESSAGES: Record<string, string> = {
  '52001': 'TIMEOUT',
  '52002': 'SYSTEM ERROR',
  '52003': 'UNAUTHORIZED USER',
  '54000': 'PARAM_FROM_TO_OR_Q_EMPTY',
  '54001': 'Invalid Sign',
  '54003': 'Invalid Access Limit',
  '58001': 'INVALID_TO_PARAM',
};

/** Baidu's codes for the languages the book has, and the targets it takes. */
const ISO_TO_BAIDU: Record<string, string> = {
  vi: 'vie',
  ja: 'jp',
  ko: 'kor',
  fr: 'fra',
  es: 'spa',
  ar: 'ara',
  ms: 'may',
  tl: 'fil',
};
const TARGETS = new Set(['zh', 'en', 'cht', 'jp', 'kor', 'vie', 'id', 'th', 'spa', 'fra', 'pt', 'de', 'ru']);

export const baiduTranslateSimulator: FastifyPluginAsync<BaiduTranslateSimOptions> = async (app, options) => {
  const limiter = new RateLimiter(options.qps ?? 10, 1_000, options.now);
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) =>
    done(null, Object.fromEntries(new URLSearchParams(body as string))),
  );

  const fail = (reply: FastifyReply, code: string, text: string) => {
    options.calls.record('baidu', text, false);
    return reply.send({ error_code: code, error_msg: MESSAGES[code] ?? 'ERROR' });
  };

  const handler = async (fields: Record<string, string | undefined>, reply: FastifyReply) => {
    const { q, from, to, appid, salt, sign } = fields;
    const text = q ?? '';
    if (!q || !from || !to || !appid || !salt || !sign) return fail(reply, '54000', text);
    const key = options.apps[appid];
    if (key === undefined) return fail(reply, '52003', text);
    const expected = createHash('md5')
      .update(appid + q + salt + key, 'utf8')
      .digest('hex');
    if (sign.toLowerCase() !== expected) return fail(reply, '54001', text);
    const fault = options.faults.next();
    if (fault?.status) {
      options.calls.record('baidu', text, false);
      return reply.code(fault.status).type('text/html').send('<html><body>Service Unavailable</body></html>');
    }
    if (fault?.errorCode) return fail(reply, fault.errorCode, text);
    if (limiter.take(appid) > 0) return fail(reply, '54003', text);
    if (!TARGETS.has(to)) return fail(reply, '58001', text);

    // One trans_result per line of the query, like Baidu.
    const lines = q.split('\n');
    const results = lines.map((line) => {
      const known = lookUpPhrase(line);
      return {
        src: line,
        dst: known && to === 'zh' ? known.zh : line,
        language: known?.language ?? guessLanguage(line),
      };
    });
    const detected = from === 'auto' ? results[0]!.language : from;
    options.calls.record('baidu', text, true);
    return reply.send({
      from: ISO_TO_BAIDU[detected] ?? detected,
      to,
      trans_result: results.map(({ src, dst }) => ({ src, dst })),
    });
  };

  app.get('/api/trans/vip/translate', async (request, reply) =>
    handler(request.query as Record<string, string | undefined>, reply),
  );
  app.post('/api/trans/vip/translate', async (request, reply) =>
    handler((request.body ?? {}) as Record<string, string | undefined>, reply),
  );
};
