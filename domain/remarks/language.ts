import { detect } from 'tinyld';

/**
 * Language of a remark, as an ISO 639-1 code ("und" when unknown). Scripts decide CJK and Thai
 * outright (an n-gram model confuses kanji-only Chinese with Japanese); for text in Latin script
 * the `tinyld` model answers, and the languages of the phrases the lexicon recognised break ties
 * on remarks too short for a model ("urgent", "leave at door").
 */
export function detectLanguage(text: string, lexiconLanguages: readonly string[] = []): string {
  const kana = count(text, /[\p{Script=Hiragana}\p{Script=Katakana}]/gu);
  const hangul = count(text, /\p{Script=Hangul}/gu);
  const thai = count(text, /\p{Script=Thai}/gu);
  const han = count(text, /\p{Script=Han}/gu);
  const latin = count(text, /\p{Script=Latin}/gu);
  if (kana > 0 && kana + han >= latin) return 'ja';
  if (hangul > 0 && hangul >= latin) return 'ko';
  if (thai > 0 && thai >= latin) return 'th';
  if (han > 0 && han >= latin) return 'zh';
  if (latin === 0) return lexiconLanguages[0] ?? 'und';

  const model = safeDetect(text);
  const words = text.trim().split(/\s+/).length;
  if (model && (lexiconLanguages.length === 0 || lexiconLanguages.includes(model) || words >= 4))
    return model;
  return mostFrequent(lexiconLanguages) ?? (model || 'und');
}

export const LANGUAGE_NAMES_ZH: Record<string, string> = {
  zh: '中文',
  en: '英语',
  ja: '日语',
  ko: '韩语',
  es: '西班牙语',
  de: '德语',
  fr: '法语',
  it: '意大利语',
  pt: '葡萄牙语',
  ru: '俄语',
  id: '印尼语',
  ms: '马来语',
  vi: '越南语',
  th: '泰语',
  tl: '菲律宾语',
  ar: '阿拉伯语',
  nl: '荷兰语',
  tr: '土耳其语',
  pl: '波兰语',
  und: '未知语言',
};

export function languageNameZh(code: string): string {
  return LANGUAGE_NAMES_ZH[code] ?? code;
}

function count(text: string, re: RegExp): number {
  return text.match(re)?.length ?? 0;
}

function safeDetect(text: string): string {
  try {
    return detect(text);
  } catch {
    return '';
  }
}

function mostFrequent(values: readonly string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: string | undefined;
  let bestCount = 0;
  for (const [v, c] of counts) {
    if (c > bestCount) {
      best = v;
      bestCount = c;
    }
  }
  return best;
}
