import { analyzeRemark, type RemarkAnalysis, type RemarkIntentMatch } from './analyze.js';
import { languageNameZh } from './language.js';

/** A machine translation of a remark into Chinese (services/remarks/translation.ts). */
export interface RemarkTranslation {
  /** The Chinese text. */
  text: string;
  /** The language the service detected (ISO 639-1). */
  sourceLanguage: string;
  provider: string;
}

/**
 * What the audit learned from the translation service about one remark text: its translation, or
 * why there is none (service unconfigured, down, refusing our key). Plain data: it crosses from
 * the audit activity into the workflow's history.
 */
export type RemarkTranslationOutcome =
  | { translation: RemarkTranslation; unavailable?: undefined }
  | { translation?: undefined; unavailable: string };

/**
 * Whether the lexicon alone leaves a remark for a person because of its language: text it could
 * not read, in a language other than Chinese. Those remarks go to the translation service.
 */
export function needsTranslation(analysis: RemarkAnalysis): boolean {
  return analysis.unrecognized.length > 0 && analysis.language !== 'zh' && analysis.original.trim() !== '';
}

/** The remarks of an order (buyer remark, seller memo) the lexicon cannot read in full. */
export function remarksNeedingTranslation(order: {
  buyerRemark?: string | undefined;
  sellerMemo?: string | undefined;
}): string[] {
  const texts = [order.buyerRemark, order.sellerMemo].filter(
    (text): text is string => !!text?.trim() && needsTranslation(analyzeRemark(text)),
  );
  return [...new Set(texts)];
}

/**
 * The remark read through its translation: the intents are those the lexicon finds in the Chinese
 * text, then any the lexicon found in the original that the translation lost; what is left
 * unrecognised is what the Chinese text leaves. The original is kept as written, with its
 * language.
 */
export function withTranslation(analysis: RemarkAnalysis, translation: RemarkTranslation): RemarkAnalysis {
  const zh = analyzeRemark(translation.text);
  const language = analysis.language === 'und' ? translation.sourceLanguage : analysis.language;
  const seen = new Set<string>();
  const intents: RemarkIntentMatch[] = [];
  for (const i of [...zh.intents.map((i) => ({ ...i, language })), ...analysis.intents]) {
    const key = `${i.intent}:${i.carrier ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    intents.push(i);
  }
  const instructions = intents.map((i) => i.instruction);
  if (zh.unrecognized.length > 0)
    instructions.push(`${languageNameZh(language)}留言译文有未识别内容，请人工确认`);
  return {
    original: analysis.original,
    language,
    languageName: languageNameZh(language),
    intents,
    instructions,
    unrecognized: zh.unrecognized,
    needsReview: zh.unrecognized.length > 0 || intents.some((i) => !i.benign),
    translation,
  };
}

/** The remark as the lexicon read it, noting why no translation could be had. */
export function withoutTranslation(analysis: RemarkAnalysis, reason: string): RemarkAnalysis {
  return { ...analysis, translationUnavailable: reason };
}

/** The analysis of `text`, through its translation outcome when there is one. */
export function analyzeWithTranslation(
  text: string,
  outcomes: Readonly<Record<string, RemarkTranslationOutcome>> | undefined,
): RemarkAnalysis {
  const analysis = analyzeRemark(text);
  if (!needsTranslation(analysis)) return analysis;
  const outcome = outcomes?.[text];
  if (!outcome) return analysis;
  return outcome.translation
    ? withTranslation(analysis, outcome.translation)
    : withoutTranslation(analysis, outcome.unavailable);
}
