export { analyzeRemark, type RemarkAnalysis, type RemarkIntentMatch } from './analyze.js';
export {
  INTENT_INFO,
  REMARK_INTENTS,
  RemarkIntentSchema,
  instructionFor,
  type RemarkIntent,
} from './intents.js';
export { detectLanguage, languageNameZh } from './language.js';
export {
  analyzeWithTranslation,
  needsTranslation,
  remarksNeedingTranslation,
  withTranslation,
  withoutTranslation,
  type RemarkTranslation,
  type RemarkTranslationOutcome,
} from './translated.js';
