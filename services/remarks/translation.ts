import type { Config } from '../../config/index.js';
import type { Db } from '../../db/connect.js';
import { loadRemarkTranslations, storeRemarkTranslation } from '../../db/queries/remark-translations.js';
import type { RemarkTranslationOutcome } from '../../domain/remarks/translated.js';
import { createBaiduTranslator } from '../../integrations/translation/baidu.js';
import { createTencentTranslator } from '../../integrations/translation/tencent.js';
import {
  firstAnswering,
  TranslationError,
  type RemarkTranslator,
  type TranslationProvider,
} from '../../integrations/translation/types.js';

/**
 * The translation services configured for this deployment, in the order `TRANSLATION_PROVIDERS`
 * names them (the first that answers translates), or undefined: the lexicon alone.
 */
export function remarkTranslatorFromConfig(config: Config): RemarkTranslator | undefined {
  const timeoutMs = config.TRANSLATION_TIMEOUT_SECONDS * 1000;
  const configured: Partial<Record<TranslationProvider, RemarkTranslator>> = {};
  if (config.BAIDU_TRANSLATE_APP_ID && config.BAIDU_TRANSLATE_SECRET_KEY) {
    configured.baidu = createBaiduTranslator({
      baseUrl: config.BAIDU_TRANSLATE_BASE_URL,
      appId: config.BAIDU_TRANSLATE_APP_ID,
      secretKey: config.BAIDU_TRANSLATE_SECRET_KEY,
      timeoutMs,
    });
  }
  if (config.TENCENT_TMT_SECRET_ID && config.TENCENT_TMT_SECRET_KEY) {
    configured.tencent = createTencentTranslator({
      baseUrl: config.TENCENT_TMT_BASE_URL,
      secretId: config.TENCENT_TMT_SECRET_ID,
      secretKey: config.TENCENT_TMT_SECRET_KEY,
      region: config.TENCENT_TMT_REGION,
      projectId: config.TENCENT_TMT_PROJECT_ID,
      timeoutMs,
    });
  }
  return firstAnswering(
    config.TRANSLATION_PROVIDERS.map((p) => configured[p]).filter((t): t is RemarkTranslator => !!t),
  );
}

export interface TranslateOptions {
  target?: string;
  /** Wait before the one retry of a rate-limited call (Baidu's standard plan allows 1 call/s). */
  rateLimitWaitMs?: number;
}

/**
 * The translation of each text: the stored one when there is one (a retry, a re-audit or another
 * order with the same remark calls nobody), else the service's answer, stored before it is used.
 * Never throws for the service: a failure is an outcome naming why, and the remark is held for a
 * person as the lexicon left it.
 */
export async function translateRemarks(
  db: Db,
  translator: RemarkTranslator | undefined,
  texts: readonly string[],
  options: TranslateOptions = {},
): Promise<Record<string, RemarkTranslationOutcome>> {
  const target = options.target ?? 'zh';
  const outcomes: Record<string, RemarkTranslationOutcome> = {};
  if (texts.length === 0) return outcomes;
  const stored = await loadRemarkTranslations(db, texts, target);
  for (const text of texts) {
    const known = stored.get(text);
    if (known) {
      outcomes[text] = { translation: known };
      continue;
    }
    if (!translator) {
      outcomes[text] = { unavailable: 'no translation service is configured' };
      continue;
    }
    try {
      const answer = await callWithOneRetry(translator, text, target, options.rateLimitWaitMs ?? 1_100);
      const translation = {
        text: answer.text,
        sourceLanguage: answer.sourceLanguage,
        provider: answer.provider ?? translator.provider,
      };
      await storeRemarkTranslation(db, text, translation, target);
      outcomes[text] = { translation };
    } catch (err) {
      if (!(err instanceof TranslationError)) throw err;
      outcomes[text] = { unavailable: `${err.provider} ${err.kind.replace('_', ' ')}: ${err.message}` };
    }
  }
  return outcomes;
}

async function callWithOneRetry(translator: RemarkTranslator, text: string, target: string, waitMs: number) {
  try {
    return await translator.translate(text, target);
  } catch (err) {
    if (!(err instanceof TranslationError) || err.kind !== 'rate_limited') throw err;
    await new Promise((resolve) => setTimeout(resolve, waitMs));
    return translator.translate(text, target);
  }
}
