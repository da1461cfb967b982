import { createHash } from 'node:crypto';
import type { Db } from '../connect.js';
import type { RemarkTranslation, RemarkTranslationOutcome } from '../../domain/remarks/translated.js';

export const remarkTextHash = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** The stored translations of `texts` into `target`, by text. */
export async function loadRemarkTranslations(
  db: Db,
  texts: readonly string[],
  target = 'zh',
): Promise<Map<string, RemarkTranslation>> {
  const found = new Map<string, RemarkTranslation>();
  const unique = [...new Set(texts)];
  if (unique.length === 0) return found;
  const rows = await db
    .selectFrom('remark_translations')
    .select(['source_text', 'source_language', 'translated_text', 'provider'])
    .where('target_language', '=', target)
    .where('source_hash', 'in', unique.map(remarkTextHash))
    .execute();
  for (const row of rows) {
    found.set(row.source_text, {
      text: row.translated_text,
      sourceLanguage: row.source_language,
      provider: row.provider,
    });
  }
  return found;
}

/**
 * Whether a translation is worth showing beside its remark: an engine hands words it cannot place
 * back as they came, and "translation: <the same words>" tells a reviewer nothing.
 */
export function translationTellsMore(source: string, translation: RemarkTranslation): boolean {
  const plain = (text: string) => text.normalize('NFC').trim().toLowerCase();
  return plain(source) !== plain(translation.text);
}

/** Keeps a translation; a second writer of the same text and target changes nothing. */
export async function storeRemarkTranslation(
  db: Db,
  sourceText: string,
  translation: RemarkTranslation,
  target = 'zh',
): Promise<void> {
  await db
    .insertInto('remark_translations')
    .values({
      source_hash: remarkTextHash(sourceText),
      target_language: target,
      source_text: sourceText,
      source_language: translation.sourceLanguage,
      translated_text: translation.text,
      provider: translation.provider,
    })
    .onConflict((c) => c.columns(['source_hash', 'target_language']).doNothing())
    .execute();
}

/** Stored translations only, as audit outcomes (dry runs): never calls the service. */
export async function storedRemarkTranslations(
  db: Db,
  texts: readonly string[],
  target = 'zh',
): Promise<Record<string, RemarkTranslationOutcome>> {
  const stored = await loadRemarkTranslations(db, texts, target);
  return Object.fromEntries([...stored].map(([text, translation]) => [text, { translation }]));
}
