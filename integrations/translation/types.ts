/**
 * A machine-translation service a remark in a language the lexicon does not know is sent to
 * (docs/remarks.md). Adapters speak one service's protocol and report failures as
 * `TranslationError`; the caller (services/remarks/translation.ts) caches answers and never lets
 * a failure lose the remark.
 */
export interface RemarkTranslator {
  readonly provider: TranslationProvider;
  /** `text` into `target` (ISO 639-1, e.g. `zh`); the service detects the source language. */
  translate(text: string, target: string): Promise<TranslatedText>;
}

export type TranslationProvider = 'baidu' | 'tencent';

export interface TranslatedText {
  text: string;
  /** The language the service detected, as an ISO 639-1 code (`und` when it named none we know). */
  sourceLanguage: string;
  /** The service that answered, when a chain of them was asked (`firstAnswering`). */
  provider?: TranslationProvider;
}

/**
 * The services in order: the first that answers translates; when every one fails, the error says
 * why each did (its kind is the last one's).
 */
export function firstAnswering(translators: readonly RemarkTranslator[]): RemarkTranslator | undefined {
  if (translators.length <= 1) return translators[0];
  return {
    provider: translators[0]!.provider,
    async translate(text, target) {
      const failures: TranslationError[] = [];
      for (const translator of translators) {
        try {
          const answer = await translator.translate(text, target);
          return { ...answer, provider: answer.provider ?? translator.provider };
        } catch (err) {
          if (!(err instanceof TranslationError)) throw err;
          failures.push(err);
        }
      }
      const last = failures[failures.length - 1]!;
      throw new TranslationError(
        last.kind,
        last.provider,
        failures.map((f) => `${f.provider} ${f.kind.replace('_', ' ')}: ${f.message}`).join('; '),
        last.code,
      );
    },
  };
}

/**
 * Why a translation failed: `auth` (wrong app id or key, service not opened — a person fixes the
 * configuration), `rate_limited` (too many calls per second or the quota spent), `unavailable`
 * (timeouts, 5xx, the service's own system errors), `rejected` (the request itself is wrong).
 */
export type TranslationFailure = 'auth' | 'rate_limited' | 'unavailable' | 'rejected';

export class TranslationError extends Error {
  constructor(
    readonly kind: TranslationFailure,
    readonly provider: TranslationProvider,
    message: string,
    /** The service's own error code, when it gave one. */
    readonly code?: string,
  ) {
    super(message);
    this.name = 'TranslationError';
  }
}
