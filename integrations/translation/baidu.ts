import { createHash, randomInt } from 'node:crypto';
import { TranslationError, type RemarkTranslator, type TranslatedText } from './types.js';

/**
 * Baidu Translate (百度翻译开放平台) general text translation, `POST {baseUrl}/api/trans/vip/translate`
 * with form fields q, from, to, appid, salt and sign = md5(appid + q + salt + key), lower-case hex,
 * computed over the text before URL encoding. The answer is JSON: `{from, to, trans_result: [{src,
 * dst}]}`, or `{error_code, error_msg}` with HTTP 200. Sources: Baidu's 通用翻译API接入文档
 * (https://api.fanyi.baidu.com/doc/21) and its error-code table (docs/remarks.md lists both).
 */
export interface BaiduTranslateOptions {
  /** e.g. https://fanyi-api.baidu.com (the sandbox's `…/translation/baidu` in development). */
  baseUrl: string;
  appId: string;
  secretKey: string;
  /** Per request; a slow service must not hold the audit. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** Baidu's language codes that are not ISO 639-1, both ways. */
const BAIDU_TO_ISO: Record<string, string> = {
  jp: 'ja',
  kor: 'ko',
  fra: 'fr',
  spa: 'es',
  ara: 'ar',
  vie: 'vi',
  bul: 'bg',
  est: 'et',
  dan: 'da',
  fin: 'fi',
  rom: 'ro',
  slo: 'sl',
  swe: 'sv',
  cht: 'zh',
  yue: 'zh',
  wyw: 'zh',
  may: 'ms',
  fil: 'tl',
};
const ISO_TO_BAIDU: Record<string, string> = {
  ja: 'jp',
  ko: 'kor',
  fr: 'fra',
  es: 'spa',
  ar: 'ara',
  vi: 'vie',
};

/** What each of Baidu's error codes means for us. */
const ERROR_KINDS: Record<string, TranslationError['kind']> = {
  '52001': 'unavailable', // request timed out
  '52002': 'unavailable', // system error
  '52003': 'auth', // unauthorised user: wrong appid or service not opened
  '54000': 'rejected', // a required parameter is empty
  '54001': 'auth', // invalid sign: wrong key
  '54003': 'rate_limited', // access frequency limited
  '54004': 'rate_limited', // account balance insufficient
  '54005': 'rate_limited', // long queries too frequent
  '58000': 'auth', // client IP not allowed
  '58001': 'rejected', // target language not supported
  '58002': 'auth', // service closed
  '90107': 'auth', // verification not passed
};

export function baiduSign(appId: string, q: string, salt: string, secretKey: string): string {
  return createHash('md5').update(`${appId}${q}${salt}${secretKey}`, 'utf8').digest('hex');
}

export function createBaiduTranslator(options: BaiduTranslateOptions): RemarkTranslator {
  const doFetch = options.fetch ?? fetch;
  const url = `${options.baseUrl.replace(/\/$/, '')}/api/trans/vip/translate`;
  return {
    provider: 'baidu',
    async translate(text: string, target: string): Promise<TranslatedText> {
      const salt = String(randomInt(1, 2 ** 31 - 1));
      const body = new URLSearchParams({
        q: text,
        from: 'auto',
        to: ISO_TO_BAIDU[target] ?? target,
        appid: options.appId,
        salt,
        sign: baiduSign(options.appId, text, salt, options.secretKey),
      });
      let response: Response;
      try {
        response = await doFetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body,
          signal: AbortSignal.timeout(options.timeoutMs ?? 5_000),
        });
      } catch (err) {
        throw new TranslationError(
          'unavailable',
          'baidu',
          `Baidu Translate unreachable: ${(err as Error).message}`,
        );
      }
      if (response.status >= 500 || response.status === 429) {
        throw new TranslationError(
          response.status === 429 ? 'rate_limited' : 'unavailable',
          'baidu',
          `Baidu Translate answered HTTP ${response.status}`,
        );
      }
      let json: {
        from?: string;
        trans_result?: { src?: string; dst?: string }[];
        error_code?: string | number;
        error_msg?: string;
      };
      try {
        json = (await response.json()) as typeof json;
      } catch {
        throw new TranslationError(
          'unavailable',
          'baidu',
          `Baidu Translate answered HTTP ${response.status} without JSON`,
        );
      }
      if (json.error_code !== undefined && String(json.error_code) !== '52000') {
        const code = String(json.error_code);
        throw new TranslationError(
          ERROR_KINDS[code] ?? 'rejected',
          'baidu',
          `Baidu Translate error ${code}: ${json.error_msg ?? 'no message'}`,
          code,
        );
      }
      if (!response.ok || !Array.isArray(json.trans_result) || json.trans_result.length === 0) {
        throw new TranslationError(
          'unavailable',
          'baidu',
          `Baidu Translate answered HTTP ${response.status} without a translation`,
        );
      }
      // One entry per line of the query, in order.
      const translated = json.trans_result.map((r) => r.dst ?? '').join('\n');
      const from = json.from ?? 'und';
      return { text: translated, sourceLanguage: BAIDU_TO_ISO[from] ?? from };
    },
  };
}
